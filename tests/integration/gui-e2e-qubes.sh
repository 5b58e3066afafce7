#!/usr/bin/env bash
# End to end with two qubes at once: each window framed in its own qube's
# color; killing one agent removes only that qube's windows, restarting it
# restores them; a guest window larger than the dom0 screen stays framed and
# on screen.
source "$(dirname "$0")/../lib/fenestra-test.sh"
source "$(dirname "$0")/gui-lib.sh"
fen_test_init gui-e2e-qubes
start_xvfb DOM0 1024x768x24 || { not_ok "dom0 Xvfb"; exit 1; }
start_xvfb GWORK 1920x1080x24 || { not_ok "guest Xvfb"; exit 1; }
start_xvfb GPERS 1024x768x24 || { not_ok "guest Xvfb"; exit 1; }
mkdir -p "$T/work" "$T/personal"
BLUE=3465a4 GREEN=73d216

start_agent agent-work work "$T/work" "$GWORK"
start_agent agent-personal personal "$T/personal" "$GPERS"
start_guid guid-work work blue "$T/work"
start_guid guid-personal personal green "$T/personal"
start_client app-work "$GWORK" --size 200x120 --pos 50,50 --title "work app"
start_client app-personal "$GPERS" --size 180x100 --pos 400,300 --title "personal app"
wait_dom0_win WW work && wait_dom0_win WP personal
if [ -n "${WW:-}" ] && [ -n "${WP:-}" ]; then ok "both qubes' windows appear"; else not_ok "both qubes' windows appear"; exit 1; fi
framed() { # XID COLOR
    "$BIN/fen-xshot" --display "$DOM0" --window "$1" --expect-frame "3=$2" --expect-pattern 3
}
check "work window framed in blue with its pixels" wait_until 5 framed "$WW" $BLUE
check "personal window framed in green with its pixels" wait_until 5 framed "$WP" $GREEN
check "titles name their qubes" \
    eval 'dom0_list | grep -q "\[work\] work app" && dom0_list | grep -q "\[personal\] personal app"'

crash agent-work
check "killing work's agent removes work's windows" \
    wait_until 5 eval '[ -z "$(dom0_list | awk '"'"'$7 == "work"'"'"')" ]'
check "personal's window stays" test -n "$(dom0_win personal)"
check "work's guid stays up, waiting" kill -0 "$PID_guid_work"
start_agent agent-work2 work "$T/work" "$GWORK"
if wait_dom0_win WW2 work "work app" 10; then ok "restarting the agent restores the window"; else not_ok "restarting the agent restores the window"; fi
check "... framed, with its pixels" wait_until 5 framed "$WW2" $BLUE

start_client big "$GWORK" --size 1400x1000 --pos 10,10 --title "big" --color 336699
if wait_dom0_win WB work "big" 10; then ok "big window appears"; else not_ok "big window appears"; fi
check "a window larger than the dom0 screen is shrunk onto it" \
    test "$(geometry "$WB")" = "0 0 1024 768"
check "... framed, showing the content's top-left part" \
    wait_until 5 "$BIN/fen-xshot" --display "$DOM0" --window "$WB" --expect-frame "3=$BLUE" \
    --expect-rect "3,3,1018,762=336699"
finish
