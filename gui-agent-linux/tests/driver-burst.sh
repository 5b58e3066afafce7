#!/usr/bin/env bash
# Driver mode (guest Xorg + fenestra_drv.so): a client that draws a burst of
# full-window frames as fast as its X server takes them, then stops.  dom0
# reads the window's pages itself, so the agent must not lose the damage of
# any draw (it uses raw-rectangle XDamage, nothing is subtracted): after the
# burst dom0 shows the last frame exactly.  Repeated with a short burst and
# small damage (text-like) frames.
source "$(dirname "$0")/../../tests/lib/fenestra-test.sh"
source "$FENESTRA_SRC/tests/lib/xorg.sh"
source "$FENESTRA_SRC/tests/integration/gui-lib.sh"
fen_test_init gui-agent-driver-burst
xorg_require_root "driver-mode damage burst test"

start_xvfb DOM0 1280x1024x24 || { not_ok "dom0 Xvfb"; exit 1; }
if start_xorg G 1024x768; then ok "guest Xorg runs the fenestra driver"; else
    not_ok "guest Xorg runs the fenestra driver"; exit 1; fi
CH=$T/ch
mkdir -p "$CH"
start_agent agent work "$CH" "$G"
start_guid guid work blue "$CH"
check "the agent runs in driver mode" \
    wait_until 10 grep -q 'pixel mode: driver (zero copy)' "$T/agent.log"

# fen-framegen's frame N: the window below the stamp row is filled with
# (N * 0x9e3779b1) & 0xffffff, plus a 64 px bar at x = N * 16 % (width - 64).
frame_color() { printf '%06x' $(( ($1 * 0x9e3779b1) & 0xffffff )); }

n=0
for mode in server full; do
    for frames in 400 7; do
        n=$((n + 1))
        spawn gen$n env DISPLAY="$G" "$BIN/fen-framegen" --size 320x240 --mode $mode \
            --frames $frames
        if ! wait_dom0_win W work fen-framegen; then
            not_ok "$mode frames x$frames: the window appears in dom0"
            stop gen$n; continue
        fi
        # Inside the 3 px frame; content x 180..279 is clear of the last bar
        # (x 0 for 400 frames, 112 for 7).
        check "$mode frames x$frames: dom0 shows the last frame exactly" \
            wait_until 10 "$BIN/fen-xshot" --display "$DOM0" --window "$W" \
            --expect-rect "183,11,100,200=$(frame_color $frames)"
        stop gen$n
        wait_until 10 bash -c "[ -z \"\$(\"$BIN/fen-xshot\" --display \"$DOM0\" --list 2>/dev/null | grep fen-framegen)\" ]"
    done
done
check "the agent is still running" kill -0 "${_fen_pids[agent]}"
finish
