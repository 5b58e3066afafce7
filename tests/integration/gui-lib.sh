# Helpers for the gui integration tests (source after fenestra-test.sh).
#
#   dom0_list                 fen-xshot --list on $DOM0: "0xID X Y W H mapped QUBE TITLE"
#   dom0_win QUBE [REGEX]     id of the first dom0 window of QUBE whose title matches
#   wait_dom0_win VAR QUBE [REGEX] [SECS]   wait for it (mapped) and store its id in VAR
#   geometry XID              "X Y W H" of a dom0 window (root coordinates)
#   start_guid NAME QUBE LABEL DIR [ARGS...]   spawn guid for local:DIR on $DOM0
#   hostile_open NAME DIR [ARGS...]  spawn fen-hostile serving local:DIR, fd 7 writes its script
#   hostile_cmd LINE...       send script lines to the hostile guest on fd 7

dom0_list() { "$BIN/fen-xshot" --display "$DOM0" --list 2>/dev/null; }

dom0_win() {
    local qube=$1 re=${2:-}
    dom0_list | awk -v q="$qube" -v re="$re" '$7 == q && $6 == "mapped" && (re == "" || $0 ~ re) { print $1; exit }'
}

_has_dom0_win() { local v; v=$(dom0_win "$2" "$3"); [ -n "$v" ] && printf -v "$1" '%s' "$v"; }

wait_dom0_win() {
    local var=$1 qube=$2 re=${3:-} secs=${4:-10}
    wait_until "$secs" _has_dom0_win "$var" "$qube" "$re"
}

geometry() { "$BIN/fen-xshot" --display "$DOM0" --window "$1" --geometry 2>/dev/null; }

start_guid() {
    local name=$1 qube=$2 label=$3 dir=$4
    shift 4
    spawn "$name" "$BIN/guid" --qube "$qube" --label "$label" --connect "local:$dir" \
        --display "$DOM0" "$@"
}

hostile_open() {
    local name=$1 dir=$2
    shift 2
    rm -f "$T/$name.fifo"
    mkfifo "$T/$name.fifo"
    spawn "$name" bash -c 'f=$1; shift; exec "$@" <"$f"' _ "$T/$name.fifo" \
        "$BIN/fen-hostile" --listen "local:$dir" "$@"
    exec 7<>"$T/$name.fifo" # read-write: never blocks, even if the peer failed to start
}

hostile_cmd() { local l; for l in "$@"; do printf '%s\n' "$l" >&7; done; }

#   start_agent NAME QUBE DIR GUESTDPY   spawn gui-agent serving local:DIR for GUESTDPY
#   start_client NAME GUESTDPY ARGS...   spawn fen-testclient; waits for "ready" and
#                                        stores the guest window id in CLIENT_WIN
start_agent() {
    spawn "$1" "$BIN/gui-agent" --qube "$2" --listen "local:$3" --display "$4"
}

start_client() {
    local name=$1 dpy=$2
    shift 2
    spawn "$name" "$BIN/fen-testclient" --display "$dpy" "$@"
    wait_until 10 grep -qs '^ready ' "$T/$name.log" || return 1
    CLIENT_WIN=$(awk '/^ready /{ print $2; exit }' "$T/$name.log")
}
