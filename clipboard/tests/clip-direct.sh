#!/usr/bin/env bash
# Clipboard end to end without guid: two guest Xvfbs (qubes A and B) with
# clip-agent, two hostile clipboard guests (H: unrequested + late replies,
# G: malformed stream), clipd, and the control lines guid would send
# (`copy QUBE MS` / `paste QUBE MS`), sent here by clip-ctl.
source "$(dirname "$0")/../../tests/lib/fenestra-test.sh"
fen_test_init clip-direct
CTL=$FENESTRA_BUILD/tests/clip-ctl
HOSTILE=$FENESTRA_BUILD/tests/clip-hostile-guest
S=$T/clipd.sock
AUDIT=$T/audit.log
ctl() { "$CTL" "$S" "$@"; }
show_has() { ctl show | grep -q -- "$1"; }
log_has() { grep -q -- "$2" "$T/$1.log"; }
xclip_n=0
# set_clip DISPLAY FILE: an xclip in that guest owns CLIPBOARD with FILE's bytes
set_clip() {
    xclip_n=$((xclip_n + 1))
    DISPLAY=$1 spawn "xclip$xclip_n" xclip -quiet -selection clipboard -i "$2"
    wait_until 10 clip_is "$1" clipboard "$2"
}
clip_is() { DISPLAY=$1 xclip -o -selection "$2" 2>/dev/null | cmp -s - "$3"; }
# copy QUBE: send the copy line and wait until clipd has its answer
copy() { ctl copy "$1" @now >/dev/null && wait_until 20 show_has "copying=-"; }
paste() { ctl paste "$1" @now >/dev/null; }

start_xvfb DA 640x480x24 || { not_ok "guest X servers start"; exit 1; }
start_xvfb DB 640x480x24 || { not_ok "guest X servers start"; exit 1; }
mkdir -p "$T/A" "$T/B" "$T/H" "$T/G" "$T/F" "$T/K" "$T/S" "$T/L" "$T/D"
printf 'B A deny\n# everything else: allowed\n' >"$T/policy"
# A stand-in notify-send records what the user would be shown; clipd only
# notifies when a session bus is announced, so give it a (fake) address.
mkdir -p "$T/fakebin"
printf '#!/bin/sh\nprintf "%%s|" "$@" >>"%s"\necho >>"%s"\n' "$T/notes" "$T/notes" >"$T/fakebin/notify-send"
chmod +x "$T/fakebin/notify-send"
DBUS_SESSION_BUS_ADDRESS=unix:path=$T/no-bus PATH=$T/fakebin:$PATH \
    spawn clipd "$BIN/clipd" --socket "$S" --audit "$AUDIT" --policy "$T/policy" \
    --limit A=2M --timeout-ms 2500 --paste-hold-ms 3000
spawn agentA "$BIN/clip-agent" --qube A --listen "local:$T/A" --display "$DA"
spawn agentB "$BIN/clip-agent" --qube B --listen "local:$T/B" --display "$DB"
spawn hostileH "$HOSTILE" --listen "local:$T/H" --unrequested "EVIL-UNREQUESTED" \
    --late-ms 4500 --text "H-answer"
spawn hostileG "$HOSTILE" --listen "local:$T/G" --garbage
spawn hostileF "$HOSTILE" --listen "local:$T/F" --flood 40
spawn hostileK "$HOSTILE" --listen "local:$T/K" --hang-up --text "K-answer"
spawn hostileS "$HOSTILE" --listen "local:$T/S" --stall
spawn hostileL "$HOSTILE" --listen "local:$T/L" --stall
spawn hostileD "$HOSTILE" --listen "local:$T/D" --die-on-paste
check "clipd listens" wait_until 10 test -S "$S"
for q in A B H G F K S L D; do ctl attach "$q" "local:$T/$q" >/dev/null; done
check "clipd reaches every agent" wait_until 10 bash -c \
    "for q in A B H K S L D; do grep -q \"qube \$q: clipboard channel ready\" '$T/clipd.log' || exit 1; done"

