/* RandR 1.2 for the dummy display: one CRTC driving one always-connected
 * output whose modes are the configured ones (more can be added at run time
 * with xrandr --newmode/--addmode).  A screen resize re-points the screen
 * pixmap into the framebuffer reserved at ScreenInit; sizes that do not fit
 * in VideoRam are refused. */
#include "fenestra.h"

#include <string.h>

#define FEN_MAX_SIZE 8192

static void crtc_dpms(xf86CrtcPtr crtc, int mode)
{
}

static Bool crtc_lock(xf86CrtcPtr crtc)
{
    return FALSE; /* nothing to lock: unlock is never called */
}

static Bool crtc_mode_fixup(xf86CrtcPtr crtc, DisplayModePtr mode, DisplayModePtr adjusted)
{
    return TRUE;
}

static void crtc_nothing(xf86CrtcPtr crtc)
{
}

static void crtc_mode_set(xf86CrtcPtr crtc, DisplayModePtr mode, DisplayModePtr adjusted, int x,
                          int y)
{
}

static void crtc_gamma_set(xf86CrtcPtr crtc, CARD16 *red, CARD16 *green, CARD16 *blue, int size)
{
}

static const xf86CrtcFuncsRec fen_crtc_funcs = {
    .dpms = crtc_dpms,
    .lock = crtc_lock,
    .mode_fixup = crtc_mode_fixup,
    .prepare = crtc_nothing,
    .mode_set = crtc_mode_set,
    .commit = crtc_nothing,
    .gamma_set = crtc_gamma_set,
    .destroy = crtc_nothing,
    /* no shadow, no hardware cursor: the other slots stay NULL */
};

static void output_nothing(xf86OutputPtr output)
{
}

static void output_dpms(xf86OutputPtr output, int mode)
{
}

static int output_mode_valid(xf86OutputPtr output, DisplayModePtr mode)
{
    return MODE_OK;
}

static Bool output_mode_fixup(xf86OutputPtr output, DisplayModePtr mode, DisplayModePtr adjusted)
{
    return TRUE;
}

static void output_mode_set(xf86OutputPtr output, DisplayModePtr mode, DisplayModePtr adjusted)
{
}

static xf86OutputStatus output_detect(xf86OutputPtr output)
{
    return XF86OutputStatusConnected;
}

/* The configured modes (PreInit validated them), copied for the output. */
static DisplayModePtr output_get_modes(xf86OutputPtr output)
{
    DisplayModePtr modes = NULL;
    DisplayModePtr src = output->scrn->modes;
    if (!src)
        return NULL;
    do {
        DisplayModePtr m = xf86DuplicateMode(src);
        if (m)
            modes = xf86ModesAdd(modes, m);
        src = src->next;
    } while (src && src != output->scrn->modes);
    return modes;
}

static const xf86OutputFuncsRec fen_output_funcs = {
    .dpms = output_dpms,
    .mode_valid = output_mode_valid,
    .mode_fixup = output_mode_fixup,
    .prepare = output_nothing,
    .commit = output_nothing,
    .mode_set = output_mode_set,
    .detect = output_detect,
    .get_modes = output_get_modes,
    .destroy = output_nothing,
};

static Bool fen_resize(ScrnInfoPtr scrn, int width, int height)
{
    struct fen_drv *drv = FEN_DRV(scrn);
    ScreenPtr screen = scrn->pScreen;
    PixmapPtr pixmap = screen->GetScreenPixmap(screen);
    int bpp = scrn->bitsPerPixel;
    uint64_t stride = ((uint64_t)width * bpp / 8 + 3) & ~(uint64_t)3;

    if (width == scrn->virtualX && height == scrn->virtualY)
        return TRUE;
    if (!pixmap || width <= 0 || height <= 0 || stride * (uint64_t)height > drv->fb_bytes) {
        xf86DrvMsg(scrn->scrnIndex, X_ERROR,
                   "fenestra: screen size %dx%d does not fit in VideoRam (%d kB)\n", width,
                   height, scrn->videoRam);
        return FALSE;
    }
    if (!screen->ModifyPixmapHeader(pixmap, width, height, -1, -1, (int)stride, drv->fb))
        return FALSE;
    scrn->virtualX = width;
    scrn->virtualY = height;
    scrn->displayWidth = (int)(stride * 8 / bpp);
    xf86DrvMsg(scrn->scrnIndex, X_INFO, "fenestra: screen resized to %dx%d\n", width, height);
    return TRUE;
}

static const xf86CrtcConfigFuncsRec fen_config_funcs = {
    .resize = fen_resize,
};

Bool fen_randr_init(ScrnInfoPtr scrn)
{
    struct fen_drv *drv = FEN_DRV(scrn);

    xf86CrtcConfigInit(scrn, &fen_config_funcs);
    xf86CrtcSetSizeRange(scrn, 64, 64, FEN_MAX_SIZE, FEN_MAX_SIZE);
    drv->crtc = xf86CrtcCreate(scrn, &fen_crtc_funcs);
    if (!drv->crtc)
        return FALSE;
    drv->output = xf86OutputCreate(scrn, &fen_output_funcs, "FENESTRA0");
    if (!drv->output)
        return FALSE;
    xf86OutputUseScreenMonitor(drv->output, FALSE);
    drv->output->possible_crtcs = 1;
    drv->output->possible_clones = 0;
    return TRUE;
}
