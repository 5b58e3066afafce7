#!/usr/bin/env bash
# Two monitors on a real dom0 Xvfb (RandR 1.5 monitors set with xrandr):
# L = 0..799 and R = 800..1599, 600 high.  A hostile guest's fullscreen
# request (with and without allow_fullscreen) covers or maximizes to the
# monitor its window is on; clamping an oversized or off-screen window uses
# that monitor; the banner shows on it; guid notices monitor changes at run
# time; the exit hotkey ends fullscreen for two qubes at once, whichever
# guid holds its root grab.  Checked on dom0 pixels and geometry.
source "$(dirname "$0")/../tests/lib/fenestra-test.sh"
source "$FENESTRA_SRC/tests/integration/gui-lib.sh"
source "$FENESTRA_SRC/spoof-tests/lib.sh"
trap '' PIPE
export FENESTRA_BANNER_MS=10000 # room for slow sanitizer builds to look at it
MAGENTA=ff00ff
YELLOW=fce94f
SPOOF_DOM0_GEOM=1600x600x24
two_monitors() { # L owns the output, so RandR lists exactly L and R
    xrandr --setmonitor L 800/211x600/158+0+0 screen >/dev/null &&
        xrandr --setmonitor R 800/211x600/158+800+0 none >/dev/null
}
spoof_dom0_ready() { two_monitors; }
spoof_setup spoof-monitors

banner_win() { dom0_list | awk -v q="$1" '$6 == "mapped" && $8 == "[dom0]" && $NF == q { print $1; exit }'; }
root_has() { wait_until 5 "$BIN/fen-xshot" --display "$DOM0" --root "$@" 2>/dev/null; }
win_of() { # QUBE X Y W H: the mapped dom0 window of QUBE with that geometry
    dom0_list | awk -v q="$1" -v g="$2 $3 $4 $5" '$7 == q && $6 == "mapped" && $2 " " $3 " " $4 " " $5 == g { print $1; exit }'
}
geom_is() { [ "$(geometry "$1" 2>/dev/null)" = "$2" ]; }
# LOG has a line matching RE; a fen-hostile prints what dom0 sent only when
# it reads its next script line, so poke both guests first
told() { g "echo poke"; printf 'echo poke\n' >&8; grep -q "$2" "$1"; }

check "dom0 has the two monitors L and R" \
    eval 'xrandr --listmonitors | grep -q "^Monitors: 2" && xrandr --listmonitors | grep -q " R 800/211x600/158+800+0"'

# ---- fullscreen without allow_fullscreen: maximized to its monitor, framed
new_guest
g "pool 4096" "create 70 1000 100 200 100" "title 70 right" "dump 70" "fill 70 $MAGENTA" \
    "damage 70 0 0 200 100" "map 70"
wait_dom0_win W work
check "a window on the right monitor is where the guest put it" geom_is "$W" "997 97 206 106"
g "flags 70 1 0" "dump 70 794 594" "fill 70 $MAGENTA" "damage 70 0 0 794 594"
gsync
check "fullscreen without allow_fullscreen: maximized to the right monitor, not the screen" \
    wait_until 5 geom_is "$W" "800 0 800 600"
check "... framed in the label color, the guest's pixels inside (root pixels)" \
    root_has --expect-rect "800,0,800,3=$BLUE" --expect-rect "800,597,800,3=$BLUE" \
    --expect-rect "800,0,3,600=$BLUE" --expect-rect "1597,0,3,600=$BLUE" \
    --expect-rect "803,3,794,594=$MAGENTA"
check "... the guest is told its monitor's content area" \
    wait_until 5 told "$HLOG" "recv CONFIGURE window=70 .*x=803 y=3 w=794 h=594"
expect_intact "framed fullscreen on the right monitor: frames and the left monitor's neighbor intact"
g "destroy 70"

# ---- allow_fullscreen: covers its monitor, banner on that monitor
"$BIN/guictl" policy work set allow_fullscreen yes >/dev/null
g "create 71 1100 200 100 100" "dump 71" "fill 71 $YELLOW" "damage 71 0 0 100 100" "map 71"
g "flags 71 1 0" "dump 71 800 600" "fill 71 $MAGENTA" "damage 71 0 0 800 600"
gsync
check "allowed fullscreen on the right monitor covers exactly that monitor" \
    wait_until 5 eval '[ -n "$(win_of work 800 0 800 600)" ]'
check "a banner naming the qube is shown" wait_until 5 eval '[ -n "$(banner_win work)" ]'
read -r BX BY BW BH <<<"$(geometry "$(banner_win work)")"
check "... on the right monitor (banner at ${BX:-?},${BY:-?} ${BW:-?}x${BH:-?})" \
    eval '[ "${BX:-0}" -ge 800 ] && [ $((BX + BW)) -le 1600 ] && [ "$BY" -ge 0 ]'
