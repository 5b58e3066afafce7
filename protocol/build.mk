# protocol/: wire format, validators, channels, shared pages, message I/O.
# Everything else links $(LIB_fenestra).  The xen backends are compiled and
# linked into every build (they fail cleanly at run time without Xen).
FEN_PROTO_SRCS := $(sort $(wildcard protocol/src/*.c))
XEN_LIBS := -lxenvchan -lxengnttab
$(call static_lib,fenestra,$(FEN_PROTO_SRCS),)
FEN_LIBS := $(XEN_LIBS)
