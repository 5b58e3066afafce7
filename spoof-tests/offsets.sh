#!/usr/bin/env bash
# Garbage at every byte offset: a valid CREATE (36 bytes on the wire) with
# its byte at offset i flipped, for every i; and the same message cut after
# i bytes with the guest killed there, for every i.  Whatever guid makes of
# each, dom0 stays safe: either the window is shown framed in blue and on
# screen, or only work's connection is dropped with a log line naming the
# qube; guid stays up; the neighbor qube never notices.
source "$(dirname "$0")/../tests/lib/fenestra-test.sh"
source "$FENESTRA_SRC/tests/integration/gui-lib.sh"
source "$FENESTRA_SRC/spoof-tests/lib.sh"
trap '' PIPE
spoof_setup spoof-offsets

le32() { local v=$(($1 & 0xffffffff)); printf '%02x%02x%02x%02x' $((v & 255)) $((v >> 8 & 255)) $((v >> 16 & 255)) $((v >> 24 & 255)); }
# CREATE window 7 at 20,20 size 40x30, top-level, managed
MSG="$(le32 0x100)$(le32 7)$(le32 24)$(le32 20)$(le32 20)$(le32 40)$(le32 30)$(le32 0)$(le32 0)"
LEN=$((${#MSG} / 2))

on_screen() {
    local x y w h
    read -r x y w h <<<"$(geometry "$1")"
    [ -n "$h" ] && [ "$x" -ge 0 ] && [ "$y" -ge 0 ] && [ $((x + w)) -le 800 ] && [ $((y + h)) -le 600 ]
}

# After the guest sent its bytes: dropped with a log line, or every work
# window framed and on screen.
safe_now() {
    guid_alive || return 1
    if log_has "qube work: dropping the gui connection: "; then
        wait_until 10 eval '[ -z "$(all_work_windows)" ]' || { fail_why "windows remain after a drop"; return 1; }
        return 0
    fi
    local w
    for w in $(work_windows); do
        on_screen "$w" || { fail_why "window $w off screen"; return 1; }
        frame_ok "$w" "$BLUE" || { fail_why "window $w frame"; return 1; }
    done
    titles_prefixed
}

bad_mutate=""
for ((i = 0; i < LEN; i++)); do
    byte=$((0x${MSG:$((2 * i)):2} ^ 0xff))
    mutated="${MSG:0:$((2 * i))}$(printf '%02x' "$byte")${MSG:$((2 * i + 2))}"
    new_guest
    g "pool 16" "bytes $mutated" "map 7" "dump 7 40 30" "fill 7 $GREEN" "damage 7 0 0 40 30"
    gsync
    _why=""
    safe_now || bad_mutate="$bad_mutate $i(${_why})"
done
if [ -z "$bad_mutate" ]; then ok "CREATE with its byte flipped at each of the $LEN offsets: dom0 safe"; else not_ok "byte flips" "unsafe at offsets:$bad_mutate"; fi

bad_cut=""
for ((i = 0; i < LEN; i++)); do
    new_guest
    [ "$i" -gt 0 ] && g "bytes ${MSG:0:$((2 * i))}"
    gsync
    crash "guest$GN"
    GUEST_OPEN=0
    _why=""
    if ! wait_until 10 log_has "qube work: dropping the gui connection: .*(disconnected|closed)"; then
        bad_cut="$bad_cut $i(no drop logged)"
    elif ! guid_alive; then
        bad_cut="$bad_cut $i(guid died)"
    fi
done
if [ -z "$bad_cut" ]; then ok "guest killed after each of 0..$((LEN - 1)) bytes of a message: dropped and logged"; else not_ok "cut messages" "unsafe at:$bad_cut"; fi

_why=""
neighbor_intact
_report "the neighbor qube never noticed"
check "guid work still takes a good guest" eval '
    new_guest; g "pool 16" "create 8 30 30 40 30" "dump 8" "fill 8 $GREEN" "damage 8 0 0 40 30" "map 8"; gsync
    wait_until 5 eval "[ -n \"\$(work_windows)\" ]" && frame_ok "$(work_windows | head -n1)" "$BLUE"'
exec 7>&-
finish
