/* guid's view of the dom0 config file (policy/config.h): load it once at
 * start for this guid's qube. */
#ifndef GUID_CONFIG_LOAD_H
#define GUID_CONFIG_LOAD_H

#include <stdbool.h>

#include "config.h"

/* Load `path` (NULL: fen_config_default_path()) and fill `out` with the
 * effective policy for `qube`.  A missing default file means the built-in
 * defaults; a missing --config file or any error in the file is printed to
 * stderr naming the file and line, and returns -1. */
int guid_config_load(const char *path, const char *qube, struct fen_qube_policy *out)
    __attribute__((warn_unused_result));

#endif
