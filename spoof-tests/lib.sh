# Helpers for the spoof tests (source after tests/lib/fenestra-test.sh and
# tests/integration/gui-lib.sh).  One dom0 Xvfb (800x600) per script, two
# guids on it: "work" (blue) whose guest is fen-hostile, restarted for each
# attack case, and "personal" (green) whose guest is a well-behaved
# fen-hostile holding one window the attacks must not affect.
#
#   spoof_setup NAME [CONFIG-LINES...]   Xvfb, config file, both guids, neighbor
#                              ($SPOOF_DOM0_GEOM: dom0 size; a function
#                              spoof_dom0_ready, if defined, runs before the guids)
#   new_guest [--no-hello | --pacing]  end the previous hostile guest, start a
#                              fresh one (--pacing: it advertises frame pacing)
#   g LINE...                  script lines for the hostile guest
#   gsync                      wait until the guest ran everything sent so far
#   expect_intact CASE         TAP: guid alive, every work window framed in blue
#                              (actual pixels), titles prefixed, neighbor intact
#   expect_dropped CASE RE     TAP: the work connection was dropped with a log
#                              line naming the qube and matching RE; windows
#                              gone; guid alive; neighbor intact
BLUE=3465a4
GREEN=73d216
NEIGHBOR_COLOR=c0ffee
NEIGHBOR_GEOM="497 347 206 156"
FRAME=3
GN=0
GUEST_OPEN=0

spoof_setup() {
    fen_test_init "$1"
    shift
    start_xvfb DOM0 "${SPOOF_DOM0_GEOM:-800x600x24}" || { not_ok "dom0 Xvfb"; exit 1; }
    export DISPLAY=$DOM0 # xdotool
    # a script's hook to set up dom0 (e.g. RandR monitors) before the guids start
    if declare -F spoof_dom0_ready >/dev/null; then spoof_dom0_ready; fi
    CONF=$T/fenestra.conf
    {
        printf '[global]\nframe_width = 3\n[qube personal]\nlabel = green\n[qube work]\nlabel = blue\n'
        printf '%s\n' "$@"
    } >"$CONF"
    CH=$T/ch-work
    CHN=$T/ch-personal
    mkdir -p "$CH" "$CHN"
    # The neighbor: a well-behaved guest with one window in the lower right.
    rm -f "$T/neighbor.fifo" && mkfifo "$T/neighbor.fifo"
    spawn neighbor bash -c 'exec "$1" --listen "$2" <"$3"' _ "$BIN/fen-hostile" "local:$CHN" \
        "$T/neighbor.fifo"
    exec 8>"$T/neighbor.fifo"
    spawn guid_personal "$BIN/guid" --qube personal --connect "local:$CHN" --display "$DOM0" \
        --config "$CONF"
    printf '%s\n' "pool 256" "create 1 500 350 200 150" "title 1 neighbor" "dump 1" \
        "fill 1 $NEIGHBOR_COLOR" "damage 1 0 0 200 150" "map 1" "echo neighbor-ready" >&8
    spawn guid_work "$BIN/guid" --qube work --connect "local:$CH" --display "$DOM0" \
        --config "$CONF"
    GLOG=$T/guid_work.log
    wait_dom0_win NEIGHBOR personal "" 15 || { not_ok "neighbor window appears"; exit 1; }
}

new_guest() {
    if [ "$GUEST_OPEN" = 1 ]; then
        exec 7>&-
        stop "guest$GN"
        wait_until 10 eval '[ -z "$(work_windows)" ]'
    fi
    GN=$((GN + 1))
    if [ "${1:-}" = --no-hello ]; then # a guest that skips the handshake
        rm -f "$T/guest$GN.fifo" && mkfifo "$T/guest$GN.fifo"
        spawn "guest$GN" bash -c 'exec "$1" --listen "$2" --no-hello <"$3"' _ "$BIN/fen-hostile" \
            "local:$CH" "$T/guest$GN.fifo"
        exec 7>"$T/guest$GN.fifo"
    else
        hostile_open "guest$GN" "$CH" "$@"
    fi
    GUEST_OPEN=1
    HLOG=$T/guest$GN.log
    MARK=$(wc -l <"$GLOG")
    wait_until 10 grep -qs '^connected' "$HLOG" || echo "# guest $GN did not connect"
    # guid has sent HELLO once the guest saw the connection; give the
    # handshake a moment by round-tripping a marker.
    gsync
}

