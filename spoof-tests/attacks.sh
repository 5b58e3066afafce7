#!/usr/bin/env bash
# Attack cases against guid on a real dom0 Xvfb: a hostile guest (fen-hostile,
# speaking the wire protocol directly) for qube "work" (blue) next to a
# well-behaved qube "personal" (green).  Each case checks the actual dom0
# pixels and properties: every work window framed in blue, titles prefixed
# "[work]", the neighbor's window untouched, guid alive -- or, for malformed
# input, only work's connection dropped with a log line naming the qube.
source "$(dirname "$0")/../tests/lib/fenestra-test.sh"
source "$FENESTRA_SRC/tests/integration/gui-lib.sh"
source "$FENESTRA_SRC/spoof-tests/lib.sh"
trap '' PIPE
spoof_setup spoof-attacks "max_windows = 64" "max_window_memory = 32M" \
    "[qube managed]" "label = orange" "override_redirect = manage"

le32() { local v=$(($1 & 0xffffffff)); printf '%02x%02x%02x%02x' $((v & 255)) $((v >> 8 & 255)) $((v >> 16 & 255)) $((v >> 24 & 255)); }
hdr() { printf '%s%s%s' "$(le32 "$1")" "$(le32 "$2")" "$(le32 "$3")"; } # TYPE WINDOW LEN
title_of() { dom0_list | awk -v w="$1" '$1 == w { t = $8; for (i = 9; i <= NF; i++) t = t " " $i; print t }'; }
win_of_id() { # guest id -> dom0 window (by creation order: the newest mapped work window)
    work_windows | head -n 1
}
on_screen() { # XID: the whole outer window is on the 800x600 screen
    local x y w h
    read -r x y w h <<<"$(geometry "$1")"
    [ -n "$h" ] && [ "$x" -ge 0 ] && [ "$y" -ge 0 ] && [ $((x + w)) -le 800 ] && [ $((y + h)) -le 600 ]
}
wait_work_count() { wait_until 10 eval '[ "$(work_windows | wc -l)" -ge '"$1"' ]'; }

# --- 1. the guest paints its content in another qube's color and damages
#        far outside it: the frame stays blue, the content is its own.
new_guest
g "pool 1024" "create 10 50 50 200 100" "title 10 paint" "dump 10" "fill 10 $GREEN" \
    "damage 10 0 0 200 100" "damage 10 190 90 5000 5000" "map 10"
wait_work_count 1
gsync
expect_intact "fake colors and out-of-window damage: frame intact"
W=$(work_windows | head -n1)
check "... the content shows exactly the guest's pixels, inside the frame" \
    "$BIN/fen-xshot" --display "$DOM0" --window "$W" --expect-rect "3,3,200,100=$GREEN" \
    --expect-frame "3=$BLUE"

# --- 2. pixels larger than the window (dump 1000x800 for a 200x100 window)
g "create 11 300 50 200 100" "dump 11 1000 800" "fill 11 $GREEN" "damage 11 0 0 1000 800" "map 11"
wait_work_count 2
gsync
expect_intact "dump larger than its window: clipped to the content area"

# --- 3. override-redirect flipped after map (MAP and CONFIGURE)
new_guest
g "pool 256" "create 20 100 100 120 80" "dump 20" "fill 20 $BLUE" "damage 20 0 0 120 80" "map 20" \
    "map 20 or" "configure 20 0 0 120 80 or" "fill 20 $GREEN" "damage 20 0 0 120 80"
wait_work_count 1
gsync
expect_intact "override-redirect flipped after map: still framed and titled"
W=$(work_windows | head -n1)
check "... kept on screen with its frame visible" on_screen "$W"
check "... override_redirect = allow (work's policy): unmanaged in dom0, but framed" \
    eval 'xwininfo -display "$DOM0" -id "$W" | grep -q "Override Redirect State: yes"'