check "an unrequested reply is dropped" wait_until 10 log_has clipd "qube H: unrequested reply"
check "a malformed stream closes only that qube's channel" \
    wait_until 10 log_has clipd "qube G: clipboard protocol error"
check "a flood of unrequested replies closes that qube's channel" \
    wait_until 10 log_has clipd "qube F: clipboard protocol error: too many unrequested replies"
check "the clipboard is still empty" show_has "ok empty"

# --- A -> B, exact text -------------------------------------------------------
printf 'Hello from A ✓ ünïcödé\n\ttabbed line  \n' >"$T/t1"
set_clip "$DA" "$T/t1"
copy A
check "copy from A is accepted" show_has "source=A bytes=$(stat -c %s "$T/t1")"
check "paste into B is accepted" paste B
check "B's CLIPBOARD is exactly A's text" wait_until 10 clip_is "$DB" clipboard "$T/t1"
check "B's PRIMARY is exactly A's text" clip_is "$DB" primary "$T/t1"
# --- ICCCM targets of the agent's ownership (TIMESTAMP, MULTIPLE, property None)
XPROBE=$FENESTRA_BUILD/tests/clip-xprobe
check "TARGETS lists TIMESTAMP and MULTIPLE" bash -c \
    "DISPLAY=$DB xclip -o -selection clipboard -t TARGETS | grep -qx TIMESTAMP &&
     DISPLAY=$DB xclip -o -selection clipboard -t TARGETS | grep -qx MULTIPLE"
check "TIMESTAMP is one 32-bit INTEGER: the server time of the paste" \
    bash -c "DISPLAY=$DB '$XPROBE' timestamp >'$T/ts' && grep -q \"time \$(cat '$T/ts'))\" '$T/agentB.log'"
check "xclip -o -t TIMESTAMP prints that time" bash -c \
    "DISPLAY=$DB xclip -o -selection clipboard -t TIMESTAMP | cmp -s - '$T/ts'"
printf 'Hello from A ? \xfcn\xefc\xf6d\xe9\n\ttabbed line  \n' >"$T/t1.latin1"
check "MULTIPLE converts UTF8_STRING and STRING and gives None for image/png" \
    env DISPLAY="$DB" "$XPROBE" multiple "$T/t1" "$T/t1.latin1"
check "a request timed before the paste's ownership is refused (ICCCM), one at it is answered" \
    env DISPLAY="$DB" "$XPROBE" old-time
check "a requestor passing property None gets the target's name as property" \
    env DISPLAY="$DB" "$XPROBE" none-property
for kind in odd format8 too-many missing; do
    check "a malformed MULTIPLE list ($kind) is refused" env DISPLAY="$DB" "$XPROBE" multiple-bad $kind
done
check "MULTIPLE nested in MULTIPLE is refused for that pair only" \
    env DISPLAY="$DB" "$XPROBE" multiple-bad nested
check "the agent logs why a MULTIPLE list was refused" log_has agentB "MULTIPLE from window .* refused: too many pairs"
check "B's clipboard is still served after the malformed requests" clip_is "$DB" clipboard "$T/t1"
check "the clipboard is wiped after the paste" show_has "ok empty"
if ctl paste B @now >/dev/null; then not_ok "a second paste gives nothing"; else ok "a second paste gives nothing"; fi
check "B's clipboard is untouched by the refused paste" clip_is "$DB" clipboard "$T/t1"
copy B
check "B's agent answers a copy of its own paste from memory" show_has "source=B bytes=$(stat -c %s "$T/t1")"
ctl clear >/dev/null
printf 'B owns this' >"$T/bown"
set_clip "$DB" "$T/bown"
check "the agent keeps serving PRIMARY after an application took CLIPBOARD" clip_is "$DB" primary "$T/t1"

