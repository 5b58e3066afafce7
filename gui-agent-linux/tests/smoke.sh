#!/usr/bin/env bash
# gui-agent smoke test: a real guest X server (Xvfb) with real clients (xlogo,
# xev), the agent, and a minimal dom0 (gui-agent-fake-dom0, which maps the
# pages with the real dom0 mapper) on a local channel.  Checks the window
# lifecycle, pixels in the shared pages, properties, input injection, resize
# from dom0, and reconnect with replay.
source "$FENESTRA_SRC/tests/lib/fenestra-test.sh"
fen_test_init gui-agent-smoke
FAKE=$FENESTRA_BUILD/tests/gui-agent-fake-dom0

start_xvfb GUEST 1024x768x24 || { not_ok "guest Xvfb starts"; finish; exit; }
# (no mkdir: the agent creates its channel directory)
spawn agent "$BIN/gui-agent" --qube work --listen "local:$T/ch" --display "$GUEST" --pool-mib 64
spawn xlogo xlogo -display "$GUEST" -geometry 200x150+30+40

# dom0 NAME: start a fake dom0 logging to $T/NAME.log, commands through fd 7.
start_dom0() {
    rm -f "$T/cmd-$1"
    mkfifo "$T/cmd-$1"
    exec 7<>"$T/cmd-$1"
    spawn "$1" bash -c 'exec "$1" "$2" <"$3"' _ "$FAKE" "local:$T/ch" "$T/cmd-$1"
}
log_has() { grep -qE "$2" "$T/$1.log"; }

start_dom0 dom0
check "dom0 connects and shakes hands" wait_until 10 log_has dom0 '^HELLO 1\.'
# The agent raises its own priority (nice -10 by default; tests run as root).
agent_nice() { [ "$(ps -o ni= -p "${_fen_pids[agent]}" | tr -d ' ')" = -10 ] && log_has agent 'scheduling: nice -10'; }
if [ "$(id -u)" = 0 ]; then check "the agent runs at nice -10 and says so" agent_nice
else skip_test "the agent runs at nice -10" "not root"; fi
check "the page pool is announced" log_has dom0 '^POOL 0 pages=16384'
check "xlogo is created at its geometry" wait_until 10 log_has dom0 '^CREATE 0x[0-9a-f]+ 30 40 200 150 or=0'
win=$(awk '/^CREATE/ && $3 == 30 && $4 == 40 { print $2; exit }' "$T/dom0.log")
check "xlogo is mapped" wait_until 10 log_has dom0 "^MAP $win transient=0x0 or=0"
title_and_class() { log_has dom0 "^TITLE $win xlogo" && log_has dom0 "^CLASS $win XLogo xlogo"; }
check "title and class" title_and_class
check "page refs for 200x150" wait_until 10 log_has dom0 "^DUMP $win 200x150 stride=800 format=1 serial=1 refs=30 pool=0"
check "damage arrives" wait_until 10 log_has dom0 "^DAMAGE $win n=[0-9]+"
check "the shared pages hold the drawing" wait_until 10 log_has dom0 "^PIXELS $win nonzero=[1-9][0-9]* of 30000"

DISPLAY=$GUEST xdotool set_window --name "renamed logo" "$((win))"
check "title changes are forwarded" wait_until 10 log_has dom0 "^TITLE $win renamed logo"

