/* fenestra_drv.so: an Xorg video driver for a display with no hardware (like
 * xf86-video-dummy) whose composite window pixmaps live in a shared page pool,
 * so the Fenestra guest agent can hand their pages to dom0 without copying.
 * Rendering is plain fb (no glamor): pixels are complete when Damage reports
 * them.  See docs/xorg-driver.md. */
#include "fenestra.h"
#include "fenext_proto.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "fb.h"
#include "mipointer.h"
#include "micmap.h"
#include "xf86cmap.h"
#include "xf86Module.h"

#include "fenestra/domid.h"

static void fen_identify(int flags);
static Bool fen_probe(DriverPtr drv, int flags);
static const OptionInfoRec *fen_available_options(int chipid, int busid);
static Bool fen_driver_func(ScrnInfoPtr scrn, xorgDriverFuncOp op, void *ptr);

static DriverRec fen_driver = {
    .driverVersion = FENESTRA_VERSION,
    .driverName = FENESTRA_DRIVER_NAME,
    .Identify = fen_identify,
    .Probe = fen_probe,
    .AvailableOptions = fen_available_options,
    .module = NULL,
    .refCount = 0,
    .driverFunc = fen_driver_func,
};

enum { FEN_CHIP = 0 };
static SymTabRec fen_chipsets[] = {{FEN_CHIP, "fenestra"}, {-1, NULL}};

enum {
    OPTION_POOL_MB,
    OPTION_PUT_BAND_PIXELS,
    OPTION_POOL_BACKEND,
    OPTION_FRAME_TIMEOUT_MS,
    OPTION_PACE_INTERVAL_MS,
};
static const OptionInfoRec fen_options[] = {
    /* where window pixmaps live: "local" (a sealed memfd, default) or
     * "xen:DOMID" (pages granted to DOMID, normally 0: dom0) */
    {OPTION_POOL_BACKEND, "PoolBackend", OPTV_STRING, {0}, FALSE},
    /* size of the shared window pixmap pool, MB (default 256) */
    {OPTION_POOL_MB, "PoolMB", OPTV_INTEGER, {0}, FALSE},
    /* MIT-SHM puts into pool windows run in bands of this many pixels so
     * dom0's copy overlaps ours (fenestra_shmband.c); 0 = whole requests */
    {OPTION_PUT_BAND_PIXELS, "PutBandPixels", OPTV_INTEGER, {0}, FALSE},
    /* frame pacing: a held put runs anyway after this many ms without
     * dom0's answer (fenestra_pacing.c; default 50) */
    {OPTION_FRAME_TIMEOUT_MS, "FrameTimeoutMs", OPTV_INTEGER, {0}, FALSE},
    /* frame pacing: only frames put less than this many ms after the
     * previous one are paced (default 8; 0: none) */
    {OPTION_PACE_INTERVAL_MS, "PaceIntervalMs", OPTV_INTEGER, {0}, FALSE},
    {-1, NULL, OPTV_NONE, {0}, FALSE},
};

/* "local" or "xen:DOMID" (DOMID as in the channel specs). */
static Bool parse_pool_backend(const char *s, enum fen_pool_backend *backend, uint32_t *domid)
{
    if (!s || strcmp(s, "local") == 0) {
        *backend = FEN_POOL_LOCAL;
        return TRUE;
    }
    int id = strncmp(s, "xen:", 4) == 0 ? fen_spec_domid(s + 4) : -1;
    if (id < 0)
        return FALSE;
    *backend = FEN_POOL_XEN;
    *domid = (uint32_t)id;
    return TRUE;
}

#define FEN_DEFAULT_POOL_MB 256
#define FEN_DEFAULT_PUT_BAND_PIXELS (512 * 1024) /* four bands at 1080p: docs/performance.md */
#define FEN_MAX_POOL_MB 4096 /* FEN_MAX_POOL_PAGES pages */
#define FEN_MAX_FRAME_TIMEOUT_MS 10000
#define FEN_DEFAULT_VIDEORAM_KB (64 * 1024)

static void fen_identify(int flags)
{
    xf86PrintChipsets(FENESTRA_NAME, "Fenestra zero-copy dummy display", fen_chipsets);
}

static const OptionInfoRec *fen_available_options(int chipid, int busid)
{
    return fen_options;
}

/* No console, no VT: lets Xorg run headless in a container. */
static Bool fen_driver_func(ScrnInfoPtr scrn, xorgDriverFuncOp op, void *ptr)
{
    if (op == GET_REQUIRED_HW_INTERFACES) {
        *(CARD32 *)ptr = HW_SKIP_CONSOLE;
        return TRUE;
    }
    return FALSE;
}

