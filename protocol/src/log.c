/* Logging for every Fenestra process (see fenestra/log.h). */
#include "fenestra/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static char log_prefix[96] = "fenestra";
static enum fen_log_level log_level = FEN_LOG_INFO;

static const char *const level_names[] = {"ERROR", "WARN", "INFO", "DEBUG"};

void fen_log_init(const char *component, const char *qube)
{
    if (qube && *qube)
        snprintf(log_prefix, sizeof log_prefix, "%s %s", component, qube);
    else
        snprintf(log_prefix, sizeof log_prefix, "%s", component);
    const char *env = getenv("FENESTRA_LOG_LEVEL");
    if (!env)
        return;
    for (int l = FEN_LOG_ERROR; l <= FEN_LOG_DEBUG; l++)
        if (strcasecmp(env, level_names[l]) == 0)
            log_level = (enum fen_log_level)l;
}

void fen_log_set_level(enum fen_log_level level)
{
    log_level = level;
}

void fen_log_write(enum fen_log_level level, const char *file, int line, int errnum,
                   const char *fmt, ...)
{
    if (level > log_level)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    localtime_r(&ts.tv_sec, &tm);
    char when[16];
    strftime(when, sizeof when, "%H:%M:%S", &tm);
    if (errnum >= 0)
        fprintf(stderr, "%s.%03ld [%s] %s %s:%d: %s: %s\n", when, ts.tv_nsec / 1000000, log_prefix,
                level_names[level], base, line, msg, strerror(errnum));
    else
        fprintf(stderr, "%s.%03ld [%s] %s %s:%d: %s\n", when, ts.tv_nsec / 1000000, log_prefix,
                level_names[level], base, line, msg);
}
