#!/usr/bin/env bash
# End to end for the Windows agent under Wine: a Win32 test application
# (fen-wintest.exe) and gui-agent.exe run in a private Wine prefix on a guest
# Xvfb; guid shows the qube on a dom0 Xvfb over the loopback TCP channel and
# the sealed page pool fen-pool-hold created (tcp:PORT:/proc/PID/fd/N).
#   - the window appears framed in the label color with exactly the app's pixels
#   - keys typed in dom0 (xdotool) arrive in the Win32 app
#   - a title change shows with the [qube] prefix; new pixels arrive as damage
#   - clipboard: Ctrl-Shift-C on the Windows window, Ctrl-Shift-V on a Linux
#     qube's window (clipd + clip-agent) pastes the Windows text there
#   - the agent logs that it captures with GDI because Wine has no DXGI
#     desktop duplication; size hints reach dom0's WM_NORMAL_HINTS
#   - with a fake dom0 (gui-agent-fake-dom0) in guid's place: minimize /
#     maximize both ways (WM_FLAGS), the cursor message for the window under
#     the pointer
# Needs wine and mingw-w64 (scripts/deps/windows.txt): skipped without them.
source "$(dirname "$0")/../../tests/lib/fenestra-test.sh"
source "$(dirname "$0")/../../tests/integration/gui-lib.sh"
EXE_DIR=$FENESTRA_SRC/build/bin # the .exe files are built once, outside O=
if ! command -v wine >/dev/null || [ ! -x "$EXE_DIR/gui-agent.exe" ] ||
    [ ! -x "$EXE_DIR/fen-wintest.exe" ] || [ ! -x "$EXE_DIR/fen-winunit.exe" ]; then
    echo "ok 1 - windows agent under wine # SKIP needs wine, mingw-w64 and build/bin/*.exe"
    exit 0
fi
fen_test_init windows-agent
BLUE=3465a4
# Win32 app: 160x100 at (40,50), quadrants red / green / blue / yellow.
RED=ff0000 GREEN=00ff00 QBLUE=0000ff YELLOW=ffff00 MAGENTA=ff00ff

winpath() { printf 'Z:%s' "$1" | tr / '\\'; }
port_free() { ! ss -Htln "( sport = :$1 or sport = :$(($1 + 1)) )" | grep -q .; }
pick_port() {
    local p
    for _ in $(seq 1 50); do
        p=$((20000 + RANDOM % 30000))
        port_free "$p" && { echo "$p"; return 0; }
    done
    return 1
}

start_xvfb DOM0 1024x768x24 || { not_ok "dom0 Xvfb"; exit 1; }
start_xvfb GUEST 800x600x24 || { not_ok "guest Xvfb"; exit 1; }

# One private Wine prefix per run, served by a wineserver we own (stopped by
# pid at exit like everything else).
export WINEPREFIX=$T/wine WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" DISPLAY=$GUEST
mkdir -p "$WINEPREFIX"
spawn wineserver wineserver --foreground --persistent
# Wine's helper processes (services.exe, winedevice.exe, ...) do not notice
# their server dying: end every process of this prefix through the server
# before the usual cleanup stops the server itself.
wine_down() { timeout 10 wineserver -k >/dev/null 2>&1; }
trap 'wine_down; _fen_cleanup' EXIT
if timeout 50 wine wineboot -i >"$T/wineboot.log" 2>&1; then
    ok "wine prefix created"
else
    not_ok "wine prefix created"
    exit 1
fi

# Unit tests of the Windows-only code (keymap, UTF-16, Winsock channel,
# Win32 file pool), in the prefix just made; their TAP lines become ours.
UPORT=$(pick_port) || { not_ok "a free loopback port"; exit 1; }
timeout 30 wine "$EXE_DIR/fen-winunit.exe" "$UPORT" "$(winpath "$T/scratch.pool")" \
    >"$T/winunit.out" 2>&1
check "winunit runs to completion" test $? -eq 0
while IFS= read -r line; do
    case "$line" in
    "ok "*) ok "winunit: ${line#ok * - }" ;;
    "not ok "*) not_ok "winunit: ${line#not ok * - }" ;;
    esac
done < <(tr -d '\r' <"$T/winunit.out")
spawn pool "$BIN/fen-pool-hold" --pages 4096
wait_until 5 grep -q '^/proc/' "$T/pool.log" || { not_ok "page pool created"; exit 1; }
POOL=$(head -n 1 "$T/pool.log")
PORT=$(pick_port) || { not_ok "a free loopback port"; exit 1; }