# --- 4. off screen, larger than the screen, moved off screen after map
new_guest
g "pool 4096" "create 30 -5000 -5000 100 80" "dump 30" "fill 30 $GREEN" "damage 30 0 0 100 80" "map 30"
wait_work_count 1
gsync
W=$(work_windows | head -n1)
check "window placed off screen is brought on screen" on_screen "$W"
expect_intact "... framed"
g "configure 30 32000 32000 100 80"
gsync
check "moved off screen after map: back on screen" wait_until 5 on_screen "$W"
g "create 31 100 100 8000 8000" "dump 31 1200 900" "fill 31 $GREEN" "damage 31 0 0 1200 900" "map 31"
wait_work_count 2
gsync
BIG=$(dom0_list | awk '$7 == "work" && $4 == 800 { print $1 }')
check "window larger than the screen: clamped to it" test "$(geometry "$BIG")" = "0 0 800 600"
expect_intact "... framed on every edge"

# --- 5. a transient placed over the neighbor's frame
new_guest
g "pool 256" "create 41 100 100 100 100" "map 41" "create 40 494 344 40 40" "dump 40" \
    "fill 40 $GREEN" "damage 40 0 0 40 40" "map 40 41"
wait_work_count 2
gsync
T40=$(dom0_list | awk '$7 == "work" && $2 == 491 { print $1 }')
check "transient over the neighbor's frame is a top-level window with its own blue frame" \
    eval '[ -n "$T40" ] && xwininfo -display "$DOM0" -id "$T40" -tree | grep -q "Parent window id: .*(the root window)" && frame_ok "$T40" "$BLUE"'
expect_intact "transient covering another qube's frame: neighbor intact when raised"

# --- 6. a child whose parent is its own window, placed over the parent's frame
g "create 42 300 100 100 100" "map 42" "raw 0x100 43 $(le32 297)$(le32 97)$(le32 30)$(le32 30)$(le32 42)$(le32 0)" \
    "map 43"
wait_work_count 4
gsync
expect_intact "child covering its parent's frame: each window framed"

# --- 7. a child naming another qube's window as parent
new_guest
g "pool 16" "raw 0x100 44 $(le32 10)$(le32 10)$(le32 30)$(le32 30)$(le32 1)$(le32 0)"
expect_dropped "parent = another qube's window id: dropped" "unknown parent"

# --- 8..12. titles impersonating another qube or dom0
new_guest
g "pool 64" "create 50 20 20 60 40" "title 50 [personal] bank login" "map 50"
wait_work_count 1
gsync
W=$(work_windows | head -n1)
check "title '[personal] ...' is shown as '[work] [personal] ...'" \
    test "$(title_of "$W")" = "[work] [personal] bank login"
g "title 50 dom0"
gsync
check "title 'dom0' is shown as '[work] dom0'" wait_until 3 eval '[ "$(title_of "$W")" = "[work] dom0" ]'
g 'title 50 \xe2\x80\xaenigol knab [lanosrep]\xe2\x80\x8f\xe2\x81\xa6'
gsync
check "bidi overrides and isolates are stripped from the title" \
    wait_until 3 eval '[ "$(title_of "$W")" = "[work] nigol knab [lanosrep]" ]'
g 'title 50 a\nb\x1b[31m\x07c\x00d'
gsync
check "newlines, escapes and NULs are stripped from the title" \
    wait_until 3 eval '[ "$(title_of "$W")" = "[work] a b[31mcd" ]'
g 'title 50 \xff\xfe\xc0\xafzz'
gsync
t=$(title_of "$W")
check "invalid UTF-8 never reaches the title" eval '[[ "$t" == "[work] "* ]] && iconv -f UTF-8 -t UTF-8 <<<"$t" >/dev/null'
g "class 50 personal:XTerm personal"
gsync
check "WM_CLASS is prefixed with the qube" \
    wait_until 3 eval 'xprop -display "$DOM0" -id "$W" WM_CLASS | grep -q "= \"work:personal\", \"work:personal:XTerm\""'
check "_FENESTRA_QUBE and _FENESTRA_LABEL are dom0's" \
    eval 'xprop -display "$DOM0" -id "$W" _FENESTRA_QUBE _FENESTRA_LABEL | tr "\n" " " | grep -q "\"work\".*= 3433892"'
expect_intact "impersonating titles: every title prefixed, neighbor intact"

