# tests/: cross-component unit and integration tests.
$(call test_program,test_log,tests/unit/test_log.c,$(LIB_fenestra),-lcmocka,,unit)
$(call test_program,test_ctl,tests/unit/test_ctl.c,$(LIB_fenestra),-lcmocka,,unit)
# Channels, shared pages, message I/O (protocol/src/channel*.c, pages*.c, msgio.c).
$(call test_program,test_channel,tests/unit/test_channel.c,$(LIB_fenestra),$(FEN_LIBS) -lcmocka,,unit)
