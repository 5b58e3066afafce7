# Fenestra top-level Makefile.
#
#   make            build everything into build/
#   make check      unit + integration tests, then the whole suite again under
#                   ASan+UBSan (build/asan), then a short fuzz run; ends with
#                   one line "N passed, M failed"
#   make demo       two qubes on $DISPLAY (or a private Xvfb -> demo.png)
#   make bench      benchmark table (docs/performance.md)
#   make fuzz       libFuzzer targets for FUZZ_SECONDS each (default 60)
#   make clean
#
# Every component lives in its own folder with a build.mk fragment that uses
# the templates below; objects go to $(O)/obj/<source path>.o, programs to
# $(O)/bin, test programs to $(O)/tests.  O=build/asan SAN=1 is the sanitizer
# flavour that `make check` builds in a second pass.

O ?= build
SAN ?=
CC ?= cc
ifeq ($(CC),cc)
CC := gcc
endif

SRCROOT := $(CURDIR)

WARN := -Wall -Wextra -Werror -Wformat=2 -Wformat-security -Wshadow \
	-Wpointer-arith -Wstrict-prototypes -Wmissing-prototypes -Wvla \
	-Wno-unused-parameter
BASE_CFLAGS := -std=gnu11 -g -pipe $(WARN) -fstack-protector-strong \
	-fstack-clash-protection -fPIE -D_GNU_SOURCE \
	-Iprotocol/include
BASE_LDFLAGS := -pie -Wl,-z,relro -Wl,-z,now -Wl,-z,noexecstack

ifeq ($(SAN),1)
OPT_CFLAGS := -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=undefined -DFEN_SANITIZED=1
SAN_LDFLAGS := -fsanitize=address,undefined
else
OPT_CFLAGS := -O2 -D_FORTIFY_SOURCE=2
SAN_LDFLAGS :=
endif

