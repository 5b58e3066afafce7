# spoof-tests/: the hostile guest (fen-hostile) and the attack cases.
$(call program,fen-hostile,spoof-tests/hostile.c,$(LIB_fenestra),$(FEN_LIBS),)
