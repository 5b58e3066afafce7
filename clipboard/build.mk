# clipboard/: clipd (dom0 global clipboard) and clip-agent (guest side).
# Pure parts (policy, reply judging) are in libclipcore and unit-tested.
$(call static_lib,clipcore,clipboard/policy.c clipboard/reply.c clipboard/atom_pairs.c,)

$(call test_program,test_clip_policy,clipboard/tests/test_clip_policy.c,$(LIB_clipcore) $(LIB_fenestra),-lcmocka $(FEN_LIBS),,unit)
$(call test_program,test_clip_reply,clipboard/tests/test_clip_reply.c,$(LIB_clipcore) $(LIB_fenestra),-lcmocka $(FEN_LIBS),,unit)
$(call test_program,test_clip_atom_pairs,clipboard/tests/test_clip_atom_pairs.c,$(LIB_clipcore),-lcmocka,,unit)

CLIPD_SRCS := $(sort $(wildcard clipboard/clipd/*.c))
# policy/build.mk comes later in the include order: name its library by path.
$(call program,clipd,$(CLIPD_SRCS),$(LIB_clipcore) $(LIB_fenestra) $(O)/lib/libfenpolicy.a,-linih $(FEN_LIBS),-Ipolicy)

CLIP_AGENT_SRCS := $(sort $(wildcard clipboard/agent/*.c))
$(call program,clip-agent,$(CLIP_AGENT_SRCS),$(LIB_clipcore) $(LIB_fenestra),$(call pc_libs,xcb) $(FEN_LIBS),$(call pc_cflags,xcb))

# Helpers for the clipboard tests (built with `make tests`, not run as tests).
define clip_helper_tpl
$(O)/tests/$(1): $(call obj_of,$(2)) $(LIB_fenestra)
	@mkdir -p $$(@D)
	$$(CC) $$(ALL_LDFLAGS) -o $$@ $(call obj_of,$(2)) $(LIB_fenestra) $(FEN_LIBS)
TEST_PROGRAMS += $(O)/tests/$(1)
endef
$(eval $(call clip_helper_tpl,clip-ctl,clipboard/tests/clip-ctl.c))
$(eval $(call clip_helper_tpl,clip-hostile-guest,clipboard/tests/clip-hostile-guest.c))
$(call test_script,clipboard/tests/clip-direct.sh,clipboard)
$(call test_script,clipboard/tests/clip-guid.sh,clipboard)
$(O)/tests/clip-bench-probe: $(call obj_of,clipboard/tests/clip-bench-probe.c) $(LIB_fenestra)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $(call obj_of,clipboard/tests/clip-bench-probe.c) $(LIB_fenestra) $(call pc_libs,xcb xcb-xtest) $(FEN_LIBS)
TEST_PROGRAMS += $(O)/tests/clip-bench-probe

# libFuzzer target over the policy parser and the reply check.
$(call fuzzer,fuzz_clip,clipboard/tests/fuzz_clip.c clipboard/policy.c clipboard/reply.c \
	protocol/src/validate.c protocol/src/validate_gui.c protocol/src/validate_stream.c \
	protocol/src/utf8.c protocol/src/qube_name.c)
build/fuzz/fuzz_clip: clipboard/policy.h clipboard/reply.h protocol/src/validate_internal.h
$(call test_script,clipboard/tests/clip-e2e.sh,clipboard)
# Asks the guest's CLIPBOARD owner for TIMESTAMP, MULTIPLE, property None (clip-direct.sh).
$(O)/tests/clip-xprobe: $(call obj_of,clipboard/tests/clip-xprobe.c)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $(call obj_of,clipboard/tests/clip-xprobe.c) $(call pc_libs,xcb)
TEST_PROGRAMS += $(O)/tests/clip-xprobe