# --- 1 MiB with INCR both ways (A's limit raised to 2 MiB) --------------------
base64 -w 76 </dev/urandom | head -c 1048576 >"$T/big"
set_clip "$DA" "$T/big"
copy A
check "1 MiB copy from A is accepted" show_has "source=A bytes=1048576"
check "1 MiB paste into B" paste B
check "1 MiB arrives in B intact" wait_until 20 clip_is "$DB" clipboard "$T/big"
check "A's agent read the owner's INCR transfer" log_has agentA "reading CLIPBOARD by INCR"
check "B's agent served xclip by INCR" log_has agentB "serving 1048576 bytes by INCR"

# --- a target that never reads does not block clipd ---------------------------
for i in 1 2 3; do
    set_clip "$DA" "$T/big"
    copy A
    paste S
done
check "three 1 MiB pastes into a qube that never reads are queued or dropped" \
    test "$(grep -c 'target=S bytes=1048576' "$AUDIT")" -eq 3
check "clipd still answers at once" show_has "ok empty"
printf 'still-flowing' >"$T/flow"
set_clip "$DA" "$T/flow"
copy A
paste B
check "A -> B still works while S is stalled" wait_until 10 clip_is "$DB" clipboard "$T/flow"

# --- a target's agent goes away in the middle of a paste ------------------------
# S never read its 1 MiB pastes, so most of the last one is still queued in
# clipd.  S dies; a real agent comes up at S's channel: the paste reaches it.
start_xvfb DS 640x480x24 || not_ok "guest X server for S starts"
stop hostileS
check "clipd holds a paste its target's channel closed on" wait_until 10 log_has clipd \
    "qube S: clipboard channel closed before the agent confirmed the paste of 1048576 bytes (not all sent); holding it"
spawn agentS "$BIN/clip-agent" --qube S --listen "local:$T/S" --display "$DS"
check "the held paste reaches the reconnected agent intact" wait_until 10 clip_is "$DS" clipboard "$T/big"
check "the redelivery is audited" wait_until 10 grep -q "paste source=A target=S bytes=1048576 result=redelivered" "$AUDIT"
# L never reads either, and never comes back: the held paste is dropped in time.
set_clip "$DA" "$T/big"
copy A
paste L
stop hostileL
check "a paste whose agent does not come back is dropped after the hold time" wait_until 10 \
    grep -q "paste source=A target=L bytes=1048576 result=lost" "$AUDIT"
check "the dropped paste is logged" log_has clipd "qube L: held paste of 1048576 bytes dropped"
check "the user is told the paste was lost" grep -q "Paste into L lost|" "$T/notes"

# --- a target's agent dies after reading a whole paste, before confirming it ---
# Every byte was written: only the agent's CLIP_PASTE_ACK tells clipd the
# paste is in the guest's clipboard.  D's agent dies first; a real agent
# comes up at D's channel: the paste reaches it.
printf 'taken-then-died ✓' >"$T/died"
set_clip "$DA" "$T/died"
copy A
paste D
check "D's agent read the whole paste and died before confirming it" \
    wait_until 10 log_has hostileD "dying before confirming it"
check "clipd holds the paste although every byte was written" wait_until 10 log_has clipd \
    "qube D: clipboard channel closed before the agent confirmed the paste of 19 bytes (all sent); holding it"
start_xvfb DD 640x480x24 || not_ok "guest X server for D starts"
spawn agentD "$BIN/clip-agent" --qube D --listen "local:$T/D" --display "$DD"
check "the paste reaches D's new agent" wait_until 10 clip_is "$DD" clipboard "$T/died"
check "... audited as redelivered" wait_until 10 grep -q "paste source=A target=D bytes=19 result=redelivered" "$AUDIT"
check "agents confirm pastes: clipd gave up on none" bash -c "! grep -q 'did not confirm the paste' '$T/clipd.log'"
printf 'to-gone-agent' >"$T/gone"
set_clip "$DA" "$T/gone"
copy A
if ctl paste L @now | grep -q "not connected"; then
    ok "a paste into a qube whose agent is not connected is refused at once"
