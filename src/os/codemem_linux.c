/* os/codemem_linux.c — Linux pages for the code memory: memfd mapped twice.
 *
 * A region is one memfd. Its executable view is mapped PROT_READ|PROT_EXEC,
 * MAP_SHARED, once, at a random page address inside a PROT_NONE reservation that
 * leaves a guard area on both sides. A write window maps the needed pages of the
 * same memfd PROT_READ|PROT_WRITE at its own random address and is unmapped when
 * the window closes. Nothing here calls mprotect, no mapping is ever W and X, and
 * no mapping gains X, so all of this works under PR_SET_MDWE/REFUSE_EXEC_GAIN.
 *
 * fork(): write windows are MADV_DONTFORK, so a child forked while a window is
 * open does not inherit it. What a child DOES inherit is the memfd itself (the
 * descriptor is CLOEXEC, not close-on-fork) and the RX view of every region, a
 * MAP_SHARED mapping of an O_RDWR file: a child that runs arbitrary code can
 * mmap the fd (or /proc/self/fd/N) read-write, or mprotect its RX view to RW
 * (unless MDWE is set in the child), and write into the code the PARENT runs.
 * That is a cross-process write primitive for a compromised forked child; it
 * needs code execution in the child already. Processes that fork untrusted
 * workers without exec should exec them (CLOEXEC closes the fd) or create the
 * engine after forking. Not fixed here: sealing against writes (F_SEAL_WRITE /
 * F_SEAL_FUTURE_WRITE) would also forbid our own write windows.
 *
 * Hints: random page addresses in [4 GiB, top - top/256), where top is the user
 * address-space size implied by where the stack and mmap(NULL) live (2^47 on
 * x86-64 and under qemu-user, 2^48 or 2^39 on arm64 kernels). MAP_FIXED_NOREPLACE
 * makes a collision fail instead of clobbering; every returned address is checked
 * (old kernels and some emulators treat the flag as a plain hint), and after a few
 * misses we let the kernel choose (its own ASLR), which is counted.
 */
#ifdef __linux__

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "os/codemem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 0x0001U
#endif
#ifndef MFD_ALLOW_SEALING
#define MFD_ALLOW_SEALING 0x0002U
#endif
#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif
#ifndef F_ADD_SEALS
#define F_ADD_SEALS 1033
#define F_SEAL_SEAL 0x0001
#define F_SEAL_SHRINK 0x0002
#define F_SEAL_GROW 0x0004
#endif
/* membarrier commands (linux/membarrier.h), spelled out so old headers build. */
#define HY_MB_CMD_QUERY 0
#define HY_MB_CMD_PRIVATE_EXPEDITED_SYNC_CORE (1 << 5)
#define HY_MB_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE (1 << 6)

#define HINT_TRIES 8
#define GUARD_PAGES 4

struct lx_state {
    size_t page;
    uintptr_t lo, hi; /* hint range, page aligned */
    int sync_ok;      /* membarrier SYNC_CORE registered */
    int mfd_exec;     /* MFD_EXEC accepted (Linux 6.3+) */
    unsigned long hint_misses, kernel_placed;
    char sync_msg[160];
};

struct lx_region {
    int fd;
    uintptr_t base; /* start of the PROT_NONE reservation */
    size_t total;   /* reservation length (guards + region) */
};

static int fmt_err(char *err, size_t cap, const char *what) {
    snprintf(err, cap, "%s: %s", what, strerror(errno));
    return HY_CM_EMAP;
}

static size_t bitlen(uintptr_t v) {
    size_t n = 0;
    while (v) n++, v >>= 1;
    return n;
}