# dom0 side: clipd, guid for the Windows qube (tcp) and for a Linux qube B
# (local, played by fen-hostile + clip-agent) to paste into.
S=$XDG_RUNTIME_DIR/fenestra/clipd.sock
spawn clipd "$BIN/clipd" --audit "$T/audit.log"
wait_until 10 test -S "$S" || { not_ok "clipd listens"; exit 1; }
start_xvfb DB 640x480x24 || { not_ok "Linux qube Xvfb"; exit 1; }
mkdir -p "$T/B"
printf '%s\n' "pool 256" "create 1 600 100 200 150" "title 1 linux" "dump 1" \
    "fill 1 808080" "damage 1 0 0 200 150" "map 1" "hold" >"$T/guiB.script"
spawn guiB "$BIN/fen-hostile" --listen "local:$T/B" --script "$T/guiB.script"
spawn agentB "$BIN/clip-agent" --qube B --listen "local:$T/B" --display "$DB"
start_guid guidB B green "$T/B"

# The agent and guid first: the app's window is then found through the
# window events, not by the agent's start-up enumeration.
spawn agent wine "$EXE_DIR/gui-agent.exe" --connect "tcp:$PORT:$(winpath "$POOL")"
wait_until 20 grep -q 'serving tcp' "$T/agent.log" || { not_ok "agent starts"; exit 1; }
# Wine 8 implements no IDXGIOutput1::DuplicateOutput (E_NOTIMPL): the agent
# must say so and run the GDI path, which is what everything below tests.
check "no DXGI desktop duplication under Wine: the agent says why and uses GDI" grep -Eq \
    'DXGI desktop duplication unavailable \((DuplicateOutput|D3D11CreateDevice|no IDXGIOutput1).* hr=0x[0-9a-f]{8}\): using GDI capture' \
    "$T/agent.log"
spawn guid "$BIN/guid" --qube win --label blue --connect "tcp:$PORT:$POOL" --display "$DOM0" \
    --frame-width 4
wait_until 20 grep -q 'gui: connected' "$T/agent.log" || { not_ok "guid connects"; exit 1; }
CLIPTEXT='copied in Windows: été ✓'
spawn app wine "$EXE_DIR/fen-wintest.exe" --log "$(winpath "$T/keys.log")" \
    --title "notes win" --clip "$CLIPTEXT"
wait_until 20 grep -q '^ready' "$T/keys.log" || { not_ok "Win32 test app starts"; exit 1; }

if wait_dom0_win W win '\[win\] notes win' 20; then
    ok "the Windows window appears in dom0 with the [qube] title"
else
    not_ok "the Windows window appears in dom0 with the [qube] title"
    exit 1
fi
pixels_are() { # TOP-LEFT-COLOR [W H]: the app's quadrants inside a 4-pixel frame
    local hw=$((${2:-160} / 2)) hh=$((${3:-100} / 2))
    "$BIN/fen-xshot" --display "$DOM0" --window "$W" --expect-frame "4=$BLUE" \
        --expect-rect "4,4,$hw,$hh=$1" --expect-rect "$((4 + hw)),4,$hw,$hh=$GREEN" \
        --expect-rect "4,$((4 + hh)),$hw,$hh=$QBLUE" \
        --expect-rect "$((4 + hw)),$((4 + hh)),$hw,$hh=$YELLOW"
}
check "dom0 shows exactly the Win32 pixels inside a blue frame" wait_until 10 pixels_are "$RED"
check "the window is at the Windows position, framed" test "$(geometry "$W")" = "36 46 168 108"
check "WM_CLASS names the qube, program and window class" \
    eval 'xprop -display "$DOM0" -id "$W" WM_CLASS | grep -q "\"win:fen-wintest\", \"win:FenestraTestApp\""'

press() { # XID KEYS...
    local w=$1
    shift
    DISPLAY=$DOM0 xdotool windowfocus --sync "$w" mousemove --window "$w" 20 20 key --delay 40 "$@"
}
press "$W" h e l l o
typed() { grep '^char ' "$T/keys.log" | cut -d' ' -f2 | tr '\n' ' '; }
check "keys typed in dom0 arrive in the Win32 app" wait_until 10 eval \
    '[ "$(typed)" = "0068 0065 006c 006c 006f " ]'
press "$W" shift+a Return
check "shifted letters and special keys arrive" wait_until 10 eval \
    'grep -q "^char 0041" "$T/keys.log" && grep -q "^keydown 0d" "$T/keys.log"'

press "$W" Left Delete
check "extended keys arrive (Left, Delete)" wait_until 10 eval \
    'grep -q "^keydown 25" "$T/keys.log" && grep -q "^keydown 2e" "$T/keys.log"'
# Content origin in dom0 is (40,50): the click lands at window (30,20).
DISPLAY=$DOM0 xdotool mousemove 70 70 click 1
check "a dom0 click arrives at window coordinates" wait_until 10 grep -q '^lbutton 30 20$' "$T/keys.log"

press "$W" F5
check "a title change shows with the prefix" \
    wait_until 10 eval '[ -n "$(dom0_win win "\[win\] renamed été 1")" ]'
