# Private PulseAudio daemons for audio tests and the benchmark (source after
# tests/lib/fenestra-test.sh and fen_test_init).
#
#   start_pulse NAME [EXTRA_CONFIG_LINES]
#       a daemon on unix:$T/pulse-NAME/native, no D-Bus, no autospawn, never
#       exits on idle; sets PULSE_NAME_SERVER=unix:... (e.g. PULSE_guest_SERVER)
#   pa NAME CMD...    run a libpulse client (pactl, pacat, parec...) against it
#
# The daemons run as whatever user runs the tests (root in CI: --system=no).

start_pulse() {
    local name=$1 extra=${2:-}
    local dir="$T/pulse-$name"
    mkdir -p "$dir/runtime" "$dir/state" "$dir/home"
    chmod 700 "$dir/runtime"
    cat >"$dir/config.pa" <<PAEOF
load-module module-native-protocol-unix socket=$dir/native auth-anonymous=1
load-module module-null-sink sink_name=speakers rate=48000 channels=2 sink_properties=device.description=speakers
set-default-sink speakers
$extra
PAEOF
    # -n: no default.pa; no ALSA/udev/dbus modules are loaded at all.
    # PULSE_RT=1 (benchmark): the whole daemon at SCHED_RR 4, as a
    # real-time audio server (PipeWire) runs its data path; by default only
    # PulseAudio's I/O threads are real-time and its main thread, which
    # carries client streams, is merely niced.
    local rt=()
    [ "${PULSE_RT:-0}" = 1 ] && command -v chrt >/dev/null && rt=(chrt -r 4)
    spawn "pulse-$name" "${rt[@]}" env HOME="$dir/home" XDG_RUNTIME_DIR="$dir/runtime" \
        PULSE_RUNTIME_PATH="$dir/runtime" PULSE_STATE_PATH="$dir/state" \
        DBUS_SESSION_BUS_ADDRESS=disabled: \
        pulseaudio -n --daemonize=no --exit-idle-time=-1 --system=no --disallow-exit \
        --use-pid-file=no --disable-shm=no --log-target=stderr --log-level=warning \
        -F "$dir/config.pa"
    printf -v "PULSE_${name}_SERVER" 'unix:%s/native' "$dir"
    export "PULSE_${name}_SERVER"
    wait_until 15 pa "$name" pactl info >/dev/null 2>&1
}

pa() {
    local name=$1; shift
    local var="PULSE_${name}_SERVER"
    PULSE_SERVER=${!var} PULSE_RUNTIME_PATH="$T/pulse-$name/runtime" "$@"
}
