#!/usr/bin/env bash
# Clipboard on the whole real stack: two qubes, each an Xvfb with gui-agent,
# a client window (fen-testclient, which prints every key it receives),
# clip-agent and xclip; dom0 an Xvfb with one guid per qube and clipd.  The
# user's gestures are xdotool key presses on the dom0 display.
source "$(dirname "$0")/../../tests/lib/fenestra-test.sh"
source "$(dirname "$0")/../../tests/integration/gui-lib.sh"
fen_test_init clip-e2e
CTL=$FENESTRA_BUILD/tests/clip-ctl
S=$XDG_RUNTIME_DIR/fenestra/clipd.sock
show_has() { "$CTL" "$S" show | grep -q -- "$1"; }
clip_is() { DISPLAY=$1 xclip -o -selection "$2" 2>/dev/null | cmp -s - "$3"; }
press() { DISPLAY=$DOM0 xdotool windowfocus --sync "$1" mousemove --window "$1" 30 30 key "$2"; }
xclip_n=0
set_clip() {
    xclip_n=$((xclip_n + 1))
    DISPLAY=$1 spawn "xclip$xclip_n" xclip -quiet -selection clipboard -i "$2"
    wait_until 10 clip_is "$1" clipboard "$2"
}

start_xvfb DOM0 1024x768x24 || { not_ok "dom0 Xvfb"; exit 1; }
start_xvfb DA 800x600x24 || { not_ok "guest Xvfb A"; exit 1; }
start_xvfb DB 800x600x24 || { not_ok "guest Xvfb B"; exit 1; }
mkdir -p "$T/A" "$T/B"
spawn clipd "$BIN/clipd" --audit "$T/audit.log" --limit A=2M
# guid attaches its qube when it starts (and when its agent reconnects): clipd
# must be listening by then, as in a dom0 that starts clipd first.
wait_until 10 test -S "$S" || { not_ok "clipd listens"; exit 1; }
start_agent guiA A "$T/A" "$DA"
start_agent guiB B "$T/B" "$DB"
spawn clipA "$BIN/clip-agent" --qube A --listen "local:$T/A" --display "$DA"
spawn clipB "$BIN/clip-agent" --qube B --listen "local:$T/B" --display "$DB"
start_guid guidA A red "$T/A"
start_guid guidB B blue "$T/B"
start_client appA "$DA" --size 300x200 --pos 40,60 --title "editor A"
start_client appB "$DB" --size 300x200 --pos 500,60 --title "editor B"
wait_dom0_win WA A && wait_dom0_win WB B
if [ -n "${WA:-}" ] && [ -n "${WB:-}" ]; then ok "both qubes' windows are on dom0"; else
    not_ok "both qubes' windows are on dom0"; exit 1; fi
check "guid attached both qubes to clipd" wait_until 10 bash -c \
    "grep -q 'qube A: clipboard channel ready' '$T/clipd.log' && grep -q 'qube B: clipboard channel ready' '$T/clipd.log'"

printf 'real stack ✓ text\nsecond line\n' >"$T/text"
set_clip "$DA" "$T/text"
press "$WA" ctrl+shift+c
check "Ctrl-Shift-C in A's window copies" wait_until 10 show_has "source=A bytes=$(stat -c %s "$T/text")"
press "$WB" ctrl+shift+v
check "Ctrl-Shift-V in B's window pastes exactly A's text" wait_until 10 clip_is "$DB" clipboard "$T/text"
check "... into PRIMARY too" clip_is "$DB" primary "$T/text"
check "the global clipboard is wiped" show_has "ok empty"

base64 -w 76 </dev/urandom | head -c 1048576 >"$T/big"
set_clip "$DA" "$T/big"
press "$WA" ctrl+shift+c
check "1 MiB copy by hotkey" wait_until 10 show_has "source=A bytes=1048576"
press "$WB" ctrl+shift+v
check "1 MiB paste by hotkey arrives intact" wait_until 20 clip_is "$DB" clipboard "$T/big"

# A marker key after the hotkeys proves the clients saw everything guid sent.
press "$WA" x
press "$WB" x
check "ordinary keys reach both clients" wait_until 5 bash -c \
    "grep -q '^key x ' '$T/appA.log' && grep -q '^key x ' '$T/appB.log'"
check "no hotkey letter reached A's client" bash -c "! grep -qE '^key (c|C|v|V) ' '$T/appA.log'"
check "no hotkey letter reached B's client" bash -c "! grep -qE '^key (c|C|v|V) ' '$T/appB.log'"
finish
