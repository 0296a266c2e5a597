/* Stack probing (JQ-7, stack-clash protection) on both ISAs.
 *
 *  1. Byte level, host-independent: functions with frames from a few bytes
 *     to tens of KiB are lowered for x86-64 and ARM64; the prologue is
 *     decoded here from the raw bytes (own field decoding, not the encoder's
 *     or the disassembler's) and simulated: every store/push must land at
 *     most 4096 bytes below the lowest stack word touched so far (the entry
 *     SP counts as touched), the final SP must be within one page of the
 *     lowest touch (so the body and the first call stay within reach), the
 *     final SP must equal -frame_size, and on ARM64 SP must be a multiple of
 *     16 after every instruction and [SP+0]/[SP+8] must receive X29/X30.
 *  2. Native: a large-frame function returns the right value on the main
 *     thread; called in a forked child on a thread with only 8 KiB of stack
 *     left above a PROT_NONE guard page with a shared canary region below, it
 *     must die of SIGSEGV with the canary intact (without probing the frame
 *     skips the guard page and writes into the canary first).
 */
#include <alloca.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jit/jit.h"
#include "test_util.h"

/* %1 = mix3(%0,%0,%0); %2..%nv-1 = %0 + %1 (all live); sum them. */
static char *gen_big(int nv, size_t *len) {
    size_t cap = (size_t)nv * 64 + 256, n = 0;
    char *s = malloc(cap);
    n += (size_t)snprintf(s + n, cap - n, "func @big(%%0:i64) -> i64 {\nbb0:\n  %%1:i64 = call @mix3(%%0, %%0, %%0)\n");
    for (int v = 2; v < nv; v++) n += (size_t)snprintf(s + n, cap - n, "  %%%d:i64 = add %%0, %%1\n", v);
    n += (size_t)snprintf(s + n, cap - n, "  %%%d:i64 = const 0\n", nv);
    for (int v = 2; v < nv; v++) n += (size_t)snprintf(s + n, cap - n, "  %%%d:i64 = add %%%d, %%%d\n", nv, nv, v);
    n += (size_t)snprintf(s + n, cap - n, "  ret %%%d\n}\n", nv);
    *len = n;
    return s;
}

static uint64_t expect_big(int nv, uint64_t x) {
    uint64_t m = (x * 31u + x) ^ x; /* test_util.c h_mix3 */
    return (uint64_t)(nv - 2) * (x + m);
}

static struct hy_func *parse_big(int nv) {
    size_t n;
    char *src = gen_big(nv, &n);
    char err[256];
    struct hy_func *fn = hy_parse_func(src, n, t_helpers(), err, sizeof err);
    free(src);
    CHECK(fn != NULL, "parse nv=%d: %s", nv, err);
    return fn;
}

/* Stack simulation state: offsets from the entry SP (negative = below). */
struct sim {
    int64_t sp, low;
    int touches, bad, misaligned;
};

static void touch(struct sim *s, int64_t at, const char *isa, int nv, size_t off) {
    s->touches++;
    if (at < s->low - 4096) {
        s->bad++;
        CHECK(0, "%s nv=%d +%zu: store at sp%+lld skips below the lowest touch sp%+lld by more than 4096", isa, nv,
              off, (long long)at, (long long)s->low);
    }
    if (at < s->low) s->low = at;
}

/* x86-64 prologue: push r / mov rbp,rsp / sub rsp,imm / mov [rsp],r. */
static void sim_x86(const uint8_t *p, size_t n, struct sim *s, int nv) {
    size_t i = 0;
    s->sp = 0;
    s->low = 0; /* the return address at [entry rsp] */
    while (i < n) {
        if (p[i] >= 0x50 && p[i] <= 0x57) { /* push r */
            s->sp -= 8;
            touch(s, s->sp, "x86-64", nv, i);
            i += 1;
        } else if (p[i] == 0x41 && i + 1 < n && p[i + 1] >= 0x50 && p[i + 1] <= 0x57) {
            s->sp -= 8;
            touch(s, s->sp, "x86-64", nv, i);
            i += 2;
        } else if (i + 3 <= n && p[i] == 0x48 && p[i + 1] == 0x89 && p[i + 2] == 0xe5) {
            i += 3; /* mov rbp, rsp */
        } else if (i + 7 <= n && p[i] == 0x48 && p[i + 1] == 0x81 && p[i + 2] == 0xec) {
            int32_t imm;
            memcpy(&imm, p + i + 3, 4);
            s->sp -= imm;
            i += 7;
        } else if (i + 4 <= n && p[i] == 0x48 && p[i + 1] == 0x83 && p[i + 2] == 0xec) {
            s->sp -= (int8_t)p[i + 3];
            i += 4;
        } else if (i + 4 <= n && (p[i] == 0x48 || p[i] == 0x4c) && p[i + 1] == 0x89 && (p[i + 2] & 0xc7) == 0x04 &&
                   p[i + 3] == 0x24) { /* mov qword [rsp], r */
            touch(s, s->sp, "x86-64", nv, i);
            i += 4;
        } else {
            break;
        }
    }
}

