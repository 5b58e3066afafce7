#!/usr/bin/env bash
# Clipboard through guid's hotkeys: a dom0 Xvfb with one guid per qube (A red,
# B blue), each qube's gui side played by fen-hostile (one window; it prints
# every key guid forwards) and its clipboard side by clip-agent on the qube's
# own Xvfb.  xdotool presses Ctrl-Shift-C on A's dom0 window and Ctrl-Shift-V
# on B's; xclip in B must then print exactly A's text, and neither guest may
# see a key of either hotkey.
source "$(dirname "$0")/../../tests/lib/fenestra-test.sh"
source "$(dirname "$0")/../../tests/integration/gui-lib.sh"
fen_test_init clip-guid
CTL=$FENESTRA_BUILD/tests/clip-ctl
S=$XDG_RUNTIME_DIR/fenestra/clipd.sock # guid's default
show_has() { "$CTL" "$S" show | grep -q -- "$1"; }
clip_is() { DISPLAY=$1 xclip -o -selection "$2" 2>/dev/null | cmp -s - "$3"; }
# keycode of a keysym on the dom0 display
kc() { xmodmap -display "$DOM0" -pke | awk -v k="$1" '$4 == k { print $2; exit }'; }
# how many KEY messages with the hotkeys' letter keys a guest received
# (guid forwards the modifiers as they are pressed, before it can know a
# hotkey follows; the letter key makes it a hotkey and must never reach it)
keys_seen() { grep -cE "^recv KEY .* keycode=($KC_C|$KC_V) " "$T/$1.log"; }
# press KEYS on dom0 window XID (focus it first, then XTEST key events)
press() {
    DISPLAY=$DOM0 xdotool windowfocus --sync "$1" mousemove --window "$1" 20 20 key "$2"
}

start_xvfb DOM0 1024x768x24 || { not_ok "dom0 Xvfb"; exit 1; }
start_xvfb DA 640x480x24 || { not_ok "guest Xvfb A"; exit 1; }
start_xvfb DB 640x480x24 || { not_ok "guest Xvfb B"; exit 1; }
mkdir -p "$T/A" "$T/B"
spawn clipd "$BIN/clipd" --audit "$T/audit.log"
check "clipd listens on its default socket" wait_until 10 test -S "$S"
for q in A B; do
    x=$([ "$q" = A ] && echo 50 || echo 500)
    printf '%s\n' "pool 256" "create 1 $x 100 300 200" "title 1 editor" "dump 1" \
        "fill 1 808080" "damage 1 0 0 300 200" "map 1" "hold" >"$T/gui$q.script"
    spawn "gui$q" "$BIN/fen-hostile" --listen "local:$T/$q" --script "$T/gui$q.script"
    spawn "agent$q" "$BIN/clip-agent" --qube "$q" --listen "local:$T/$q" --display "$(eval echo \$D$q)"
done
start_guid guidA A red "$T/A"
start_guid guidB B blue "$T/B"
wait_dom0_win WA A && wait_dom0_win WB B
KC_C=$(kc c) KC_V=$(kc v) KC_X=$(kc x)
check "the hotkeys' keycodes are known" test -n "$KC_C" -a -n "$KC_V" -a -n "$KC_X"
check "both qubes' windows are on the dom0 display" test -n "${WA:-}" -a -n "${WB:-}"
check "guid attached both qubes to clipd" wait_until 10 bash -c \
    "grep -q 'qube A: clipboard channel ready' '$T/clipd.log' && grep -q 'qube B: clipboard channel ready' '$T/clipd.log'"

printf 'copied with Ctrl-Shift-C ✓ in A\n' >"$T/text"
DISPLAY=$DA spawn xclipA xclip -quiet -selection clipboard -i "$T/text"
wait_until 10 clip_is "$DA" clipboard "$T/text"
press "$WA" ctrl+shift+c
check "Ctrl-Shift-C on A's window copies A's clipboard" \
    wait_until 10 show_has "source=A bytes=$(stat -c %s "$T/text")"
press "$WB" ctrl+shift+v
check "Ctrl-Shift-V on B's window pastes it into B" wait_until 10 clip_is "$DB" clipboard "$T/text"
check "the global clipboard is wiped after the paste" show_has "ok empty"
sleep 0.3 # let any stray key event arrive before counting
check "the hotkeys' keys did not reach A" test "$(keys_seen guiA)" -eq 0
check "the hotkeys' keys did not reach B" test "$(keys_seen guiB)" -eq 0
printf 'B keeps this' >"$T/bown"
DISPLAY=$DB spawn xclipB xclip -quiet -selection clipboard -i "$T/bown"
wait_until 10 clip_is "$DB" clipboard "$T/bown"
press "$WB" ctrl+shift+v
check "a second paste is refused" wait_until 10 grep -q "paste source=- target=B bytes=0 result=empty" "$T/audit.log"
check "B keeps its own text" clip_is "$DB" clipboard "$T/bown"
# Ordinary keys still reach the focused qube (the key check above can fail).
press "$WA" x
check "an ordinary key reaches A" wait_until 5 bash -c "grep -qE '^recv KEY .* keycode=$KC_X ' '$T/guiA.log'"

# A guid started while clipd is down attaches its qube once clipd is up
# (guid retries with backoff; before, it waited for its agent to reconnect).
stop clipd
start_xvfb DC 320x240x24 || not_ok "guest Xvfb C"
mkdir -p "$T/C"
printf '%s\n' "pool 256" "create 1 300 400 200 100" "title 1 late" "dump 1" "map 1" "hold" >"$T/guiC.script"
spawn guiC "$BIN/fen-hostile" --listen "local:$T/C" --script "$T/guiC.script"
spawn agentC "$BIN/clip-agent" --qube C --listen "local:$T/C" --display "$DC"
start_guid guidC C green "$T/C"
check "guid C, with no clipd, says it will retry the attach" \
    wait_until 10 grep -q "clipd: will retry the attach" "$T/guidC.log"
sleep 1 # a few retries fail first
spawn clipd2 "$BIN/clipd" --audit "$T/audit2.log"
check "guid C attaches its qube once clipd is up" wait_until 15 bash -c \
    "grep -q 'qube C: clipboard channel ready' '$T/clipd2.log' && grep -q 'clipd: attached after' '$T/guidC.log'"
check "guid C warned once, not per retry" test "$(grep -c 'clipd not reachable' "$T/guidC.log")" -eq 1
finish
