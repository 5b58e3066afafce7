# Headless Xorg with the Fenestra video driver, for tests (source after
# tests/lib/fenestra-test.sh and fen_test_init).
#
#   start_xorg VAR [WxH]   start Xorg as root on a display it picks itself
#                          (-displayfd), driver from build/xorg/drivers first
#                          on the module path; VAR=":N".  Fails (returns 1,
#                          with the log's tail) unless the log shows our driver
#                          loaded and initialised.
#   xorg_driver_loaded LOG  the checks start_xorg makes on the log
#   FEN_XORG_STARTS=FILE    start_xorg appends ":N LOG" to FILE for each
#                           server that came up with the driver loaded
#   xorg_require_root NAME  Xorg needs root here (no logind/console):
#                           report NAME skipped and exit when not root
#
# The driver is built unsanitized into a fixed place (xorg/build.mk), so both
# test passes (build and build/asan) use the same module.

FEN_XORG_MODULES=${FEN_XORG_MODULES:-$FENESTRA_SRC/build/xorg}

xorg_driver_loaded() {
    local log=$1
    grep -q 'LoadModule: "fenestra"' "$log" &&
        grep -q "Loading $FEN_XORG_MODULES/drivers/fenestra_drv.so" "$log" &&
        grep -q 'FENESTRA: driver for Fenestra zero-copy dummy display\|Fenestra zero-copy dummy display' "$log" &&
        grep -q 'fenestra: zero-copy window pixmaps ready' "$log"
}

xorg_require_root() {
    if [ "$(id -u)" -ne 0 ]; then
        skip_test "$1" "needs root to run Xorg"
        exit 0
    fi
}

_xorg_write_conf() {
    local conf=$1 w=$2 h=$3
    cat >"$conf" <<CONF
Section "ServerFlags"
    Option "AutoAddDevices" "false"
    Option "AutoAddGPU" "false"
    Option "AutoEnableDevices" "false"
    Option "DontVTSwitch" "true"
    Option "BlankTime" "0"
    Option "StandbyTime" "0"
    Option "SuspendTime" "0"
    Option "OffTime" "0"
EndSection
Section "Module"
    Disable "glamoregl"
    Load "glx"
EndSection
Section "Device"
    Identifier "fenestra0"
    Driver "fenestra"
    VideoRam 131072
    Option "PoolMB" "${FEN_XORG_POOL_MB:-256}"
$([ -z "${FEN_XORG_PUT_BAND_PIXELS:-}" ] || echo "    Option \"PutBandPixels\" \"$FEN_XORG_PUT_BAND_PIXELS\"")
$([ -z "${FEN_XORG_FRAME_TIMEOUT_MS:-}" ] || echo "    Option \"FrameTimeoutMs\" \"$FEN_XORG_FRAME_TIMEOUT_MS\"")
$([ -z "${FEN_XORG_PACE_INTERVAL_MS:-}" ] || echo "    Option \"PaceIntervalMs\" \"$FEN_XORG_PACE_INTERVAL_MS\"")
$([ -z "${FEN_XORG_POOL_BACKEND:-}" ] || echo "    Option \"PoolBackend\" \"$FEN_XORG_POOL_BACKEND\"")
EndSection
Section "Monitor"
    Identifier "monitor0"
    HorizSync 5.0-1000.0
    VertRefresh 5.0-200.0
    Modeline "${w}x${h}" $(( w * h * 60 / 1000000 + 1 )).00 $w $((w + 8)) $((w + 16)) $((w + 24)) $h $((h + 1)) $((h + 2)) $((h + 3))
EndSection
Section "Screen"
    Identifier "screen0"
    Device "fenestra0"
    Monitor "monitor0"
    DefaultDepth 24
    SubSection "Display"
        Depth 24
        Modes "${w}x${h}"
        Virtual $w $h
    EndSubSection
EndSection
Section "ServerLayout"
    Identifier "layout0"
    Screen "screen0"
EndSection
CONF
}

# start_xorg VAR [WxH]
start_xorg() {
    local var=$1 geom=${2:-1920x1080} fifo dpy conf log
    local w=${geom%x*} h=${geom#*x}
    conf="$T/xorg-$var.conf"
    log="$T/xorg-$var.server.log"
    fifo="$T/displayfd-$var"
    _xorg_write_conf "$conf" "$w" "$h"
    mkfifo "$fifo"
    spawn "xorg-$var" bash -c 'exec Xorg -config "$1" -modulepath "$2,/usr/lib/xorg/modules" \
        -logfile "$3" -noreset -nolisten tcp -novtswitch -sharevts \
        +extension Composite +extension DAMAGE +extension MIT-SHM +extension XTEST \
        -displayfd 3 3>"$4"' _ "$conf" "$FEN_XORG_MODULES" "$log" "$fifo"
    if ! read -r -t 30 dpy <"$fifo"; then
        echo "# Xorg did not start; log tail:" >&2
        tail -n 40 "$log" 2>/dev/null | sed 's/^/# /' >&2
        return 1
    fi
    rm -f "$fifo"
    printf -v "$var" ':%s' "$dpy"
    export "${var?}"
    eval "${var}_LOG=\$log"
    export "${var}_LOG"
    if ! wait_until 10 xdpyinfo -display ":$dpy" >/dev/null 2>&1; then
        echo "# Xorg on :$dpy does not answer" >&2
        return 1
    fi
    if ! xorg_driver_loaded "$log"; then
        echo "# Xorg on :$dpy did not load the fenestra driver; log tail:" >&2
        tail -n 40 "$log" | sed 's/^/# /' >&2
        return 1
    fi
    # Lets a wrapper (tests/xorg/integration-on-xorg.sh) count the guests.
    [ -n "${FEN_XORG_STARTS:-}" ] && echo ":$dpy $log" >>"$FEN_XORG_STARTS"
    return 0
}