press "$W" F6
check "repainted pixels reach dom0 (damage)" wait_until 10 pixels_are "$MAGENTA"

press "$W" F7
check "a Windows resize is reflected" wait_until 10 eval '[ "$(geometry "$W")" = "36 46 208 148" ]'
check "... with the new pixels" wait_until 10 pixels_are "$MAGENTA" 200 140
hints_are() { # XID MIN MAX ("W by H", frame included)
    local h
    h=$(xprop -display "$DOM0" -id "$1" WM_NORMAL_HINTS)
    grep -q "minimum size: $2\$" <<<"$h" && grep -q "maximum size: $3\$" <<<"$h"
}
check "a fixed-size (no WS_THICKFRAME) window is dom0's min and max size" \
    wait_until 10 hints_are "$W" "208 by 148" "208 by 148"
DISPLAY=$DOM0 xdotool windowmove "$W" 300 200
check "a dom0 move reaches the Windows window" wait_until 10 grep -q '^moved 304 204$' "$T/keys.log"

# Clipboard: Windows qube -> Linux qube B, by the user's hotkeys.
pasted_is_cliptext() {
    DISPLAY=$DB xclip -o -selection clipboard >"$T/pasted" 2>/dev/null
    cmp -s "$T/pasted" "$T/cliptext"
}
wait_dom0_win WB B || not_ok "the Linux qube's window is up"
if wait_until 10 grep -q 'qube win: clipboard channel ready' "$T/clipd.log"; then
    ok "clipd reaches the Windows agent's clipboard channel"
    printf '%s' "$CLIPTEXT" >"$T/cliptext"
    press "$W" ctrl+shift+c
    check "Ctrl-Shift-C on the Windows window copies its clipboard" wait_until 10 \
        grep -q "source=win" "$T/audit.log"
    press "$WB" ctrl+shift+v
    check "Ctrl-Shift-V pastes the Windows text into the Linux qube" wait_until 10 pasted_is_cliptext
    # ... and back: Linux qube B -> the Windows qube, which confirms the paste.
    printf 'from Linux: ünïcode ✓' >"$T/linuxtext"
    DISPLAY=$DB spawn xclipB xclip -quiet -selection clipboard -i "$T/linuxtext"
    wait_until 10 bash -c "DISPLAY=$DB xclip -o -selection clipboard | cmp -s - '$T/linuxtext'"
    press "$WB" ctrl+shift+c
    check "Ctrl-Shift-C on the Linux window copies B's clipboard" wait_until 10 \
        grep -q "copy source=B bytes=$(stat -c %s "$T/linuxtext")" "$T/audit.log"
    press "$W" ctrl+shift+v
    check "Ctrl-Shift-V on the Windows window: the Windows agent confirms the paste" \
        wait_until 10 grep -q "qube win: paste of $(stat -c %s "$T/linuxtext") bytes confirmed by its agent" "$T/clipd.log"
    press "$W" F4
    check "... and the text is on the Windows clipboard" wait_until 10 \
        grep -q "^clipboard $(od -An -tx1 -v "$T/linuxtext" | tr -d ' \n')\$" "$T/keys.log"
else
    not_ok "clipd reaches the Windows agent's clipboard channel"
fi

# A second, resizable window at (20,380), clear of the first (GDI captures
# what is on screen), with WM_GETMINMAXINFO limits (150x100..400x300
# of window size; dom0 adds its 4-pixel frame on each side).
press "$W" F8
if wait_dom0_win WL win '\[win\] limits win' 20; then
    ok "a second Windows window appears"
    check "WM_GETMINMAXINFO's min/max track size reach dom0's WM_NORMAL_HINTS" \
        wait_until 10 hints_are "$WL" "158 by 108" "408 by 308"
else
    not_ok "a second Windows window appears"
fi

# Window-state flags, both directions, and the cursor message: a fake dom0
# (prints what it receives, sends what it is told) takes guid's place.
stop guid
FAKE=$FENESTRA_BUILD/tests/gui-agent-fake-dom0
rm -f "$T/fake.fifo" && mkfifo "$T/fake.fifo"
spawn fake bash -c 'exec "$1" "$2" <"$3"' _ "$FAKE" "tcp:$PORT:$POOL" "$T/fake.fifo"
exec 8>"$T/fake.fifo"
fake() { echo "$*" >&8; }
LID=
if wait_until 20 grep -q '^TITLE 0x[0-9a-f]* limits win$' "$T/fake.log"; then
    LID=$(awk '/^TITLE 0x[0-9a-f]* limits win$/ { print $2; exit }' "$T/fake.log")
