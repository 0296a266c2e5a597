/* Both backends on any host (nothing here executes generated code):
 *  - generated programs lower for x86-64 and ARM64 at random addresses and
 *    the filter accepts all of it (hy_jit_lower runs the filter);
 *  - our disassembler decodes every instruction of every function;
 *  - guard sites sit on instruction boundaries, hold their original bytes,
 *    have an alternative of the same length, and turn into a NOP and back
 *    byte-exactly through the patch checks;
 *  - a modification outside the sites is refused by the portable check, and
 *    a forbidden instruction at an instruction boundary by the filter. */
#include <string.h>

#include "jit/jit.h"
#include "test_util.h"

static uint64_t rs = 0x1234567;
static uint64_t rnd(void) {
    rs = rs * 6364136223846793005ull + 1442695040888963407ull;
    return rs >> 11;
}

static void check_one(const struct hy_backend *be, const struct hy_func *fn, uint64_t seed) {
    uint64_t base = (0x10000000ull + (rnd() % 0x7fff0000ull)) * 4096 + (rnd() % 1024) * 16;
    if (rnd() % 2) /* near the helpers, so direct calls get exercised too */
        base = (((uint64_t)(uintptr_t)t_helpers()->v[0].addr & ~15ull) + (rnd() % (64u << 20)) * 16 - (512u << 20)) & ~15ull;
    char err[256];
    struct hy_jit_code *c = hy_jit_lower(be, fn, t_helpers(), base, NULL, err, sizeof err);
    CHECK(c != NULL, "%s seed %llu: %s", be->name, (unsigned long long)seed, err);
    if (!c) {
        char *txt = hy_print_func_str(fn, t_helpers());
        fprintf(stderr, "%s\n", txt ? txt : "");
        free(txt);
        return;
    }
    /* instruction boundaries by our disassembler */
    uint8_t *boundary = calloc(c->size + 1, 1);
    size_t off = 0;
    int unknown = 0;
    while (off < c->size) {
        char text[160];
        boundary[off] = 1;
        int n = be->disasm(c->image + off, c->size - off, c->base + off, text, sizeof text);
        if (n <= 0) {
            unknown++;
            n = be->insn_align;
        }
        off += (size_t)n;
    }
    CHECK(!unknown, "%s seed %llu: %d undecodable instruction(s)", be->name, (unsigned long long)seed, unknown);
    for (uint32_t s = 0; s < c->nsites; s++) {
        const struct hy_patch_site *ps = &c->sites[s];
        CHECK(ps->off < c->size && boundary[ps->off], "%s: site %u not on a boundary", be->name, s);
        CHECK(ps->len >= 1 && ps->len <= HY_SITE_MAX_BYTES && !memcmp(c->image + ps->off, ps->orig, ps->len),
              "%s: site %u does not hold its original bytes", be->name, s);
        CHECK(memcmp(ps->orig, ps->alt, ps->len) != 0, "%s: site %u alternative equals the original", be->name, s);
        CHECK(ps->exit_blk < fn->nblocks, "%s: site %u exit block", be->name, s);
    }
    for (uint32_t k = 0; k < c->ncalls; k++)
        CHECK(c->calls[k].off < c->size && boundary[c->calls[k].off] && c->calls[k].helper < t_helpers()->n &&
                  c->calls[k].target == (uint64_t)(uintptr_t)t_helpers()->v[c->calls[k].helper].addr,
              "%s: call site %u", be->name, k);
    /* NOP every site, then restore: byte-exact */
    for (uint32_t s = 0; s < c->nsites; s++)
        CHECK(hy_lowered_patch_site(be, t_helpers(), c, s, 1, err, sizeof err) == 0, "%s NOP site %u: %s", be->name, s, err);
    for (uint32_t s = 0; s < c->nsites; s++)
        CHECK(!memcmp(c->image + c->sites[s].off, c->sites[s].alt, c->sites[s].len), "%s: site %u not NOP-ed", be->name, s);
    for (uint32_t s = 0; s < c->nsites; s++)
        CHECK(hy_lowered_patch_site(be, t_helpers(), c, s, 0, err, sizeof err) == 0, "%s restore site %u: %s", be->name, s, err);
    CHECK(!memcmp(c->image, c->orig_image, c->size), "%s seed %llu: not byte-identical after NOP and restore", be->name,
          (unsigned long long)seed);
    /* a change outside every site: refused by the portable check */
    uint8_t *mod = malloc(c->size);
    memcpy(mod, c->image, c->size);
    size_t at = rnd() % c->size;
    int in_site = 0;
    for (uint32_t s = 0; s < c->nsites; s++) in_site |= at >= c->sites[s].off && at < c->sites[s].off + c->sites[s].len;
    mod[at] ^= 0x40;
    if (!in_site) CHECK(hy_patch_check(c, mod, c->size, err, sizeof err) != 0, "%s: change at +%zu accepted", be->name, at);
    free(mod);
    /* a forbidden instruction at a boundary: refused by the filter */
    static const uint8_t x86_syscall[] = {0x0f, 0x05}, a64_svc[] = {0x01, 0x00, 0x00, 0xd4};
    const uint8_t *bad = be->insn_align == 4 ? a64_svc : x86_syscall;
    size_t blen = be->insn_align == 4 ? 4 : 2;
    size_t pos;
    do pos = rnd() % c->size;
    while (!boundary[pos] || pos + blen > c->size);
    uint8_t *save = c->image;
    uint8_t *img = malloc(c->size);
    memcpy(img, save, c->size);
    memcpy(img + pos, bad, blen);
    c->image = img;
    struct hy_filter_out out;
    memset(&out, 0, sizeof out);
    CHECK(hy_jit_filter(be, c, t_helpers(), &out) != 0, "%s: forbidden instruction at +%zu accepted", be->name, pos);
    c->image = save;
    free(img);
    free(boundary);
    hy_jit_code_free(NULL, c);
}

int main(void) {
    const struct hy_backend *bes[2] = {hy_backend_x86_64(), hy_backend_arm64()};
    int count = t_env_soak() ? 20000 : 400;
    for (int i = 0; i < count && t_failures < 10; i++) {
        struct hy_gen_opts o;
        memset(&o, 0, sizeof o);
        o.seed = 300000 + (uint64_t)i;
        o.mem_bytes = i % 3 ? 256 : 0;
        o.use_f64 = o.use_calls = o.use_guards = o.use_loops = 1;
        o.helpers = t_helpers();
        struct hy_func *fn = hy_gen_func(&o);
        if (!fn) continue;
        for (int b = 0; b < 2; b++) check_one(bes[b], fn, o.seed);
        hy_func_free(fn);
    }
    if (t_failures) {
        fprintf(stderr, "test_jit_lower: %d failure(s)\n", t_failures);
        return 1;
    }
    printf("test_jit_lower: ok (%d programs x 2 ISAs)\n", count);
    return 0;
}
