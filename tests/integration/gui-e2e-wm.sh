#!/usr/bin/env bash
# End to end window-manager features: override-redirect windows stay framed
# and are kept on screen; a fullscreen request becomes a maximized framed
# window; transient-for is carried over; guid's control socket lists windows;
# WM_DELETE_WINDOW on a dom0 window closes the guest window.
source "$(dirname "$0")/../lib/fenestra-test.sh"
source "$(dirname "$0")/gui-lib.sh"
fen_test_init gui-e2e-wm
start_xvfb DOM0 1024x768x24 || { not_ok "dom0 Xvfb"; exit 1; }
start_xvfb GUEST 1024x768x24 || { not_ok "guest Xvfb"; exit 1; }
CH=$T/ch
mkdir -p "$CH"
RED=cc0000

start_agent agent work "$CH" "$GUEST"
start_guid guid work red "$CH"

start_client menu "$GUEST" --size 100x60 --pos -30,-20 --override --title menu
if wait_dom0_win WM work; then ok "override-redirect window appears"; else not_ok "override-redirect window appears"; exit 1; fi
check "it is override-redirect in dom0 too" \
    eval 'xwininfo -display "$DOM0" -id "$WM" | grep -q "Override Redirect State: yes"'
check "it is kept on screen, frame included" test "$(geometry "$WM")" = "0 0 106 66"
check "... and framed in the label color" \
    wait_until 5 "$BIN/fen-xshot" --display "$DOM0" --window "$WM" --expect-frame "3=$RED" \
    --expect-pattern 3
stop menu
wait_until 5 eval '[ -z "$(dom0_win work)" ]'

start_client main "$GUEST" --size 300x200 --pos 100,100 --title main
MAIN_GUEST=$CLIENT_WIN
wait_dom0_win WMAIN work main
start_client dialog "$GUEST" --size 120x80 --pos 150,150 --title dialog --transient-for "$MAIN_GUEST"
if wait_dom0_win WD work dialog; then ok "transient window appears"; else not_ok "transient window appears"; fi
check "WM_TRANSIENT_FOR points at its owner's dom0 window" \
    wait_until 5 eval 'xprop -display "$DOM0" -id "$WD" WM_TRANSIENT_FOR | grep -qi "window id # $WMAIN"'

ctl_list() {
    python3 - "$XDG_RUNTIME_DIR/fenestra/guid-work.sock" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(b"list\n")
out = b""
while True:
    d = s.recv(4096)
    if not d:
        break
    out += d
sys.stdout.write(out.decode())
PY
}
list=$(ctl_list)
check "control socket lists the windows" \
    eval 'grep -q "^ok 2 windows" <<<"$list" && grep -q " 100 100 300 200 mapped main$" <<<"$list"'

stop dialog
start_client full "$GUEST" --size 200x100 --pos 50,50 --title full --fullscreen
if wait_dom0_win WF work full; then ok "fullscreen window appears"; else not_ok "fullscreen window appears"; fi
check "a fullscreen request becomes a maximized framed window" \
    wait_until 5 eval '[ "$(geometry "$WF")" = "0 0 1024 768" ]'
check "... still framed" \
    wait_until 5 "$BIN/fen-xshot" --display "$DOM0" --window "$WF" --expect-frame "3=$RED"
check "the guest window is resized to the content area" \
    wait_until 5 grep -q '^configure 3 3 1018 762$' "$T/full.log"

# A WM's close button (WM_DELETE_WINDOW on the dom0 window) reaches the
# guest application, which closes its window.
check "WM_DELETE_WINDOW sent to the dom0 window" "$BIN/fen-xshot" --display "$DOM0" --window "$WF" --send-delete
check "close on the dom0 window reaches the guest application" \
    wait_until 5 grep -q '^close$' "$T/full.log"
check "... and its dom0 window goes away" \
    wait_until 5 eval '[ -z "$(dom0_win work full)" ]'
finish
