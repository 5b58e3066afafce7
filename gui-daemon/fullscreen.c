/* Policy fullscreen: raise/focus, banner, exit hotkey (see fullscreen.h). */
#include "fullscreen.h"

#include <stdio.h>
#include <stdlib.h>
#include <xcb/xcb_keysyms.h>

#include "banner.h"
#include "fenestra/clock.h"
#include "fenestra/log.h"
#include "xside.h"

#define MAX_EXCLUSIVE 16

struct guid_fullscreen {
    struct guid_xside *xs;
    struct guid_banner *banner;
    struct guid_hotkey exit_key;
    xcb_key_symbols_t *syms;
    guid_fullscreen_exit_fn on_exit;
    void *exit_ctx;
    xcb_window_t exclusive[MAX_EXCLUSIVE]; /* dom0 windows covering a monitor now */
    size_t n;
    bool grabbed;   /* this guid wants the root grab (it has fullscreen windows) */
    bool root_held; /* ... and got it: no other guid had it */
    uint8_t swallow; /* keycode of a consumed press whose release is ours too */
    /* Root properties every guid watches: the exit hotkey was pressed (all
     * leave fullscreen), the root grab was given up (take it if wanted), the
     * grab holder's token window. */
    xcb_atom_t exit_atom, grab_free_atom, holder_atom;
    uint32_t exit_serial;
    /* The holder of the grab owns an unmapped token window named on the
     * root; a guid waiting for the grab watches it (StructureNotify).  When
     * the holder dies without letting go (SIGKILL, a crash), the X server
     * releases its grab and destroys its token, and the DestroyNotify tells
     * the waiting guid to take the grab over. */
    xcb_window_t token;   /* ours, while root_held */
    xcb_window_t watched; /* the holder's, while we wait for the grab */
};

struct guid_fullscreen *guid_fullscreen_create(struct guid_xside *xs,
                                               const struct guid_hotkey *exit_key,
                                               const char *exit_key_text)
{
    struct guid_fullscreen *fs = calloc(1, sizeof(*fs));
    if (fs == NULL)
        return NULL;
    fs->xs = xs;
    fs->exit_key = *exit_key;
    char text[160];
    snprintf(text, sizeof(text), "%s is fullscreen - %s leaves", xs->cfg.qube, exit_key_text);
    fs->syms = xcb_key_symbols_alloc(xs->conn);
    fs->exit_atom = fen_x_intern(xs->conn, "_FENESTRA_FULLSCREEN_EXIT");
    fs->grab_free_atom = fen_x_intern(xs->conn, "_FENESTRA_FULLSCREEN_GRAB_FREE");
    fs->holder_atom = fen_x_intern(xs->conn, "_FENESTRA_FULLSCREEN_GRAB_HOLDER");
    uint32_t mask = XCB_EVENT_MASK_PROPERTY_CHANGE;
    xcb_change_window_attributes(xs->conn, xs->screen->root, XCB_CW_EVENT_MASK, &mask);
    fs->banner = guid_banner_create(xs->conn, xs->screen, xs->cfg.qube, text, xs->cfg.label_rgb);
    if (fs->syms == NULL || fs->banner == NULL) {
        guid_fullscreen_destroy(fs);
        return NULL;
    }
    return fs;
}

static void grab(struct guid_fullscreen *fs, bool on);

void guid_fullscreen_destroy(struct guid_fullscreen *fs)
{
    if (fs == NULL)
        return;
    if (fs->grabbed)
        grab(fs, false); /* another guid with fullscreen windows takes the hotkey */
    guid_banner_destroy(fs->banner);
    if (fs->syms != NULL)
        xcb_key_symbols_free(fs->syms);
    free(fs);
}

void guid_fullscreen_set_exit(struct guid_fullscreen *fs, guid_fullscreen_exit_fn fn, void *ctx)
{
    fs->on_exit = fn;
    fs->exit_ctx = ctx;
}

/* Tell every guid on this dom0 X server something by changing a root
 * property (each watches PropertyNotify on the root). */
static void announce(struct guid_fullscreen *fs, xcb_atom_t atom)
{
    fs->exit_serial++;
    xcb_change_property(fs->xs->conn, XCB_PROP_MODE_REPLACE, fs->xs->screen->root, atom,
                        XCB_ATOM_CARDINAL, 32, 1, &fs->exit_serial);
}

/* We hold the grab: publish a token window for the guids waiting for it. */
static void publish_token(struct guid_fullscreen *fs)
{
    xcb_connection_t *c = fs->xs->conn;
    xcb_window_t root = fs->xs->screen->root;
    fs->token = xcb_generate_id(c);
    uint32_t or = 1;
    xcb_create_window(c, 0, fs->token, root, -1, -1, 1, 1, 0, XCB_WINDOW_CLASS_INPUT_ONLY,
                      XCB_COPY_FROM_PARENT, XCB_CW_OVERRIDE_REDIRECT, &or);
    xcb_change_property(c, XCB_PROP_MODE_REPLACE, root, fs->holder_atom, XCB_ATOM_WINDOW, 32, 1,
                        &fs->token);
}

