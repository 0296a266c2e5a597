/* test/os/test_placement.c — entropy of code placement over many processes.
 *
 *   test_placement [--emu "PREFIX"] [--procs N] [--regions K]
 *   test_placement --child K          (prints K executable addresses, one per region)
 *
 * The parent starts N children. Each is a fresh process image where possible
 * (fork + exec of this binary, through the emulator prefix when one is given);
 * under an emulator most children are fork-only to keep the test fast (each
 * creates its own context, seeded from getrandom). Every child creates K regions,
 * runs one function in each, and prints the function's executable address.
 *
 * Estimates over the N*K page numbers: distinct values, and per bit position the
 * Shannon and min-entropy of that bit; the sums bound the address entropy from
 * above if the bits were dependent, so we also require no collisions (which a
 * weak generator with few effective bits would produce). The threshold is 28 bits
 * of page-granular min-entropy when the user address space is 47+ bits. */
#include "osutil.h"

#include <errno.h>
#include <math.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_SAMPLES 8192

static size_t bitlen(uintptr_t v) {
    size_t n = 0;
    while (v) n++, v >>= 1;
    return n;
}

static int child_main(int k) {
    struct hy_codemem_config cfg = tc_config();
    cfg.region_size = 64 * 1024;
    struct hy_codemem *cm = hy_codemem_new(&cfg);
    if (!cm || hy_codemem_errmsg(cm)[0]) {
        fprintf(stderr, "child: %s\n", hy_codemem_errmsg(cm));
        return 1;
    }
    for (int i = 0; i < k; i++) {
        struct hy_code_txn t;
        /* Nearly a whole region: every reservation needs a new one. */
        if (hy_code_reserve(cm, cfg.region_size - 8192, &t)) {
            fprintf(stderr, "child: %s\n", hy_codemem_errmsg(cm));
            return 1;
        }
        tc_emit_ret_imm(t.w, (uint32_t)(1000 + i));
        void *e; /* commit all of it (the rest is trap fill) so the region stays full */
        if (hy_code_commit(cm, &t, t.size, tc_verify, NULL, &e) ||
            ((ret_fn)e)() != 1000 + i) {
            fprintf(stderr, "child: commit/run failed: %s\n", hy_codemem_errmsg(cm));
            return 1;
        }
        printf("A %lx\n", (unsigned long)(uintptr_t)e);
    }
    struct hy_codemem_stats st;
    hy_codemem_stats(cm, &st);
    hy_codemem_free(cm);
    return st.regions == (size_t)k ? 0 : 2;
}

/* Split "a b c" into argv (in place). */
static int split_words(char *s, char **out, int max) {
    int n = 0;
    for (char *tok = strtok(s, " \t"); tok && n < max; tok = strtok(NULL, " \t"))
        out[n++] = tok;
    return n;
}

/* Run one child; append its addresses. Returns 1 if it was exec'd, 0 if fork-only,
 * -1 on failure. */
static int run_child(const char *self, char **emu, int nemu, int do_exec, int k,
                     uintptr_t *out, int *nout) {
    int fd[2];
    if (pipe(fd) != 0) return -1;
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        close(fd[0]);
        dup2(fd[1], 1);
        close(fd[1]);
        char kbuf[16];
        snprintf(kbuf, sizeof kbuf, "%d", k);
        if (do_exec) {
            char *argv[16];
            int a = 0;
            for (int i = 0; i < nemu; i++) argv[a++] = emu[i];
            argv[a++] = (char *)self;
            argv[a++] = "--child";
            argv[a++] = kbuf;
            argv[a] = NULL;
            execvp(argv[0], argv);
            _exit(126); /* the parent treats this as a failure when exec was asked */
        }
        printf("F\n");
        _exit(child_main(k));
    }
    close(fd[1]);
    FILE *f = fdopen(fd[0], "r");
    char line[128];
    int forked_only = 0;
    while (f && fgets(line, sizeof line, f)) {
        unsigned long a;
        if (line[0] == 'F') forked_only = 1;
        if (sscanf(line, "A %lx", &a) == 1 && *nout < MAX_SAMPLES) out[(*nout)++] = a;
    }
    if (f) fclose(f);
    int st = 0;
    waitpid(pid, &st, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) return -1;
    return forked_only ? 0 : 1;
}

