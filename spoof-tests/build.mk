# spoof-tests/: the hostile guest (fen-hostile, also used by the gui
# integration tests) and the attack cases on a real dom0 Xvfb.  `make spoof`
# runs the `spoof` group alone.
$(call program,fen-hostile,spoof-tests/hostile.c,$(LIB_fenestra),$(FEN_LIBS),)
$(call test_script,spoof-tests/attacks.sh,spoof)
$(call test_script,spoof-tests/fullscreen.sh,spoof)
$(call test_script,spoof-tests/offsets.sh,spoof)
