#!/usr/bin/env bash
# Measure the Windows agent's capture cost under Wine (not part of make
# check: it only prints figures).  For each case the Win32 test app shows
# one window; guid shows it on a dom0 Xvfb; after a warm-up the agent's CPU
# time (utime+stime of its process) is sampled over SECS seconds, and the
# agent's own debug counters give the time per capture.
#   gui-agent-windows/tests/measure-cpu.sh [SECS]
source "$(dirname "$0")/../../tests/lib/fenestra-test.sh"
SECS=${1:-10}
EXE_DIR=$FENESTRA_SRC/build/bin
fen_test_init windows-measure
start_xvfb DOM0 1920x1080x24 || exit 1
start_xvfb GUEST 1920x1080x24 || exit 1
export WINEPREFIX=$T/wine WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" DISPLAY=$GUEST
mkdir -p "$WINEPREFIX"
spawn wineserver wineserver --foreground --persistent
trap 'timeout 10 wineserver -k >/dev/null 2>&1; _fen_cleanup' EXIT
timeout 50 wine wineboot -i >/dev/null 2>&1 || exit 1
spawn pool "$BIN/fen-pool-hold" --pages 65536
wait_until 5 grep -q '^/proc/' "$T/pool.log" || exit 1
POOL=$(head -n 1 "$T/pool.log")
winpath() { printf 'Z:%s' "$1" | tr / '\\'; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
port=$((30000 + RANDOM % 20000))
printf '%-34s %10s %14s\n' "case" "agent CPU" "per capture"
for c in "160x100 static" "1024x700 static" "1024x700 animate" "1900x1000 animate"; do
    set -- $c
    port=$((port + 2))
    args=(--size "$1")
    [ "$2" = animate ] && args+=(--animate 1)
    spawn app wine "$EXE_DIR/fen-wintest.exe" --log "$(winpath "$T/app-keys.log")" \
        --title measure "${args[@]}"
    FENESTRA_LOG_LEVEL=debug spawn agent wine "$EXE_DIR/gui-agent.exe" \
        --connect "tcp:$port:$(winpath "$POOL")"
    spawn guid "$BIN/guid" --qube win --label blue --connect "tcp:$port:$POOL" --display "$DOM0"
    sleep 3
    pid=${_fen_pids[agent]}
    t0=$(cpu_ticks "$pid")
    sleep "$SECS"
    t1=$(cpu_ticks "$pid")
    sleep 1
    per=$(grep 'captures, ' "$T/agent.log" | tail -n 1 | sed -E 's/.*stats: ([0-9]+) captures, ([0-9]+) us.*/\2 us (\1 in 10 s)/')
    printf '%-34s %9s%% %14s\n' "$1 $2" "$(( (t1 - t0) * 100 / hz / SECS ))" "$per"
    stop guid
    stop agent
    stop app
done
