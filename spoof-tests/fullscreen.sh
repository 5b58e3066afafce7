#!/usr/bin/env bash
# Fullscreen policy on a real dom0 Xvfb, attacked by a hostile guest:
# allow_fullscreen (config file, changed at run time with guictl) makes the
# window cover its monitor unframed, with a dom0 banner naming the qube that
# the guest cannot draw over; the exit hotkey (never forwarded) always
# leaves; the guest cannot move an unframed window; revoking the policy
# frames it again.
source "$(dirname "$0")/../tests/lib/fenestra-test.sh"
source "$FENESTRA_SRC/tests/integration/gui-lib.sh"
source "$FENESTRA_SRC/spoof-tests/lib.sh"
trap '' PIPE
export FENESTRA_BANNER_MS=10000 # room for slow sanitizer builds to look at it
spoof_setup spoof-fullscreen "allow_fullscreen = yes" "[qube labeltest]" "label = green" \
    "frame_width = 5"
MAGENTA=ff00ff

banner_win() { dom0_list | awk -v q="$1" '$6 == "mapped" && $8 == "[dom0]" && $NF == q { print $1; exit }'; }
no_banner() { [ -z "$(banner_win work)" ]; }
title_geom() { geometry "$1"; }

# The config file: errors name the line and guid refuses to start; the
# command line wins over the file.
printf '[global]\nframe_width = 3\n\n[qube work]\nlabel = pink\n' >"$T/bad.conf"
out=$("$BIN/guid" --qube work --connect "local:$T/nowhere" --display "$DOM0" --config "$T/bad.conf" 2>&1)
rc=$?
check "an invalid config file: guid refuses to start, naming the file and line" \
    eval '[ "$rc" = 2 ] && grep -q "bad.conf:5: .*pink" <<<"$out"'
out=$("$BIN/guid" --qube work --connect "local:$T/nowhere" --display "$DOM0" --config "$T/missing.conf" 2>&1)
rc=$?
check "a missing --config file: refused" eval '[ "$rc" = 2 ] && grep -q "missing.conf" <<<"$out"'
spawn guid_labeltest "$BIN/guid" --qube labeltest --label red --connect "local:$T/nowhere" \
    --display "$DOM0" --config "$CONF"
check "--label wins over the file's label; frame_width comes from the qube's section" \
    wait_until 10 eval '"$BIN/guictl" policy labeltest show 2>/dev/null | tr "\n" " " | grep -q "label red frame_width 5 "'
stop guid_labeltest

check "guictl policy shows the config file's allow_fullscreen" \
    eval '"$BIN/guictl" policy work show | grep -qx "allow_fullscreen yes"'
check "guictl policy for the neighbor: not allowed (the default)" \
    eval '"$BIN/guictl" policy personal show | grep -qx "allow_fullscreen no"'

new_guest
g "pool 4096" "create 60 100 100 200 100" "title 60 video" "dump 60" "fill 60 $GREEN" \
    "damage 60 0 0 200 100" "map 60"
wait_dom0_win W work
gsync
g "flags 60 1 0" "dump 60 800 600" "fill 60 $MAGENTA" "damage 60 0 0 800 600"
gsync
check "allowed fullscreen: the window covers the monitor" \
    wait_until 5 eval '[ "$(geometry "$W")" = "0 0 800 600" ]'
check "a dom0 banner naming the qube is shown" wait_until 5 eval '[ -n "$(banner_win work)" ]'
B=$(banner_win work)
read -r BX BY BW BH <<<"$(geometry "$B")"
check "... unframed: the guest's pixels reach every edge (root pixels, banner aside)" \
    wait_until 5 "$BIN/fen-xshot" --display "$DOM0" --root --expect-rect "0,$BH,800,$((600 - BH))=$MAGENTA" \
    --expect-rect "0,0,$BX,$BH=$MAGENTA" --expect-rect "$((BX + BW)),0,$((800 - BX - BW)),$BH=$MAGENTA"
g "echo told"
gsync
check "... the guest is told it is fullscreen at 0,0 800x600" \
    eval 'grep -q "recv WM_FLAGS window=60 .*set=0x1" "$HLOG" && grep -q "recv CONFIGURE window=60 .*x=0 y=0 w=800 h=600" "$HLOG"'
