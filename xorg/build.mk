# xorg/: the Fenestra Xorg video driver (gui-agent-linux/xf86-video-fenestra)
# and its tests.
#
# The driver is a module loaded into Xorg, so it is built apart from the
# templates: always without sanitizers (Xorg itself is not built with them),
# -fPIC -shared, server symbols left undefined, and always into the same
# place, build/xorg/drivers/fenestra_drv.so, whatever O= says, so that both
# test passes load the same module with -modulepath build/xorg.
XORG_DRV_SRC := gui-agent-linux/xf86-video-fenestra
XORG_DRV_DIR := build/xorg/drivers
XORG_DRV := $(XORG_DRV_DIR)/fenestra_drv.so
XORG_DRV_SRCS := $(sort $(wildcard $(XORG_DRV_SRC)/fenestra_*.c)) $(XORG_DRV_SRC)/fen_pagealloc.c
# Server headers are included as system headers: our -W flags are for our code.
XORG_DRV_CFLAGS := -std=gnu11 -g -O2 -pipe -fPIC $(WARN) -fstack-protector-strong \
	-D_FORTIFY_SOURCE=2 -D_GNU_SOURCE -Iprotocol/include \
	$(patsubst -I%,-isystem %,$(call pc_cflags,xorg-server))

$(XORG_DRV): $(XORG_DRV_SRCS) $(wildcard $(XORG_DRV_SRC)/*.h) protocol/include/fenestra/domid.h xorg/build.mk
	@mkdir -p $(@D)
	$(CC) $(XORG_DRV_CFLAGS) -shared -Wl,-z,relro -Wl,-z,noexecstack -o $@ $(XORG_DRV_SRCS) -lxengnttab
EXTRA_TARGETS += $(XORG_DRV)

# Test helper (not a test by itself: tests/xorg/driver-pixels.sh runs it
# against a real Xorg with the driver).  Built in both flavours like any test.
XORG_PIXELS_SRCS := tests/xorg/xorg_pixels.c $(XORG_DRV_SRC)/fenext_client.c
$(O)/tests/xorg-pixels: $(call obj_of,$(XORG_PIXELS_SRCS))
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ -lxcb-composite -lxcb
TEST_PROGRAMS += $(O)/tests/xorg-pixels

# Test helper for streamed MIT-SHM puts (fenestra_shmband.c), run by
# tests/xorg/driver-pixels.sh.
XORG_SHMBAND_SRCS := tests/xorg/xorg_shmband.c $(XORG_DRV_SRC)/fenext_client.c
$(O)/tests/xorg-shmband: $(call obj_of,$(XORG_SHMBAND_SRCS))
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ -lxcb-composite -lxcb-damage -lxcb-shm -lxcb
TEST_PROGRAMS += $(O)/tests/xorg-shmband

# Unit test of the driver's page allocator (pure C).
$(call test_program,test_pagealloc,tests/xorg/test_pagealloc.c $(XORG_DRV_SRC)/fen_pagealloc.c,,-lcmocka,,xorg)

# Needs Xorg run as root (tests/lib/xorg.sh); the driver itself is never
# sanitized, the test clients and the agent/guid are in build/asan.
$(call test_script,tests/xorg/driver-pixels.sh,xorg)

# GL client drawing exact colours (Mesa software rendering through GLX).
$(O)/tests/fen-glcolors: $(call obj_of,tests/xorg/gl_colors.c)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(call pc_libs,gl x11)
TEST_PROGRAMS += $(O)/tests/fen-glcolors
$(call test_script,tests/xorg/e2e-driver.sh,xorg)
$(call test_script,tests/xorg/pacing-e2e.sh,xorg)
$(call test_script,tests/xorg/gl-driver.sh,xorg)
$(call test_script,tests/xorg/integration-on-xorg.sh,xorg)

# driver_dump.c: the agent's pixmap report -> WINDOW_DUMP translation (no X server).
$(call test_program,test_driver_mode_dump,tests/xorg/test_driver_mode_dump.c gui-agent-linux/driver_dump.c,$(LIB_fenestra),-lcmocka $(FEN_LIBS),,xorg)