static int cmp_uptr(const void *a, const void *b) {
    uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    const char *emu_s = "";
    int procs = -1, k = 8;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--child") && i + 1 < argc) return child_main(atoi(argv[i + 1]));
        if (!strcmp(argv[i], "--emu") && i + 1 < argc) emu_s = argv[++i];
        else if (!strcmp(argv[i], "--procs") && i + 1 < argc) procs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--regions") && i + 1 < argc) k = atoi(argv[++i]);
    }
    char emu_buf[512];
    snprintf(emu_buf, sizeof emu_buf, "%s", emu_s);
    char *emu[12];
    int nemu = split_words(emu_buf, emu, 12);
    if (procs < 0) procs = nemu ? 100 : 200; /* qemu: ~30 ms per child */
    if (procs * k > MAX_SAMPLES) procs = MAX_SAMPLES / k;
    /* Exec costs ~7 ms natively and ~35 ms under qemu: exec every child natively,
     * one in four under an emulator (the rest are fork-only). */
    int exec_every = nemu ? 4 : 1;
    char self[4096];
    ssize_t sl = readlink("/proc/self/exe", self, sizeof self - 1);
    if (sl <= 0) snprintf(self, sizeof self, "%s", argv[0]);
    else self[sl] = 0;

    static uintptr_t addr[MAX_SAMPLES];
    int n = 0, execd = 0, forked = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int p = 0; p < procs; p++) {
        int r = run_child(self, emu, nemu, p % exec_every == 0, k, addr, &n);
        if (r < 0) {
            fprintf(stderr, "FAIL: child %d failed (exec=%d)\n", p, p % exec_every == 0);
            return 1;
        }
        if (r) execd++;
        else forked++;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (n != procs * k) {
        fprintf(stderr, "FAIL: expected %d addresses, got %d\n", procs * k, n);
        return 1;
    }

    long pg = sysconf(_SC_PAGESIZE);
    size_t pbits = bitlen((uintptr_t)pg) - 1;
    int local;
    size_t vabits = bitlen((uintptr_t)&local);
    uintptr_t maxa = 0;
    for (int i = 0; i < n; i++)
        if (addr[i] > maxa) maxa = addr[i];
    if (bitlen(maxa) > vabits) vabits = bitlen(maxa);

    /* Per-bit estimates over page numbers, and over the in-page offset. */
    double h_sh = 0, h_min = 0, h_off = 0;
    for (size_t b = 0; b < 64; b++) {
        int ones = 0;
        for (int i = 0; i < n; i++) ones += (addr[i] >> b) & 1;
        double p1 = (double)ones / n, p0 = 1 - p1;
        double sh = 0;
        if (p1 > 0) sh -= p1 * log2(p1);
        if (p0 > 0) sh -= p0 * log2(p0);
        double mn = -log2(p1 > p0 ? p1 : p0);
        if (b >= pbits) {
            h_sh += sh;
            h_min += mn;
        } else {
            h_off += sh;
        }
    }
    /* Within one process: the next region must not be predictable from the
     * previous one (a design that randomizes only the first region, or the
     * kernel's adjacent placement, fails here). Per-bit min-entropy of the XOR of
     * consecutive page numbers of the same child. */
    double h_rel = 0;
    for (size_t b = pbits; b < 64; b++) {
        int ones = 0, m = 0;
        for (int i = 0; i < n; i++) {
            if (i % k == 0) continue;
            ones += ((addr[i] ^ addr[i - 1]) >> b) & 1;
            m++;
        }
        if (!m) break;
        double p1 = (double)ones / m, p0 = 1 - p1;
        h_rel += -log2(p1 > p0 ? p1 : p0);
    }
    /* Distinct page numbers. */
    static uintptr_t pages[MAX_SAMPLES];
    for (int i = 0; i < n; i++) pages[i] = addr[i] >> pbits;
    qsort(pages, (size_t)n, sizeof pages[0], cmp_uptr);
    int distinct = n > 0;
    for (int i = 1; i < n; i++) distinct += pages[i] != pages[i - 1];
    double max_meas = log2((double)n);

    double need = vabits >= 47 ? 28.0 : (double)vabits - (double)pbits - 8.0;
    printf("placement: %d samples = %d processes (%d exec'd, %d fork-only) x %d regions, "
           "%.2f s\n",
           n, procs, execd, forked, k,
           (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
    printf("placement: user address space %zu bits, page %ld bytes\n", vabits, pg);
    printf("placement: distinct pages %d of %d (collision-free means >= ~%.0f bits)\n",
           distinct, n, 2 * max_meas - 1);
    printf("placement: page-number entropy per bit position: Shannon %.1f bits, "
           "min-entropy %.1f bits (need >= %.0f)\n",
           h_sh, h_min, need);
    printf("placement: next region given the previous one (same process): "
           "min-entropy %.1f bits (need >= %.0f)\n",
           h_rel, need);
    printf("placement: in-page offset entropy (bits %d..%zu): Shannon %.1f bits\n", 0,
           pbits - 1, h_off);
    printf("placement: ENTROPY %.1f bits (page-granular, min-entropy), %.1f bits with the "
           "in-page offset\n",
           h_min, h_min + h_off);
    int fail = 0;
    if (h_min < need) {
        fprintf(stderr, "FAIL: placement min-entropy %.1f < %.0f bits\n", h_min, need);
        fail = 1;
    }
    if (k > 1 && h_rel < need) {
        fprintf(stderr, "FAIL: within-process min-entropy %.1f < %.0f bits\n", h_rel,
                need);
        fail = 1;
    }
    if (distinct < n - 1) {
        fprintf(stderr, "FAIL: %d page collisions among %d samples\n", n - distinct, n);
        fail = 1;
    }
    if (execd == 0) {
        fprintf(stderr, "FAIL: no child was a fresh exec\n");
        fail = 1;
    }
    printf("test_placement: %s\n", fail ? "FAILED" : "OK");
    return fail;
}