check "... at the top of the monitor, in the label color (root pixels)" \
    wait_until 5 "$BIN/fen-xshot" --display "$DOM0" --root --expect-rect "$BX,$BY,$BW,4=$BLUE" \
    --expect-rect "$BX,$((BY + BH - 4)),$BW,4=$BLUE"
check "... with text on it (not a plain rectangle)" \
    eval '! "$BIN/fen-xshot" --display "$DOM0" --root --expect-rect "$BX,$BY,$BW,$BH=$BLUE" 2>/dev/null'

# The guest maps an override-redirect window right where the banner is.
g "create 61 0 0 800 40 or" "dump 61" "fill 61 $MAGENTA" "damage 61 0 0 800 40" "map 61 or"
gsync
check "a guest window mapped over the banner stays below it" \
    wait_until 5 "$BIN/fen-xshot" --display "$DOM0" --root --expect-rect "$BX,$((BY + BH - 4)),$BW,4=$BLUE"
g "destroy 61"

g "configure 60 10 10 100 100"
gsync
check "the guest cannot move or shrink an unframed window" \
    test "$(geometry "$W")" = "0 0 800 600"

xdotool key ctrl+alt+shift+f
KEYCODE_F=$(xmodmap -pke | awk '$4 == "f" { print $2; exit }')
check "the exit hotkey leaves fullscreen: back to the old geometry, framed" \
    wait_until 5 eval '[ "$(geometry "$W")" = "97 97 206 106" ]'
check "... frame pixels in the label color" frame_ok "$W" "$BLUE"
gsync
check "... the guest is told it left fullscreen" wait_until 5 grep -q 'recv WM_FLAGS window=60 .*unset=0x1' "$HLOG"
check "... the hotkey's key never reached the guest (only the modifiers did)" \
    eval '[ -n "$KEYCODE_F" ] && ! grep -q "recv KEY .*keycode=$KEYCODE_F\$" "$HLOG"'
check "... the banner is gone" wait_until 5 no_banner

g "flags 60 1 0"
gsync
check "after the user left, the guest's next request is only maximized, framed" \
    wait_until 5 eval '[ "$(geometry "$W")" = "0 0 800 600" ] && frame_ok "$W" "$BLUE" && no_banner'
g "flags 60 0 1"

# A new window: fullscreen again; then the policy is revoked at run time.
g "create 62 50 50 100 100" "dump 62" "fill 62 $MAGENTA" "damage 62 0 0 100 100" "map 62" "flags 62 1 0"
gsync
wait_until 5 eval '[ -n "$(banner_win work)" ]'
W62=$(dom0_list | awk '$7 == "work" && $6 == "mapped" && $2 == 0 && $4 == 800 { print $1; exit }')
check "a second window gets allowed fullscreen" test "$(geometry "$W62" 2>/dev/null)" = "0 0 800 600"
check "guictl policy set allow_fullscreen no" \
    eval '"$BIN/guictl" policy work set allow_fullscreen no >/dev/null'
check "... the fullscreen window is framed again at once" \
    wait_until 5 eval 'frame_ok "$W62" "$BLUE" && no_banner'
check "... guictl shows the new policy" \
    eval '"$BIN/guictl" policy work show | grep -qx "allow_fullscreen no"'
check "guictl refuses unknown keys and bad values" \
    eval '! "$BIN/guictl" policy work set frame_width 9 2>/dev/null && ! "$BIN/guictl" policy work set allow_fullscreen maybe 2>/dev/null'

"$BIN/guictl" policy work set allow_fullscreen yes >/dev/null
g "create 63 20 20 100 100" "map 63" "flags 63 1 0"
gsync
check "re-allowed: the banner shows again" wait_until 5 eval '[ -n "$(banner_win work)" ]'
check "... and hides by itself after a few seconds" wait_until 30 no_banner
W63=$(dom0_list | awk '$7 == "work" && $6 == "mapped" && $2 == 0 && $3 == 0 && $4 == 800 { print $1; exit }')
check "... while the window stays fullscreen" test -n "$W63"

out=$("$BIN/guictl" list)
check "guictl list shows both qubes and the work windows" \
    eval 'grep -q "^personal: 1 window" <<<"$out" && grep -q "^work: 3 windows" <<<"$out" && grep -q " mapped neighbor$" <<<"$out"'
g "destroy 63" "destroy 62"
gsync
expect_intact "after the fullscreen attacks: frames intact, neighbor intact"
exec 7>&-
finish