check "... its pixels are dom0's, in the label color (root pixels)" \
    root_has --expect-rect "$BX,$BY,$BW,4=$BLUE"
check "... the rest of the right monitor is the guest's, unframed (root pixels)" \
    root_has --expect-rect "800,$((BY + BH)),800,$((600 - BY - BH))=$MAGENTA" \
    --expect-rect "800,0,$((BX - 800)),$BH=$MAGENTA"
check "... the left monitor keeps the neighbor, framed green (root pixels)" \
    root_has --expect-rect "497,347,206,3=$GREEN" --expect-rect "500,350,200,150=$NEIGHBOR_COLOR"
g "destroy 71"
wait_until 5 eval '[ -z "$(banner_win work)" ]'

# ---- clamping uses the monitor the window is on
g "create 72 1500 100 400 300" "dump 72" "fill 72 $YELLOW" "damage 72 0 0 400 300" "map 72" \
    "create 73 900 50 1000 700" "dump 73" "fill 73 $YELLOW" "damage 73 0 0 1000 700" "map 73" \
    "create 74 3000 100 100 100" "map 74" "create 75 -500 100 100 100" "map 75"
gsync
check "a window past the right edge is pulled onto the right monitor" \
    wait_until 5 eval '[ -n "$(win_of work 1194 97 406 306)" ]'
check "a window larger than its monitor is shrunk to the right monitor (not the screen)" \
    wait_until 5 eval '[ -n "$(win_of work 800 0 800 600)" ]'
W73=$(win_of work 800 0 800 600)
check "... framed in the label color around the guest's pixels" \
    eval 'frame_ok "$W73" "$BLUE" && "$BIN/fen-xshot" --display "$DOM0" --window "$W73" --expect-rect "3,3,794,594=$YELLOW"'
check "a window far off to the right lands on the nearest monitor (R)" \
    wait_until 5 eval '[ -n "$(win_of work 1494 97 106 106)" ]'
check "a window far off to the left lands on the nearest monitor (L)" \
    wait_until 5 eval '[ -n "$(win_of work 0 97 106 106)" ]'
expect_intact "clamped windows: frames and the neighbor intact"

# ---- run time: one monitor across the whole screen now
xrandr --delmonitor R && xrandr --delmonitor L # back to RandR's own: the whole screen
check "dom0 now has one monitor" eval 'xrandr --listmonitors | grep -q "^Monitors: 1"'
sleep 1.2 # RandR sends no event for client-defined monitors: guid asks again after 1 s
g "configure 72 700 100 400 300"
gsync
check "a moved window is placed by the new layout (on two monitors it would go to R at 800)" \
    wait_until 5 eval '[ -n "$(win_of work 697 97 406 306)" ]'
check "... and guid laid out its other windows again: the oversized one spans the wide monitor" \
    wait_until 5 eval '[ -n "$(win_of work 594 0 1006 600)" ] && [ -z "$(win_of work 800 0 800 600)" ]'
check "... framed in the label color (pixels)" frame_ok "$W73" "$BLUE"
g "create 76 900 50 1000 700" "dump 76" "fill 76 $YELLOW" "damage 76 0 0 1000 700" "map 76"
gsync
check "a new oversized window is clamped to the one wide monitor" \
    wait_until 5 eval '[ "$(dom0_list | awk '"'"'$7 == "work" && $2 " " $3 " " $4 " " $5 == "594 0 1006 600"'"'"' | wc -l)" = 2 ]'
g "create 77 1100 200 100 100" "map 77" "flags 77 1 0"
gsync
check "allowed fullscreen now covers the whole screen" \
    wait_until 5 eval '[ -n "$(win_of work 0 0 1600 600)" ]'
g "destroy 72" "destroy 73" "destroy 74" "destroy 75" "destroy 76" "destroy 77"
gsync
wait_until 5 eval '[ -z "$(banner_win work)" ]'
two_monitors
sleep 1.2

# ---- two qubes fullscreen on different monitors; one exit hotkey
"$BIN/guictl" policy personal set allow_fullscreen yes >/dev/null
# personal (its own guid) on L first: its guid takes the hotkey's root grab
printf '%s\n' "create 2 100 100 200 100" "dump 2" "fill 2 $YELLOW" "damage 2 0 0 200 100" "map 2" \
    "flags 2 1 0" >&8
check "qube personal is fullscreen on the left monitor" \
    wait_until 10 eval '[ -n "$(win_of personal 0 0 800 600)" ] && [ -n "$(banner_win personal)" ]'
