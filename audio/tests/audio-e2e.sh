#!/usr/bin/env bash
# End to end with real PulseAudio daemons: a "guest" and a "dom0" server,
# each on its own socket; audio-agent on the guest one, audiod on dom0's, the
# audio channel on local:$T/chan.  Checks the playback path, the stream's
# name in dom0, the microphone policy (detached by default, nothing crosses
# while detached, the tone arrives when attached, detach stops it at once),
# and that a hostile guest only gets its channel closed.
source "${FENESTRA_SRC:-$(dirname "$0")/../..}/tests/lib/fenestra-test.sh"
source "$FENESTRA_SRC/audio/tests/pulse-lib.sh"
fen_test_init audio
TOOLS=$FENESTRA_BUILD/tests
FMT=(--raw --format=s16le --rate=48000 --channels=2)
REC=(--latency-msec=50)
QUBE=work
# The servers' main thread (which moves every client stream) real-time, as
# docs/audio.md recommends: on a loaded CI machine a niced one is held back
# for 100 ms and more, and this test checks what arrives, not how the
# servers are scheduled (bench/audio-bench measures both settings).
export PULSE_RT=1

start_pulse guest || { not_ok "guest PulseAudio starts"; finish; exit; }
# dom0's microphone is the monitor of a null sink "mic" we can play into
start_pulse dom0 "load-module module-null-sink sink_name=mic rate=48000 channels=2
set-default-source mic.monitor" || { not_ok "dom0 PulseAudio starts"; finish; exit; }
mkdir -p "$T/chan"
SPEC=local:$T/chan

# Generous buffers: this test checks what arrives, not how fast (a loaded
# CI machine cannot promise 20 ms wake-ups); bench/audio-bench measures
# latency and underruns with the defaults.
LAT=(--latency-ms 100)
start_agent() {
    spawn agent env PULSE_SERVER="$PULSE_guest_SERVER" "$BIN/audio-agent" --qube $QUBE \
        --listen "$SPEC" "${LAT[@]}"
}
start_agent
spawn audiod env PULSE_SERVER="$PULSE_dom0_SERVER" "$BIN/audiod" --qube $QUBE --connect "$SPEC" \
    "${LAT[@]}"

