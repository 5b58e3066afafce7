/* guid: load the dom0 config file for one qube (see config_load.h). */
#include "config_load.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int guid_config_load(const char *path, const char *qube, struct fen_qube_policy *out)
{
    bool explicit_path = path != NULL;
    if (path == NULL)
        path = fen_config_default_path();
    struct fen_config *cfg = malloc(sizeof(*cfg));
    if (cfg == NULL)
        return -1;
    int rc = 0;
    struct fen_config_error err;
    if (!explicit_path && access(path, F_OK) != 0 && errno == ENOENT) {
        fen_config_defaults(cfg);
    } else if (fen_config_load(path, cfg, &err) != 0) {
        if (err.line > 0)
            fprintf(stderr, "guid: %s:%d: %s\n", path, err.line, err.reason);
        else
            fprintf(stderr, "guid: %s: %s\n", path, err.reason);
        rc = -1;
    }
    if (rc == 0)
        fen_config_qube(cfg, qube, out);
    free(cfg);
    return rc;
}
