/* test/os/osutil.h — small helpers shared by the code-memory tests. */
#ifndef HY_TEST_OS_UTIL_H
#define HY_TEST_OS_UTIL_H
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "os/codemem.h"
#include "tc.h"

static int g_fail __attribute__((unused));
#define CHECK(c, ...)                                                                  \
    do {                                                                               \
        if (!(c)) {                                                                    \
            fprintf(stderr, "%s:%d: CHECK failed: %s: ", __FILE__, __LINE__, #c);    \
            fprintf(stderr, __VA_ARGS__);                                              \
            fprintf(stderr, "\n");                                                     \
            g_fail++;                                                                  \
        }                                                                              \
    } while (0)
/* Evaluates c once; stops the test on failure. */
#define REQUIRE(c, ...)                                                                \
    do {                                                                               \
        int ok_ = !!(c);                                                               \
        CHECK(ok_ && #c, __VA_ARGS__);                                                 \
        if (!ok_) exit(1);                                                             \
    } while (0)

typedef int (*ret_fn)(void);

static inline struct hy_codemem_config tc_config(void) {
    struct hy_codemem_config c;
    memset(&c, 0, sizeof c);
    c.trap = tc_trap;
    c.trap_len = tc_trap_len;
    return c;
}

/* Every byte of [p, p+n) is trap fill, phase-aligned to the trap width. */
static inline int all_traps(const uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (p[i] != tc_trap[((uintptr_t)(p + i)) % tc_trap_len]) return 0;
    return 1;
}

struct maps_scan {
    int wx;          /* mappings that are both writable and executable */
    int jit_rx;      /* read+exec views of our memfd */
    int jit_w;       /* writable views of our memfd (open windows) */
    char wx_line[256];
};

/* Parse /proc/self/maps; returns 0 or -1 if it cannot be read. */
static inline int maps_scan(struct maps_scan *s) {
    memset(s, 0, sizeof *s);
    FILE *f = fopen("/proc/self/maps", "r");
    if (!f) return -1;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        char perms[8] = "";
        if (sscanf(line, "%*s %7s", perms) != 1) continue;
        int w = perms[1] == 'w', x = perms[2] == 'x';
        if (w && x) {
            s->wx++;
            snprintf(s->wx_line, sizeof s->wx_line, "%.200s", line);
        }
        if (strstr(line, "hyperion-jit")) {
            if (w) s->jit_w++;
            if (x) s->jit_rx++;
        }
    }
    fclose(f);
    return 0;
}
/* The mapping containing addr, and whether the mappings right below and above it
 * are inaccessible guards. Returns 0 when found. */
struct maps_region {
    uintptr_t lo, hi;
    char perms[8];
    int guard_below, guard_above;
};
static inline int maps_find(uintptr_t addr, struct maps_region *r) {
    memset(r, 0, sizeof *r);
    FILE *f = fopen("/proc/self/maps", "r");
    if (!f) return -1;
    char line[512];
    unsigned long plo = 0, phi = 0;
    char pperm[8] = "";
    int found = 0;
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        char perms[8];
        if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3) continue;
        if (found) {
            r->guard_above = lo == r->hi && !strncmp(perms, "---", 3);
            break;
        }
        if (addr >= lo && addr < hi) {
            found = 1;
            r->lo = lo;
            r->hi = hi;
            memcpy(r->perms, perms, sizeof perms);
            r->guard_below = phi == lo && !strncmp(pperm, "---", 3) && plo < lo;
        }
        plo = lo;
        phi = hi;
        memcpy(pperm, perms, sizeof perms);
    }
    fclose(f);
    return found ? 0 : -1;
}
#endif