static int lx_init(void **state, char *err, size_t cap) {
    struct lx_state *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, cap, "out of host memory");
        return HY_CM_EMAP;
    }
    long pg = sysconf(_SC_PAGESIZE);
    s->page = pg > 0 ? (size_t)pg : 4096;
    s->mfd_exec = 1;
    /* Address-space size: the stack sits near the top of user space. */
    int local = 0;
    size_t bits = bitlen((uintptr_t)&local);
    void *probe = mmap(NULL, s->page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (probe != MAP_FAILED) {
        if (bitlen((uintptr_t)probe) > bits) bits = bitlen((uintptr_t)probe);
        munmap(probe, s->page);
    }
    if (bits > 48) bits = 48; /* never ask for 5-level-paging addresses */
    if (bits < 36) bits = 36;
    uintptr_t top = (uintptr_t)1 << bits;
    s->lo = (uintptr_t)1 << 32;
    s->hi = top - (top >> 8);
    /* Cross-core sync: register once; the kernel may refuse (old kernel, seccomp,
     * emulator) — then we say so and rely on the icache flush alone. */
    long q = syscall(SYS_membarrier, HY_MB_CMD_QUERY, 0, 0);
    if (q < 0) {
        snprintf(s->sync_msg, sizeof s->sync_msg,
                 "unavailable: membarrier query failed (%s); icache flush only",
                 strerror(errno));
    } else if (!(q & HY_MB_CMD_PRIVATE_EXPEDITED_SYNC_CORE)) {
        snprintf(s->sync_msg, sizeof s->sync_msg,
                 "unavailable: kernel lacks membarrier SYNC_CORE; icache flush only");
    } else if (syscall(SYS_membarrier, HY_MB_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE, 0,
                       0) != 0) {
        snprintf(s->sync_msg, sizeof s->sync_msg,
                 "unavailable: membarrier SYNC_CORE registration refused (%s); icache "
                 "flush only",
                 strerror(errno));
    } else {
        s->sync_ok = 1;
        snprintf(s->sync_msg, sizeof s->sync_msg,
                 "membarrier(PRIVATE_EXPEDITED_SYNC_CORE)");
    }
    *state = s;
    return 0;
}

static void lx_fini(void *state) { free(state); }

static int lx_random(void *state, void *buf, size_t n, char *err, size_t cap) {
    uint8_t *p = buf;
    while (n) {
        long r = syscall(SYS_getrandom, p, n, 0);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) {
            /* No getrandom (seccomp, very old kernel): the urandom device. */
            int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
            if (fd < 0) return fmt_err(err, cap, "getrandom and /dev/urandom");
            ssize_t g = read(fd, p, n);
            close(fd);
            if (g != (ssize_t)n) return fmt_err(err, cap, "read /dev/urandom");
            return 0;
        }
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

static uintptr_t rand_hint(struct lx_state *s, size_t len, uint64_t (*rnd)(void *),
                           void *rctx) {
    uintptr_t pages = (s->hi - s->lo - len) / s->page;
    return s->lo + (uintptr_t)(rnd(rctx) % pages) * s->page;
}

/* mmap at a random address: NOREPLACE hints first, each result checked; then
 * kernel placement. Returns MAP_FAILED with errno set. */
static void *map_random(struct lx_state *s, size_t len, int prot, int flags, int fd,
                        off_t off, uint64_t (*rnd)(void *), void *rctx) {
    for (int i = 0; i < HINT_TRIES; i++) {
        uintptr_t hint = rand_hint(s, len, rnd, rctx);
        void *p = mmap((void *)hint, len, prot, flags | MAP_FIXED_NOREPLACE, fd, off);
        if (p == (void *)hint) return p;
        s->hint_misses++;
        if (p != MAP_FAILED) munmap(p, len); /* flag ignored: treated as a hint */
        else if (errno != EEXIST && errno != ENOMEM && errno != EINVAL &&
                 errno != EPERM)
            return MAP_FAILED; /* EACCES, ENODEV...: a hint will not help */
    }
    s->kernel_placed++;
    return mmap(NULL, len, prot, flags, fd, off);
}

static int lx_region_new(void *state, size_t size, uint64_t (*rnd)(void *), void *rctx,
                         struct hy_os_region *r, char *err, size_t cap) {
    struct lx_state *s = state;
    struct lx_region *lr = calloc(1, sizeof *lr);
    if (!lr) {
        snprintf(err, cap, "out of host memory");
        return HY_CM_EMAP;
    }
    const char *name = "hyperion-jit";
    unsigned flags = MFD_CLOEXEC | MFD_ALLOW_SEALING;
    int fd = -1;
    if (s->mfd_exec) {
        fd = (int)syscall(SYS_memfd_create, name, flags | MFD_EXEC);
        if (fd < 0 && errno == EINVAL) s->mfd_exec = 0; /* kernel before 6.3 */
        if (fd < 0 && errno == EACCES) {
            free(lr);
            return fmt_err(err, cap,
                           "memfd_create(MFD_EXEC) refused (sysctl vm.memfd_noexec=2?)");
        }
    }
    if (fd < 0) fd = (int)syscall(SYS_memfd_create, name, flags);
    if (fd < 0) {
        free(lr);
        return fmt_err(err, cap, "memfd_create");
    }
    if (ftruncate(fd, (off_t)size) != 0) {
        fmt_err(err, cap, "ftruncate of the code memfd");
        close(fd);
        free(lr);
        return HY_CM_EMAP;
    }
    /* The size never changes again (a shrink would SIGBUS the executable view). */
    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL);
    size_t guard = GUARD_PAGES * s->page, total = size + 2 * guard;
    void *base = map_random(s, total, PROT_NONE,
                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0, rnd, rctx);
    if (base == MAP_FAILED) {
        fmt_err(err, cap, "reserving a code region");
        close(fd);
        free(lr);
        return HY_CM_EMAP;
    }
    void *want = (uint8_t *)base + guard;
    /* MAP_FIXED inside our own reservation: replaces only our PROT_NONE pages. */
    void *x = mmap(want, size, PROT_READ | PROT_EXEC, MAP_SHARED | MAP_FIXED, fd, 0);
    if (x != want) {
        if (x == MAP_FAILED) fmt_err(err, cap, "mapping the code region read+exec");
        else snprintf(err, cap, "mapping the code region: kernel moved it to %p", x);
        munmap(base, total);
        close(fd);
        free(lr);
        return HY_CM_EMAP;
    }
    lr->fd = fd;
    lr->base = (uintptr_t)base;
    lr->total = total;
    r->x = (uintptr_t)want;
    r->size = size;
    r->os = lr;
    return 0;
}

