# bench/: frame generator (guest) and frame watcher (dom0) for `make bench`.
$(call program,fen-framegen,bench/framegen.c,,$(call pc_libs,xcb xcb-shm pixman-1),$(call pc_cflags,pixman-1))
$(call program,fen-framewatch,bench/framewatch.c,,$(call pc_libs,xcb xcb-damage),)
$(call program,fen-memfloor,bench/memfloor.c,,$(call pc_libs,pixman-1),$(call pc_cflags,pixman-1))