# --- 13. title length lying past the message
new_guest
g "pool 16" "create 51 20 20 60 40" "raw 0x107 51 $(le32 100)41424344"
expect_dropped "title length longer than its message: dropped" "TITLE|title|length"

# --- 14. fullscreen without policy: maximized, framed; guest told it is fullscreen
new_guest
g "pool 4096" "create 60 100 100 200 100" "dump 60" "fill 60 $GREEN" "damage 60 0 0 200 100" "map 60" \
    "flags 60 1 0"
wait_work_count 1
gsync
W=$(work_windows | head -n1)
check "fullscreen request without policy: the window fills the monitor, framed" \
    wait_until 5 eval '[ "$(geometry "$W")" = "0 0 800 600" ]'
check "... the guest is told it is fullscreen" wait_until 5 grep -q 'recv WM_FLAGS window=60 .*set=0x1' "$HLOG"
check "... and given the content size inside the frame" \
    grep -q 'recv CONFIGURE window=60 .*x=3 y=3 w=794 h=594' "$HLOG"
check "... no banner (nothing unframed to warn about)" \
    eval '[ -z "$(dom0_list | awk '"'"'$6 == "mapped" && $8 == "[dom0]"'"'"')" ]'
expect_intact "fullscreen without policy: frame intact"

# --- 15. focus and raise stealing
xdotool windowraise "$NEIGHBOR"
xdotool windowfocus "$NEIGHBOR" 2>/dev/null
g "unmap 60" "map 60" "configure 60 480 330 100 100" "flags 60 2 0" "map 60 or" "flags 60 0 1" \
    "flags 60 1 0" "configure 60 0 0 800 600"
gsync
sleep 0.3
check "guest remaps, moves, fullscreen: the neighbor stays on top" \
    "$BIN/fen-xshot" --display "$DOM0" --root --expect-rect "503,353,190,140=$NEIGHBOR_COLOR"
check "... and keeps the input focus" test "$(xdotool getwindowfocus 2>/dev/null)" = "$((NEIGHBOR))"
expect_intact "focus/raise stealing: frame intact"

# --- 16. cursor requests out of range
new_guest
g "pool 16" "create 70 20 20 60 40" "map 70" "cursor 70 2" "cursor 70 152" "cursor 70 0xffffffff"
wait_work_count 1
gsync
expect_intact "cursor glyphs in range and the default: accepted"
g "cursor 70 153"
expect_dropped "cursor glyph 153 (out of range): dropped" "CURSOR|cursor|glyph"
new_guest
g "pool 16" "create 71 20 20 60 40" "map 71" "cursor 71 0xfffffffe"
expect_dropped "cursor 0xfffffffe: dropped" "CURSOR|cursor|glyph"

# --- 17. thousands of windows (max_windows = 64 in the config)
new_guest
g "create-many 1000 3000 10 10 20 20"
expect_dropped "3000 windows: dropped at max_windows" "max_windows"

# --- 18. total window memory (max_window_memory = 32M in the config)
new_guest
g "pool 20000" "create 80 0 0 4000 2000" "dump 80" "map 80" "create 81 0 0 4000 2000" "dump 81"
expect_dropped "two 32 MB windows: dropped at max_window_memory" "max_window_memory"

# --- 19. a flood of damage
new_guest
g "pool 64" "create 90 30 30 100 100" "dump 90" "fill 90 $GREEN" "map 90" "repeat 20000 damage 90 0 0 100 100"
wait_work_count 1
gsync
expect_intact "20000 damage messages: guid keeps up, frame intact"

# --- 19b. a flood of full-window damage far past the paint budget (60 dom0
#         screens/s): guid merges what queued up and goes idle soon after the
#         guest stops, instead of painting one stale frame per queued DAMAGE
#         (minutes of a busy dom0 X server before guid 3fb637c).
guid_idle() { # guid work used < 15 ms of CPU over 300 ms
    local a b
    a=$(awk '{ s += $1 } END { print s }' /proc/"$PID_guid_work"/task/*/schedstat)
    sleep 0.3
    b=$(awk '{ s += $1 } END { print s }' /proc/"$PID_guid_work"/task/*/schedstat)
    [ $((b - a)) -lt 15000000 ]
}
new_guest
g "pool 512" "create 91 0 0 780 580" "dump 91" "fill 91 $GREEN" "map 91" \
    "repeat 10000 damage 91 0 0 780 580"
