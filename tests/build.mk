# tests/: cross-component unit and integration tests.
$(call test_program,test_log,tests/unit/test_log.c,$(LIB_fenestra),-lcmocka,,unit)
$(call test_program,test_ctl,tests/unit/test_ctl.c,$(LIB_fenestra),-lcmocka,,unit)
# Channels, shared pages, message I/O (protocol/src/channel*.c, pages*.c, msgio.c).
$(call test_program,test_channel,tests/unit/test_channel.c,$(LIB_fenestra),$(FEN_LIBS) -lcmocka,,unit)
$(call test_program,test_msgio,tests/unit/test_msgio.c,$(LIB_fenestra),$(FEN_LIBS) -lcmocka,,unit)
$(call test_program,test_pages,tests/unit/test_pages.c,$(LIB_fenestra),$(FEN_LIBS) -lcmocka,,unit)
# The xen backends cannot run here: this proves they link and fail cleanly.
$(call test_program,test_xen_backend,tests/unit/test_xen_backend.c,$(LIB_fenestra),$(FEN_LIBS) -lcmocka,,unit)
