# gui-agent-windows/: the Windows guest agent (cross-built with mingw-w64,
# tested under Wine), its dom0 pool holder, and the tests of the loopback TCP
# channel + file page pool it uses (protocol/src/channel_tcp.c, pages_file.c).

# dom0 side: creates the sealed memfd page pool of a tcp:PORT:POOL qube.
$(call program,fen-pool-hold,gui-agent-windows/dom0/pool_hold.c,,,)

# Unit tests of the tcp backend and the file pool (Linux, no Wine needed).
$(call test_program,test_channel_tcp,gui-agent-windows/tests/test_channel_tcp.c,$(LIB_fenestra),-lcmocka $(FEN_LIBS),,unit)

# Unit tests of the agent's pure parts (no Windows headers), built natively:
# DXGI dirty/move rects -> per-window damage, Windows cursor -> X glyph.
$(call test_program,test_win_dirty_map,gui-agent-windows/tests/test_dirty_map.c gui-agent-windows/src/dirty_map.c,,-lcmocka,,unit)
$(call test_program,test_win_cursor_map,gui-agent-windows/tests/test_cursor_map.c gui-agent-windows/src/cursor_map.c,$(LIB_fenestra),-lcmocka $(FEN_LIBS),,unit)

# ---------------------------------------------------------------------------
# The Windows agent itself, cross-built when mingw-w64 is installed (needs
# scripts/deps/windows.txt).  Always build/bin/*.exe whatever O= / SAN are:
# sanitizers do not exist for this target, and the tests find the .exe there.
WIN_CC := x86_64-w64-mingw32-gcc
ifneq ($(shell command -v $(WIN_CC) 2>/dev/null),)
WIN_OBJDIR := build/win/obj
# No -Wformat: mingw's printf checker does not know %zu; the same sources
# are format-checked by the Linux build.
WIN_CFLAGS := -std=gnu11 -g -O2 $(filter-out -Wformat%,$(WARN)) -Wno-format -fstack-protector-strong \
	-D__USE_MINGW_ANSI_STDIO=1 -D_POSIX_THREAD_SAFE_FUNCTIONS -D_WIN32_WINNT=0x0601 \
	-Iprotocol/include -include gui-agent-windows/compat/win_posix.h
WIN_LDFLAGS := -static -fstack-protector-strong -Wl,--dynamicbase,--nxcompat,--high-entropy-va
WIN_PROTO_SRCS := protocol/src/channel.c protocol/src/channel_tcp.c protocol/src/pages.c \
	protocol/src/pages_file.c protocol/src/msgio.c protocol/src/log.c protocol/src/utf8.c \
	$(wildcard protocol/src/validate*.c) gui-agent-windows/compat/win_backends.c
WIN_AGENT_SRCS := $(wildcard gui-agent-windows/src/*.c) $(WIN_PROTO_SRCS)
WIN_AGENT_LIBS := -ld3d11 -ldxgi -ldxguid -lws2_32 -lgdi32 -luser32 -l:libwinpthread.a
win_obj = $(patsubst %.c,$(WIN_OBJDIR)/%.o,$(1))

$(WIN_OBJDIR)/%.o: %.c
	@mkdir -p $(@D)
	$(WIN_CC) $(WIN_CFLAGS) -MMD -MP -c -o $@ $<

build/bin/gui-agent.exe: $(call win_obj,$(WIN_AGENT_SRCS))
	@mkdir -p $(@D)
	$(WIN_CC) $(WIN_LDFLAGS) -o $@ $^ $(WIN_AGENT_LIBS)

build/bin/fen-wintest.exe: $(call win_obj,gui-agent-windows/tests/testapp.c)
	@mkdir -p $(@D)
	$(WIN_CC) $(WIN_LDFLAGS) -o $@ $^ -lgdi32 -luser32 -lshell32

# Unit tests of the Windows-only code, run under Wine by windows-agent.sh.
build/bin/fen-winunit.exe: $(call win_obj,gui-agent-windows/tests/winunit.c \
		$(filter-out %/main.c,$(WIN_AGENT_SRCS)))
	@mkdir -p $(@D)
	$(WIN_CC) $(WIN_LDFLAGS) -o $@ $^ $(WIN_AGENT_LIBS)

EXTRA_TARGETS += build/bin/gui-agent.exe build/bin/fen-wintest.exe build/bin/fen-winunit.exe
-include $(shell find $(WIN_OBJDIR) -name '*.d' 2>/dev/null)
endif

# End to end under Wine with guid, clipd and clip-agent ("needs wine":
# the script skips itself when wine or the .exe files are missing).
$(call test_script,gui-agent-windows/tests/windows-agent.sh,windows)
