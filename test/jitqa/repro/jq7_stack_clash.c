/* JQ-7 reproducer (not built by CMake; x86-64 native): a JIT frame larger than
 * the stack guard is entered without stack probing, so the first touch below
 * the frame (here the return address pushed by a helper call) lands BEYOND the
 * guard page, in whatever memory lies below the thread's stack.
 *   cc -O1 -I/work/main/src jq7_stack_clash.c /tmp/jq-build/libhyjit.a -lm -lpthread && ./a.out
 * Prints "CANARY OVERWRITTEN" when the write skipped the guard page (expected
 * with probing: a SIGSEGV on the guard page, or a compile-time refusal). */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include "jit/jit.h"

static int64_t h_mix3(int64_t a, int64_t b, int64_t c) { return a + b + c; }
static const struct hy_helper tab[] = {{"mix3", (void *)h_mix3, HY_T_I64, 3, {HY_T_I64, HY_T_I64, HY_T_I64}}};
static const struct hy_helpers hs = {tab, 1};
static struct hy_jit_code *code;
static uint64_t result;
static uint8_t *canary_lo;
static size_t canary_len;

static size_t canary_changed(void) {
    size_t c = 0;
    for (size_t i = 0; i < canary_len; i++) c += canary_lo[i] != 0xA5;
    return c;
}
/* The frame eventually reaches the guard page too: report what was written
 * below it before that fault. */
static void on_segv(int sig) {
    (void)sig;
    char msg[160];
    size_t c = canary_changed();
    int k = snprintf(msg, sizeof msg, "SIGSEGV; %zu bytes BELOW the guard page were written first%s\n", c,
                     c ? " -> CANARY OVERWRITTEN: the frame skipped the guard page" : "");
    write(1, msg, (size_t)k);
    _exit(c ? 2 : 0);
}

static void *thread_main(void *arg) {
    (void)arg;
    static uint8_t alt[65536];
    stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0};
    sigaltstack(&ss, NULL);
    uint64_t a[1] = {1};
    result = hy_jit_invoke(code, a);
    return NULL;
}

int main(void) {
    enum { NV = 12000 };                       /* ~96 KiB of spill slots */
    size_t cap = 64u << 20, n = 0;
    char *src = malloc(cap);
    n += (size_t)sprintf(src + n, "func @big(%%0:i64) -> i64 {\nbb0:\n  %%1:i64 = call @mix3(%%0, %%0, %%0)\n");
    for (int v = 2; v < NV; v++) n += (size_t)sprintf(src + n, "  %%%d:i64 = add %%0, %%1\n", v);
    n += (size_t)sprintf(src + n, "  %%%d:i64 = const 0\n", NV);
    for (int v = 2; v < NV; v++) n += (size_t)sprintf(src + n, "  %%%d:i64 = add %%%d, %%%d\n", NV, NV, v);
    n += (size_t)sprintf(src + n, "  ret %%%d\n}\n", NV);
    char err[300];
    struct hy_func *fn = hy_parse_func(src, n, &hs, err, sizeof err);
    if (!fn || hy_verify(fn, &hs, err, sizeof err)) { fprintf(stderr, "%s\n", err); return 1; }
    struct hy_jit_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.helpers = &hs;
    struct hy_jit *j = hy_jit_new(&cfg);
    code = hy_jit_compile(j, fn);
    if (!code) { fprintf(stderr, "compile: %s\n", hy_jit_error(j)); return 1; }
    printf("frame %u bytes\n", code->frame_size);
    /* [canary 256 KiB][guard 4 KiB PROT_NONE][stack 64 KiB] */
    size_t canary = 256u << 10, guard = 4096, stack = 64u << 10;
    uint8_t *m = mmap(NULL, canary + guard + stack, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(m, 0xA5, canary);
    canary_lo = m;
    canary_len = canary;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_segv;
    sa.sa_flags = SA_ONSTACK;
    sigaction(SIGSEGV, &sa, NULL);
    fflush(stdout);
    mprotect(m + canary, guard, PROT_NONE);
    pthread_attr_t at;
    pthread_attr_init(&at);
    pthread_attr_setstack(&at, m + canary + guard, stack);
    pthread_t th;
    pthread_create(&th, &at, thread_main, NULL);
    pthread_join(th, NULL);
    size_t changed = canary_changed();
    printf("result %llu; %s (%zu bytes below the guard page changed)\n", (unsigned long long)result,
           changed ? "CANARY OVERWRITTEN: the frame skipped the guard page" : "canary intact", changed);
    return changed ? 2 : 0;
}