mic() { "$BIN/guictl" mic "$@" $QUBE; }
status_field() { # status_field FIELD: from audiod's full status
    "$BIN/guictl" mic status $QUBE >/dev/null 2>&1 || return 1
    local line
    line=$(printf 'status\n' | python3 -c 'import socket,sys,os
s=socket.socket(socket.AF_UNIX); s.connect(os.environ["XDG_RUNTIME_DIR"]+"/fenestra/audiod-'$QUBE'.sock")
s.sendall(sys.stdin.buffer.read()); print(s.recv(4096).decode())') || return 1
    sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$line"
}
mic_field() { mic status | sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
connected() { [ "$(mic_field guest_connected)" = yes ]; }
guest_ready() { pa guest pactl info 2>/dev/null | grep -q '^Default Source: fenestra_mic.monitor'; }

check "audiod and the agent connect" wait_until 20 connected
check "the guest's default sink and source are Fenestra's" wait_until 10 guest_ready

# --- playback: a 440 Hz tone played in the guest is heard in dom0 ----------
"$TOOLS/audio-tone" gen 440 2 >"$T/tone440.raw"
"$TOOLS/audio-tone" gen 660 2 >"$T/tone660.raw"
timeout 4 env PULSE_SERVER="$PULSE_dom0_SERVER" parec "${FMT[@]}" "${REC[@]}" -d speakers.monitor >"$T/dom0-out.raw" &
rec=$!
sleep 0.3
pa guest pacat "${FMT[@]}" <"$T/tone440.raw"
wait $rec
if "$TOOLS/audio-tone" analyze 440 <"$T/dom0-out.raw" >"$T/analyze-play.txt"; then
    ok "a 440 Hz tone played in the guest is recorded in dom0 at 440 Hz +-2%, >= 95% non-silent"
else
    not_ok "a 440 Hz tone played in the guest is recorded in dom0 at 440 Hz +-2%, >= 95% non-silent" \
        "$(cat "$T/analyze-play.txt")"
fi
echo "# playback: $(cat "$T/analyze-play.txt")"
echo "# audiod: underruns=$(status_field underruns) play_dropped=$(status_field play_dropped) play_latency_us=$(status_field play_latency_us) guest_latency_us=$(status_field guest_latency_us)"
check "dom0 shows the qube's stream as [$QUBE]" \
    bash -c "PULSE_SERVER=$PULSE_dom0_SERVER pactl list sink-inputs | grep -q 'application.name = \"\\[$QUBE\\]\"'"

# --- microphone detached (the default) --------------------------------------
check "the microphone starts detached" bash -c "$BIN/guictl mic status $QUBE | grep -q ': detached mic_bytes=0 '"
timeout 3 env PULSE_SERVER="$PULSE_guest_SERVER" parec "${FMT[@]}" "${REC[@]}" >"$T/guest-in-detached.raw" &
rec=$!
pa dom0 pacat "${FMT[@]}" -d mic <"$T/tone660.raw"
wait $rec
check "detached: the guest's default source records silence" \
    "$TOOLS/audio-tone" silent <"$T/guest-in-detached.raw"
check "detached: zero microphone bytes crossed" bash -c "[ \"\$($BIN/guictl mic status $QUBE | sed -n 's/.* mic_bytes=\([0-9]*\).*/\1/p')\" = 0 ]"
check "detached: dom0 has no recording stream for the qube" \
    bash -c "! PULSE_SERVER=$PULSE_dom0_SERVER pactl list source-outputs | grep -q '\\[$QUBE\\]'"

# --- attached ---------------------------------------------------------------
check "guictl mic attach answers attached" bash -c "$BIN/guictl mic attach $QUBE | grep -q ': attached'"
sleep 0.3
check "attached, but no guest application records: still no recording stream" \
    bash -c "[ \"\$($BIN/guictl mic status $QUBE | sed -n 's/.* recording=\([a-z]*\).*/\1/p')\" = no ]"
timeout 5 env PULSE_SERVER="$PULSE_guest_SERVER" parec "${FMT[@]}" "${REC[@]}" >"$T/guest-in-attached.raw" &
rec=$!
recording() { [ "$(mic_field recording)" = yes ]; }
check "attached and a guest application records: audiod records dom0's default source" \
    wait_until 10 recording
pa dom0 pacat "${FMT[@]}" -d mic <"$T/tone660.raw"
wait $rec
if "$TOOLS/audio-tone" analyze 660 <"$T/guest-in-attached.raw" >"$T/analyze-mic.txt"; then
    ok "attached: a 660 Hz tone into dom0's microphone is recorded in the guest at 660 Hz +-2%"
else
    not_ok "attached: a 660 Hz tone into dom0's microphone is recorded in the guest at 660 Hz +-2%" \
        "$(cat "$T/analyze-mic.txt")"
fi
echo "# microphone: $(cat "$T/analyze-mic.txt")"
check "attached: microphone bytes are counted" bash -c "[ \"\$($BIN/guictl mic status $QUBE | sed -n 's/.* mic_bytes=\([0-9]*\).*/\1/p')\" -gt 0 ]"

# --- detach stops it: the counter in the detach reply never moves again -----
timeout 4 env PULSE_SERVER="$PULSE_guest_SERVER" parec "${FMT[@]}" "${REC[@]}" >/dev/null &
rec=$!
wait_until 10 recording
pa dom0 pacat "${FMT[@]}" -d mic <"$T/tone440.raw" &
player=$!
sleep 0.5
reply=$(mic detach)
at_detach=$(sed -n 's/.* mic_bytes=\([0-9]*\).*/\1/p' <<<"$reply")
echo "# detach reply: $reply"
grew() { [ "$(mic_field mic_bytes)" != "$at_detach" ]; }
# bounded wait: if any byte were still sent, the counter would move within this
if [ -n "$at_detach" ] && [ "$at_detach" -gt 0 ] && ! wait_until 1 grew; then
    ok "detach: no microphone byte is sent after the detach answer"
else
    not_ok "detach: no microphone byte is sent after the detach answer" "at detach $at_detach, now $(mic_field mic_bytes)"
fi
check "detach: the recording stream is gone from dom0" \
    bash -c "! PULSE_SERVER=$PULSE_dom0_SERVER pactl list source-outputs | grep -q '\\[$QUBE\\]'"
wait $rec
wait $player

# --- a stalled guest: dom0 drops microphone audio, never queues it unbounded
mic attach >/dev/null
timeout 20 env PULSE_SERVER="$PULSE_guest_SERVER" parec "${FMT[@]}" "${REC[@]}" >/dev/null &
rec=$!
wait_until 10 recording
kill -STOP "$PID_agent"
dropping() { [ "$(mic_field mic_dropped)" -gt 0 ] 2>/dev/null; }
check "stalled guest: audiod keeps answering and drops microphone audio (bounded queue)" \
    wait_until 15 dropping
kill -CONT "$PID_agent"
check "stalled guest: the channel survives the stall" connected
mic detach >/dev/null
kill "$rec" 2>/dev/null; wait "$rec" 2>/dev/null

# --- a hostile guest: garbage closes the channel, audiod stays and reconnects
stop agent
for case in garbage huge-length pcm-before-format partial-frame bad-format wrong-direction; do
    if timeout 20 "$TOOLS/audio-fake-guest" "$SPEC" $case >"$T/fake-$case.log" 2>&1; then
        ok "hostile guest ($case): audiod closes the channel"
    else
        not_ok "hostile guest ($case): audiod closes the channel" "$(tail -1 "$T/fake-$case.log")"
    fi
done
# valid audio far faster than real time: not an error; audiod must drop it
# (bounded buffer, latency kept) and keep the channel
if timeout 20 "$TOOLS/audio-fake-guest" "$SPEC" flood >"$T/fake-flood.log" 2>&1; then
    ok "flooding guest: audiod keeps the channel open"
else
    not_ok "flooding guest: audiod keeps the channel open" "$(tail -1 "$T/fake-flood.log")"
fi
echo "# $(head -1 "$T/fake-flood.log")"
dropped=$(status_field play_dropped)
check "flooding guest: audiod dropped the excess instead of buffering it (dropped ${dropped:-?})" \
    [ "${dropped:-0}" -gt 0 ]
check "audiod is still running after hostile guests" kill -0 "$PID_audiod"
check "audiod logged the qube and the reason" \
    grep -q "\[audiod $QUBE\] WARN .*audio channel closed: .*whole number of" "$T/audiod.log"
errors=$(status_field protocol_errors)
check "audiod counted each hostile connection as a protocol error (got $errors)" [ "${errors:-0}" -ge 6 ]
start_agent
check "audiod reconnects to a restarted agent" wait_until 20 connected
timeout 4 env PULSE_SERVER="$PULSE_dom0_SERVER" parec "${FMT[@]}" "${REC[@]}" -d speakers.monitor >"$T/dom0-out2.raw" &
rec=$!
sleep 0.3
wait_until 10 guest_ready
pa guest pacat "${FMT[@]}" <"$T/tone440.raw"
wait $rec
check "after reconnecting the tone plays again" "$TOOLS/audio-tone" analyze 440 <"$T/dom0-out2.raw"

# --- audiod restarts: it reconnects to the running agent, microphone detached
mic attach >/dev/null
stop audiod
spawn audiod2 env PULSE_SERVER="$PULSE_dom0_SERVER" "$BIN/audiod" --qube $QUBE --connect "$SPEC" \
    "${LAT[@]}"
check "a restarted audiod reconnects to the running agent" wait_until 20 connected
check "a restarted audiod starts with the microphone detached" \
    bash -c "$BIN/guictl mic status $QUBE | grep -q ': detached mic_bytes=0 '"

# --- dom0's PulseAudio restarts: audiod reconnects and the qube plays again
stop pulse-dom0
sleep 0.5
start_pulse dom0 || not_ok "dom0 PulseAudio restarts"
playing() { [ "$(status_field playing)" = yes ]; }
check "audiod reconnects to a restarted dom0 PulseAudio" wait_until 20 playing
timeout 4 env PULSE_SERVER="$PULSE_dom0_SERVER" parec "${FMT[@]}" "${REC[@]}" -d speakers.monitor >"$T/dom0-out3.raw" &
rec=$!
sleep 0.3
pa guest pacat "${FMT[@]}" <"$T/tone440.raw"
wait $rec
check "after dom0's PulseAudio restarted the tone plays again" \
    "$TOOLS/audio-tone" analyze 440 <"$T/dom0-out3.raw"

# --- the guest's PulseAudio restarts: the agent sets its devices up again
stop pulse-guest
sleep 0.5
start_pulse guest || not_ok "guest PulseAudio restarts"
check "the agent sets the guest's devices up again after a PulseAudio restart" \
    wait_until 20 guest_ready
timeout 4 env PULSE_SERVER="$PULSE_dom0_SERVER" parec "${FMT[@]}" "${REC[@]}" -d speakers.monitor >"$T/dom0-out4.raw" &
rec=$!
sleep 0.3
pa guest pacat "${FMT[@]}" <"$T/tone440.raw"
wait $rec
check "after the guest's PulseAudio restarted the tone plays again" \
    "$TOOLS/audio-tone" analyze 440 <"$T/dom0-out4.raw"
finish
