#!/usr/bin/env bash
# The gui integration tests again, with every guest X server a real Xorg
# running the Fenestra driver (FEN_GUEST_X=xorg: start_xvfb for any display
# but DOM0, and start_guest_x, start Xorg; tests/lib/fenestra-test.sh), so the
# seamless-window behaviour is checked in zero-copy driver mode too.  Each test's TAP lines are relayed, prefixed
# with its name.  Tests that start no guest X server (scripted fake guests)
# are not rerun.
source "$(dirname "$0")/../lib/fenestra-test.sh"
fen_test_init xorg-integration
source "$FENESTRA_SRC/tests/lib/xorg.sh"
xorg_require_root "gui integration tests on Xorg"

ran=0
for t in "${FEN_INTEGRATION_DIR:-$FENESTRA_SRC/tests/integration}"/gui-*.sh; do
    [ -f "$t" ] || continue
    # Only tests that start a guest X server (not just dom0's).
    grep -E 'start_(xvfb|guest_x) ' "$t" | grep -qv 'start_xvfb DOM0' || continue
    name=$(basename "$t" .sh)
    ran=$((ran + 1))
    : >"$T/$name.starts"
    FEN_GUEST_X=xorg FEN_XORG_STARTS="$T/$name.starts" bash "$t" >"$T/$name.out" 2>&1 </dev/null
    rc=$?
    while IFS= read -r line; do
        case "$line" in
        "ok "*"# SKIP"*) skip_test "$name (xorg): ${line#ok * - }" ;;
        "ok "*) ok "$name (xorg): ${line#ok * - }" ;;
        "not ok "*) not_ok "$name (xorg): ${line#not ok * - }" ;;
        *) echo "# $line" ;;
        esac
    done <"$T/$name.out"
    [ "$rc" -eq 0 ] || grep -q '^not ok ' "$T/$name.out" || not_ok "$name (xorg) exited with status $rc"
    check "$name ran its guests on Xorg with the fenestra driver ($(wc -l <"$T/$name.starts") servers)" \
        test -s "$T/$name.starts"
done
[ "$ran" -gt 0 ] || skip_test "gui integration tests on Xorg" "no test in tests/integration starts a guest X server"
finish