/* ARM64 prologue up to `mov x29, sp`. */
static void sim_a64(const uint8_t *p, size_t n, struct sim *s, int nv, int *fp_lr_ok) {
    s->sp = 0;
    s->low = 0;
    *fp_lr_ok = 0;
    for (size_t i = 0; i + 4 <= n; i += 4) {
        uint32_t w = (uint32_t)p[i] | (uint32_t)p[i + 1] << 8 | (uint32_t)p[i + 2] << 16 | (uint32_t)p[i + 3] << 24;
        uint32_t rt = w & 31, rn = (w >> 5) & 31, rt2 = (w >> 10) & 31;
        if (w == 0x910003fdu) break; /* mov x29, sp */
        if ((w & 0xff800000u) == 0xd1000000u && rn == 31 && rt == 31) { /* sub sp, sp, #imm{, lsl 12} */
            uint32_t imm = (w >> 10) & 0xfff;
            s->sp -= (int64_t)imm << ((w >> 22) & 1 ? 12 : 0);
        } else if ((w & 0xffc00000u) == 0xa9800000u && rn == 31) { /* stp x, x, [sp, #imm]! */
            int64_t imm = (int64_t)((int32_t)(w << 10) >> 25) * 8;
            s->sp += imm;
            touch(s, s->sp, "arm64", nv, i);
            if (rt == 29 && rt2 == 30) *fp_lr_ok = 1;
        } else if ((w & 0xffc00000u) == 0xa9000000u && rn == 31) { /* stp x, x, [sp, #imm] */
            int64_t imm = (int64_t)((int32_t)(w << 10) >> 25) * 8;
            touch(s, s->sp + imm, "arm64", nv, i);
            if (rt == 29 && rt2 == 30 && imm == 0) *fp_lr_ok = 1;
        } else if ((w & 0xffc00000u) == 0xf9000000u && rn == 31) { /* str x, [sp, #imm] */
            touch(s, s->sp + 8 * (int64_t)((w >> 10) & 0xfff), "arm64", nv, i);
        } else {
            CHECK(0, "arm64 nv=%d: unexpected prologue word %08x at +%zu", nv, w, i);
            break;
        }
        if (s->sp % 16) s->misaligned++;
    }
}

static void check_bytes(const struct hy_backend *be, int nv) {
    struct hy_func *fn = parse_big(nv);
    if (!fn) return;
    char err[256];
    uint64_t base = 0x7f1234560000ull;
    struct hy_jit_code *c = hy_jit_lower(be, fn, t_helpers(), base, NULL, err, sizeof err);
    CHECK(c != NULL, "%s nv=%d lower: %s", be->name, nv, err);
    if (c) {
        struct sim s;
        memset(&s, 0, sizeof s);
        int a64 = !strcmp(be->name, "arm64"), fp_lr = 1;
        if (a64) sim_a64(c->image, c->size, &s, nv, &fp_lr);
        else sim_x86(c->image, c->size, &s, nv);
        CHECK(s.sp == -(int64_t)c->frame_size, "%s nv=%d: prologue lowers SP by %lld, frame_size %u", be->name, nv,
              (long long)-s.sp, c->frame_size);
        CHECK(s.sp - 8 >= s.low - 4096, "%s nv=%d: final SP %lld more than a page below the lowest touch %lld",
              be->name, nv, (long long)s.sp, (long long)s.low);
        CHECK(!s.misaligned, "%s nv=%d: SP not 16-byte aligned after %d prologue instruction(s)", be->name, nv,
              s.misaligned);
        CHECK(fp_lr, "%s nv=%d: X29/X30 not stored at [SP+0]/[SP+8]", be->name, nv);
        if (c->frame_size > 8192)
            CHECK(s.touches >= (int)(c->frame_size / 4096), "%s nv=%d: %d touches for a %u-byte frame", be->name, nv,
                  s.touches, c->frame_size);
        hy_jit_code_free(NULL, c);
    }
    hy_func_free(fn);
}

/* ---------------------------------------------------------------- native */

struct guard_run {
    struct hy_jit_code *code;
    uint64_t result;
    uint8_t *stack_lo;
};