echo "configure $win 50 60 300 200" >&7
guest_geometry() { xwininfo -display "$GUEST" -id "$win" |
    awk '/Absolute upper-left X/ { x = $4 } /Absolute upper-left Y/ { y = $4 }
         /Width:/ { w = $2 } /Height:/ { h = $2 } END { print x, y, w, h }'; }
check "dom0 configure moves and resizes the guest window" \
    wait_until 10 eval '[ "$(guest_geometry)" = "50 60 300 200" ]'
check "a resize sends new page refs" wait_until 10 log_has dom0 "^DUMP $win 300x200 stride=1200 format=1 serial=2 refs=59"
check "pixels after the resize" wait_until 10 log_has dom0 "^PIXELS $win nonzero=[1-9][0-9]* of 60000"
# dom0 asked for it (the agent handled its ConfigureNotify before the new
# DUMP above): reporting it back could only undo a newer request.
check "dom0's configure is not echoed back as CONFIGURE" \
    bash -c "! grep -q '^CONFIGURE $win 50 60 300 200' '$T/dom0.log'"

# Window coordinates start inside the border (xlogo has a 1-pixel border).
echo "motion $win 10 20" >&7
# (xwininfo's "absolute upper-left" is the outer corner, outside the border.)
inside=$(xwininfo -display "$GUEST" -id "$win" |
    awk '/Absolute upper-left X/ { x = $4 } /Absolute upper-left Y/ { y = $4 }
         /Border width/ { b = $3 } END { print x + b, y + b }')
read -r ix iy <<<"$inside"
pointer_at() { DISPLAY=$GUEST xdotool getmouselocation | grep -q "^x:$1 y:$2 "; }
check "motion warps the guest pointer into the window" wait_until 10 pointer_at $((ix + 10)) $((iy + 20))

check "guest autorepeat is off (dom0 sends the repeats)" \
    bash -c "xset -display '$GUEST' q | grep -q 'auto repeat:  off'"

# Keys with modifiers: xev prints the keysyms it gets.
spawn xev stdbuf -oL xev -display "$GUEST" -geometry 120x100+400+300 -event keyboard -event button
check "xev is mapped" wait_until 10 log_has dom0 '^TITLE 0x[0-9a-f]+ Event Tester'
xw=$(awk '/^TITLE/ && $3 == "Event" { print $2; exit }' "$T/dom0.log")
wait_until 10 log_has dom0 "^MAP $xw "
echo "focus $xw in" >&7
echo "key $xw press 38 1" >&7
echo "key $xw release 38 1" >&7
check "shift+a arrives as A" wait_until 10 log_has xev 'keysym 0x41, A\)'
echo "key $xw press 38 0" >&7
echo "key $xw release 38 0" >&7
check "then a arrives as a (shift released first)" wait_until 10 log_has xev 'keysym 0x61, a\)'
# A key left down (dom0 lost the release) is released by dom0's keymap.
echo "key $xw press 40 0" >&7
check "key d pressed" wait_until 10 log_has xev 'keycode 40 \(keysym 0x64, d\)'
echo "keymap $xw" >&7
check "dom0's keymap releases a stuck key" \
    wait_until 10 bash -c "grep -A2 '^KeyRelease' '$T/xev.log' | grep -q 'keycode 40 (keysym 0x64'"
echo "button $xw press 3 17 23 4" >&7
echo "button $xw release 3 17 23 4" >&7
check "ctrl+right click arrives at window coordinates" \
    wait_until 10 bash -c "grep -A2 '^ButtonPress' '$T/xev.log' | grep -q '(17,23).*' &&
        grep -A2 '^ButtonPress' '$T/xev.log' | grep -q 'state 0x4, button 3'"
# A window mapped over xev on the guest screen: dom0's click on xev still
# reaches xev (the agent raises the window dom0 points at).
spawn cover "$BIN/fen-testclient" --display "$GUEST" --pos 380,280 --size 200x200 --title cover
check "a covering window is mapped" wait_until 10 log_has dom0 '^CREATE 0x[0-9a-f]+ 380 280 200 200'
cw=$(awk '/^CREATE/ && $3 == 380 && $4 == 280 { print $2; exit }' "$T/dom0.log")
wait_until 10 log_has dom0 "^MAP $cw "
echo "motion $cw 5 5" >&7
echo "button $xw press 2 30 40 0" >&7
echo "button $xw release 2 30 40 0" >&7
check "a click reaches a window covered on the guest screen" \
    wait_until 10 log_has xev 'state 0x0, button 2,'
stop cover
echo "button $xw press 4 17 23 0" >&7
echo "button $xw release 4 17 23 0" >&7
check "scroll arrives as button 4" wait_until 10 log_has xev 'state 0x0, button 4,'

# Urgency and fullscreen requests reach dom0; dom0's answer lands in
# _NET_WM_STATE (there is no guest window manager to do it).
DISPLAY=$GUEST xdotool set_window --urgency 1 "$((win))"
check "urgency is forwarded" wait_until 10 log_has dom0 "^FLAGS $win set=0x2 unset=0x0"
xprop -display "$GUEST" -id "$win" -f _NET_WM_STATE 32a -set _NET_WM_STATE _NET_WM_STATE_FULLSCREEN
check "a fullscreen request is forwarded" wait_until 10 log_has dom0 "^FLAGS $win set=0x1 unset=0x0"
echo "flags $win 0x4 0x1" >&7
net_state_is_max() {
    xprop -display "$GUEST" -id "$win" _NET_WM_STATE | grep -q '_NET_WM_STATE_MAXIMIZED_VERT' &&
        ! xprop -display "$GUEST" -id "$win" _NET_WM_STATE | grep -q FULLSCREEN
}
check "dom0's granted state is set on the guest window" wait_until 10 net_state_is_max

# Override-redirect, transient-for, fullscreen at map, and a state request
# by client message (what applications send to a window manager).
spawn menu "$BIN/fen-testclient" --display "$GUEST" --override --pos 700,500 --size 60x40 --title menu
check "override-redirect windows are created as such" \
    wait_until 10 log_has dom0 '^CREATE 0x[0-9a-f]+ 700 500 60 40 or=1'
mw=$(awk '/^CREATE/ && $3 == 700 && $4 == 500 { print $2; exit }' "$T/dom0.log")
check "... and mapped as such" wait_until 10 log_has dom0 "^MAP $mw transient=0x0 or=1"
spawn dialog "$BIN/fen-testclient" --display "$GUEST" --transient-for "$xw" --pos 100,500 --size 80x60 --title dialog
check "transient-for names the parent window" \
    wait_until 10 log_has dom0 "^MAP 0x[0-9a-f]+ transient=$xw or=0"
dw=$(awk -v p="transient=$xw" '/^MAP/ && $3 == p { print $2; exit }' "$T/dom0.log")
spawn fs "$BIN/fen-testclient" --display "$GUEST" --fullscreen --pos 300,600 --size 50x50 --title fs
check "a window mapped fullscreen asks dom0 for it" \
    wait_until 10 bash -c "w=\$(awk '/^TITLE/ && \$3 == \"fs\" { print \$2; exit }' '$T/dom0.log'); [ -n \"\$w\" ] && grep -q \"^FLAGS \$w set=0x1 unset=0x0\" '$T/dom0.log'"
"$FENESTRA_BUILD/tests/gui-agent-netwmstate" "$GUEST" "$dw" add _NET_WM_STATE_DEMANDS_ATTENTION
check "a _NET_WM_STATE client message is forwarded" wait_until 10 log_has dom0 "^FLAGS $dw set=0x2 unset=0x0"
"$FENESTRA_BUILD/tests/gui-agent-netwmstate" "$GUEST" "$dw" toggle _NET_WM_STATE_DEMANDS_ATTENTION
check "... and its toggle" wait_until 10 log_has dom0 "^FLAGS $dw set=0x0 unset=0x2"

# A window larger than the guest screen, partly off it: every pixel still
# comes from its composite pixmap.
spawn big "$BIN/fen-testclient" --display "$GUEST" --pos 500,400 --size 1500x1200 --color ff0000 --title big
check "a window larger than the guest screen gets all its pixels" \
    wait_until 10 log_has dom0 "^PIXELS 0x[0-9a-f]+ nonzero=1800000 of 1800000"
stop big

# The cursor follows the window under the pointer, by name.  Cursors carry a
# name only when libXcursor loads them from a theme (else: dom0's default).
if [ -e /usr/share/icons/Adwaita/cursors/xterm ]; then
    spawn xterm env XCURSOR_THEME=Adwaita xterm -display "$GUEST" -geometry 20x5+600+50 -title cursortest
    check "xterm is mapped" wait_until 10 log_has dom0 '^TITLE 0x[0-9a-f]+ cursortest'
    tw=$(awk '/^TITLE/ && $3 == "cursortest" { print $2; exit }' "$T/dom0.log")
    wait_until 10 log_has dom0 "^MAP $tw "
    echo "motion $tw 5 5" >&7
    check "xterm's text cursor is sent as the xterm glyph" wait_until 10 log_has dom0 "^CURSOR $tw 152"
else
    skip_test "named cursor" "no Adwaita cursor theme (adwaita-icon-theme)"
fi

# dom0 restarts: everything is replayed.
stop dom0
exec 7>&-
check "the agent survives dom0 leaving" kill -0 "$PID_agent"
start_dom0 dom0b
check "a new dom0 gets the windows again" wait_until 10 log_has dom0b "^CREATE $win 50 60 300 200"
check "replayed page refs" wait_until 10 log_has dom0b "^DUMP $win 300x200 stride=1200"
check "replayed pixels" wait_until 10 log_has dom0b "^PIXELS $win nonzero=[1-9]"
check "replayed title" log_has dom0b "^TITLE $win renamed logo"

echo "close $win" >&7
check "close asks the client (WM_DELETE_WINDOW) and it goes" wait_until 10 log_has dom0b "^DESTROY $win"
check "a destroyed window is destroyed on dom0" wait_until 10 log_has dom0b "^DESTROY $win"
# A message dom0 may not send: the agent drops that dom0 and waits again.
echo "badmsg" >&7
check "an invalid dom0 message drops the connection" \
    wait_until 10 log_has agent "dom0 connection closed: .*CURSOR"
check "... and the dom0 sees the channel close" wait_until 10 log_has dom0b '^EOF'
stop dom0b
start_dom0 dom0c
check "... and the next dom0 gets the windows" wait_until 10 log_has dom0c "^MAP $xw "
check "nothing invalid reached dom0" bash -c "! grep -qE '^(INVALID|DUMPFAIL|BADDUMP|POOLFAIL|BADCMD)' $T/dom0.log $T/dom0b.log $T/dom0c.log"
check "the agent is still running" kill -0 "$PID_agent"
stop agent
check "the agent stops cleanly (no sanitizer report)" \
    bash -c "grep -q 'INFO main.c:[0-9]*: stopped' '$T/agent.log' && ! grep -qE 'Sanitizer|runtime error' '$T/agent.log'"
finish