fi
flags_seen() { grep -c "^FLAGS $LID set=$1 unset=$2\$" "$T/fake.log"; }
after_line() { # N REGEX: a line matching REGEX after line N of the fake dom0's log
    tail -n +"$(($1 + 1))" "$T/fake.log" | grep -q "$2"
}
if [ -n "$LID" ]; then
    ok "the fake dom0 gets the windows (limits win is $LID)"
    # Windows -> dom0: the application maximizes and restores itself (F9).
    fake key "$LID" press 75 0 && fake key "$LID" release 75 0
    check "maximized in Windows: WM_FLAGS set MAXIMIZED reaches dom0" \
        wait_until 10 eval '[ "$(flags_seen 0x4 0x0)" -ge 1 ]'
    fake key "$LID" press 75 0 && fake key "$LID" release 75 0
    check "restored in Windows: WM_FLAGS unset MAXIMIZED" \
        wait_until 10 eval '[ "$(flags_seen 0x0 0x4)" -ge 1 ]'
    # dom0 -> Windows: maximize, restore, minimize, restore with ShowWindow.
    n=$(grep -c '^limits ' "$T/keys.log")
    fake flags "$LID" 0x4 0
    check "dom0 asks to maximize: the Windows window is maximized" wait_until 10 eval \
        'tail -n +$((n + 1)) "$T/keys.log" | grep -q "^limits maximized"'
    fake flags "$LID" 0 0x4
    check "dom0 asks to restore: the Windows window is restored" wait_until 10 eval \
        'tail -n +$((n + 1)) "$T/keys.log" | grep -A9 "^limits maximized" | grep -q "^limits restored"'
    check "... and the state dom0 asked for is not echoed back" \
        eval '[ "$(flags_seen 0x4 0x0)" -eq 1 ] && [ "$(flags_seen 0x0 0x4)" -eq 1 ]'
    m=$(wc -l <"$T/fake.log")
    fake flags "$LID" 0x8 0
    check "dom0 asks to minimize: minimized in Windows, unmapped in dom0" wait_until 10 eval \
        'grep -q "^limits minimized" "$T/keys.log" && after_line $m "^UNMAP $LID\$"'
    m=$(wc -l <"$T/fake.log")
    fake flags "$LID" 0 0x8
    check "dom0 asks to restore a minimized window: mapped again" \
        wait_until 10 after_line "$m" "^MAP $LID "
    # Windows -> dom0: the application minimizes itself (F11).
    m=$(wc -l <"$T/fake.log")
    fake key "$LID" press 95 0 && fake key "$LID" release 95 0
    check "minimized in Windows: WM_FLAGS set MINIMIZED and UNMAP reach dom0" wait_until 10 eval \
        'after_line $m "^FLAGS $LID set=0x8 unset=0x0\$" && after_line $m "^UNMAP $LID\$"'
    fake flags "$LID" 0 0x8
    # The pointer over the window: the agent names its shape.  (Under Wine
    # another process's cursor cannot be recognized: dom0's default, 4294967295.)
    fake motion "$LID" 60 60
    check "the pointer over a window: a valid CURSOR message for it" \
        wait_until 10 grep -Eq "^CURSOR $LID (4294967295|60)\$" "$T/fake.log"
else
    not_ok "the fake dom0 gets the windows"
fi
check "the fake dom0 found every message valid" eval '! grep -Eq "^(INVALID|BADDUMP|DUMPFAIL|BADCMD)" "$T/fake.log"'
fake quit
exec 8>&-
wait_until 10 eval '! kill -0 "$PID_fake" 2>/dev/null'

spawn guid2 "$BIN/guid" --qube win --label blue --connect "tcp:$PORT:$POOL" --display "$DOM0" \
    --frame-width 4
check "after guid restarts the window comes back" wait_until 20 eval \
    '[ -n "$(dom0_win win "\[win\] renamed")" ]'
W=$(dom0_win win '\[win\] renamed')
check "... with its pixels" wait_until 10 pixels_are "$MAGENTA" 200 140

# An agent restart: the new agent finds the existing window by enumeration
# and listens on the same ports again; guid reconnects by itself.  This one
# runs with --capture gdi (no DXGI attempt at all).
stop agent
spawn agent2 wine "$EXE_DIR/gui-agent.exe" --connect "tcp:$PORT:$(winpath "$POOL")" --capture gdi
check "after the agent restarts the window comes back" wait_until 20 eval \
    '[ -n "$(dom0_win win "\[win\] renamed")" ]'
W=$(dom0_win win '\[win\] renamed')
check "... with its pixels" wait_until 10 pixels_are "$MAGENTA" 200 140
check "--capture gdi: the agent says it uses GDI without trying DXGI" eval \
    'grep -q "using GDI capture (--capture gdi)" "$T/agent2.log" && ! grep -q DXGI "$T/agent2.log"'

stop app
check "closing the Win32 app removes the dom0 window" \
    wait_until 10 eval '[ -z "$(dom0_list | awk '"'"'$7 == "win"'"'"')" ]'
finish
