# fuzz/: libFuzzer targets, and the validator unit tests (tests/unit/test_validate*.c,
# test_sanitize.c) which live beside the other unit tests but are registered here.

VALIDATE_SRCS := protocol/src/validate.c protocol/src/validate_gui.c \
	protocol/src/validate_stream.c protocol/src/utf8.c

$(call test_program,test_validate,tests/unit/test_validate.c,$(LIB_fenestra),-lcmocka,,unit)
$(call test_program,test_validate_gui,tests/unit/test_validate_gui.c,$(LIB_fenestra),-lcmocka,,unit)
$(call test_program,test_validate_streams,tests/unit/test_validate_streams.c,$(LIB_fenestra),-lcmocka,,unit)
$(call test_program,test_sanitize,tests/unit/test_sanitize.c,$(LIB_fenestra),-lcmocka,,unit)
$(call test_program,test_validate_reader,tests/unit/test_validate_reader.c,$(LIB_fenestra),$(FEN_LIBS) -lcmocka,,unit)

$(call fuzzer,fuzz_protocol,fuzz/fuzz_protocol.c $(VALIDATE_SRCS))
build/fuzz/fuzz_protocol: protocol/src/validate_internal.h
$(call fuzzer,fuzz_reader,fuzz/fuzz_reader.c $(FEN_PROTO_SRCS),,$(XEN_LIBS))