wait_work_count 1
# gsync: the guest's marker behind the flood comes back once guid has read
# all of it (~1 s here; one stale paint per DAMAGE would take ~150 s).
if ! gsync; then
    not_ok "10000 full-window damages past the paint budget: merged, guid idle after" \
        "guid had not read the flood after 20 s"
elif ! wait_until 10 guid_idle; then
    not_ok "10000 full-window damages past the paint budget: merged, guid idle after" \
        "guid still busy 10 s after the guest stopped"
else
    expect_intact "10000 full-window damages past the paint budget: merged, guid idle after"
fi

# --- 20. a guest that never reads: disconnected at the write cap
new_guest
g "pool 64" "create 95 30 30 8 8" "dump 95" "map 95" "stall" "redump 95 200000"
expect_dropped "guest that never reads: dropped at the output cap" "stopped reading"

# --- 21. killed mid-message
new_guest
g "pool 16" "bytes $(hdr 0x100 96 24)$(le32 10)$(le32 10)"
gsync
crash "guest$GN"
GUEST_OPEN=0
expect_dropped "guest killed mid-message" "disconnected|closed"
GUEST_OPEN=0

# --- 22. dump refs outside the pool
new_guest
g "pool 16" "create 100 10 10 16 16" "map 100" \
    "raw 0x106 100 $(le32 1)$(le32 16)$(le32 16)$(le32 64)$(le32 0)$(le32 1)$(le32 1)$(le32 0)$(le32 1)$(le32 9999)"
expect_dropped "WINDOW_DUMP ref outside the pool: dropped" "ref|pool|page"

# --- 23. dump from a pool that was never announced
new_guest
g "pool 16" "create 101 10 10 16 16" \
    "raw 0x106 101 $(le32 1)$(le32 16)$(le32 16)$(le32 64)$(le32 0)$(le32 1)$(le32 1)$(le32 5)$(le32 1)$(le32 0)"
expect_dropped "WINDOW_DUMP from an unknown pool: dropped" "pool"

# --- 24. num_refs lying about the body
new_guest
g "pool 16" "create 102 10 10 16 16" \
    "raw 0x106 102 $(le32 1)$(le32 16)$(le32 16)$(le32 64)$(le32 0)$(le32 1)$(le32 1)$(le32 0)$(le32 50)$(le32 0)"
expect_dropped "WINDOW_DUMP num_refs larger than the message: dropped" "WINDOW_DUMP|refs|length"

# --- 25. lying header lengths
new_guest
g "bytes $(hdr 0x100 5 0x7fffffff)"
expect_dropped "header length 2 GiB: dropped before buffering" "bad message header"
new_guest
g "bytes $(hdr 0x100 5 4)00000000"
expect_dropped "CREATE with a 4-byte body: dropped" "CREATE|length|size"

# --- 26. huge sizes
new_guest
g "create 103 0 0 0xffffffff 0xffffffff"
expect_dropped "CREATE 4294967295x4294967295: dropped" "CREATE|size|range|large"
new_guest
g "pool 16" "create 104 0 0 100 100" \
    "raw 0x106 104 $(le32 1)$(le32 8192)$(le32 8192)$(le32 32768)$(le32 0)$(le32 1)$(le32 1)$(le32 0)$(le32 1)$(le32 0)"
expect_dropped "WINDOW_DUMP 8192x8192 backed by one page: dropped" "WINDOW_DUMP|refs|pages"

# --- 27. unknown message types, dom0-only types, a second HELLO
new_guest
g "raw 0x999 0"
expect_dropped "unknown message type: dropped" "type|unknown|malformed"
new_guest
g "raw 0x120 0 $(le32 1)$(le32 0)$(le32 0)$(le32 0)$(le32 38)"
expect_dropped "a dom0->guest KEY message from the guest: dropped" "KEY|direction|expected|malformed"
new_guest
g "raw 0x1 0 $(le32 0x464e4553)$(le32 1)$(le32 0)$(le32 1)$(le32 0)$(le32 0)$(le32 0)$(le32 0)"
expect_dropped "a second HELLO: dropped" "HELLO|expected"

