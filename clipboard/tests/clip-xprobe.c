/* clip-xprobe: ask the CLIPBOARD owner of $DISPLAY for the ICCCM targets
 * xclip cannot exercise, and check each answer.  Exit 0 when the owner
 * answered as expected, 1 otherwise (the reason on stderr).
 *   clip-xprobe timestamp               TIMESTAMP: one 32-bit INTEGER, not 0;
 *                                       prints it
 *   clip-xprobe old-time                UTF8_STRING asked with a request time
 *                                       before the ownership is refused, and
 *                                       answered with the ownership's own time
 *   clip-xprobe none-property           TARGETS asked with property None: the
 *                                       answer is in the property named TARGETS
 *   clip-xprobe multiple UTF8 LATIN1    MULTIPLE with (UTF8_STRING, P1),
 *                                       (STRING, P2), (image/png, P3): P1 and
 *                                       P2 hold the two files' bytes, P3's
 *                                       target comes back None, P3 unset
 *   clip-xprobe multiple-bad KIND       a malformed MULTIPLE list (KIND: odd,
 *                                       format8, too-many, missing) is refused;
 *                                       KIND nested (MULTIPLE inside the list)
 *                                       gets that pair's target None */
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xcb/xcb.h>
#include "fenestra/xatom.h"

static xcb_connection_t *c;
static xcb_window_t win;

static int fail(const char *why)
{
    fprintf(stderr, "clip-xprobe: %s\n", why);
    return 1;
}

static xcb_atom_t atom(const char *name)
{ return fen_x_intern(c, name); }

/* Convert CLIPBOARD to target into property at time t; the notify's
 * property, or (xcb_atom_t)-1 when no answer came within 5 s. */
static xcb_atom_t convert_at(xcb_atom_t target, xcb_atom_t property, xcb_timestamp_t t)
{
    xcb_convert_selection(c, win, atom("CLIPBOARD"), target, property, t);
    xcb_flush(c);
    for (int waited = 0; waited < 5000; waited += 100) {
        xcb_generic_event_t *ev;
        while ((ev = xcb_poll_for_event(c))) {
            if ((ev->response_type & 0x7f) == XCB_SELECTION_NOTIFY) {
                xcb_selection_notify_event_t *n = (xcb_selection_notify_event_t *)ev;
                xcb_atom_t p = n->target == target ? n->property : (xcb_atom_t)-1;
                free(ev);
                if (p != (xcb_atom_t)-1)
                    return p;
                continue;
            }
            free(ev);
        }
        if (xcb_connection_has_error(c))
            break;
        struct pollfd pfd = {.fd = xcb_get_file_descriptor(c), .events = POLLIN};
        poll(&pfd, 1, 100);
    }
    return (xcb_atom_t)-1;
}

static xcb_atom_t convert(xcb_atom_t target, xcb_atom_t property)
{
    return convert_at(target, property, XCB_CURRENT_TIME);
}

static xcb_get_property_reply_t *get(xcb_atom_t property)
{
    return xcb_get_property_reply(
        c, xcb_get_property(c, 0, win, property, XCB_GET_PROPERTY_TYPE_ANY, 0, 1 << 20), NULL);
}

/* The property holds exactly the bytes of file, with this type, format 8. */
static bool prop_is_file(xcb_atom_t property, xcb_atom_t type, const char *file)
{
    FILE *f = fopen(file, "rb");
    static char want[1 << 16];
    size_t n = f ? fread(want, 1, sizeof want, f) : 0;
    if (f)
        fclose(f);
    xcb_get_property_reply_t *r = get(property);
    bool same = r && r->type == type && r->format == 8 && r->bytes_after == 0 &&
                (size_t)xcb_get_property_value_length(r) == n &&
                memcmp(xcb_get_property_value(r), want, n) == 0;
    free(r);
    return f && same;
}

static int probe_timestamp(void)
{
    xcb_atom_t p = atom("FEN_PROBE_TS");
    if (convert(atom("TIMESTAMP"), p) != p)
        return fail("TIMESTAMP refused or unanswered");
    xcb_get_property_reply_t *r = get(p);
    bool good = r && r->type == XCB_ATOM_INTEGER && r->format == 32 && r->value_len == 1;
    uint32_t t = good ? *(uint32_t *)xcb_get_property_value(r) : 0;
    free(r);
    if (!good || t == 0)
        return fail("TIMESTAMP is not one non-zero 32-bit INTEGER");
    printf("%u\n", t);
    return 0;
}

static int probe_old_time(void)
{
    xcb_atom_t ts = atom("FEN_PROBE_TS"), p = atom("FEN_PROBE_OLD"), utf8 = atom("UTF8_STRING");
    if (convert(atom("TIMESTAMP"), ts) != ts)
        return fail("TIMESTAMP refused or unanswered");
    xcb_get_property_reply_t *r = get(ts);
    uint32_t own =
        r && r->format == 32 && r->value_len == 1 ? *(uint32_t *)xcb_get_property_value(r) : 0;
    free(r);
    if (own < 2)
        return fail("no usable ownership time");
    if (convert_at(utf8, p, own - 1) != XCB_NONE)
        return fail("a request timed before the ownership was answered");
    if (convert_at(utf8, p, own) != p)
        return fail("a request timed at the ownership was refused");
    return 0;
}

