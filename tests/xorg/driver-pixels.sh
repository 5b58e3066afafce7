#!/usr/bin/env bash
# Driver-level zero-copy test: a real Xorg with fenestra_drv.so; X clients
# draw, and the pixels are read straight from the driver's pool pages
# (tests/xorg/xorg_pixels.c).  Also RandR modes/resizing, and the fallback
# when the pool is full (a second Xorg with a 1 MB pool).
source "$(dirname "$0")/../lib/fenestra-test.sh"
source "$FENESTRA_SRC/tests/lib/xorg.sh"
fen_test_init xorg-pixels
xorg_require_root "driver-level zero-copy tests"

if start_xorg G 1280x800; then ok "Xorg starts with the fenestra driver loaded"; else
    not_ok "Xorg starts with the fenestra driver loaded"; exit 1; fi

check "the FENESTRA extension is advertised" \
    bash -c 'xdpyinfo -display "$G" -queryExtensions | grep -q "FENESTRA"'
check "RandR lists the configured mode on output FENESTRA0" \
    bash -c 'xrandr -display "$G" | grep -q "^FENESTRA0 connected.*1280x800"'
check "RandR switches to another mode (1024x768)" \
    bash -c 'xrandr -display "$G" --output FENESTRA0 --mode 1024x768 &&
             xdpyinfo -display "$G" | grep -q "dimensions: *1024x768"'
check "RandR resizes to a new mode added at run time (1600x900)" \
    bash -c 'xrandr -display "$G" --newmode fen1600 118.25 1600 1696 1856 2112 900 903 908 934 &&
             xrandr -display "$G" --addmode FENESTRA0 fen1600 &&
             xrandr -display "$G" --output FENESTRA0 --mode fen1600 &&
             xdpyinfo -display "$G" | grep -q "dimensions: *1600x900"'
check "a screen larger than VideoRam is refused and the server lives on" \
    bash -c '! xrandr -display "$G" --fb 8192x8192 2>/dev/null; xdpyinfo -display "$G" >/dev/null'

# The pixel checks print their own TAP lines; renumber them into ours.
relay_tap() {
    local line rc
    "$@" >"$T/relay.out" 2>&1
    rc=$?
    while read -r line; do
        case "$line" in
        "ok "*) ok "${line#ok * - }" ;;
        "not ok "*) not_ok "${line#not ok * - }" ;;
        *) echo "# $line" ;;
        esac
    done <"$T/relay.out"
    [ "$rc" -eq 0 ] || not_ok "$1 exited with status $rc"
}
relay_tap env DISPLAY="$G" "$FENESTRA_BUILD/tests/xorg-pixels"
# Streamed MIT-SHM puts, default band (PutBandPixels 524288), on the
# 1600x900 screen RandR left.
check "the driver logs that MIT-SHM puts are streamed in bands" \
    grep -q 'MIT-SHM puts into pool windows streamed in bands of 524288 pixels' "$T/xorg-G.server.log"
relay_tap env DISPLAY="$G" "$FENESTRA_BUILD/tests/xorg-shmband" 524288
stop "xorg-G"
if FEN_XORG_PUT_BAND_PIXELS=0 start_xorg N 1280x800; then
    check "PutBandPixels 0: no streaming logged" \
        bash -c '! grep -q "streamed in bands" "$1"' _ "$T/xorg-N.server.log"
    relay_tap env DISPLAY="$N" "$FENESTRA_BUILD/tests/xorg-shmband" 0
    stop "xorg-N"
else
    not_ok "Xorg starts with PutBandPixels 0"
fi