new_guest --no-hello
g "create 106 10 10 20 20"
expect_dropped "a guest that skips HELLO: dropped" "expected HELLO"

# --- 27b. frame pacing: a FRAME_MARK from a guest that did not advertise
#          FEN_FEATURE_FRAME_PACING is refused; a guest that did is granted it
#          and has each mark answered (FRAME_SHOWN, same serial)
new_guest
g "pool 64" "create 107 30 30 40 30" "dump 107" "map 107" "mark 107 5"
expect_dropped "FRAME_MARK without negotiating frame pacing: dropped" "FRAME_MARK.*not negotiated"
new_guest --pacing
g "pool 64" "create 108 30 30 40 30" "title 108 paced" "dump 108" "fill 108 $GREEN" "map 108" \
    "damage 108 0 0 40 30" "mark 108 7"
wait_work_count 1
check "frame pacing: guid grants it in its HELLO" grep -q 'recv HELLO window=0 .*features=0x1' "$HLOG"
check "... and logs the grant" log_has 'gui protocol .* up, features granted: frame-pacing'
# the guest prints what dom0 sent when it reads its next script line
frame_shown() { gsync && grep -q "recv FRAME_SHOWN window=108 .*serial=$1\$" "$HLOG"; }
check "... a mark behind damage is answered once painted" wait_until 5 frame_shown 7
g "mark 108 8"
check "... a mark with nothing to paint is answered" wait_until 5 frame_shown 8
expect_intact "frame pacing: marks answered, frame intact"
g "mark 4242 9"
expect_dropped "FRAME_MARK for an unknown window: dropped" "FRAME_MARK: unknown window"

# --- 28. duplicate and unknown window ids
new_guest
g "create 105 10 10 20 20" "create 105 10 10 20 20"
expect_dropped "CREATE of an existing id: dropped" "already exists"
new_guest
g "destroy 4242"
expect_dropped "DESTROY of an unknown id: dropped" "unknown window"

# --- 29. pool announcements out of range
new_guest
g "raw 0x10c 0 $(le32 0xffffffff)$(le32 0)"
expect_dropped "POOL with 4294967295 pages: dropped" "POOL|pool|pages"

# --- 30. override_redirect = manage (qube "managed"): a guest override-redirect
#         window still goes through the dom0 window manager
mkdir -p "$T/ch-managed"
rm -f "$T/managed.fifo" && mkfifo "$T/managed.fifo"
spawn guest_managed bash -c 'exec "$1" --listen "$2" <"$3"' _ "$BIN/fen-hostile" "local:$T/ch-managed" \
    "$T/managed.fifo"
exec 6>"$T/managed.fifo"
spawn guid_managed "$BIN/guid" --qube managed --connect "local:$T/ch-managed" --display "$DOM0" \
    --config "$CONF"
printf '%s\n' "pool 16" "create 1 10 10 50 40 or" "title 1 menu" "map 1 or" "configure 1 10 10 50 40 or" >&6
if wait_dom0_win M managed "" 10; then
    check "override_redirect = manage: the guest's override-redirect window is managed in dom0" \
        eval 'xwininfo -display "$DOM0" -id "$M" | grep -q "Override Redirect State: no"'
    check "... framed in its label color (orange)" frame_ok "$M" f57900
else
    not_ok "override_redirect = manage: the window appears"
fi
exec 6>&-

# After all of it: the neighbor never noticed and guid work serves a good guest.
new_guest
g "pool 64" "create 110 200 200 50 50" "title 110 fine" "dump 110" "fill 110 $GREEN" "damage 110 0 0 50 50" "map 110"
wait_work_count 1
gsync
check "after every attack guid work still shows a good guest's window" \
    eval 'W=$(work_windows | head -n1); [ -n "$W" ] && "$BIN/fen-xshot" --display "$DOM0" --window "$W" --expect-frame "3=$BLUE" --expect-rect "3,3,50,50=$GREEN"'
check "the neighbor's connection was never dropped" eval '! grep -q dropping "$T/guid_personal.log"'
exec 7>&-
finish
