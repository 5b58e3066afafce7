/* Logging: one macro with levels, "[component qube] LEVEL file:line: msg",
 * printf-checked.  Goes to stderr (daemons run under a supervisor/journald). */
#ifndef FENESTRA_LOG_H
#define FENESTRA_LOG_H

enum fen_log_level { FEN_LOG_ERROR = 0, FEN_LOG_WARN = 1, FEN_LOG_INFO = 2, FEN_LOG_DEBUG = 3 };

/* Set once at start: e.g. fen_log_init("guid", "work"); qube may be NULL.
 * FENESTRA_LOG_LEVEL=debug|info|warn|error in the environment overrides the
 * default level (info). */
void fen_log_init(const char *component, const char *qube);
void fen_log_set_level(enum fen_log_level level);

void fen_log_write(enum fen_log_level level, const char *file, int line, int errnum,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#define fen_log(level, ...) fen_log_write(FEN_LOG_##level, __FILE__, __LINE__, -1, __VA_ARGS__)
/* Appends ": strerror(errno)". */
#define fen_log_errno(level, ...) \
    fen_log_write(FEN_LOG_##level, __FILE__, __LINE__, errno, __VA_ARGS__)

#endif
