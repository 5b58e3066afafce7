/* audio-stall: how long can the machine keep a real-time audio thread from
 * running?  The benchmark runs it next to the long run, so an underrun can be
 * told apart from a machine that stopped everything (a virtual CPU the host
 * did not schedule, a long non-preemptible kernel section).
 *
 *   audio-stall SECONDS
 *
 * Sleeps 1 ms at a time at SCHED_RR 5 (what PulseAudio's I/O threads,
 * audiod and audio-agent use; normal priority when not allowed) and prints
 * "policy=rr|normal wakeups=N longest_ms=X over_10ms=N over_20ms=N", where a
 * stall is how much later than asked the thread woke up. */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    char *end = NULL;
    double seconds = argc == 2 ? strtod(argv[1], &end) : 0;
    if (argc != 2 || !end || *end || seconds <= 0 || seconds > 3600) {
        fprintf(stderr, "usage: audio-stall SECONDS\n");
        return 2;
    }
    struct sched_param sp = {.sched_priority = 5};
    int rt = sched_setscheduler(0, SCHED_RR | SCHED_RESET_ON_FORK, &sp) == 0;
    double stop = now_ms() + seconds * 1e3, longest = 0;
    unsigned long wakeups = 0, over10 = 0, over20 = 0;
    for (;;) {
        double before = now_ms();
        if (before >= stop)
            break;
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
        double late = now_ms() - before - 1.0;
        wakeups++;
        if (late > longest)
            longest = late;
        over10 += late > 10.0;
        over20 += late > 20.0;
    }
    printf("policy=%s wakeups=%lu longest_ms=%.1f over_10ms=%lu over_20ms=%lu\n",
           rt ? "rr" : "normal", wakeups, longest, over10, over20);
    return 0;
}
