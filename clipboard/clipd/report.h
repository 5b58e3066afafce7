/* What the user and the auditor are told: a log line always, a desktop
 * notification (notify-send, never waited for) when a notification service
 * exists, and an audit line for every copy and paste attempt.  Only qube
 * names, sizes, times and reasons are ever written, never clipboard text. */
#ifndef CLIPD_REPORT_H
#define CLIPD_REPORT_H

#include <stdbool.h>

struct clipd_report;

/* audit_path: the audit log file (appended, created 0600).  NULL on failure. */
struct clipd_report *clipd_report_create(const char *audit_path) __attribute__((warn_unused_result));
void clipd_report_destroy(struct clipd_report *r); /* accepts NULL */

/* One event.  `failed` selects the notification urgency and the log level;
 * `summary` is the notification title, `audit` the audit line's fields. */
void clipd_report_event(struct clipd_report *r, bool failed, const char *summary,
                        const char *body, const char *audit);

/* The same without a desktop notification: events the user did not cause
 * (a qube's unrequested reply), which a hostile qube could repeat at will. */
void clipd_report_quiet(struct clipd_report *r, const char *summary, const char *body,
                        const char *audit);

#endif