else
    not_ok "a paste into a qube whose agent is not connected is refused at once"
fi
check "the refused paste leaves the text on the global clipboard" show_has "source=A bytes=13 "
check "the refusal is audited" grep -q "paste source=A target=L bytes=13 result=not-connected" "$AUDIT"
ctl clear >/dev/null

# --- refusals leave the clipboard unchanged -----------------------------------
printf 'keep-me' >"$T/keep"
set_clip "$DA" "$T/keep"
copy A
check "a small copy from A is on the clipboard" show_has "source=A bytes=7 "
head -c 102400 /dev/zero | tr '\0' 'x' >"$T/over"
set_clip "$DB" "$T/over"
copy B
check "over-limit copy from B (64 KiB default) is refused" grep -q "source=B bytes=65537 result=over-limit" "$AUDIT"
check "the refused copy left the clipboard unchanged" show_has "source=A bytes=7 "
printf 'bad \xff\xfe utf8' >"$T/badutf8"
set_clip "$DB" "$T/badutf8"
copy B
check "invalid UTF-8 is refused" grep -q "source=B bytes=.* result=invalid-text" "$AUDIT"
printf 'nul\0inside' >"$T/nul"
set_clip "$DB" "$T/nul"
copy B
check "text with NUL is refused" test "$(grep -c 'source=B .*result=invalid-text' "$AUDIT")" -eq 2
check "the clipboard is still A's" show_has "source=A bytes=7 "
if ctl paste B 1 >/dev/null; then
    not_ok "a paste hotkey older than the copy is refused"
else
    ok "a paste hotkey older than the copy is refused"
fi
check "the stale paste left the clipboard in place" show_has "source=A bytes=7 "
ctl clear >/dev/null

# --- policy: B -> A denied ---------------------------------------------------
printf 'text-of-B' >"$T/fromb"
set_clip "$DB" "$T/fromb"
copy B
check "copy from B is accepted" show_has "source=B bytes=9 "
if ctl paste A @now | grep -q "policy denies"; then ok "policy denies B -> A"; else not_ok "policy denies B -> A"; fi
check "A did not receive B's text" bash -c "! DISPLAY=$DA xclip -o -selection clipboard 2>/dev/null | grep -q 'text-of-B'"
check "guictl clipboard show names the source" bash -c \
    "'$BIN/guictl' clipboard show --socket '$S' | grep -q 'source B, 9 bytes'"
check "guictl clipboard clear" "$BIN/guictl" clipboard clear --socket "$S"
check "the clipboard is empty after clear" show_has "ok empty"

# --- late reply: H answers after clipd's 2.5 s timeout -----------------------
ctl copy H @now >/dev/null
check "a copy the qube does not answer in time is refused" \
    wait_until 10 grep -q "copy source=H bytes=0 result=timeout" "$AUDIT"
check "the late reply is dropped" wait_until 10 log_has clipd "qube H: late reply"
check "nothing was copied from H" show_has "ok empty"
copy H
check "H was not disconnected: its next answer is accepted" show_has "source=H bytes=8 "

# --- A's agent crashes and comes back: clipd reconnects on its own ----------
crash agentA
check "clipd notices A's agent is gone" wait_until 10 log_has clipd "qube A: clipboard channel closed"
sleep 0.5 # a few failed reconnection attempts
spawn agentA2 "$BIN/clip-agent" --qube A --listen "local:$T/A" --display "$DA"
check "clipd reconnects to A's restarted agent" wait_until 10 bash -c \
    "[ \$(grep -c 'qube A: clipboard channel ready' '$T/clipd.log') -ge 2 ]"
printf 'after-restart' >"$T/restart"
set_clip "$DA" "$T/restart"
copy A
check "copy from the restarted agent works" show_has "source=A bytes=13 "

