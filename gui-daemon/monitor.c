/* Pure monitor geometry (see monitor.h). */
#include "monitor.h"

static int64_t overlap(const struct fen_rect *a, const struct fen_rect *b)
{
    int64_t x0 = a->x > b->x ? a->x : b->x;
    int64_t y0 = a->y > b->y ? a->y : b->y;
    int64_t x1 = (int64_t)a->x + a->w, y1 = (int64_t)a->y + a->h;
    int64_t bx1 = (int64_t)b->x + b->w, by1 = (int64_t)b->y + b->h;
    if (bx1 < x1)
        x1 = bx1;
    if (by1 < y1)
        y1 = by1;
    return (x1 > x0 && y1 > y0) ? (x1 - x0) * (y1 - y0) : 0;
}

/* Squared distance from point (px, py) to rect m (0 inside). */
static int64_t distance2(const struct fen_rect *m, int64_t px, int64_t py)
{
    int64_t dx = 0, dy = 0;
    if (px < m->x)
        dx = m->x - px;
    else if (px >= (int64_t)m->x + m->w)
        dx = px - ((int64_t)m->x + m->w - 1);
    if (py < m->y)
        dy = m->y - py;
    else if (py >= (int64_t)m->y + m->h)
        dy = py - ((int64_t)m->y + m->h - 1);
    return dx * dx + dy * dy;
}

size_t guid_monitor_pick(const struct guid_monitors *mons, const struct fen_rect *r)
{
    size_t best = 0;
    int64_t best_area = 0;
    for (size_t i = 0; i < mons->n; i++) {
        int64_t a = overlap(&mons->m[i], r);
        if (a > best_area) {
            best_area = a;
            best = i;
        }
    }
    if (best_area > 0 || mons->n == 0)
        return best;
    int64_t cx = (int64_t)r->x + r->w / 2, cy = (int64_t)r->y + r->h / 2;
    int64_t best_d = INT64_MAX;
    for (size_t i = 0; i < mons->n; i++) {
        int64_t d = distance2(&mons->m[i], cx, cy);
        if (d < best_d) {
            best_d = d;
            best = i;
        }
    }
    return best;
}

struct fen_rect guid_monitor_clamp(const struct fen_rect *mon, const struct fen_rect *r)
{
    int64_t mx = mon->x, my = mon->y, mw = mon->w, mh = mon->h;
    int64_t w = r->w, h = r->h, x = r->x, y = r->y;
    if (w > mw)
        w = mw;
    if (h > mh)
        h = mh;
    if (w < 1)
        w = 1;
    if (h < 1)
        h = 1;
    if (x + w > mx + mw)
        x = mx + mw - w;
    if (y + h > my + mh)
        y = my + mh - h;
    if (x < mx)
        x = mx;
    if (y < my)
        y = my;
    return (struct fen_rect){(int32_t)x, (int32_t)y, (uint32_t)w, (uint32_t)h};
}
