#!/usr/bin/env bash
# OpenGL through the driver: a GLX client (Mesa software rendering) draws
# exact colours in a guest running Xorg + fenestra_drv.so; its window pixmap
# is in the driver's pool, and dom0 shows the exact pixels (zero copy).
source "$(dirname "$0")/../lib/fenestra-test.sh"
source "$FENESTRA_SRC/tests/lib/xorg.sh"
source "$FENESTRA_SRC/tests/integration/gui-lib.sh"
fen_test_init xorg-gl
xorg_require_root "GL through the driver"
BLUE=3465a4

start_xvfb DOM0 1280x1024x24 || { not_ok "dom0 Xvfb"; exit 1; }
if start_xorg G 1280x1024; then ok "guest Xorg runs the fenestra driver"; else
    not_ok "guest Xorg runs the fenestra driver"; exit 1; fi
CH=$T/ch
mkdir -p "$CH"
start_agent agent work "$CH" "$G"
start_guid guid work blue "$CH"
wait_until 10 grep -q 'pixel mode: driver (zero copy)' "$T/agent.log"

# Mesa's software rasterizer, client side (no GPU here; DRI3/DRI2 are not offered).
spawn gl env DISPLAY="$G" LIBGL_ALWAYS_SOFTWARE=1 "$FENESTRA_BUILD/tests/fen-glcolors" \
    --size 160x120 --pos 40,40 --title glcolors
check "the GL client renders with Mesa's software rasterizer" \
    wait_until 10 grep -qE '^renderer (llvmpipe|softpipe|swrast)' "$T/gl.log"
if wait_dom0_win W work 'glcolors$'; then ok "the GL window appears in dom0"; else
    not_ok "the GL window appears in dom0"; exit 1; fi
check "its window pixmap is in the driver pool (zero copy)" \
    grep -q 'window 0x[0-9a-f]*: 160x120 in driver pool pages' "$T/agent.log"
# Content: blue, with a yellow 40x30 rectangle at (20,20); frame 3 px.
check "dom0 shows the GL pixels exactly" \
    wait_until 10 "$BIN/fen-xshot" --display "$DOM0" --window "$W" --expect-frame "3=$BLUE" \
    --expect-rect "23,23,40,30=ffff00" --expect-rect "3,3,160,20=0000ff" \
    --expect-rect "3,73,160,50=0000ff" --expect-rect "3,3,20,120=0000ff" \
    --expect-rect "63,3,100,120=0000ff"

# Resized, GL redraws into the new pixmap: dom0 gets the new pages.
GWIN=$(sed -n 's/^ready //p' "$T/gl.log")
DISPLAY=$G xdotool windowsize "$GWIN" 300 200
check "after a resize the GL window's new pixmap is shared" \
    wait_until 5 grep -q 'window 0x[0-9a-f]*: 300x200 in driver pool pages' "$T/agent.log"
check "... and dom0 shows the redrawn GL pixels exactly" \
    wait_until 10 "$BIN/fen-xshot" --display "$DOM0" --window "$W" \
    --expect-rect "23,23,40,30=ffff00" --expect-rect "3,3,300,20=0000ff" \
    --expect-rect "3,53,300,150=0000ff" --expect-rect "63,3,240,200=0000ff"
finish