enum { CANARY = 256u << 10, GUARD = 4096, STACK = 256u << 10, LEFT = 8u << 10 };

static void *thread_main(void *arg) {
    struct guard_run *g = arg;
    /* the thread stack must be >= PTHREAD_STACK_MIN (128 KiB on aarch64):
     * use up all but LEFT bytes of it before calling the JIT code */
    volatile uint8_t here = 0;
    uintptr_t sp = (uintptr_t)&here, lo = (uintptr_t)g->stack_lo;
    if (sp > lo + LEFT) {
        volatile uint8_t *pad = alloca(sp - lo - LEFT);
        pad[0] = here;
    }
    uint64_t a[1] = {7};
    g->result = hy_jit_invoke(g->code, a);
    return NULL;
}

static int child_run(struct guard_run *g, uint8_t *m) {
    /* die of the fault itself (sanitizers install their own handler) */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    if (mprotect(m + CANARY, GUARD, PROT_NONE)) return 4;
    pthread_attr_t at;
    pthread_attr_init(&at);
    if (pthread_attr_setstack(&at, m + CANARY + GUARD, STACK)) return 5;
    pthread_t th;
    if (pthread_create(&th, &at, thread_main, g)) return 6;
    pthread_join(th, NULL);
    return 3; /* returned: the frame never reached the guard page */
}

static void check_native(void) {
    struct hy_jit_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.helpers = t_helpers();
    struct hy_jit *j = hy_jit_new(&cfg);
    CHECK(j && !hy_jit_error(j)[0], "hy_jit_new: %s", j ? hy_jit_error(j) : "out of memory");
    if (!j || hy_jit_error(j)[0]) return;
    int nv = 3900; /* ~31 KiB frame on both ISAs (ARM64 slots reach 32 KiB) */
    struct hy_func *fn = parse_big(nv);
    struct hy_jit_code *c = fn ? hy_jit_compile(j, fn) : NULL;
    CHECK(c != NULL, "compile: %s", hy_jit_error(j));
    if (c) {
        printf("native: frame %u bytes, %zu bytes of code\n", c->frame_size, c->size);
        CHECK(c->frame_size > LEFT + GUARD, "frame %u too small for the guard test", c->frame_size);
        uint64_t a[1] = {7};
        uint64_t r = hy_jit_invoke(c, a);
        CHECK(r == expect_big(nv, 7), "large frame on the main thread: got %llu, want %llu", (unsigned long long)r,
              (unsigned long long)expect_big(nv, 7));
        /* [canary][guard][thread stack]; shared so the parent sees it */
        uint8_t *m = mmap(NULL, CANARY + GUARD + STACK, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        CHECK(m != MAP_FAILED, "mmap");
        if (m != MAP_FAILED) {
            memset(m, 0xA5, CANARY);
            struct guard_run g = {c, 0, m + CANARY + GUARD};
            fflush(stdout);
            fflush(stderr);
            pid_t pid = fork();
            if (pid == 0) _exit(child_run(&g, m));
            int st = 0;
            CHECK(pid > 0 && waitpid(pid, &st, 0) == pid, "fork/wait");
            size_t changed = 0;
            for (size_t i = 0; i < CANARY; i++) changed += m[i] != 0xA5;
            CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "child: want SIGSEGV on the guard page, got %s %d",
                  WIFSIGNALED(st) ? "signal" : "exit", WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
            CHECK(changed == 0, "%zu bytes below the guard page were written (stack clash)", changed);
            printf("guard page: child %s %d, %zu canary bytes changed\n", WIFSIGNALED(st) ? "signal" : "exit",
                   WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st), changed);
            munmap(m, CANARY + GUARD + STACK);
        }
        hy_jit_code_free(j, c);
    }
    hy_func_free(fn);
    hy_jit_free(j);
}

int main(void) {
    const struct hy_backend *bes[2] = {hy_backend_x86_64(), hy_backend_arm64()};
    static const int sizes[] = {2, 20, 60, 80, 300, 520, 530, 540, 560, 600, 1030, 1040, 1100, 2100, 3900};
    for (int b = 0; b < 2; b++)
        for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) check_bytes(bes[b], sizes[k]);
    for (int nv = 500; nv < 530; nv++) check_bytes(bes[0], nv); /* around one page on x86-64 */
    for (int nv = 490; nv < 530; nv++) check_bytes(bes[1], nv);
    check_native();
    if (t_failures) fprintf(stderr, "test_jit_stack: %d failure(s)\n", t_failures);
    else printf("test_jit_stack: ok\n");
    return t_failures ? 1 : 0;
}