g() { hostile_cmd "$@"; }

SYNCN=0
gsync() {
    SYNCN=$((SYNCN + 1))
    g "echo sync-$SYNCN"
    wait_until 20 _synced "sync-$SYNCN"
}
# the marker came back, or the guest is gone (dom0 closed the channel)
_synced() { grep -qsx "$1" "$HLOG" || ! kill -0 "${_fen_pids[guest$GN]:-0}" 2>/dev/null; }

work_windows() { dom0_list | awk '$7 == "work" && $6 == "mapped" { print $1 }'; }
all_work_windows() { dom0_list | awk '$7 == "work" { print $1 }'; }

# guid's log since the current guest started
guid_log_since() { tail -n +"$((MARK + 1))" "$GLOG"; }

_why=""
fail_why() { _why="$*"; return 1; }

frame_ok() { # XID COLOR
    xdotool windowraise "$1" 2>/dev/null
    wait_until 3 "$BIN/fen-xshot" --display "$DOM0" --window "$1" --expect-frame "$FRAME=$2" 2>/dev/null
}

frames_intact() {
    local w
    for w in $(work_windows); do
        frame_ok "$w" "$BLUE" || { fail_why "window $w: frame not all $BLUE"; return 1; }
    done
    return 0
}

titles_prefixed() {
    local bad
    bad=$(dom0_list | awk '$7 == "work" { t = $8; for (i = 9; i <= NF; i++) t = t " " $i;
        if (t != "[work]" && substr(t, 1, 7) != "[work] ") print $1 }')
    [ -z "$bad" ] || { fail_why "title without [work] prefix on $bad"; return 1; }
    # Every window that claims a qube in its title carries that qube's property.
    # (dom0's own fullscreen banners carry no _FENESTRA_QUBE and say [dom0].)
    bad=$(dom0_list | awk '$8 ~ /^\[/ && !($7 == "-" && $8 == "[dom0]") {
        q = substr($8, 2, length($8) - 2); if (q != $7) print $1 }')
    [ -z "$bad" ] || { fail_why "title names a qube other than _FENESTRA_QUBE on $bad"; return 1; }
}

neighbor_intact() {
    kill -0 "$PID_guid_personal" 2>/dev/null || { fail_why "guid personal died"; return 1; }
    local n
    n=$(dom0_win personal)
    [ "$n" = "$NEIGHBOR" ] || { fail_why "neighbor window gone"; return 1; }
    [ "$(geometry "$n")" = "$NEIGHBOR_GEOM" ] || { fail_why "neighbor moved: $(geometry "$n")"; return 1; }
    grep -q 'dropping' "$T/guid_personal.log" && { fail_why "neighbor connection dropped"; return 1; }
    xdotool windowraise "$n" 2>/dev/null
    wait_until 3 "$BIN/fen-xshot" --display "$DOM0" --window "$n" --expect-frame "$FRAME=$GREEN" \
        --expect-rect "3,3,200,150=$NEIGHBOR_COLOR" 2>/dev/null ||
        { fail_why "neighbor pixels changed"; return 1; }
    [ "$(dom0_list | awk -v n="$n" '$1 == n { t = $8; for (i = 9; i <= NF; i++) t = t " " $i; print t }')" = "[personal] neighbor" ] ||
        { fail_why "neighbor title changed"; return 1; }
}

guid_alive() { kill -0 "$PID_guid_work" 2>/dev/null || fail_why "guid work died"; }

_report() { # CASE
    if [ -z "$_why" ]; then ok "$1"; else not_ok "$1" "$_why"; fi
    _why=""
}

expect_intact() {
    _why=""
    guid_alive && frames_intact && titles_prefixed && neighbor_intact
    _report "$1"
}

log_has() { guid_log_since | grep -Eq "$1"; }

dropped() { # RE
    wait_until 10 log_has "qube work: dropping the gui connection: .*($1)" ||
        { fail_why "no 'qube work: dropping ... $1' log line"; return 1; }
    wait_until 10 eval '[ -z "$(all_work_windows)" ]' || { fail_why "work windows remain"; return 1; }
}

expect_dropped() {
    _why=""
    dropped "$2" && guid_alive && neighbor_intact
    _report "$1"
}
