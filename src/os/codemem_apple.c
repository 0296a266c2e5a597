/* os/codemem_apple.c — macOS (Apple silicon) pages for the code memory.
 *
 * *** UNTESTED ON REAL HARDWARE. *** This machine is Linux; the file is only
 * syntax-checked against stub headers (test os_apple_syntax, test/os/apple_stub/).
 * Run the test/os suite on an Apple-silicon Mac before trusting it.
 *
 * Model: one MAP_JIT mapping per region (MAP_JIT cannot be combined with MAP_FIXED
 * or MAP_SHARED), placed at a random hint (checked: XNU may place it elsewhere),
 * with the first and last GUARD_PAGES pages turned PROT_NONE. Writing uses the
 * per-thread switch: pthread_jit_write_protect_np(0) makes MAP_JIT pages writable
 * and not executable FOR THE CALLING THREAD ONLY (other threads keep executing);
 * pthread_jit_write_protect_np(1) flips back, then sys_icache_invalidate.
 *
 * Consequences the caller must respect on macOS:
 *  - reserve and commit/abort of one transaction must run on the same thread, and
 *    that thread must not call JIT code while a window is open;
 *  - there is no membarrier: threads that enter freshly published code should pass
 *    a context-synchronizing event (an ISB, or any system call) after reading the
 *    published pointer (sync_status says so);
 *  - hardened-runtime apps need the com.apple.security.cs.allow-jit entitlement;
 *    some configurations allow a single MAP_JIT region, so use a large region_size
 *    (e.g. equal to the limit) there.
 */
#ifdef __APPLE__

#include "os/codemem.h"

#include <errno.h>
#include <libkern/OSCacheControl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>

#define HINT_TRIES 8
#define GUARD_PAGES 1

struct ap_state {
    size_t page;
    uintptr_t lo, hi;
};

struct ap_region {
    uintptr_t base;
    size_t total;
};

static int ap_err(char *err, size_t cap, const char *what) {
    snprintf(err, cap, "%s: %s", what, strerror(errno));
    return HY_CM_EMAP;
}

static int ap_init(void **state, char *err, size_t cap) {
    if (!pthread_jit_write_protect_supported_np()) {
        snprintf(err, cap,
                 "pthread_jit_write_protect_np is not supported here (the macOS code "
                 "memory path needs Apple silicon)");
        return HY_CM_EMAP;
    }
    struct ap_state *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, cap, "out of host memory");
        return HY_CM_EMAP;
    }
    long pg = sysconf(_SC_PAGESIZE);
    s->page = pg > 0 ? (size_t)pg : 16384;
    /* macOS arm64 user space is 47 bits; stay well inside it. */
    s->lo = (uintptr_t)1 << 33;
    s->hi = ((uintptr_t)1 << 46);
    *state = s;
    return 0;
}

static void ap_fini(void *state) { free(state); }

static int ap_random(void *state, void *buf, size_t n, char *err, size_t cap) {
    uint8_t *p = buf;
    while (n) {
        size_t k = n > 256 ? 256 : n; /* getentropy's per-call limit */
        if (getentropy(p, k) != 0) return ap_err(err, cap, "getentropy");
        p += k;
        n -= k;
    }
    return 0;
}

static int ap_region_new(void *state, size_t size, uint64_t (*rnd)(void *), void *rctx,
                         struct hy_os_region *r, char *err, size_t cap) {
    struct ap_state *s = state;
    size_t guard = GUARD_PAGES * s->page, total = size + 2 * guard;
    /* MAP_JIT is the one place W and X are both requested: Apple requires it, and the
     * hardware still enforces W^X per thread — pthread_jit_write_protect_np() makes the
     * region either writable or executable for the calling thread, never both. */
    int prot = PROT_READ | PROT_WRITE | PROT_EXEC, flags = MAP_PRIVATE | MAP_ANON | MAP_JIT;
    void *p = MAP_FAILED;
    for (int i = 0; i < HINT_TRIES && p == MAP_FAILED; i++) {
        uintptr_t pages = (s->hi - s->lo - total) / s->page;
        void *hint = (void *)(s->lo + (uintptr_t)(rnd(rctx) % pages) * s->page);
        p = mmap(hint, total, prot, flags, -1, 0);
        if (p != MAP_FAILED && p != hint) { /* placed elsewhere: try another hint */
            munmap(p, total);
            p = MAP_FAILED;
        }
    }
    if (p == MAP_FAILED) p = mmap(NULL, total, prot, flags, -1, 0);
    if (p == MAP_FAILED) return ap_err(err, cap, "mmap(MAP_JIT) of a code region");
    uint8_t *b = p;
    if (mprotect(b, guard, PROT_NONE) != 0 ||
        mprotect(b + guard + size, guard, PROT_NONE) != 0) {
        ap_err(err, cap, "mprotect of the guard pages");
        munmap(p, total);
        return HY_CM_EMAP;
    }
    struct ap_region *ar = malloc(sizeof *ar);
    if (!ar) {
        munmap(p, total);
        snprintf(err, cap, "out of host memory");
        return HY_CM_EMAP;
    }
    ar->base = (uintptr_t)p;
    ar->total = total;
    r->x = (uintptr_t)(b + guard);
    r->size = size;
    r->os = ar;
    return 0;
}

static void ap_region_free(void *state, struct hy_os_region *r) {
    struct ap_region *ar = r->os;
    if (!ar) return;
    munmap((void *)ar->base, ar->total);
    free(ar);
    r->os = NULL;
}

static int ap_write_begin(void *state, struct hy_os_region *r, size_t off, size_t len,
                          uint64_t (*rnd)(void *), void *rctx, void **w, char *err,
                          size_t cap) {
    pthread_jit_write_protect_np(0); /* this thread: MAP_JIT pages RW, not X */
    *w = (void *)(r->x + off);
    return 0;
}

static int ap_write_end(void *state, struct hy_os_region *r, void *w, size_t off,
                        size_t len, char *err, size_t cap) {
    pthread_jit_write_protect_np(1); /* this thread: back to RX */
    return 0;
}

static int ap_flush(void *state, uintptr_t x, size_t len) {
    sys_icache_invalidate((void *)x, len);
    return 0;
}

static const char *ap_sync_status(void *state) {
    return "unavailable: no membarrier on macOS; sys_icache_invalidate only (threads "
           "entering new code must pass an ISB or a system call after reading its "
           "pointer)";
}

static size_t ap_page_size(void *state) { return ((struct ap_state *)state)->page; }

static const struct hy_os_ops ap_ops = {
    .name = "macos-map-jit",
    .init = ap_init,
    .fini = ap_fini,
    .random = ap_random,
    .region_new = ap_region_new,
    .region_free = ap_region_free,
    .write_begin = ap_write_begin,
    .write_end = ap_write_end,
    .flush = ap_flush,
    .sync_status = ap_sync_status,
    .page_size = ap_page_size,
};

const struct hy_os_ops *hy_os_ops_default(void) { return &ap_ops; }

#endif /* __APPLE__ */
