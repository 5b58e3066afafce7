# gui-agent-linux/: the Linux guest agent (gui-agent) and its tests.
# driver_mode.c (zero-copy glue to the Fenestra Xorg driver's FENESTRA
# extension) is owned with the driver (xf86-video-fenestra/, built by
# xorg/build.mk); the agent falls back to MIT-SHM copy mode at run time when
# the guest X server does not run that driver.
GA_PURE_SRCS := gui-agent-linux/damage_merge.c gui-agent-linux/modsync.c \
	gui-agent-linux/cursor_names.c gui-agent-linux/prop_parse.c
GA_SRCS := gui-agent-linux/main.c gui-agent-linux/conn.c gui-agent-linux/windows.c \
	gui-agent-linux/pixels.c gui-agent-linux/props.c gui-agent-linux/ewmh.c gui-agent-linux/input.c \
	gui-agent-linux/driver_mode.c gui-agent-linux/driver_dump.c $(GA_PURE_SRCS)
GA_XCB := xcb xcb-composite xcb-damage xcb-xfixes xcb-shm xcb-xtest
$(call program,gui-agent,$(GA_SRCS),$(LIB_fenestra),$(call pc_libs,$(GA_XCB)) $(FEN_LIBS),$(call pc_cflags,$(GA_XCB)))

# Unit tests of the pure helpers (no X, no channel).
$(call test_program,test_gui_agent_damage,gui-agent-linux/tests/test_damage_merge.c gui-agent-linux/damage_merge.c,,-lcmocka,,unit)
$(call test_program,test_gui_agent_modsync,gui-agent-linux/tests/test_modsync.c gui-agent-linux/modsync.c,,-lcmocka,,unit)
$(call test_program,test_gui_agent_props,gui-agent-linux/tests/test_prop_parse.c gui-agent-linux/prop_parse.c gui-agent-linux/cursor_names.c,$(LIB_fenestra),-lcmocka $(FEN_LIBS),,unit)

# A minimal dom0 (channel client) for the agent's smoke test: built with the
# tests, but a helper, not a test itself (so not added to TESTS).
GA_FAKE_DOM0 := $(O)/tests/gui-agent-fake-dom0
$(GA_FAKE_DOM0): $(call obj_of,gui-agent-linux/tests/fake_dom0.c) $(LIB_fenestra)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $(call obj_of,gui-agent-linux/tests/fake_dom0.c) $(LIB_fenestra) $(FEN_LIBS)
TEST_PROGRAMS += $(GA_FAKE_DOM0)
# An application's _NET_WM_STATE request (client message to the root).
GA_NETWMSTATE := $(O)/tests/gui-agent-netwmstate
$(GA_NETWMSTATE): $(call obj_of,gui-agent-linux/tests/net_wm_state.c)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(call pc_libs,xcb)
TEST_PROGRAMS += $(GA_NETWMSTATE)

# Smoke test: Xvfb + gui-agent + xlogo/xterm + the fake dom0 (needs Xvfb).
$(call test_script,gui-agent-linux/tests/smoke.sh,gui)
# Driver mode (real Xorg + fenestra_drv.so): bursts of frames, dom0 ends on
# the last one (no damage lost without a subtract round trip).
$(call test_script,gui-agent-linux/tests/driver-burst.sh,xorg)
