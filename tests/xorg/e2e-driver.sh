#!/usr/bin/env bash
# End to end with the guest on Xorg + fenestra_drv.so: gui-agent in driver
# mode (zero copy), guid on a dom0 Xvfb.  Known pixels reach dom0 exactly; a
# resize sends the new pixmap's pages and the old pages are freed once dom0
# acknowledged; a window too big for the pool falls back to copy mode.
source "$(dirname "$0")/../lib/fenestra-test.sh"
source "$FENESTRA_SRC/tests/lib/xorg.sh"
source "$FENESTRA_SRC/tests/integration/gui-lib.sh"
fen_test_init xorg-e2e
xorg_require_root "end-to-end driver mode tests"
BLUE=3465a4

start_xvfb DOM0 1920x1080x24 || { not_ok "dom0 Xvfb"; exit 1; }
# 2 MB pool (512 pages): room for the small windows and one 600x500
# (293 pages), not for a second one.
if FEN_XORG_POOL_MB=2 start_xorg G 1280x1024; then ok "guest Xorg runs the fenestra driver"; else
    not_ok "guest Xorg runs the fenestra driver"; exit 1; fi
CH=$T/ch
mkdir -p "$CH"
start_agent agent work "$CH" "$G"
start_guid guid work blue "$CH"
check "the agent runs in driver mode" \
    wait_until 10 grep -q 'pixel mode: driver (zero copy)' "$T/agent.log"

spawn client "$BIN/fen-testclient" --display "$G" --size 200x150 --pos 50,60 --title pattern
if wait_dom0_win W work pattern; then ok "the guest window appears in dom0"; else
    not_ok "the guest window appears in dom0"; exit 1; fi
check "the window's pixels come from driver pool pages" \
    grep -q 'window 0x[0-9a-f]*: 200x150 in driver pool pages' "$T/agent.log"
check "dom0 shows the guest's pattern exactly, framed" \
    wait_until 5 "$BIN/fen-xshot" --display "$DOM0" --window "$W" --expect-frame "3=$BLUE" \
    --expect-pattern 3

read -r first last < <(sed -n 's/.*: 200x150 in driver pool pages \([0-9]*\)\.\.\([0-9]*\) .*/\1 \2/p' \
    "$T/agent.log" | head -n 1)
GWIN=$(DISPLAY=$G xdotool search --name '^pattern$' | head -n 1)
# dom0 is frozen during the resize: it cannot acknowledge the new dump, so
# the old pixmap's pages must stay allocated (not punched to zeros) although
# Composite destroyed that pixmap.
kill -STOP "$PID_guid"
DISPLAY=$G xdotool windowsize "$GWIN" 320 240
check "a resize sends the new pixmap's pages" \
    wait_until 5 grep -q 'window 0x[0-9a-f]*: 320x240 in driver pool pages' "$T/agent.log"
DISPLAY=$G "$FENESTRA_BUILD/tests/xorg-pixels" pages-zero "${first:-0}" "${last:-0}"
check "the old pages stay allocated until dom0 acknowledges" test $? -eq 1
kill -CONT "$PID_guid"
check "dom0 follows the resize with the new pixels" \
    wait_until 5 eval '[ "$(geometry "$W")" = "47 57 326 246" ] &&
        "$BIN/fen-xshot" --display "$DOM0" --window "$W" --expect-pattern 3 2>/dev/null' 
check "the old pixmap's pages are freed once dom0 acknowledged" \
    wait_until 5 env DISPLAY="$G" "$FENESTRA_BUILD/tests/xorg-pixels" pages-zero "${first:-0}" "${last:-0}"

# A burst of resizes (each a new pixmap, dump, ack, and freed pages): dom0
# ends exact, and once the window is gone no page of the pool is left in use.
for size in 250x180 90x60 400x300 321x123 64x64 333x222 150x260 280x200; do
    DISPLAY=$G xdotool windowsize "$GWIN" "${size%x*}" "${size#*x}"
done
if wait_until 10 eval '[ "$(geometry "$W")" = "47 57 286 206" ] &&
        "$BIN/fen-xshot" --display "$DOM0" --window "$W" --expect-pattern 3 2>/dev/null'; then
    ok "after a burst of resizes dom0 shows the final size exactly"
else
    not_ok "after a burst of resizes dom0 shows the final size exactly"
    echo "# dom0 geometry: $(geometry "$W")"
    "$BIN/fen-xshot" --display "$DOM0" --window "$W" --expect-pattern 3 2>&1 | head -n 8 | sed 's/^/# /'
fi
stop client
check "once the window is gone every pool page is free again (no leak)" \
    wait_until 5 env DISPLAY="$G" "$FENESTRA_BUILD/tests/xorg-pixels" pages-zero 0 511
spawn client2 "$BIN/fen-testclient" --display "$G" --size 120x90 --pos 300,300 --color 00ff00 \
    --title green
if wait_dom0_win W2 work green; then
    check "a second window shows its solid colour" \
        wait_until 5 "$BIN/fen-xshot" --display "$DOM0" --window "$W2" --expect-rect "3,3,120,90=00ff00"
else
    not_ok "a second window appears in dom0"
fi

# The second 600x500 window does not fit in the pool: the driver keeps it in
# fb memory and the agent copies it (MIT-SHM).
spawn client3 "$BIN/fen-testclient" --display "$G" --size 600x500 --pos 0,500 --color ff00ff --title big
spawn client4 "$BIN/fen-testclient" --display "$G" --size 600x500 --pos 650,500 --color 0000ff --title big2
if wait_dom0_win W3 work "big$" && wait_dom0_win W4 work "big2$"; then
    check "when the pool is full a window falls back to copy mode" \
        grep -q 'pixmap not in the driver pool, copy mode for it' "$T/agent.log"
    check "... and its pixels still reach dom0 exactly" \
        wait_until 5 eval '"$BIN/fen-xshot" --display "$DOM0" --window "$W3" --expect-rect "3,3,600,500=ff00ff" &&
                           "$BIN/fen-xshot" --display "$DOM0" --window "$W4" --expect-rect "3,3,600,500=0000ff"'
else
    not_ok "big windows appear in dom0"
fi
# A window with an 8 px border: its content starts 8 rows + 8 pixels into
# the pixmap, so the dump skips a whole page and carries the rest as offset.
spawn bordered env DISPLAY="$G" "$FENESTRA_BUILD/tests/xorg-pixels" bordered
if wait_dom0_win WB work 'bordered$'; then
    check "a bordered window's content reaches dom0 exactly (page skip + offset)" \
        wait_until 5 "$BIN/fen-xshot" --display "$DOM0" --window "$WB" --expect-frame "3=$BLUE" \
        --expect-rect "13,13,20,20=0000ff" --expect-rect "3,3,150,10=00ff00" \
        --expect-rect "3,33,150,70=00ff00" --expect-rect "33,3,120,100=00ff00"
else
    not_ok "a bordered window appears in dom0"
fi

# The agent crashes: the server drops its holds; a new agent finds the
# driver again and dom0 gets every window back, exact.
crash agent
start_agent agent2 work "$CH" "$G"
check "a restarted agent is in driver mode again" \
    wait_until 10 grep -q 'pixel mode: driver (zero copy)' "$T/agent2.log"
if wait_dom0_win WB2 work 'bordered$' 15; then
    check "... and dom0 shows the windows again, exact" \
        wait_until 5 "$BIN/fen-xshot" --display "$DOM0" --window "$WB2" \
        --expect-rect "13,13,20,20=0000ff" --expect-rect "33,3,120,100=00ff00"
else
    not_ok "dom0 gets the windows back after an agent restart"
fi
finish