static Bool fen_switch_mode(ScrnInfoPtr scrn, DisplayModePtr mode)
{
    return TRUE;
}

static void fen_adjust_frame(ScrnInfoPtr scrn, int x, int y)
{
}

static Bool fen_enter_vt(ScrnInfoPtr scrn)
{
    return TRUE;
}

static void fen_leave_vt(ScrnInfoPtr scrn)
{
}

static ModeStatus fen_valid_mode(ScrnInfoPtr scrn, DisplayModePtr mode, Bool verbose, int flags)
{
    return MODE_OK;
}

static void fen_free_screen(ScrnInfoPtr scrn)
{
    struct fen_drv *drv = FEN_DRV(scrn);
    if (!drv)
        return;
    if (drv->fb)
        munmap(drv->fb, drv->fb_bytes);
    free(drv);
    scrn->driverPrivate = NULL;
}

static Bool fen_pre_init(ScrnInfoPtr scrn, int flags);
static Bool fen_screen_init(ScreenPtr screen, int argc, char **argv);

static Bool fen_probe(DriverPtr drv, int flags)
{
    GDevPtr *sections;
    Bool found = FALSE;

    if (flags & PROBE_DETECT)
        return FALSE;
    int nsections = xf86MatchDevice(FENESTRA_DRIVER_NAME, &sections);
    if (nsections <= 0)
        return FALSE;
    for (int i = 0; i < nsections; i++) {
        int entity = xf86ClaimNoSlot(drv, FEN_CHIP, sections[i], TRUE);
        ScrnInfoPtr scrn = xf86AllocateScreen(drv, 0);
        if (!scrn)
            continue;
        xf86AddEntityToScreen(scrn, entity);
        scrn->driverVersion = FENESTRA_VERSION;
        scrn->driverName = (char *)FENESTRA_DRIVER_NAME;
        scrn->name = (char *)FENESTRA_NAME;
        scrn->Probe = fen_probe;
        scrn->PreInit = fen_pre_init;
        scrn->ScreenInit = fen_screen_init;
        scrn->SwitchMode = fen_switch_mode;
        scrn->AdjustFrame = fen_adjust_frame;
        scrn->EnterVT = fen_enter_vt;
        scrn->LeaveVT = fen_leave_vt;
        scrn->FreeScreen = fen_free_screen;
        scrn->ValidMode = fen_valid_mode;
        found = TRUE;
    }
    free(sections);
    return found;
}

