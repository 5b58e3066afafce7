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
    # Scheduling as on a desktop: real-time I/O threads (rtkit gives them
    # that; as root PulseAudio takes it itself), main thread at nice -11, and
    # its own session (a daemonized or systemd-started PulseAudio calls
    # setsid), so with autogroup scheduling its nice level is not shared with
    # whatever CPU hogs the caller runs (PULSE_OWN_SESSION=0: share it).
    # setsid does not fork here (a background job of a script is not a group
    # leader), so the pid spawn records is the daemon's.
    local session=(setsid)
    [ "${PULSE_OWN_SESSION:-1}" = 1 ] || session=()
    spawn "pulse-$name" "${session[@]}" env HOME="$dir/home" XDG_RUNTIME_DIR="$dir/runtime" \
        PULSE_RUNTIME_PATH="$dir/runtime" PULSE_STATE_PATH="$dir/state" \
        DBUS_SESSION_BUS_ADDRESS=disabled: \
        pulseaudio -n --daemonize=no --exit-idle-time=-1 --system=no --disallow-exit \
        --realtime=yes --high-priority=yes \
        --use-pid-file=no --disable-shm=no --log-target=stderr --log-level=warning \
        -F "$dir/config.pa"
    printf -v "PULSE_${name}_SERVER" 'unix:%s/native' "$dir"
    export "PULSE_${name}_SERVER"
    wait_until 15 pa "$name" pactl info >/dev/null 2>&1 || return 1
    # PULSE_RT=1 (benchmark, audio-e2e): raise the daemon's main thread, which carries
    # the client streams, to SCHED_RR 4 (PulseAudio itself makes only its
    # I/O threads real-time and leaves this one at nice -11).  The pid is
    # the one spawn started: pulseaudio runs in the foreground under
    # setsid and env, which exec it.
    if [ "${PULSE_RT:-0}" = 1 ]; then
        local var="PID_pulse_$name"
        chrt -r -p 4 "${!var}" || echo "# chrt failed: main thread not real-time" >&2
    fi
}

pa() {
    local name=$1; shift
    local var="PULSE_${name}_SERVER"
    PULSE_SERVER=${!var} PULSE_RUNTIME_PATH="$T/pulse-$name/runtime" "$@"
}
