#!/usr/bin/env bash
# guid against a scripted fake guest (fen-hostile): exact pixels and frame,
# sanitized title and properties, configure/unmap/destroy, a window larger
# than the screen, and malformed input dropping the connection with a log
# line naming the qube while guid stays up and accepts the guest again; a
# version mismatch at the handshake is refused.
source "$(dirname "$0")/../lib/fenestra-test.sh"
source "$(dirname "$0")/gui-lib.sh"
fen_test_init gui-guid-hostile
start_xvfb DOM0 800x600x24 || { not_ok "dom0 Xvfb"; exit 1; }
CH=$T/ch
mkdir -p "$CH"
BLUE=3465a4

hostile_open guest "$CH"
start_guid guid work blue "$CH"
hostile_cmd "pool 2048" "create 5 50 60 100 80" \
    'title 5 bidi \xe2\x80\xae evil\x1b\x07 end' "class 5 XTerm xterm" \
    "dump 5" "fill 5 ff0000" "fill 5 00ff00 10 10 20 20" "damage 5 0 0 100 80" "map 5"
if wait_dom0_win W work; then ok "guest window appears in dom0"; else not_ok "guest window appears in dom0"; exit 1; fi

check "frame is the label color, every pixel" \
    "$BIN/fen-xshot" --display "$DOM0" --window "$W" --expect-frame "3=$BLUE"
check "content is the guest's pixels, exactly" \
    "$BIN/fen-xshot" --display "$DOM0" --window "$W" --expect-rect "3,3,10,80=ff0000" \
    --expect-rect "13,13,20,20=00ff00" --expect-rect "33,3,70,80=ff0000" \
    --expect-rect "3,3,100,10=ff0000" --expect-rect "3,33,100,50=ff0000"
check "dom0 window sits at the guest position, framed" test "$(geometry "$W")" = "47 57 106 86"

title=$(dom0_list | awk -v w="$W" '$1 == w' | cut -d' ' -f8-)
check "title is prefixed and sanitized" test "$title" = "[work] bidi  evil end"
props=$(xprop -display "$DOM0" -id "$W" _FENESTRA_QUBE _FENESTRA_LABEL WM_CLASS)
check "qube and label properties" grep -q '_FENESTRA_QUBE(UTF8_STRING) = "work"' <<<"$props"
check "label color property" grep -qi '_FENESTRA_LABEL(CARDINAL) = 3433892' <<<"$props"
check "WM_CLASS names the qube" grep -q 'WM_CLASS(STRING) = "work:xterm", "work:XTerm"' <<<"$props"

hostile_cmd "configure 5 200 150 120 90 0"
check "configure moves and resizes the dom0 window" \
    wait_until 5 eval '[ "$(geometry "$W")" = "197 147 126 96" ]'
hostile_cmd "unmap 5"
check "unmap hides the dom0 window" wait_until 5 eval '[ -z "$(dom0_win work)" ]'
hostile_cmd "map 5"
check "map shows it again" wait_until 5 eval '[ -n "$(dom0_win work)" ]'

hostile_cmd "create 6 -50 -40 1000 900" "dump 6" "fill 6 0000ff" "damage 6 0 0 1000 900" "map 6"
wait_until 5 eval '[ "$(dom0_list | awk '"'"'$7 == "work" && $6 == "mapped"'"'"' | wc -l)" = 2 ]'
BIG=$(dom0_list | awk '$7 == "work" && $6 == "mapped" && $4 == 800 { print $1 }')
check "a window larger than the screen is clamped on screen" \
    test "$(geometry "$BIG" 2>/dev/null)" = "0 0 800 600"
check "... and stays framed, content inside" \
    "$BIN/fen-xshot" --display "$DOM0" --window "$BIG" --expect-frame "3=$BLUE" \
    --expect-rect "3,3,794,594=0000ff"

hostile_cmd "destroy 6"
check "destroy removes the dom0 window" \
    wait_until 5 eval '[ "$(dom0_list | awk '"'"'$7 == "work"'"'"' | wc -l)" = 1 ]'

# Bad input: damage for a window that does not exist.
hostile_cmd "damage 77 0 0 1 1" "sleep 300"
check "malformed message is logged naming the qube" \
    wait_until 5 grep -q 'qube work: dropping the gui connection: DAMAGE: unknown window 77' "$T/guid.log"
check "its windows vanish" wait_until 5 eval '[ -z "$(dom0_list | awk '"'"'$7 == "work"'"'"')" ]'
check "guid stays up" kill -0 "$PID_guid"
exec 7>&-
stop guest

# The guest comes back (a new server on the same channel): guid reconnects.
hostile_open guest2 "$CH"
hostile_cmd "pool 64" "create 9 300 300 40 30" "dump 9" "fill 9 123456" "damage 9 0 0 40 30" "map 9"
if wait_dom0_win W2 work "" 10; then ok "guid reconnects to a returning guest"; else not_ok "guid reconnects to a returning guest"; fi
check "... and shows its pixels" \
    "$BIN/fen-xshot" --display "$DOM0" --window "$W2" --expect-frame "3=$BLUE" --expect-rect "3,3,40,30=123456"

# A lying header (unknown type, huge length): dropped before any buffering.
hostile_cmd "bytes ffff0000000000000000ff7f" "sleep 300"
check "bad header is logged naming the qube" \
    wait_until 5 grep -q 'qube work: dropping the gui connection: bad message header' "$T/guid.log"
check "guid is still up after both" kill -0 "$PID_guid"
exec 7>&-
stop guest2

# A guest speaking another major version: refused at the handshake.
hostile_open guest3 "$CH" --no-hello
hostile_cmd "raw 1 0 4646454e02000000000000000100000000000000000000000000000000000000" "sleep 300"
check "a major version mismatch is refused, naming the qube" \
    wait_until 5 grep -qE 'qube work: dropping the gui connection: .*(version|major)' "$T/guid.log"
check "guid is still up after a bad handshake" kill -0 "$PID_guid"
exec 7>&-
finish
