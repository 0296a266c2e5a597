/* test/arch/arm64/a64_tool.c — driver for the ARM64 encoder/filter tests.
 *
 *   a64_tool encodings            the list of forms (HEX<TAB>ASM)
 *   a64_tool disasm < words       our disassembly, one line per input word
 *   a64_tool check < words        filter verdict per word (a64_filter_word, what
 *                                 the filter accepts in a function body):
 *                                 "ok FORM" / "reject why"
 *   a64_tool checkenc < words     validity verdict (a64_check_word: a valid form the
 *                                 encoder can produce), same output format
 *   a64_tool sample N SEED NREJ NFLIP
 *        classify N random 32-bit words with the filter (a64_filter_word); print every accepted
 *        word once ("A<TAB>hex[<TAB>our disassembly]", the text for every 8th word and
 *        every flip), NREJ random rejected words
 *        ("R<TAB>hex") and every single-bit flip of NFLIP random accepted words
 *        and of every listed form (as A or R lines). Last line: "#stats ...".
 *
 * Words on stdin are 32-bit hex values, one per line (e.g. d503201f).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arch/arm64/a64.h"

#define DISASM_EVERY 8

static uint64_t rng_state;
static uint64_t rnd64(void) {
    /* xorshift64* */
    uint64_t x = rng_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

struct vec {
    uint32_t *v;
    size_t n, cap;
};
static void push(struct vec *v, uint32_t w) {
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 1024;
        v->v = realloc(v->v, v->cap * sizeof *v->v);
        if (!v->v) {
            fprintf(stderr, "out of memory\n");
            exit(2);
        }
    }
    v->v[v->n++] = w;
}
static void sort_unique(struct vec *v) {
    if (!v->n) return;
    qsort(v->v, v->n, sizeof *v->v, cmp_u32);
    size_t k = 1;
    for (size_t i = 1; i < v->n; i++)
        if (v->v[i] != v->v[k - 1]) v->v[k++] = v->v[i];
    v->n = k;
}

static void collect(void *ud, uint32_t w, const char *text) {
    (void)text;
    push(ud, w);
}

static int cmd_sample(struct a64_index *ix, int argc, char **argv) {
    if (argc < 6) {
        fprintf(stderr, "usage: sample N SEED NREJ NFLIP\n");
        return 2;
    }
    uint64_t n = strtoull(argv[2], NULL, 0);
    rng_state = strtoull(argv[3], NULL, 0) | 1;
    size_t nrej = strtoull(argv[4], NULL, 0), nflip = strtoull(argv[5], NULL, 0);
    struct vec acc = {0}, rej = {0}, flip_src = {0};
    uint64_t seen_rej = 0;
    clock_t t0 = clock();
    for (uint64_t i = 0; i < n; i++) {
        uint32_t w = (uint32_t)(rnd64() >> 32);
        if (a64_filter_word(ix, w, NULL) >= 0) {
            push(&acc, w);
        } else {
            /* reservoir sample of rejected words */
            seen_rej++;
            if (rej.n < nrej) push(&rej, w);
            else if (nrej) {
                uint64_t j = rnd64() % seen_rej;
                if (j < nrej) rej.v[j] = w;
            }
        }
    }
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    uint64_t accepted_draws = acc.n;
    sort_unique(&acc);
    /* flip sources: NFLIP random accepted words plus every listed form */
    for (size_t i = 0; i < nflip && acc.n; i++) push(&flip_src, acc.v[rnd64() % acc.n]);
    a64_encodings(collect, &flip_src);
    struct vec extra = {0};
    for (size_t i = 0; i < flip_src.n; i++)
        for (int b = 0; b < 32; b++) push(&extra, flip_src.v[i] ^ (1u << b));
    sort_unique(&extra);
    size_t flip_acc = 0, flip_rej = 0;
    for (size_t i = 0; i < extra.n; i++) {
        if (a64_filter_word(ix, extra.v[i], NULL) >= 0) {
            push(&acc, extra.v[i]);
            flip_acc++;
        } else {
            push(&rej, extra.v[i]);
            flip_rej++;
        }
    }
    struct vec flips_acc = {0};
    for (size_t i = 0; i < extra.n; i++)
        if (a64_filter_word(ix, extra.v[i], NULL) >= 0) push(&flips_acc, extra.v[i]);
    sort_unique(&acc);
    sort_unique(&rej);
    /* Our disassembly for every DISASM_EVERY-th accepted word and for every
     * accepted bit flip (printing it for all words dominates the run under
     * qemu); llvm-mc checks validity of all of them. */
    char buf[128];
    size_t fi = 0;
    for (size_t i = 0; i < acc.n; i++) {
        while (fi < flips_acc.n && flips_acc.v[fi] < acc.v[i]) fi++;
        int is_flip = fi < flips_acc.n && flips_acc.v[fi] == acc.v[i];
        if (is_flip || i % DISASM_EVERY == 0) {
            a64_disasm(ix, acc.v[i], 0, 0, buf, sizeof buf);
            printf("A\t%08" PRIx32 "\t%s\n", acc.v[i], buf);
        } else {
            printf("A\t%08" PRIx32 "\n", acc.v[i]);
        }
    }
    free(flips_acc.v);
    for (size_t i = 0; i < rej.n; i++) printf("R\t%08" PRIx32 "\n", rej.v[i]);
    printf("#stats draws=%" PRIu64 " accepted_draws=%" PRIu64 " unique_accepted=%zu "
           "flip_words=%zu flip_accepted=%zu flip_rejected=%zu seconds=%.3f\n",
           n, accepted_draws, acc.n, extra.n, flip_acc, flip_rej, secs);
    free(acc.v);
    free(rej.v);
    free(flip_src.v);
    free(extra.v);
    return 0;
}

int main(int argc, char **argv) {
    static struct a64_index ix;
    a64_index_init(&ix);
    if (argc < 2) {
        fprintf(stderr, "usage: a64_tool encodings|disasm|check|sample ...\n");
        return 2;
    }
    if (!strcmp(argv[1], "encodings")) {
        int n = a64_print_encodings(stdout);
        if (n < 0) {
            fprintf(stderr, "encoder reported a bad operand while listing forms\n");
            return 1;
        }
        return 0;
    }
    if (!strcmp(argv[1], "disasm") || !strcmp(argv[1], "check") || !strcmp(argv[1], "checkenc")) {
        int dis = !strcmp(argv[1], "disasm");
        char line[256], buf[128];
        while (fgets(line, sizeof line, stdin)) {
            char *end;
            unsigned long w = strtoul(line, &end, 16);
            if (end == line) continue;
            if (dis) {
                a64_disasm(&ix, (uint32_t)w, 0, 0, buf, sizeof buf);
                printf("%s\n", buf);
            } else {
                const char *why = NULL;
                int f = !strcmp(argv[1], "check") ? a64_filter_word(&ix, (uint32_t)w, &why)
                                                  : a64_check_word(&ix, (uint32_t)w, &why);
                if (f >= 0) printf("ok %s\n", a64_forms[f].name);
                else printf("reject %s\n", why);
            }
        }
        return 0;
    }
    if (!strcmp(argv[1], "sample")) return cmd_sample(&ix, argc, argv);
    fprintf(stderr, "unknown command %s\n", argv[1]);
    return 2;
}
