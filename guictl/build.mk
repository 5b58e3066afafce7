# guictl: main.c dispatches; each cmd_*.c registers one subcommand.
$(call program,guictl,$(sort $(wildcard guictl/*.c)),$(LIB_fenestra),$(FEN_LIBS),)