static int probe_none_property(void)
{
    xcb_atom_t targets = atom("TARGETS");
    if (convert(targets, XCB_NONE) != targets)
        return fail("TARGETS with property None was not answered in property TARGETS");
    xcb_get_property_reply_t *r = get(targets);
    bool good = false;
    if (r && r->type == XCB_ATOM_ATOM && r->format == 32) {
        xcb_atom_t *a = xcb_get_property_value(r), utf8 = atom("UTF8_STRING");
        for (uint32_t i = 0; i < r->value_len; i++)
            good |= a[i] == utf8;
    }
    free(r);
    return good ? 0 : fail("the TARGETS property does not list UTF8_STRING");
}

static int probe_multiple(const char *utf8_file, const char *latin1_file)
{
    xcb_atom_t list = atom("FEN_PROBE_LIST"), p1 = atom("FEN_PROBE_P1"), p2 = atom("FEN_PROBE_P2"),
               p3 = atom("FEN_PROBE_P3"), utf8 = atom("UTF8_STRING"), png = atom("image/png"),
               pair = atom("ATOM_PAIR");
    xcb_atom_t pairs[6] = {utf8, p1, XCB_ATOM_STRING, p2, png, p3};
    xcb_change_property(c, XCB_PROP_MODE_REPLACE, win, list, pair, 32, 6, pairs);
    if (convert(atom("MULTIPLE"), list) != list)
        return fail("MULTIPLE refused or unanswered");
    xcb_get_property_reply_t *r = get(list);
    xcb_atom_t want[6] = {utf8, p1, XCB_ATOM_STRING, p2, XCB_NONE, p3};
    bool good = r && r->type == pair && r->format == 32 && r->value_len == 6 &&
                memcmp(xcb_get_property_value(r), want, sizeof want) == 0;
    free(r);
    if (!good)
        return fail("the pair list did not come back with only image/png replaced by None");
    if (!prop_is_file(p1, utf8, utf8_file))
        return fail("the UTF8_STRING pair's property does not hold the text");
    if (!prop_is_file(p2, XCB_ATOM_STRING, latin1_file))
        return fail("the STRING pair's property does not hold the Latin-1 text");
    r = get(p3);
    good = r && r->type == XCB_NONE;
    free(r);
    return good ? 0 : fail("the unsupported pair's property was written");
}

static int probe_multiple_bad(const char *kind)
{
    xcb_atom_t list = atom("FEN_PROBE_BAD"), pair = atom("ATOM_PAIR"), utf8 = atom("UTF8_STRING"),
               p1 = atom("FEN_PROBE_P1");
    xcb_atom_t many[2 * 40];
    for (int i = 0; i < 40; i++)
        many[2 * i] = utf8, many[2 * i + 1] = p1;
    xcb_atom_t three[3] = {utf8, p1, utf8};
    bool nested = strcmp(kind, "nested") == 0;
    if (strcmp(kind, "odd") == 0)
        xcb_change_property(c, XCB_PROP_MODE_REPLACE, win, list, pair, 32, 3, three);
    else if (strcmp(kind, "format8") == 0)
        xcb_change_property(c, XCB_PROP_MODE_REPLACE, win, list, pair, 8, 8, "ABCDEFGH");
    else if (strcmp(kind, "too-many") == 0)
        xcb_change_property(c, XCB_PROP_MODE_REPLACE, win, list, pair, 32, 80, many);
    else if (strcmp(kind, "missing") == 0)
        xcb_delete_property(c, win, list);
    else if (nested) {
        xcb_atom_t in[4] = {atom("MULTIPLE"), list, utf8, p1};
        xcb_change_property(c, XCB_PROP_MODE_REPLACE, win, list, pair, 32, 4, in);
    } else
        return fail("unknown kind");
    xcb_atom_t got = convert(atom("MULTIPLE"), list);
    if (got == (xcb_atom_t)-1)
        return fail("no answer at all");
    if (!nested)
        return got == XCB_NONE ? 0 : fail("a malformed MULTIPLE list was accepted");
    xcb_get_property_reply_t *r = get(list);
    xcb_atom_t want[4] = {XCB_NONE, list, utf8, p1};
    bool good = got == list && r && r->value_len == 4 &&
                memcmp(xcb_get_property_value(r), want, sizeof want) == 0;
    free(r);
    return good ? 0 : fail("a nested MULTIPLE was not refused on its own");
}

int main(int argc, char **argv)
{
    int screen_no;
    c = xcb_connect(NULL, &screen_no);
    if (xcb_connection_has_error(c))
        return fail("cannot connect to $DISPLAY");
    xcb_screen_iterator_t it = xcb_setup_roots_iterator(xcb_get_setup(c));
    win = xcb_generate_id(c);
    xcb_create_window(c, XCB_COPY_FROM_PARENT, win, it.data->root, 0, 0, 1, 1, 0,
                      XCB_WINDOW_CLASS_INPUT_ONLY, XCB_COPY_FROM_PARENT, 0, NULL);
    int rc = 2;
    if (argc == 2 && strcmp(argv[1], "timestamp") == 0)
        rc = probe_timestamp();
    else if (argc == 2 && strcmp(argv[1], "old-time") == 0)
        rc = probe_old_time();
    else if (argc == 2 && strcmp(argv[1], "none-property") == 0)
        rc = probe_none_property();
    else if (argc == 4 && strcmp(argv[1], "multiple") == 0)
        rc = probe_multiple(argv[2], argv[3]);
    else if (argc == 3 && strcmp(argv[1], "multiple-bad") == 0)
        rc = probe_multiple_bad(argv[2]);
    else
        fprintf(stderr, "usage: clip-xprobe timestamp|old-time|none-property|multiple UTF8 LATIN1|"
                        "multiple-bad odd|format8|too-many|missing|nested\n");
    xcb_disconnect(c);
    return rc;
}
