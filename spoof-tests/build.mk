# spoof-tests/: the hostile guest (fen-hostile, also used by the gui
# integration tests) and the attack cases on a real dom0 Xvfb.  `make spoof`
# runs the `spoof` group alone.
$(call program,fen-hostile,spoof-tests/hostile.c,$(LIB_fenestra),$(FEN_LIBS),)
$(call test_script,spoof-tests/attacks.sh,spoof)
$(call test_script,spoof-tests/fullscreen.sh,spoof)
$(call test_script,spoof-tests/monitors.sh,spoof)
$(call test_script,spoof-tests/offsets.sh,spoof)

# libFuzzer: guest message sequences and dom0 events into guid's window state
# (gui-daemon/wstate.c) with a recording fake X side (the guid_xops seam).
$(call fuzzer,fuzz_wstate,spoof-tests/fuzz_wstate.c gui-daemon/wstate.c gui-daemon/monitor.c $(FEN_PROTO_SRCS),-Igui-daemon,$(XEN_LIBS))
build/fuzz/fuzz_wstate: gui-daemon/wstate.h gui-daemon/monitor.h
