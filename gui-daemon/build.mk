# gui-daemon/: guid, the dom0 side of one qube's windows (xcb), its unit
# tests, the guest-side X test clients (tests/clients/) and the gui
# integration tests (tests/integration/gui-*.sh).
GUID_CORE_SRCS := gui-daemon/wstate.c gui-daemon/wmstate.c gui-daemon/hotkeys.c gui-daemon/keyhold.c
# Policy (issue 7): config file, monitors (RandR), fullscreen banner + exit
# hotkey, run-time policy on the control socket.  policy/build.mk is
# included after this file, so the library is named by its path here.
GUID_POLICY_SRCS := gui-daemon/monitor.c gui-daemon/monitor_x.c gui-daemon/banner.c \
	gui-daemon/fullscreen.c gui-daemon/config_load.c gui-daemon/ctl_policy.c
GUID_SRCS := gui-daemon/main.c gui-daemon/loop.c gui-daemon/conn.c gui-daemon/xside.c \
	gui-daemon/xinput.c gui-daemon/ctlsock.c $(GUID_CORE_SRCS) $(GUID_POLICY_SRCS)
GUID_XCB := xcb xcb-shm xcb-icccm xcb-keysyms xcb-randr
$(call program,guid,$(GUID_SRCS),$(LIB_fenestra) $(O)/lib/libfenpolicy.a,$(call pc_libs,$(GUID_XCB)) -linih $(FEN_LIBS),$(call pc_cflags,$(GUID_XCB)) -Ipolicy)
$(call test_program,test_guid_wstate_policy,gui-daemon/tests/test_wstate_policy.c gui-daemon/wstate.c,$(LIB_fenestra),-lcmocka $(FEN_LIBS),,gui)
$(call test_program,test_guid_monitor,gui-daemon/tests/test_monitor.c gui-daemon/monitor.c,$(LIB_fenestra),-lcmocka $(FEN_LIBS),,gui)

# Unit tests: pure parsing and the window state driven through a recording
# fake X side (no X server).
$(call test_program,test_guid_hotkeys,gui-daemon/tests/test_hotkeys.c gui-daemon/hotkeys.c,$(LIB_fenestra),-lcmocka $(FEN_LIBS),,gui)
$(call test_program,test_guid_keyhold,gui-daemon/tests/test_keyhold.c gui-daemon/keyhold.c,,-lcmocka,,gui)
$(call test_program,test_guid_wstate,gui-daemon/tests/test_wstate.c gui-daemon/wstate.c,$(LIB_fenestra),-lcmocka $(FEN_LIBS),,gui)
$(call test_program,test_guid_wmstate,gui-daemon/tests/test_wmstate.c gui-daemon/wmstate.c gui-daemon/wstate.c,$(LIB_fenestra),-lcmocka $(FEN_LIBS),,gui)

# Test clients (run inside a guest X server / against dom0's).
FEN_CLIENT_XCB := xcb xcb-keysyms
$(call program,fen-testclient,tests/clients/fen-testclient.c,,$(call pc_libs,$(FEN_CLIENT_XCB) x11),$(call pc_cflags,$(FEN_CLIENT_XCB)))
$(call program,fen-xshot,tests/clients/fen-xshot.c,,$(call pc_libs,xcb libpng),$(call pc_cflags,xcb libpng))

# Integration tests: real Xvfb servers for dom0 and guests.
$(call test_script,tests/integration/gui-guid-hostile.sh,gui)
$(call test_script,tests/integration/gui-e2e-window.sh,gui)
$(call test_script,tests/integration/gui-e2e-input.sh,gui)
$(call test_script,tests/integration/gui-e2e-qubes.sh,gui)
$(call test_script,tests/integration/gui-e2e-wm.sh,gui)
$(call test_script,tests/integration/gui-e2e-wmstate.sh,gui)
$(call test_script,tests/integration/gui-e2e-dom0wm.sh,gui)
$(call test_script,tests/integration/gui-guid-stall.sh,gui)
$(call test_script,tests/integration/gui-demo.sh,gui)