CFLAGS ?=
LDFLAGS ?=
ALL_CFLAGS = $(BASE_CFLAGS) $(OPT_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(BASE_LDFLAGS) $(SAN_LDFLAGS) $(LDFLAGS)

# pkg-config with a check: a missing .pc file is a missing dependency.
pc_cflags = $(shell pkg-config --cflags $(1) 2>/dev/null)
pc_libs = $(shell pkg-config --libs $(1) 2>/dev/null)

PROGRAMS :=
TEST_PROGRAMS :=
TESTS :=
EXTRA_TARGETS :=
FUZZERS :=

.DEFAULT_GOAL := all

# ---------------------------------------------------------------------------
# Templates used by the component build.mk files.

obj_of = $(patsubst %.c,$(O)/obj/%.o,$(1))

# $(call static_lib,NAME,SOURCES,CFLAGS) -> $(O)/lib/libNAME.a
define static_lib_tpl
LIB_$(1) := $(O)/lib/lib$(1).a
$(O)/lib/lib$(1).a: $(call obj_of,$(2))
	@mkdir -p $$(@D)
	rm -f $$@ && ar rcs $$@ $$^
$(call obj_of,$(2)): EXTRA_CFLAGS += $(3)
endef
static_lib = $(eval $(call static_lib_tpl,$(1),$(2),$(3)))

# $(call program,NAME,SOURCES,LIBS(.a paths),LDLIBS,CFLAGS) -> $(O)/bin/NAME
define program_tpl
$(O)/bin/$(1): $(call obj_of,$(2)) $(3)
	@mkdir -p $$(@D)
	$$(CC) $$(ALL_LDFLAGS) -o $$@ $(call obj_of,$(2)) -Wl,--start-group $(3) -Wl,--end-group $(4)
$(call obj_of,$(2)): EXTRA_CFLAGS += $(5)
PROGRAMS += $(O)/bin/$(1)
endef
program = $(eval $(call program_tpl,$(1),$(2),$(3),$(4),$(5)))

# $(call test_program,NAME,SOURCES,LIBS,LDLIBS,CFLAGS,GROUP) -> $(O)/tests/NAME
# GROUP names a `make check-GROUP` subset (e.g. clipboard, audio, spoof).
define test_program_tpl
$(O)/tests/$(1): $(call obj_of,$(2)) $(3)
	@mkdir -p $$(@D)
	$$(CC) $$(ALL_LDFLAGS) -o $$@ $(call obj_of,$(2)) -Wl,--start-group $(3) -Wl,--end-group $(4)
$(call obj_of,$(2)): EXTRA_CFLAGS += $(5)
TEST_PROGRAMS += $(O)/tests/$(1)
TESTS += @$(1)
TESTS_$(6) += @$(1)
endef
test_program = $(eval $(call test_program_tpl,$(1),$(2),$(3),$(4),$(5),$(6)))

# $(call test_script,PATH,GROUP): a script printing TAP lines (ok / not ok).
define test_script_tpl
TESTS += $(1)
TESTS_$(2) += $(1)
endef
test_script = $(eval $(call test_script_tpl,$(1),$(2)))

$(O)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(EXTRA_CFLAGS) -MMD -MP -c -o $@ $<

# ---------------------------------------------------------------------------
# libFuzzer targets: always clang, always ASan+UBSan, always under build/fuzz.
# $(call fuzzer,NAME,SOURCES) -> build/fuzz/NAME, seed corpus in fuzz/corpus/NAME
FUZZ_CC := clang
FUZZ_CFLAGS := -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -D_GNU_SOURCE -DFEN_FUZZING=1 -Iprotocol/include
define fuzzer_tpl
build/fuzz/$(1): $(2) $(wildcard protocol/include/fenestra/*.h)
	@mkdir -p $$(@D)
	$$(FUZZ_CC) $$(FUZZ_CFLAGS) $(3) -o $$@ $(2) $(4)
FUZZERS += build/fuzz/$(1)
endef
fuzzer = $(eval $(call fuzzer_tpl,$(1),$(2),$(3),$(4)))

# ---------------------------------------------------------------------------
# Components (protocol first: everything links libfenestra).
include protocol/build.mk
include $(filter-out protocol/build.mk,$(sort $(wildcard */build.mk)))

-include $(shell find $(O)/obj -name '*.d' 2>/dev/null)

# ---------------------------------------------------------------------------
.PHONY: all deps tests check check-% demo bench fuzz fuzz-smoke clean spoof

DEPS_STAMP := build/.deps-installed
deps: $(DEPS_STAMP)
$(DEPS_STAMP): scripts/install-deps scripts/deps/*.txt
	scripts/install-deps
	@mkdir -p $(@D) && touch $@

all: $(DEPS_STAMP) programs
programs: $(PROGRAMS) $(EXTRA_TARGETS)
tests: $(TEST_PROGRAMS)
.PHONY: programs

RUN_TESTS = scripts/run-tests

check: $(DEPS_STAMP)
	$(MAKE) programs tests
	$(MAKE) O=build/asan SAN=1 programs tests
	$(MAKE) fuzzers
	$(RUN_TESTS) --builds "build build/asan" --fuzz-seconds $${FUZZ_SMOKE_SECONDS:-20} $(TESTS)

# make check-GROUP: one group alone (normal build only, for speed).
check-%: $(DEPS_STAMP)
	$(MAKE) programs tests
	$(RUN_TESTS) --builds "build" $(TESTS_$*)

spoof: check-spoof

demo: $(DEPS_STAMP)
	$(MAKE) programs
	scripts/demo

bench: $(DEPS_STAMP)
	scripts/install-deps bench
	$(MAKE) programs
	bench/run-all

fuzzers: $(FUZZERS)
fuzz: $(DEPS_STAMP)
	$(MAKE) fuzzers
	scripts/run-fuzzers $${FUZZ_SECONDS:-60} $(FUZZERS)

clean:
	rm -rf build demo.png