# Frame pacing (fenestra_pacing.c) with a 1 s FrameTimeoutMs, and frames
# less than 300 ms apart paced (generous: a busy machine must not make the
# test's back-to-back puts look slow).  Frames 1-6 are answered at once, 7
# after a held put, 8 never: the one timeout the server logs must be frame
# 8's (an earlier one would mean a put waited for the timeout although its
# frame was answered).
if FEN_XORG_FRAME_TIMEOUT_MS=1000 FEN_XORG_PACE_INTERVAL_MS=300 start_xorg P 1280x800; then
    check "the driver logs which puts are paced frames" \
        grep -q 'puts of more than 524288 pixels into pool windows are frames, paced when the agent asks and less than 300 ms apart (at most 1000 ms)' "$T/xorg-P.server.log"
    relay_tap env DISPLAY="$P" "$FENESTRA_BUILD/tests/xorg-shmband" 524288 pacing 1000 300
    check "the server logged one pacing timeout, for the unanswered frame 8" \
        bash -c '[ "$(grep -c "not shown after 1000 ms" "$1")" = 1 ] &&
                 grep -q "frame 8 of window .* not shown after 1000 ms" "$1"' _ "$T/xorg-P.server.log"
    stop "xorg-P"
else
    not_ok "Xorg starts with FrameTimeoutMs 1000"
fi

# A pool too small for a big window: the window falls back to fb memory.
if FEN_XORG_POOL_MB=1 FEN_XORG_PUT_BAND_PIXELS=65536 start_xorg S 1024x768; then
    relay_tap env DISPLAY="$S" "$FENESTRA_BUILD/tests/xorg-pixels" exhaust
    relay_tap env DISPLAY="$S" "$FENESTRA_BUILD/tests/xorg-shmband" 65536 small-pool
else
    not_ok "Xorg starts with a 1 MB pool"
fi
# PoolBackend: xen:0 where there is no Xen (as here), and a bad value. The
# server runs without a pool, says why, shares no window, and the agent
# copies.  (On a Xen guest with gntalloc, xen:0 would work: not checked.)
nopool_server() { # NAME BACKEND LOG-PATTERN WHAT
    if FEN_XORG_POOL_BACKEND=$2 start_xorg "$1" 800x600; then
        check "PoolBackend $2: $4" grep -q "$3" "$T/xorg-$1.server.log"
        relay_tap env DISPLAY="${!1}" "$FENESTRA_BUILD/tests/xorg-pixels" nopool
        mkdir -p "$T/ch-$1"
        spawn "agent-$1" "$BIN/gui-agent" --qube "nopool-$1" --listen "local:$T/ch-$1" \
            --display "${!1}"
        check "PoolBackend $2: the agent logs copy mode (no pool)" \
            wait_until 10 eval "grep -q 'copy mode: the fenestra driver runs without a pixmap pool' \"\$T/agent-$1.log\" &&
                                grep -q 'pixel mode: MIT-SHM copy' \"\$T/agent-$1.log\""
        stop "agent-$1"
        stop "xorg-$1"
    else
        not_ok "Xorg starts with PoolBackend $2"
    fi
}
if [ -e /dev/xen/gntalloc ]; then
    skip_test "PoolBackend xen:0 without Xen" "this machine has /dev/xen/gntalloc"
else
    nopool_server XN xen:0 'PoolBackend xen:0: cannot open the grant device' \
        "the driver logs that it cannot grant pages"
fi
nopool_server XB xen:banana '(EE) .*PoolBackend "xen:banana" is neither' \
    "a malformed value is an error in the log"

# Without the driver (Xvfb) the agent's probe finds no FENESTRA extension
# and it runs in copy mode, saying so.
if start_xvfb PLAIN 800x600x24; then
    mkdir -p "$T/ch-plain"
    spawn agent-plain "$BIN/gui-agent" --qube plain --listen "local:$T/ch-plain" --display "$PLAIN"
    check "on Xvfb the agent finds no driver and logs copy mode" \
        wait_until 10 eval 'grep -q "copy mode: the X server has no FENESTRA extension" "$T/agent-plain.log" &&
                            grep -q "pixel mode: MIT-SHM copy" "$T/agent-plain.log"'
else
    not_ok "Xvfb for the copy-mode probe"
fi
finish
