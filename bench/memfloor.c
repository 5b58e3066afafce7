/* fen-memfloor: the memory floor of one zero-copy frame on this machine.
 *   fen-memfloor [--size WxH] [--fps N] [--frames N]
 * Does, per frame and in one thread, only the three passes over the frame's
 * pixels that a zero-copy frame of the frame benchmark's W1/W2 cannot avoid,
 * with no X server, no IPC and no forwarding:
 *   fill  the application renders the frame in its own memory (pixman_fill,
 *         as fen-framegen and cairo do),
 *   put   the guest X server copies it into the window's pixmap (row by row,
 *         as fb's GXcopy blit does, into a memfd like the driver's pool),
 *   show  dom0's X server copies the pixmap into its screen (row by row into
 *         a wider framebuffer, as the 2560x1440 dom0 Xvfb of the benchmark).
 * --fps 0 runs frames back to back (W1's cadence); --fps 60 paces them at
 * 60 per second (W2's): on a shared VM the caches no longer hold the frame's
 * buffers 16 ms later, and every pass runs at DRAM speed.  Prints the CPU
 * ms per frame of each pass and their sum, the median over the frames:
 *   fill F put P show S total T
 * The frame benchmark reports the sum next to its "CPU per delivered frame"
 * (bench/frame-bench). */
#include <getopt.h>
#include <pixman.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define DOM0_WIDTH 2560
#define DOM0_HEIGHT 1440
#define BORDER 8 /* where the window's pixels start on dom0's screen */

static double thread_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void copy_rows(uint8_t *dst, size_t dst_stride, const uint8_t *src, size_t src_stride,
                      size_t row_bytes, int rows)
{
    for (int r = 0; r < rows; r++)
        memcpy(dst + (size_t)r * dst_stride, src + (size_t)r * src_stride, row_bytes);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(*v), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void *map_memfd(const char *name, size_t size)
{
    int fd = memfd_create(name, MFD_CLOEXEC);
    if (fd < 0 || ftruncate(fd, (off_t)size) < 0)
        return NULL;
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    return p == MAP_FAILED ? NULL : p;
}

int main(int argc, char **argv)
{
    int w = 1920, h = 1080, fps = 0, frames = 200;
    static const struct option opts[] = {{"size", 1, 0, 's'}, {"fps", 1, 0, 'f'},
                                         {"frames", 1, 0, 'n'}, {"help", 0, 0, 'h'}, {0, 0, 0, 0}};
    for (int c; (c = getopt_long(argc, argv, "", opts, NULL)) != -1;) {
        switch (c) {
        case 's':
            if (sscanf(optarg, "%dx%d", &w, &h) != 2 || w < 1 || h < 1 || w > DOM0_WIDTH - BORDER ||
                h > DOM0_HEIGHT - BORDER)
                return fprintf(stderr, "bad --size (at most %dx%d)\n", DOM0_WIDTH - BORDER,
                               DOM0_HEIGHT - BORDER),
                       2;
            break;
        case 'f': fps = atoi(optarg); break;
        case 'n': frames = atoi(optarg); break;
        default:
            printf("usage: fen-memfloor [--size WxH] [--fps N] [--frames N]\n");
            return c == 'h' ? 0 : 2;
        }
    }
    if (fps < 0 || fps > 1000 || frames < 1 || frames > 100000)
        return fprintf(stderr, "bad --fps or --frames\n"), 2;

    size_t stride = (size_t)w * 4, size = stride * (size_t)h;
    size_t screen_stride = (size_t)DOM0_WIDTH * 4;
    uint8_t *app = map_memfd("fen-memfloor-app", size);   /* the MIT-SHM segment */
    uint8_t *pixmap = map_memfd("fen-memfloor-pool", size); /* the pool pixmap */
    uint8_t *screen = malloc(screen_stride * DOM0_HEIGHT);  /* dom0's framebuffer */
    double *fill = calloc((size_t)frames, sizeof(double)), *put = calloc((size_t)frames, sizeof(double));
    double *show = calloc((size_t)frames, sizeof(double)), *total = calloc((size_t)frames, sizeof(double));
    if (!app || !pixmap || !screen || !fill || !put || !show || !total)
        return fprintf(stderr, "fen-memfloor: out of memory\n"), 1;
    /* Touch everything once: page faults are not part of a frame. */
    memset(app, 0, size);
    memset(pixmap, 0, size);
    memset(screen, 0, screen_stride * DOM0_HEIGHT);

    struct timespec next;
    clock_gettime(CLOCK_MONOTONIC, &next);
    for (int i = 0; i < frames; i++) {
        if (fps > 0) {
            next.tv_nsec += 1000000000L / fps;
            if (next.tv_nsec >= 1000000000L) {
                next.tv_nsec -= 1000000000L;
                next.tv_sec++;
            }
            clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
        }
        uint32_t color = ((uint32_t)i * 0x9e3779b1u) & 0x00ffffffu;
        double t0 = thread_ms();
        pixman_fill((uint32_t *)app, w, 32, 0, 0, w, h, color);
        double t1 = thread_ms();
        copy_rows(pixmap, stride, app, stride, stride, h);
        double t2 = thread_ms();
        copy_rows(screen + screen_stride * BORDER + BORDER * 4, screen_stride, pixmap, stride, stride, h);
        double t3 = thread_ms();
        fill[i] = t1 - t0, put[i] = t2 - t1, show[i] = t3 - t2, total[i] = t3 - t0;
    }
    printf("fill %.2f put %.2f show %.2f total %.2f\n", median(fill, frames), median(put, frames),
           median(show, frames), median(total, frames));
    return 0;
}