g "create 80 1100 200 100 100" "dump 80" "fill 80 $MAGENTA" "damage 80 0 0 100 100" "map 80" "flags 80 1 0"
gsync
check "qube work is fullscreen on the right monitor at the same time" \
    wait_until 10 eval '[ -n "$(win_of work 800 0 800 600)" ] && [ -n "$(banner_win work)" ]'
check "... both banners shown, each on its own monitor" \
    eval 'read -r x _ <<<"$(geometry "$(banner_win personal)")"; read -r y _ <<<"$(geometry "$(banner_win work)")"; [ "$x" -lt 800 ] && [ "$y" -ge 800 ]'
xdotool key ctrl+alt+shift+f
check "one press of the exit hotkey: both qubes leave fullscreen" \
    wait_until 5 eval '[ -n "$(win_of personal 97 97 206 106)" ] && [ -n "$(win_of work 1097 197 106 106)" ]'
check "... both banners gone" \
    wait_until 5 eval '[ -z "$(banner_win personal)" ] && [ -z "$(banner_win work)" ]'
check "... both guests are told" \
    wait_until 5 eval 'told "$HLOG" "recv WM_FLAGS window=80 .*unset=0x1" && told "$T/neighbor.log" "recv WM_FLAGS window=2 .*unset=0x1"'
KEYCODE_F=$(xmodmap -pke | awk '$4 == "f" { print $2; exit }')
check "... the hotkey's key reached neither guest" \
    eval '[ -n "$KEYCODE_F" ] && ! grep -q "recv KEY .*keycode=$KEYCODE_F\$" "$HLOG" "$T/neighbor.log"'

# The guid holding the grab lets go (its guest leaves fullscreen by itself):
# the other one, still fullscreen, takes the hotkey over.
printf '%s\n' "create 3 100 100 200 100" "map 3" "flags 3 1 0" >&8
check "qube personal fullscreen again (a new window): it holds the grab" \
    wait_until 10 eval '[ -n "$(win_of personal 0 0 800 600)" ]'
g "create 81 1100 200 100 100" "map 81" "flags 81 1 0"
gsync
check "qube work fullscreen again (a new window)" \
    wait_until 10 eval '[ -n "$(win_of work 800 0 800 600)" ]'
printf '%s\n' "flags 3 0 1" >&8
check "qube personal leaves fullscreen on its own" \
    wait_until 10 eval '[ -z "$(win_of personal 0 0 800 600)" ]'
# the focus on the root, the pointer over no window: only a root grab sees the key
xdotool mousemove 300 500
xdotool windowfocus "$(xwininfo -root | awk '/Window id:/ { print $4; exit }')"
xdotool key ctrl+alt+shift+f
check "the exit hotkey (focus on the root) still ends qube work's fullscreen: it took the grab over" \
    wait_until 5 eval '[ -n "$(win_of work 1097 197 106 106)" ] && [ -z "$(banner_win work)" ]'
printf '%s\n' "destroy 2" "destroy 3" >&8
g "destroy 80" "destroy 81"
gsync
"$BIN/guictl" policy personal set allow_fullscreen no >/dev/null
wait_until 5 eval '[ -z "$(win_of personal 97 97 206 106)" ]'
expect_intact "after the multi-monitor cases: frames intact, neighbor intact"

# The guid holding the grab is killed (SIGKILL: it cannot let go): the X
# server drops its grab and its token window, and the other guid, still
# fullscreen, takes the hotkey over.
"$BIN/guictl" policy personal set allow_fullscreen yes >/dev/null
printf '%s\n' "create 4 100 100 200 100" "map 4" "flags 4 1 0" >&8
check "qube personal fullscreen (it holds the grab)" \
    wait_until 10 eval '[ -n "$(win_of personal 0 0 800 600)" ]'
g "create 82 1100 200 100 100" "map 82" "flags 82 1 0"
gsync
check "qube work fullscreen too" wait_until 10 eval '[ -n "$(win_of work 800 0 800 600)" ]'
crash guid_personal
check "guid personal is killed" wait_until 5 eval '[ -z "$(win_of personal 0 0 800 600)" ]'
check "guid work notices the holder is gone and takes the grab" \
    wait_until 5 grep -q "holding the fullscreen exit hotkey is gone: taking it over" "$T/guid_work.log"
xdotool mousemove 300 500
xdotool windowfocus "$(xwininfo -root | awk '/Window id:/ { print $4; exit }')"
xdotool key ctrl+alt+shift+f
check "the exit hotkey (focus on the root) ends qube work's fullscreen" \
    wait_until 5 eval '[ -n "$(win_of work 1097 197 106 106)" ] && [ -z "$(banner_win work)" ]'
check "guid work is still running" kill -0 "$PID_guid_work"
exec 7>&-
finish
