/* Log, notifications and audit (see report.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fenestra/log.h"
#include "report.h"

extern char **environ;

struct clipd_report {
    int audit_fd;
};

struct clipd_report *clipd_report_create(const char *audit_path)
{
    struct clipd_report *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->audit_fd = open(audit_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (r->audit_fd < 0) {
        fen_log_errno(ERROR, "cannot open audit log %s", audit_path);
        free(r);
        return NULL;
    }
    /* Notifications run as children nobody waits for: let the kernel reap them. */
    struct sigaction sa = {.sa_handler = SIG_IGN, .sa_flags = SA_NOCLDWAIT};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGCHLD, &sa, NULL);
    return r;
}

void clipd_report_destroy(struct clipd_report *r)
{
    if (!r)
        return;
    if (r->audit_fd >= 0)
        close(r->audit_fd);
    free(r);
}

static bool notification_service_present(void)
{
    const char *bus = getenv("DBUS_SESSION_BUS_ADDRESS");
    return bus && bus[0];
}

/* notify-send in the background; its stdio goes to /dev/null. */
static void notify(bool failed, const char *summary, const char *body)
{
    if (!notification_service_present())
        return;
    posix_spawn_file_actions_t fa;
    if (posix_spawn_file_actions_init(&fa) != 0)
        return;
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    char *argv[] = {"notify-send",         "--app-name=Fenestra clipboard",
                    failed ? "--urgency=critical" : "--urgency=normal",
                    "--expire-time=4000", (char *)summary, (char *)body, NULL};
    pid_t pid;
    int rc = posix_spawnp(&pid, "notify-send", &fa, NULL, argv, environ);
    if (rc != 0)
        fen_log(DEBUG, "notify-send: %s", strerror(rc));
    posix_spawn_file_actions_destroy(&fa);
}

static void audit(struct clipd_report *r, const char *fields)
{
    struct timespec ts;
    struct tm tm;
    char stamp[40];
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    char line[512];
    int n = snprintf(line, sizeof line, "%s.%03ldZ %s\n", stamp, ts.tv_nsec / 1000000, fields);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof line)
        n = sizeof line - 1, line[n - 1] = '\n';
    if (write(r->audit_fd, line, (size_t)n) != n)
        fen_log_errno(WARN, "audit log write failed");
}

void clipd_report_event(struct clipd_report *r, bool failed, const char *summary,
                        const char *body, const char *audit_fields)
{
    if (failed)
        fen_log(WARN, "%s: %s", summary, body);
    else
        fen_log(INFO, "%s: %s", summary, body);
    notify(failed, summary, body);
    if (audit_fields)
        audit(r, audit_fields);
}

void clipd_report_quiet(struct clipd_report *r, const char *summary, const char *body,
                        const char *audit_fields)
{
    fen_log(WARN, "%s: %s", summary, body);
    if (audit_fields)
        audit(r, audit_fields);
}