/* Another guid holds the grab: watch its token, to take over if it dies. */
static void watch_holder(struct guid_fullscreen *fs)
{
    xcb_connection_t *c = fs->xs->conn;
    xcb_get_property_reply_t *r = xcb_get_property_reply(
        c, xcb_get_property(c, 0, fs->xs->screen->root, fs->holder_atom, XCB_ATOM_WINDOW, 0, 1),
        NULL);
    xcb_window_t token = 0;
    if (r && r->format == 32 && xcb_get_property_value_length(r) == 4)
        token = *(const xcb_window_t *)xcb_get_property_value(r);
    free(r);
    if (token == 0 || token == fs->watched)
        return;
    uint32_t mask = XCB_EVENT_MASK_STRUCTURE_NOTIFY;
    xcb_generic_error_t *e = xcb_request_check(
        c, xcb_change_window_attributes_checked(c, token, XCB_CW_EVENT_MASK, &mask));
    /* Already gone: its holder let go or died, and a new token (ours or
     * another guid's) comes with a PropertyNotify. */
    fs->watched = e == NULL ? token : 0;
    free(e);
}

/* Grab (or release) the exit hotkey on the root window, with and without
 * Caps Lock / Num Lock, so it works whatever has the focus.  One X client
 * at a time can hold it: with several qubes fullscreen, the first guid
 * holds it and tells all the others when it is pressed (announce); when it
 * lets go, it says so and a guid that still has fullscreen windows takes
 * it.  Without the grab the hotkey still works while the focus is in one
 * of this qube's windows (guid sees those keys itself). */
static void grab(struct guid_fullscreen *fs, bool on)
{
    if (fs->grabbed == on && (!on || fs->root_held))
        return;
    fs->grabbed = on;
    xcb_connection_t *c = fs->xs->conn;
    xcb_window_t root = fs->xs->screen->root;
    xcb_keycode_t *codes = xcb_key_symbols_get_keycode(fs->syms, fs->exit_key.keysym);
    if (codes == NULL)
        return;
    static const uint16_t extra[] = {0, GUID_MOD_LOCK, GUID_MOD_MOD2,
                                     GUID_MOD_LOCK | GUID_MOD_MOD2};
    bool held = on;
    for (xcb_keycode_t *k = codes; *k != XCB_NO_SYMBOL; k++) {
        for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++) {
            uint16_t mods = (uint16_t)(fs->exit_key.mods | extra[i]);
            if (!on) {
                xcb_ungrab_key(c, *k, root, mods);
                continue;
            }
            xcb_generic_error_t *e = xcb_request_check(
                c, xcb_grab_key_checked(c, 1, root, mods, *k, XCB_GRAB_MODE_ASYNC,
                                        XCB_GRAB_MODE_ASYNC));
            if (e != NULL)
                held = false; /* BadAccess: another guid holds it */
            free(e);
        }
    }
    if (on && !held) { /* hold all of it or none: let go of what we got */
        for (xcb_keycode_t *k = codes; *k != XCB_NO_SYMBOL; k++)
            for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
                xcb_ungrab_key(c, *k, root, (uint16_t)(fs->exit_key.mods | extra[i]));
        fen_log(DEBUG, "another guid holds the fullscreen exit hotkey; it tells us");
    }
    bool was_held = fs->root_held;
    fs->root_held = held;
    free(codes);
    if (held && !was_held) {
        fs->watched = 0;
        publish_token(fs);
    } else if (was_held && !held) {
        xcb_destroy_window(c, fs->token); /* before the announce: watchers try once */
        fs->token = 0;
        announce(fs, fs->grab_free_atom);
    } else if (on && !held) {
        watch_holder(fs);
    }
}

static void update(struct guid_fullscreen *fs)
{
    grab(fs, fs->n > 0);
    if (fs->n == 0)
        guid_banner_hide(fs->banner);
}

void guid_fullscreen_forget(struct guid_fullscreen *fs, xcb_window_t xid)
{
    if (fs == NULL)
        return;
    for (size_t i = 0; i < fs->n; i++) {
        if (fs->exclusive[i] == xid) {
            fs->exclusive[i] = fs->exclusive[--fs->n];
            update(fs);
            return;
        }
    }
}

/* How long the banner stays: GUID_BANNER_MS, or FENESTRA_BANNER_MS (tests
 * under sanitizers need longer than a person does). */
static uint64_t banner_ms(void)
{
    const char *e = getenv("FENESTRA_BANNER_MS");
    char *end;
    unsigned long v = e ? strtoul(e, &end, 10) : 0;
    return (e && *end == '\0' && v >= 500 && v <= 600000) ? v : GUID_BANNER_MS;
}

