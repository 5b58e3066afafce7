# policy/: the dom0 configuration file (libinih) and pure policy helpers,
# linked by guid, clipd and audiod.  Users add -Ipolicy to their CFLAGS.
$(call static_lib,fenpolicy,policy/config.c,)
FEN_POLICY_LIBS := -linih
$(call test_program,test_config,policy/tests/test_config.c,$(LIB_fenpolicy) $(LIB_fenestra),-linih -lcmocka,-Ipolicy,unit)
$(call test_program,test_label,policy/tests/test_label.c,$(LIB_fenpolicy) $(LIB_fenestra),-linih -lcmocka,-Ipolicy,unit)