static Bool fen_pre_init(ScrnInfoPtr scrn, int flags)
{
    if (flags & PROBE_DETECT)
        return TRUE;
    if (!scrn->driverPrivate) {
        scrn->driverPrivate = calloc(1, sizeof(struct fen_drv));
        if (!scrn->driverPrivate)
            return FALSE;
    }
    struct fen_drv *drv = FEN_DRV(scrn);
    GDevPtr device = xf86GetEntityInfo(scrn->entityList[0])->device;

    scrn->chipset = (char *)xf86TokenToString(fen_chipsets, FEN_CHIP);
    scrn->monitor = scrn->confScreen->monitor;
    if (!xf86SetDepthBpp(scrn, 24, 0, 0, Support32bppFb))
        return FALSE;
    if (scrn->depth != 24 || scrn->bitsPerPixel != 32) {
        xf86DrvMsg(scrn->scrnIndex, X_ERROR, "fenestra: only depth 24 at 32 bpp (got %d/%d)\n",
                   scrn->depth, scrn->bitsPerPixel);
        return FALSE;
    }
    xf86PrintDepthBpp(scrn);
    rgb zeros = {0, 0, 0};
    if (!xf86SetWeight(scrn, zeros, zeros) || !xf86SetDefaultVisual(scrn, -1))
        return FALSE;
    Gamma gzeros = {0.0, 0.0, 0.0};
    if (!xf86SetGamma(scrn, gzeros))
        return FALSE;

    xf86CollectOptions(scrn, device->options);
    OptionInfoPtr options = malloc(sizeof fen_options);
    if (!options)
        return FALSE;
    memcpy(options, fen_options, sizeof fen_options);
    xf86ProcessOptions(scrn->scrnIndex, scrn->options, options);
    int pool_mb = FEN_DEFAULT_POOL_MB;
    xf86GetOptValInteger(options, OPTION_POOL_MB, &pool_mb);
    int band_pixels = FEN_DEFAULT_PUT_BAND_PIXELS;
    xf86GetOptValInteger(options, OPTION_PUT_BAND_PIXELS, &band_pixels);
    int frame_timeout = FENEXT_FRAME_TIMEOUT_MS;
    xf86GetOptValInteger(options, OPTION_FRAME_TIMEOUT_MS, &frame_timeout);
    int pace_interval = FEN_DEFAULT_PACE_INTERVAL_MS;
    xf86GetOptValInteger(options, OPTION_PACE_INTERVAL_MS, &pace_interval);
    const char *backend = xf86GetOptValString(options, OPTION_POOL_BACKEND);
    if (!parse_pool_backend(backend, &drv->pool_backend, &drv->xen_domid)) {
        /* A guest whose X server does not start has no desktop at all: run,
         * without zero copy, and say why. */
        xf86DrvMsg(scrn->scrnIndex, X_ERROR,
                   "fenestra: PoolBackend \"%s\" is neither \"local\" nor \"xen:DOMID\"; no "
                   "pixmap pool, the agent copies windows\n", backend);
        drv->pool_backend = FEN_POOL_NONE;
    }
    free(options);
    if (band_pixels < 0) {
        xf86DrvMsg(scrn->scrnIndex, X_ERROR, "fenestra: PutBandPixels must be >= 0\n");
        return FALSE;
    }
    drv->put_band_pixels = (uint32_t)band_pixels;
    if (frame_timeout < 1 || frame_timeout > FEN_MAX_FRAME_TIMEOUT_MS) {
        xf86DrvMsg(scrn->scrnIndex, X_ERROR, "fenestra: FrameTimeoutMs must be 1..%d\n",
                   FEN_MAX_FRAME_TIMEOUT_MS);
        return FALSE;
    }
    drv->frame_timeout_ms = (uint32_t)frame_timeout;
    if (pace_interval < 0 || pace_interval > FEN_MAX_FRAME_TIMEOUT_MS) {
        xf86DrvMsg(scrn->scrnIndex, X_ERROR, "fenestra: PaceIntervalMs must be 0..%d\n",
                   FEN_MAX_FRAME_TIMEOUT_MS);
        return FALSE;
    }
    drv->pace_interval_ms = (uint32_t)pace_interval;
    if (pool_mb < 1 || pool_mb > FEN_MAX_POOL_MB) {
        xf86DrvMsg(scrn->scrnIndex, X_ERROR, "fenestra: PoolMB must be 1..%d\n", FEN_MAX_POOL_MB);
        return FALSE;
    }
    drv->pool_mb = (uint32_t)pool_mb;

    scrn->videoRam = device->videoRam ? device->videoRam : FEN_DEFAULT_VIDEORAM_KB;
    xf86DrvMsg(scrn->scrnIndex, device->videoRam ? X_CONFIG : X_DEFAULT, "VideoRAM: %d kByte\n",
               scrn->videoRam);

    ClockRangePtr clocks = xnfcalloc(sizeof(ClockRange), 1);
    clocks->minClock = 11000;
    clocks->maxClock = 1000000;
    clocks->clockIndex = -1; /* programmable */
    clocks->interlaceAllowed = TRUE;
    clocks->doubleScanAllowed = TRUE;
    clocks->ClockMulFactor = 1;
    scrn->progClock = TRUE;
    int n = xf86ValidateModes(scrn, scrn->monitor->Modes, scrn->display->modes, clocks, NULL,
                              256, 8192, 8 * scrn->bitsPerPixel, 128, 8192,
                              scrn->display->virtualX, scrn->display->virtualY,
                              scrn->videoRam * 1024, LOOKUP_BEST_REFRESH);
    if (n == -1)
        return FALSE;
    xf86PruneDriverModes(scrn);
    if (n == 0 || !scrn->modes) {
        xf86DrvMsg(scrn->scrnIndex, X_ERROR, "fenestra: no valid modes\n");
        return FALSE;
    }
    xf86SetCrtcForModes(scrn, 0);
    scrn->currentMode = scrn->modes;
    xf86PrintModes(scrn);
    xf86SetDpi(scrn, 0, 0);
    if (!xf86LoadSubModule(scrn, "fb"))
        return FALSE;
    scrn->memPhysBase = 0;
    scrn->fbOffset = 0;
    return TRUE;
}

