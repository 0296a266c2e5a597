/* os/perfmap.c — /tmp/perf-PID.map writer so perf can name JIT code.
 * One line per committed block: "START SIZE name" (hex, no 0x). Opt-in: the code
 * memory opens it when cfg->perf_map is set or HY_PERF_MAP=1. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "os/codemem.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef O_NOFOLLOW
#define O_NOFOLLOW 0
#endif
#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif

struct hy_perfmap {
    int fd;
};

struct hy_perfmap *hy_perfmap_open(void) {
    char path[64];
    snprintf(path, sizeof path, "/tmp/perf-%ld.map", (long)getpid());
    /* O_NOFOLLOW: never write through a planted symlink in /tmp. */
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) return NULL;
    struct hy_perfmap *pm = malloc(sizeof *pm);
    if (!pm) {
        close(fd);
        return NULL;
    }
    pm->fd = fd;
    return pm;
}

void hy_perfmap_add(struct hy_perfmap *pm, uintptr_t start, size_t size,
                    const char *name) {
    if (!pm) return;
    char line[256];
    int n = snprintf(line, sizeof line, "%lx %zx %s\n", (unsigned long)start, size,
                     name && *name ? name : "hyjit");
    if (n <= 0) return;
    if ((size_t)n >= sizeof line) {
        n = (int)sizeof line - 1;
        line[n - 1] = '\n';
    }
    /* One write per line: O_APPEND keeps concurrent writers' lines whole. */
    ssize_t w = write(pm->fd, line, (size_t)n);
    (void)w;
}

void hy_perfmap_close(struct hy_perfmap *pm) {
    if (!pm) return;
    close(pm->fd);
    free(pm);
}
