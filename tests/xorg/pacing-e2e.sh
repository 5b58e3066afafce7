#!/usr/bin/env bash
# End-to-end frame pacing (docs/xorg-driver.md, "Frame pacing"): guest Xorg +
# fenestra driver, gui-agent, guid on a dom0 Xvfb.  An application putting
# 1024x768 frames as fast as it can (fen-framegen --fps 0) is paced by dom0:
# guid grants the feature, every frame is answered (no put waits for the
# driver's timeout), and the frames reach dom0 whole (counted by the stamps
# in their pixels).  With guid stopped the application is slowed to one frame
# per FrameTimeoutMs, not frozen, and pacing is back when guid runs again.
source "$(dirname "$0")/../lib/fenestra-test.sh"
source "$FENESTRA_SRC/tests/lib/xorg.sh"
source "$FENESTRA_SRC/tests/integration/gui-lib.sh"
fen_test_init xorg-pacing
xorg_require_root "end-to-end frame pacing tests"

start_xvfb DOM0 1920x1080x24 || { not_ok "dom0 Xvfb"; exit 1; }
# 500 ms: long enough that a busy CI machine never hits it by accident,
# short enough to watch the timeout below.
if FEN_XORG_FRAME_TIMEOUT_MS=500 start_xorg G 1280x1024; then
    ok "guest Xorg runs the fenestra driver"
else
    not_ok "guest Xorg runs the fenestra driver"; exit 1
fi
CH=$T/ch
mkdir -p "$CH"
start_agent agent work "$CH" "$G"
start_guid guid work blue "$CH"
check "the agent paces frames once guid granted it" \
    wait_until 10 grep -q 'frame pacing on' "$T/agent.log"
check "guid logs the feature it granted" grep -q 'features granted: frame-pacing' "$T/guid.log"

# frames N fps F lost L ... from the meter on dom0.
meter() {
    DISPLAY=$DOM0 "$BIN/fen-framewatch" --seconds "$1" --find-timeout 10 2>>"$T/meter.log"
}
spawn gen env DISPLAY="$G" "$BIN/fen-framegen" --size 1024x768 --fps 0
read -r _ frames _ fps _ lost _ < <(meter 3)
echo "# paced: $frames frames in 3 s ($fps/s), $lost lost"
check "paced frames reach dom0 whole (${frames:-0} in 3 s)" test "${frames:-0}" -ge 30
check "every frame was answered: no put waited for the timeout" \
    bash -c '! grep -q "not shown after" "$1"' _ "$G_LOG"
check "few frames are lost between the stamps (${lost:-?} of ${frames:-?})" \
    test "${lost:-1000000}" -le $(( ${frames:-0} / 10 ))

# guid stopped: nobody answers; the application still draws, slowly.
kill -STOP "$PID_guid"
check "with dom0 stopped, held puts run after FrameTimeoutMs (logged once)" \
    wait_until 5 grep -q 'not shown after 500 ms' "$G_LOG"
check "the agent is not blocked meanwhile (it answers X)" \
    timeout 5 env DISPLAY="$G" xdpyinfo -queryExtensions >/dev/null
kill -CONT "$PID_guid"
read -r _ frames _ fps _ lost _ < <(meter 2)
echo "# after dom0 resumed: $frames frames in 2 s ($fps/s), $lost lost"
check "after dom0 resumes, frames reach it again (${frames:-0} in 2 s)" test "${frames:-0}" -ge 20
stop gen
check "guid and the agent are still running" \
    bash -c 'kill -0 "$1" && kill -0 "$2"' _ "$PID_guid" "$PID_agent"
finish