static Bool fen_close_screen(ScreenPtr screen)
{
    ScrnInfoPtr scrn = xf86ScreenToScrn(screen);
    struct fen_drv *drv = FEN_DRV(scrn);

    fen_pool_screen_close(screen);
    scrn->vtSema = FALSE;
    screen->CloseScreen = drv->close_screen;
    return screen->CloseScreen(screen);
}

static Bool fen_save_screen(ScreenPtr screen, int mode)
{
    return TRUE;
}

static Bool fen_screen_init(ScreenPtr screen, int argc, char **argv)
{
    ScrnInfoPtr scrn = xf86ScreenToScrn(screen);
    struct fen_drv *drv = FEN_DRV(scrn);

    if (!fen_pool_register_keys())
        return FALSE;
    /* Reserved once for the largest screen VideoRam allows, so resizing never
     * moves the framebuffer; pages cost memory only when drawn. */
    if (!drv->fb) {
        drv->fb_bytes = (size_t)scrn->videoRam * 1024;
        drv->fb = mmap(NULL, drv->fb_bytes, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (drv->fb == MAP_FAILED) {
            drv->fb = NULL;
            return FALSE;
        }
    }
    miClearVisualTypes();
    if (!miSetVisualTypes(scrn->depth, miGetDefaultVisualMask(scrn->depth), scrn->rgbBits,
                          scrn->defaultVisual) ||
        !miSetPixmapDepths())
        return FALSE;
    if (!fbScreenInit(screen, drv->fb, scrn->virtualX, scrn->virtualY, scrn->xDpi, scrn->yDpi,
                      scrn->displayWidth, scrn->bitsPerPixel))
        return FALSE;
    for (VisualPtr v = screen->visuals; v < screen->visuals + screen->numVisuals; v++) {
        if ((v->class | DynamicClass) == DirectColor) {
            v->offsetRed = scrn->offset.red;
            v->offsetGreen = scrn->offset.green;
            v->offsetBlue = scrn->offset.blue;
            v->redMask = scrn->mask.red;
            v->greenMask = scrn->mask.green;
            v->blueMask = scrn->mask.blue;
        }
    }
    if (!fbPictureInit(screen, NULL, 0))
        return FALSE;
    xf86SetBlackWhitePixels(screen);
    if (!fen_pool_screen_init(screen))
        return FALSE;

    if (!fen_randr_init(scrn))
        return FALSE;
    if (!xf86InitialConfiguration(scrn, TRUE)) {
        xf86DrvMsg(scrn->scrnIndex, X_ERROR, "fenestra: initial RandR configuration failed\n");
        return FALSE;
    }
    if (!xf86CrtcScreenInit(screen) || !xf86SetDesiredModes(scrn))
        return FALSE;

    xf86SetBackingStore(screen);
    xf86SetSilkenMouse(screen);
    miDCInitialize(screen, xf86GetPointerScreenFuncs());
    if (!miCreateDefColormap(screen))
        return FALSE;
    screen->SaveScreen = fen_save_screen;
    drv->close_screen = screen->CloseScreen;
    screen->CloseScreen = fen_close_screen;
    if (!fen_ext_init(screen))
        return FALSE;
    fen_shmband_screen_init(screen, drv->put_band_pixels);
    xf86DrvMsg(scrn->scrnIndex, X_INFO, "fenestra: zero-copy window pixmaps ready\n");
    if (serverGeneration == 1)
        xf86ShowUnusedOptions(scrn->scrnIndex, scrn->options);
    return TRUE;
}

static void *fen_setup(void *module, void *opts, int *errmaj, int *errmin)
{
    static Bool done;
    if (done) {
        if (errmaj)
            *errmaj = LDR_ONCEONLY;
        return NULL;
    }
    done = TRUE;
    xf86AddDriver(&fen_driver, module, HaveDriverFuncs);
    return (void *)1;
}

static XF86ModuleVersionInfo fen_version = {
    .modname = FENESTRA_DRIVER_NAME,
    .vendor = "Fenestra",
    ._modinfo1_ = MODINFOSTRING1,
    ._modinfo2_ = MODINFOSTRING2,
    .xf86version = XORG_VERSION_CURRENT,
    .majorversion = FENESTRA_VERSION_MAJOR,
    .minorversion = FENESTRA_VERSION_MINOR,
    .patchlevel = 0,
    .abiclass = ABI_CLASS_VIDEODRV,
    .abiversion = ABI_VIDEODRV_VERSION,
    .moduleclass = MOD_CLASS_VIDEODRV,
    .checksum = {0, 0, 0, 0},
};

_X_EXPORT XF86ModuleData fenestraModuleData = {&fen_version, fen_setup, NULL};