# --- K hangs up instead of answering: the copy fails, nothing stays stuck ----
ctl copy K @now >/dev/null
check "a copy whose qube hangs up is reported failed" \
    wait_until 10 grep -q "copy source=K bytes=0 result=disconnected" "$AUDIT"
check "no copy is left in progress" show_has "copying=-"
check "clipd reconnects to K" wait_until 10 bash -c \
    "[ \$(grep -c 'qube K: clipboard channel ready' '$T/clipd.log') -ge 2 ]"
copy K
check "K's next answer is accepted" show_has "source=K bytes=8 "

# --- audit and isolation ------------------------------------------------------
check "the audit log names copies and pastes" \
    grep -q "paste source=A target=B bytes=1048576 result=ok" "$AUDIT"
check "the audit log never holds clipboard text" bash -c \
    "! grep -q -e 'Hello from A' -e 'keep-me' -e 'text-of-B' -e 'EVIL' -e 'H-answer' -e 'K-answer' -e 'still-flowing' '$AUDIT' '$T/clipd.log'"
check "the user is told about a copy" grep -q "Copied from A|1048576 bytes" "$T/notes"
check "the user is told about a paste" grep -q "Pasted into B|pasted 1048576 bytes from A into B" "$T/notes"
check "the user is told why a copy was refused" grep -q "Copy from B refused|.*over this qube's limit" "$T/notes"
check "the user is told about a policy denial" grep -q "Paste into A refused|policy denies" "$T/notes"
check "dropped replies never pop up notifications" bash -c "! grep -q -e flood -e 'qube F' -e 'qube H' '$T/notes'"
check "notifications never carry clipboard text" bash -c \
    "! grep -q -e 'Hello from A' -e 'keep-me' -e 'text-of-B' -e 'H-answer' '$T/notes'"
check "clipd is still running" kill -0 "$PID_clipd"

# --- clipd restarts: it remembers the attached qubes (no guid needed) ---------
stop clipd
printf '[qube X]\nclipboard_limit = 12Q\n' >"$T/bad.conf"
check "a bad config file stops clipd with the line and the problem" bash -c \
    "! '$BIN/clipd' --socket '$T/never.sock' --config '$T/bad.conf' 2>'$T/badconf.err' &&
     grep -q 'bad.conf:2: clipboard_limit' '$T/badconf.err'"
printf '[global]\nclipboard_limit = 32K\n[qube B]\nclipboard_limit = 128K\n' >"$T/fen.conf"
spawn clipd2 "$BIN/clipd" --socket "$S" --audit "$AUDIT" --limit A=2M --config "$T/fen.conf"
check "a restarted clipd reconnects to the qubes it knew" \
    wait_until 10 log_has clipd2 "qube A: clipboard channel ready"
check "the state file holds names and specs only, mode 0600" bash -c \
    "grep -qx 'A local:$T/A' '$T/run/fenestra/clipd-qubes' && [ \$(stat -c %a '$T/run/fenestra/clipd-qubes') = 600 ]"
printf 'after-clipd-restart' >"$T/crestart"
set_clip "$DA" "$T/crestart"
copy A
check "copy works after the clipd restart" show_has "source=A bytes=19 "

# --- limits from the config file, and changed at run time ---------------------
set_clip "$DB" "$T/over"
copy B
check "the config file's [qube B] limit (128K) admits B's 100 KiB copy" show_has "source=B bytes=102400 "
check "a run-time limit change is acknowledged" bash -c "'$CTL' '$S' limit B 64K | grep -q '^ok limit B 65536'"
check "a run-time limit above 16M is refused" bash -c "'$CTL' '$S' limit B 17M | grep -q '^error: bad limit'"
copy B
check "after the run-time change the same copy is over the limit" \
    test "$(grep -c 'source=B bytes=65537 result=over-limit' "$AUDIT")" -eq 2
finish
