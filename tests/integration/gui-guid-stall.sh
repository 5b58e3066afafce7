#!/usr/bin/env bash
# A guest that stops reading cannot make guid buffer without bound: input
# events for it queue up to the writer's cap (1 MiB), then guid drops the
# connection with a log line naming the qube, and stays up.
source "$(dirname "$0")/../lib/fenestra-test.sh"
source "$(dirname "$0")/gui-lib.sh"
fen_test_init gui-guid-stall
start_xvfb DOM0 800x600x24 || { not_ok "dom0 Xvfb"; exit 1; }
CH=$T/ch
mkdir -p "$CH"

hostile_open guest "$CH"
start_guid guid work red "$CH"
hostile_cmd "pool 256" "create 1 0 0 400 300" "dump 1" "fill 1 ff0000" "damage 1 0 0 400 300" \
    "map 1" "stall"
if wait_dom0_win W work; then ok "guest window appears"; else not_ok "guest window appears"; exit 1; fi

# ~150k pointer motions inside the window: ~4 MB of MOTION messages.
python3 -c '
args = []
for i in range(150000):
    args += ["mousemove", str(10 + i % 300), str(10 + (i * 7) % 250)]
print("\n".join(args))' >"$T/moves"
# (xdotool's own status is not the point: the window vanishes under it)
xargs -d '\n' -a "$T/moves" env DISPLAY="$DOM0" xdotool >/dev/null 2>&1
check "guid drops the guest at the output cap, naming the qube" \
    wait_until 10 grep -q 'qube work: dropping the gui connection: the guest stopped reading' "$T/guid.log"
check "its window vanishes" wait_until 5 eval '[ -z "$(dom0_win work)" ]'
check "guid stays up" kill -0 "$PID_guid"
exec 7>&-
finish
