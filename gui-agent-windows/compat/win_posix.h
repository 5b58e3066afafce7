/* Force-included into the protocol sources of the Windows build only.
 * msgio.c dups the fds that ride along with messages (local backend); on
 * Windows no fd is ever passed (the tcp backend refuses them), so fcntl only
 * has to exist and fail.  msgio's wipe mode needs explicit_bzero, which
 * mingw lacks: a volatile loop the compiler cannot drop does the same. */
#ifndef FEN_WIN_POSIX_H
#define FEN_WIN_POSIX_H
#ifdef _WIN32
#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <stddef.h>
static inline void explicit_bzero(void *p, size_t n)
{
    volatile unsigned char *b = (volatile unsigned char *)p;
    while (n--)
        *b++ = 0;
}
#ifndef F_DUPFD_CLOEXEC
#define F_DUPFD_CLOEXEC 1030
static inline int fcntl(int fd, int cmd, ...)
{
    (void)fd;
    (void)cmd;
    errno = ENOTSUP;
    return -1;
}
#endif
#endif
#endif
