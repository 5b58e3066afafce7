# Shared helpers for Fenestra's shell integration tests (source this file).
#
#   source "$FENESTRA_SRC/tests/lib/fenestra-test.sh"
#   fen_test_init NAME        private temp dir $T, cleanup trap, TAP plan-less output
#   start_xvfb VAR [GEOM]     start an Xvfb on a free display; VAR=":N"
#   start_guest_x VAR [GEOM]  a guest X server: Xvfb, or with FEN_GUEST_X=xorg a
#                             real Xorg running the Fenestra driver (tests/lib/xorg.sh)
#   spawn NAME CMD...         start a process in the background (logs in $T/NAME.log),
#                             remembered and killed (by pid) at exit
#   stop NAME                 end one spawned process (TERM, then KILL)
#   wait_until SECS CMD...    retry CMD every 50 ms until it succeeds or time runs out
#   ok NAME / not_ok NAME WHY / check NAME CMD...   TAP result lines
#   finish                    exit status: 0 when nothing failed
#
# Binaries come from $FENESTRA_BUILD/bin (set by scripts/run-tests; defaults
# to build/).  Every process a test starts is stopped by pid at exit; nothing
# is ever killed by name.

FENESTRA_SRC=${FENESTRA_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
FENESTRA_BUILD=${FENESTRA_BUILD:-$FENESTRA_SRC/build}
BIN=$FENESTRA_BUILD/bin
_fen_failed=0
_fen_count=0
declare -A _fen_pids=()
_fen_pid_order=()

fen_test_init() {
    T=$(mktemp -d "/tmp/fen-$1-XXXXXX")
    export T
    export HOME=$T XDG_RUNTIME_DIR=$T/run
    mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
    trap _fen_cleanup EXIT
    trap 'exit 130' INT TERM
}

_fen_cleanup() {
    local i pid
    for ((i = ${#_fen_pid_order[@]} - 1; i >= 0; i--)); do
        pid=${_fen_pid_order[$i]}
        kill -TERM "$pid" 2>/dev/null
    done
    for pid in "${_fen_pid_order[@]}"; do
        for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    if [ "$_fen_failed" -ne 0 ] && [ -n "${T:-}" ]; then
        for f in "$T"/*.log; do
            [ -f "$f" ] || continue
            echo "# ---- $f (last 30 lines)"
            tail -n 30 "$f" | sed 's/^/# /'
        done
    fi
    [ -n "${T:-}" ] && [ -z "${FEN_KEEP_TMP:-}" ] && rm -rf "$T"
}

spawn() {
    local name=$1; shift
    "$@" >"$T/$name.log" 2>&1 &
    local pid=$!
    _fen_pids[$name]=$pid
    _fen_pid_order+=("$pid")
    eval "PID_${name//[^A-Za-z0-9_]/_}=$pid"
}

stop() {
    local pid=${_fen_pids[$1]:-}
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    unset "_fen_pids[$1]"
    return 0
}

# kill -9 one spawned process (simulates a crash)
crash() {
    local pid=${_fen_pids[$1]:-}
    [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    unset "_fen_pids[$1]"
    return 0
}

# start_xvfb VAR [WxHxD]: Xvfb on a display it picks itself (-displayfd).
# With FEN_GUEST_X=xorg every server but DOM0's (i.e. the guests') is started
# by start_guest_x instead: Xorg + the Fenestra driver.
start_xvfb() {
    if [ "${FEN_GUEST_X:-xvfb}" = xorg ] && [ "$1" != DOM0 ]; then
        start_guest_x "$@"
        return
    fi
    local var=$1 geom=${2:-1920x1080x24} fifo dpy
    fifo="$T/displayfd-$var"
    mkfifo "$fifo"
    spawn "xvfb-$var" bash -c 'exec Xvfb -displayfd 3 -screen 0 "$1" -nolisten tcp -noreset \
        +extension Composite +extension DAMAGE +extension MIT-SHM +extension XTEST 3>"$2"' _ "$geom" "$fifo"
    read -r -t 20 dpy <"$fifo" || { echo "# Xvfb did not start" >&2; return 1; }
    rm -f "$fifo"
    printf -v "$var" ':%s' "$dpy"
    export "${var?}"
    wait_until 10 xdpyinfo -display ":$dpy" >/dev/null 2>&1
}

# start_guest_x VAR [WxHxD]: the X server of a guest qube.  FEN_GUEST_X=xorg
# runs Xorg with fenestra_drv.so (zero-copy driver mode), failing unless the
# driver loaded; otherwise Xvfb.
start_guest_x() {
    if [ "${FEN_GUEST_X:-xvfb}" = xorg ]; then
        # shellcheck source=tests/lib/xorg.sh
        source "$FENESTRA_SRC/tests/lib/xorg.sh"
        local w h
        IFS=x read -r w h _ <<<"${2:-1920x1080x24}"
        start_xorg "$1" "${w}x${h}"
    else
        FEN_GUEST_X=xvfb start_xvfb "$@"
    fi
}

wait_until() {
    local secs=$1; shift
    local end=$(( $(date +%s%N) + secs * 1000000000 ))
    while :; do
        "$@" && return 0
        [ "$(date +%s%N)" -ge "$end" ] && return 1
        sleep 0.05
    done
}

ok() { _fen_count=$((_fen_count + 1)); echo "ok $_fen_count - $1"; }
not_ok() {
    _fen_count=$((_fen_count + 1)); _fen_failed=$((_fen_failed + 1))
    echo "not ok $_fen_count - $1${2:+ # $2}"
}
skip_test() { _fen_count=$((_fen_count + 1)); echo "ok $_fen_count - $1 # SKIP ${2:-}"; }
check() {
    local name=$1; shift
    if "$@"; then ok "$name"; else not_ok "$name"; fi
}
finish() { [ "$_fen_failed" -eq 0 ]; }
