# audio/: audiod (dom0, one per qube) and audio-agent (guest), both libpulse
# clients; libfenaudio holds the pure parts (formats, ring buffer, tone
# analysis) and the channel glue they share.
PULSE_CFLAGS := $(call pc_cflags,libpulse)
PULSE_LIBS := $(call pc_libs,libpulse)
PULSE_SIMPLE_LIBS := $(call pc_libs,libpulse-simple libpulse)

AUDIO_LIB_SRCS := audio/src/audio_format.c audio/src/audio_ring.c audio/src/audio_tone.c \
	audio/src/audio_link.c audio/src/audio_pulse_util.c \
	audio/src/audio_priority.c audio/src/audio_adapt.c audio/src/audio_flow.c
$(call static_lib,fenaudio,$(AUDIO_LIB_SRCS),$(PULSE_CFLAGS))

AUDIO_LIBS := $(LIB_fenaudio) $(LIB_fenestra)
AUDIO_LDLIBS := $(PULSE_LIBS) $(FEN_LIBS) -lm

$(call program,audiod,audio/src/audiod_main.c audio/src/audiod_pulse.c,$(AUDIO_LIBS),$(AUDIO_LDLIBS),$(PULSE_CFLAGS))
$(call program,audio-agent,audio/src/agent_main.c audio/src/agent_pulse.c,$(AUDIO_LIBS),$(AUDIO_LDLIBS),$(PULSE_CFLAGS))

# Unit tests of the pure parts (no PulseAudio needed).
$(call test_program,test_audio_format,audio/tests/test_audio_format.c,$(AUDIO_LIBS),-lcmocka -lm,-Iaudio/src,audio)
$(call test_program,test_audio_ring,audio/tests/test_audio_ring.c,$(AUDIO_LIBS),-lcmocka -lm,-Iaudio/src,audio)
$(call test_program,test_audio_adapt,audio/tests/test_audio_adapt.c,$(AUDIO_LIBS),-lcmocka $(PULSE_LIBS),-Iaudio/src $(PULSE_CFLAGS),audio)
$(call test_program,test_audio_flow,audio/tests/test_audio_flow.c,$(AUDIO_LIBS),-lcmocka,-Iaudio/src,audio)
$(call test_program,test_audio_tone,audio/tests/test_audio_tone.c,$(AUDIO_LIBS),-lcmocka -lm,-Iaudio/src,audio)

# Helpers for the integration test and the benchmark (built with the programs
# and the tests, so `make bench` has them too;
# not run as tests themselves): tone generator/analyser, a hostile fake guest,
# the latency meter, and a probe of how long the machine stalls a real-time
# thread.
define audio_helper_tpl
$(O)/tests/$(1): $(call obj_of,$(2)) $(3)
	@mkdir -p $$(@D)
	$$(CC) $$(ALL_LDFLAGS) -o $$@ $(call obj_of,$(2)) $(3) $(4)
$(call obj_of,$(2)): EXTRA_CFLAGS += -Iaudio/src $(PULSE_CFLAGS)
TEST_PROGRAMS += $(O)/tests/$(1)
EXTRA_TARGETS += $(O)/tests/$(1)
endef
$(eval $(call audio_helper_tpl,audio-tone,audio/tests/audio_tone_tool.c,$(AUDIO_LIBS),-lm))
$(eval $(call audio_helper_tpl,audio-fake-guest,audio/tests/fake_guest.c,$(AUDIO_LIBS),$(FEN_LIBS)))
$(eval $(call audio_helper_tpl,audio-stall,audio/tests/audio_stall.c,,))
$(eval $(call audio_helper_tpl,audio-latency,audio/tests/audio_latency.c,$(AUDIO_LIBS),$(PULSE_SIMPLE_LIBS) -lpthread -lm))

# Real PulseAudio daemons ("guest" and "dom0", each on its own socket).
$(call test_script,audio/tests/audio-e2e.sh,audio)
