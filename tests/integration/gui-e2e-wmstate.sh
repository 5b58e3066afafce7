#!/usr/bin/env bash
# The user minimizing / maximizing / restoring a guest window with the dom0
# WM reaches the guest: guid watches WM_STATE and _NET_WM_STATE on its dom0
# window and sends WM_FLAGS; the Linux agent shows it in the guest window's
# _NET_WM_STATE.  Xvfb has no WM: xprop plays its part on the dom0 window.
source "$(dirname "$0")/../lib/fenestra-test.sh"
source "$(dirname "$0")/gui-lib.sh"
fen_test_init gui-e2e-wmstate
start_xvfb DOM0 1024x768x24 || { not_ok "dom0 Xvfb"; exit 1; }
start_xvfb GUEST 1024x768x24 || { not_ok "guest Xvfb"; exit 1; }
CH=$T/ch
mkdir -p "$CH"

start_agent agent work "$CH" "$GUEST"
# debug: guid logs each WM_FLAGS it sends for the dom0 WM state
FENESTRA_LOG_LEVEL=debug start_guid guid work blue "$CH"
sent() { grep -c 'dom0 WM state of window' "$T/guid.log"; }
start_client app "$GUEST" --size 200x120 --pos 60,60 --title app
G=$CLIENT_WIN
if wait_dom0_win W work app; then ok "guest window appears in dom0"; else not_ok "guest window appears in dom0"; exit 1; fi

wm_state() { xprop -display "$DOM0" -id "$W" -f WM_STATE 32cc -set WM_STATE "$1,0"; }
net_state() {
    if [ $# -eq 0 ]; then
        xprop -display "$DOM0" -id "$W" -remove _NET_WM_STATE
    else
        local IFS=,
        "$BIN/fen-xshot" --display "$DOM0" --window "$W" --set-atoms "_NET_WM_STATE=$*"
    fi
}
guest_state() { xprop -display "$GUEST" -id "$G" _NET_WM_STATE 2>/dev/null; }
guest_has() { guest_state | grep -q "$1"; }
guest_lacks() { guest_state | grep -q "$1" && return 1; return 0; }

check "the guest window starts neither hidden nor maximized" \
    eval '! guest_has _NET_WM_STATE_HIDDEN && ! guest_has _NET_WM_STATE_MAXIMIZED'

# A WM maps the window NormalState, then the user iconifies it.
wm_state 1
net_state
wm_state 3
net_state _NET_WM_STATE_HIDDEN
check "minimize in dom0 reaches the guest (_NET_WM_STATE_HIDDEN)" \
    wait_until 5 guest_has _NET_WM_STATE_HIDDEN

wm_state 1
net_state
check "restore in dom0 reaches the guest" wait_until 5 guest_lacks _NET_WM_STATE_HIDDEN

net_state _NET_WM_STATE_MAXIMIZED_VERT _NET_WM_STATE_MAXIMIZED_HORZ
check "maximize in dom0 reaches the guest" \
    wait_until 5 eval 'guest_has _NET_WM_STATE_MAXIMIZED_VERT && guest_has _NET_WM_STATE_MAXIMIZED_HORZ'
check "... not minimized" guest_lacks _NET_WM_STATE_HIDDEN

net_state _NET_WM_STATE_MAXIMIZED_VERT
check "half a maximize is a restore" wait_until 5 guest_lacks _NET_WM_STATE_MAXIMIZED_HORZ

# A property rewrite with an unchanged state, or a withdrawn window, sends
# nothing: the guest keeps what it has.
net_state _NET_WM_STATE_MAXIMIZED_VERT _NET_WM_STATE_MAXIMIZED_HORZ
check "maximize again" wait_until 5 guest_has _NET_WM_STATE_MAXIMIZED_HORZ
check "five state changes sent so far" test "$(sent)" = 5
wm_state 0
wm_state 1
net_state _NET_WM_STATE_MAXIMIZED_HORZ _NET_WM_STATE_MAXIMIZED_VERT
net_state _NET_WM_STATE_MAXIMIZED_HORZ _NET_WM_STATE_MAXIMIZED_VERT
wm_state 3
check "a later change still goes through" wait_until 5 guest_has _NET_WM_STATE_HIDDEN
check "... and the rewrites in between sent nothing" test "$(sent)" = 6
check "the guest window is still maximized" guest_has _NET_WM_STATE_MAXIMIZED_HORZ
check "guid and the agent are still running" eval 'kill -0 "$PID_guid" && kill -0 "$PID_agent"'
finish
