#!/usr/bin/env bash
# End to end on real X servers: a guest client's known pixels appear exactly
# in dom0 inside a frame of the label color; a title with control and bidi
# characters shows sanitized with the prefix; guest resize / move / unmap /
# destroy are reflected in dom0, and a dom0 move reaches the guest.
source "$(dirname "$0")/../lib/fenestra-test.sh"
source "$(dirname "$0")/gui-lib.sh"
fen_test_init gui-e2e-window
start_xvfb DOM0 1024x768x24 || { not_ok "dom0 Xvfb"; exit 1; }
start_xvfb GUEST 1024x768x24 || { not_ok "guest Xvfb"; exit 1; }
CH=$T/ch
mkdir -p "$CH"
PURPLE=75507b

start_agent agent work "$CH" "$GUEST"
start_guid guid work purple "$CH" --frame-width 4
start_client app "$GUEST" --size 240x160 --pos 100,80 --title $'bidi\u202e evil\x1b\x07 end'
if wait_dom0_win W work; then ok "guest window appears in dom0"; else not_ok "guest window appears in dom0"; exit 1; fi

pixels_ok() {
    "$BIN/fen-xshot" --display "$DOM0" --window "$W" --expect-frame "4=$PURPLE" --expect-pattern 4
}
check "dom0 shows exactly the guest's pixels inside a label-colored frame" wait_until 5 pixels_ok
check "dom0 window is at the guest position, framed" test "$(geometry "$W")" = "96 76 248 168"
title=$(dom0_list | awk -v w="$W" '$1 == w' | cut -d' ' -f8-)
check "title is sanitized and prefixed" test "$title" = "[work] bidi evil end"
check "WM_CLASS names the qube" \
    eval 'xprop -display "$DOM0" -id "$W" WM_CLASS | grep -q "\"work:fen-testclient\", \"work:FenTest\""'

DISPLAY=$GUEST xdotool windowsize "$CLIENT_WIN" 320 200
check "guest resize is reflected" wait_until 5 eval '[ "$(geometry "$W")" = "96 76 328 208" ]'
check "... with the new pixels" wait_until 5 pixels_ok
DISPLAY=$GUEST xdotool windowmove "$CLIENT_WIN" 300 250
check "guest move is reflected" wait_until 5 eval '[ "$(geometry "$W")" = "296 246 328 208" ]'

DISPLAY=$DOM0 xdotool windowmove "$W" 500 400
check "a dom0 move reaches the guest (content origin = frame + 4)" \
    wait_until 5 eval '[ "$(DISPLAY=$GUEST xdotool getwindowgeometry "$CLIENT_WIN" | grep -c "Position: 504,404")" = 1 ]'

DISPLAY=$GUEST xdotool windowunmap "$CLIENT_WIN"
check "guest unmap hides the dom0 window" wait_until 5 eval '[ -z "$(dom0_win work)" ]'
DISPLAY=$GUEST xdotool windowmap "$CLIENT_WIN"
check "guest map shows it again" wait_until 5 eval '[ -n "$(dom0_win work)" ]'
stop app
check "guest destroy removes the dom0 window" \
    wait_until 5 eval '[ -z "$(dom0_list | awk '"'"'$7 == "work"'"'"')" ]'
finish
