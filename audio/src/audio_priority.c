/* Scheduling priority for the audio daemons (see audio_priority.h). */
#include "audio_priority.h"

#include <errno.h>
#include <sched.h>
#include <sys/resource.h>

#include "fenestra/log.h"

#define RT_PRIORITY 5 /* PulseAudio uses 5 for its realtime threads too */
#define NICE_LEVEL (-11)

int audio_priority_raise(void)
{
    struct sched_param sp = {.sched_priority = RT_PRIORITY};
    /* SCHED_RESET_ON_FORK: children (none today) never inherit it */
    if (sched_setscheduler(0, SCHED_RR | SCHED_RESET_ON_FORK, &sp) == 0) {
        fen_log(INFO, "running with real-time priority (SCHED_RR %d)", RT_PRIORITY);
        return 2;
    }
    if (setpriority(PRIO_PROCESS, 0, NICE_LEVEL) == 0) {
        fen_log(INFO, "no real-time priority allowed; running at nice %d", NICE_LEVEL);
        return 1;
    }
    fen_log_errno(INFO, "running at normal priority (cannot raise it)");
    return 0;
}