static void lx_region_free(void *state, struct hy_os_region *r) {
    struct lx_region *lr = r->os;
    if (!lr) return;
    munmap((void *)lr->base, lr->total);
    close(lr->fd);
    free(lr);
    r->os = NULL;
}

static int lx_write_begin(void *state, struct hy_os_region *r, size_t off, size_t len,
                          uint64_t (*rnd)(void *), void *rctx, void **w, char *err,
                          size_t cap) {
    struct lx_state *s = state;
    struct lx_region *lr = r->os;
    /* MAP_POPULATE: one syscall instead of a fault per page. */
    void *p = map_random(s, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
                         lr->fd, (off_t)off, rnd, rctx);
    if (p == MAP_FAILED) return fmt_err(err, cap, "mapping a write window");
    /* A fork while the window is open must not leave the child a writable
     * alias of code the parent is about to verify and run: the window is not
     * inherited (the child faults on it). If the kernel refuses, no window. */
    if (madvise(p, len, MADV_DONTFORK) != 0) {
        int e = fmt_err(err, cap, "madvise(MADV_DONTFORK) on a write window");
        munmap(p, len);
        return e;
    }
    *w = p;
    return 0;
}

static int lx_write_end(void *state, struct hy_os_region *r, void *w, size_t off,
                        size_t len, char *err, size_t cap) {
    if (munmap(w, len) != 0) return fmt_err(err, cap, "unmapping a write window");
    return 0;
}

static int lx_flush(void *state, uintptr_t x, size_t len) {
    struct lx_state *s = state;
    __builtin___clear_cache((char *)x, (char *)x + len);
    if (s->sync_ok &&
        syscall(SYS_membarrier, HY_MB_CMD_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0) != 0) {
        s->sync_ok = 0;
        snprintf(s->sync_msg, sizeof s->sync_msg,
                 "unavailable: membarrier SYNC_CORE failed at run time (%s); icache "
                 "flush only",
                 strerror(errno));
    }
    return 0;
}

static const char *lx_sync_status(void *state) {
    return ((struct lx_state *)state)->sync_msg;
}

static size_t lx_page_size(void *state) { return ((struct lx_state *)state)->page; }

static const struct hy_os_ops lx_ops = {
    .name = "linux-memfd-dualmap",
    .init = lx_init,
    .fini = lx_fini,
    .random = lx_random,
    .region_new = lx_region_new,
    .region_free = lx_region_free,
    .write_begin = lx_write_begin,
    .write_end = lx_write_end,
    .flush = lx_flush,
    .sync_status = lx_sync_status,
    .page_size = lx_page_size,
};

const struct hy_os_ops *hy_os_ops_default(void) { return &lx_ops; }

#endif /* __linux__ */
