#!/usr/bin/env bash
# `make demo` headless: both qubes' six application windows come up on a
# private Xvfb, a screenshot is written, and everything the demo started is
# gone afterwards.
source "$(dirname "$0")/../lib/fenestra-test.sh"
fen_test_init gui-demo
env -u DISPLAY TMPDIR="$T" DEMO_SECONDS=1 DEMO_PNG="$T/demo.png" FENESTRA_BUILD="$FENESTRA_BUILD" \
    timeout 60 "$FENESTRA_SRC/scripts/demo" >"$T/demo.log" 2>&1
rc=$?
check "demo exits cleanly after DEMO_SECONDS" test "$rc" = 0
check "six qube windows came up" grep -q '^demo: 6 qube windows' "$T/demo.log"
check "both qubes' terminals are titled with their qube" \
    eval 'grep -q "\[work\] work terminal" "$T/demo.log" && grep -q "\[personal\] personal terminal" "$T/demo.log"'
check "demo.png written" eval '[ -s "$T/demo.png" ] && [ "$(head -c 4 "$T/demo.png" | tail -c 3)" = PNG ]'
check "nothing the demo started is left running" \
    eval '! pgrep -f "$T/fenestra-demo-" >/dev/null'
[ "$_fen_failed" -eq 0 ] || sed 's/^/# /' "$T/demo.log"
finish