void guid_fullscreen_changed(void *ctx, struct guid_win *w)
{
    struct guid_xside *xs = ctx;
    struct guid_fullscreen *fs = xs->fs;
    if (fs == NULL)
        return;
    if (!w->fs_exclusive) {
        guid_fullscreen_forget(fs, w->xid);
        return;
    }
    if (fs->n < MAX_EXCLUSIVE)
        fs->exclusive[fs->n++] = w->xid;
    uint32_t above = XCB_STACK_MODE_ABOVE;
    xcb_configure_window(xs->conn, w->xid, XCB_CONFIG_WINDOW_STACK_MODE, &above);
    if (w->mapped)
        xcb_set_input_focus(xs->conn, XCB_INPUT_FOCUS_POINTER_ROOT, w->xid, XCB_CURRENT_TIME);
    update(fs);
    guid_banner_show(fs->banner, &w->outer, fen_monotonic_ms() + banner_ms());
    fen_log(INFO, "window %u covers its monitor %ux%u%+d%+d (allow_fullscreen); banner shown",
            w->id, w->outer.w, w->outer.h, w->outer.x, w->outer.y);
}

void guid_fullscreen_restack(struct guid_fullscreen *fs)
{
    if (fs != NULL)
        guid_banner_raise(fs->banner);
}

bool guid_fullscreen_handle_event(struct guid_fullscreen *fs, const xcb_generic_event_t *ev)
{
    if (fs == NULL)
        return false;
    uint8_t type = ev->response_type & 0x7f;
    if (type == XCB_EXPOSE) {
        const xcb_expose_event_t *e = (const xcb_expose_event_t *)ev;
        if (e->window != guid_banner_window(fs->banner))
            return false;
        guid_banner_paint(fs->banner);
        return true;
    }
    if (type == XCB_PROPERTY_NOTIFY) {
        const xcb_property_notify_event_t *p = (const xcb_property_notify_event_t *)ev;
        if (p->window != fs->xs->screen->root || p->state != XCB_PROPERTY_NEW_VALUE)
            return false;
        if (p->atom == fs->exit_atom && fs->n > 0) {
            fen_log(INFO, "fullscreen exit hotkey (pressed in another qube's guid)");
            if (fs->on_exit != NULL)
                fs->on_exit(fs->exit_ctx);
        } else if (p->atom == fs->grab_free_atom && fs->n > 0 && !fs->root_held) {
            grab(fs, true);
        } else if (p->atom == fs->holder_atom && fs->n > 0 && !fs->root_held) {
            watch_holder(fs); /* a new holder: watch its token instead */
        }
        return p->atom == fs->exit_atom || p->atom == fs->grab_free_atom ||
               p->atom == fs->holder_atom;
    }
    if (type == XCB_DESTROY_NOTIFY) {
        const xcb_destroy_notify_event_t *d = (const xcb_destroy_notify_event_t *)ev;
        if (fs->watched == 0 || d->window != fs->watched)
            return false;
        fs->watched = 0;
        if (fs->n > 0 && !fs->root_held) {
            fen_log(INFO, "the guid holding the fullscreen exit hotkey is gone: taking it over");
            grab(fs, true);
        }
        return true;
    }
    if (type == XCB_KEY_RELEASE) {
        const xcb_key_release_event_t *k = (const xcb_key_release_event_t *)ev;
        if (fs->swallow == 0 || k->detail != fs->swallow)
            return false;
        fs->swallow = 0;
        return true;
    }
    if (type != XCB_KEY_PRESS)
        return false;
    const xcb_key_press_event_t *k = (const xcb_key_press_event_t *)ev;
    xcb_keysym_t sym = xcb_key_symbols_get_keysym(fs->syms, k->detail, 0);
    if (!guid_hotkey_match(&fs->exit_key, k->state, sym))
        return false;
    fs->swallow = k->detail;
    fen_log(INFO, "fullscreen exit hotkey");
    /* Every qube's fullscreen ends, not only ours: say so before leaving
     * (which lets go of the grab and says that too), so the others see
     * the exit first and do not take the grab over just to drop it. */
    announce(fs, fs->exit_atom);
    if (fs->on_exit != NULL)
        fs->on_exit(fs->exit_ctx);
    return true;
}

int guid_fullscreen_timeout(const struct guid_fullscreen *fs, uint64_t now_ms)
{
    if (fs == NULL)
        return -1;
    uint64_t until = guid_banner_until(fs->banner);
    if (until == 0)
        return -1;
    return until > now_ms ? (int)(until - now_ms) : 0;
}

void guid_fullscreen_tick(struct guid_fullscreen *fs, uint64_t now_ms)
{
    if (fs == NULL)
        return;
    uint64_t until = guid_banner_until(fs->banner);
    if (until != 0 && now_ms >= until)
        guid_banner_hide(fs->banner);
}
