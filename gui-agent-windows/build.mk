# gui-agent-windows/: the Windows guest agent (cross-built with mingw-w64,
# tested under Wine), its dom0 pool holder, and the tests of the loopback TCP
# channel + file page pool it uses (protocol/src/channel_tcp.c, pages_file.c).

# dom0 side: creates the sealed memfd page pool of a tcp:PORT:POOL qube.
$(call program,fen-pool-hold,gui-agent-windows/dom0/pool_hold.c,,,)

# Unit tests of the tcp backend and the file pool (Linux, no Wine needed).
$(call test_program,test_channel_tcp,gui-agent-windows/tests/test_channel_tcp.c,$(LIB_fenestra),-lcmocka $(FEN_LIBS),,unit)
