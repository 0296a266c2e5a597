/* Guard-site patching: the portable half of the rule "a patch may change only
 * registered sites, and only to their registered alternatives", and the
 * driver that pushes a checked patch through code memory's patch protocol
 * (write window -> filter over the patched block -> executable -> flush ->
 * sync). Patches are applied only to code that no thread is executing; the
 * engine patches a version nobody has entered and publishes it afterwards. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jit/jit_internal.h"

/* The site rule shared by hy_patch_check and every backend filter: the site
 * lies inside a block of len bytes with 1..HY_SITE_MAX_BYTES bytes, and code
 * holds its original or its alternative bytes there. 0 ok, 1 out of range,
 * 2 foreign bytes. */
static int site_state(const struct hy_patch_site *ps, const uint8_t *code, size_t len) {
    if (ps->len == 0 || ps->len > HY_SITE_MAX_BYTES || ps->off + (size_t)ps->len > len) return 1;
    if (memcmp(code + ps->off, ps->orig, ps->len) && memcmp(code + ps->off, ps->alt, ps->len)) return 2;
    return 0;
}

int hy_filter_sites(const struct hy_filter_in *in, const char *isa, const char *(*site_why)(const struct hy_patch_site *),
                    struct hy_filter_out *out) {
    /* registered sites hold their original branch or its NOP */
    for (uint32_t s = 0; s < in->nsites; s++) {
        const struct hy_patch_site *ps = &in->sites[s];
        int st = site_state(ps, in->code, in->len);
        const char *why = st ? NULL : site_why ? site_why(ps) : NULL;
        if (st || why) {
            out->off = ps->off;
            if (st == 1) snprintf(out->reason, sizeof out->reason, "%s filter: patch site %u malformed", isa, s);
            else if (st == 2)
                snprintf(out->reason, sizeof out->reason,
                         "%s filter: patch site %u at 0x%x holds neither its branch nor its NOP", isa, s, ps->off);
            else snprintf(out->reason, sizeof out->reason, "%s filter: patch site %u %s", isa, s, why);
            return -1;
        }
    }
    /* a patch may only touch registered sites */
    if (in->range_len && !(in->range_off == 0 && in->range_len == in->len)) {
        if (in->range_off > in->len || in->range_len > in->len - in->range_off) {
            out->off = in->range_off;
            snprintf(out->reason, sizeof out->reason, "%s filter: patch range outside the function", isa);
            return -1;
        }
        for (size_t k = in->range_off; k < in->range_off + in->range_len; k++) {
            int inside = 0;
            for (uint32_t i = 0; i < in->nsites && !inside; i++)
                inside = k >= in->sites[i].off && k < (size_t)in->sites[i].off + in->sites[i].len;
            if (!inside) {
                out->off = k;
                snprintf(out->reason, sizeof out->reason,
                         "%s filter: patched byte 0x%zx is outside every registered patch site", isa, k);
                return -1;
            }
        }
    }
    return 0;
}

int hy_patch_check(const struct hy_jit_code *c, const uint8_t *next, size_t len, char *why, size_t cap) {
    if (len != c->size) {
        snprintf(why, cap, "patched block is %zu bytes, the function has %zu", len, c->size);
        return -1;
    }
    uint8_t *in_site = calloc(len ? len : 1, 1);
    if (!in_site) {
        snprintf(why, cap, "out of memory");
        return -1;
    }
    int rc = 0;
    for (uint32_t s = 0; s < c->nsites && !rc; s++) {
        const struct hy_patch_site *ps = &c->sites[s];
        int st = site_state(ps, next, len);
        if (st == 1) {
            snprintf(why, cap, "site %u (+%#x, %u bytes) is out of range", s, ps->off, ps->len);
            rc = -1;
            break;
        }
        if (st == 2) {
            snprintf(why, cap, "site %u at +%#x holds neither its original nor its alternative bytes", s, ps->off);
            rc = -1;
        }
        memset(in_site + ps->off, 1, ps->len);
    }
    for (size_t i = 0; i < len && !rc; i++)
        if (!in_site[i] && next[i] != c->orig_image[i]) {
            snprintf(why, cap, "byte +%#zx changed outside any registered patch site", i);
            rc = -1;
        }
    free(in_site);
    return rc;
}

/* Find the site a raw patch request addresses and check its bytes. */
static int match_site(const struct hy_jit_code *c, size_t off, const uint8_t *bytes, size_t len, uint32_t *site,
                      int *use_alt, char *why, size_t cap) {
    for (uint32_t s = 0; s < c->nsites; s++) {
        const struct hy_patch_site *ps = &c->sites[s];
        if (ps->off != off) continue;
        if (ps->len != len) {
            snprintf(why, cap, "patch of %zu bytes at +%#zx, but the site there is %u bytes", len, off, ps->len);
            return -1;
        }
        if (!memcmp(bytes, ps->alt, len)) *use_alt = 1;
        else if (!memcmp(bytes, ps->orig, len)) *use_alt = 0;
        else {
            snprintf(why, cap, "bytes for site %u at +%#zx are neither its original nor its alternative", s, off);
            return -1;
        }
        *site = s;
        return 0;
    }
    snprintf(why, cap, "patch at +%#zx: no registered patch site there", off);
    return -1;
}

int hy_lowered_patch_site(const struct hy_backend *be, const struct hy_helpers *helpers, struct hy_jit_code *c,
                          uint32_t site, int use_alt, char *err, size_t cap) {
    if (site >= c->nsites) {
        snprintf(err, cap, "no patch site %u (function has %u)", site, c->nsites);
        return -1;
    }
    const struct hy_patch_site *ps = &c->sites[site];
    uint8_t *next = malloc(c->size);
    if (!next) {
        snprintf(err, cap, "out of memory");
        return -1;
    }
    memcpy(next, c->image, c->size);
    memcpy(next + ps->off, use_alt ? ps->alt : ps->orig, ps->len);
    int rc = hy_patch_check(c, next, c->size, err, cap);
    if (!rc) {
        uint8_t *save = c->image;
        c->image = next;
        struct hy_filter_out out;
        memset(&out, 0, sizeof out);
        if (hy_jit_filter(be, c, helpers, &out)) {
            snprintf(err, cap, "filter (%s) rejected offset %#zx: %s", be->name, out.off, out.reason);
            c->image = save;
            rc = -1;
        } else {
            free(save);
            c->site_alt[site] = (uint8_t)!!use_alt;
            return 0;
        }
    }
    free(next);
    return rc;
}

int hy_jit_patch_site(struct hy_jit *j, struct hy_jit_code *c, uint32_t site, int use_alt) {
    j->err[0] = 0;
    if (!c->entry) {
        hy_jit_fail(j, "patch: function is not committed");
        return -1;
    }
    if (site >= c->nsites) {
        hy_jit_fail(j, "patch: no site %u (function has %u)", site, c->nsites);
        return -1;
    }
    const struct hy_patch_site *ps = &c->sites[site];
    const uint8_t *bytes = use_alt ? ps->alt : ps->orig;
    if (!memcmp(c->image + ps->off, bytes, ps->len)) return 0; /* already so */
    struct hy_verify_ctx v;
    memset(&v, 0, sizeof v);
    v.be = j->be;
    v.helper_addr = j->helper_addr;
    v.nhelpers = j->nhelpers;
    v.code = c;
    v.expect_base = c->base;
    v.expect_len = c->size;
    v.range_off = ps->off;
    v.range_len = ps->len;
    v.is_patch = 1;
    int r = hy_code_patch(j->cm, (uint8_t *)c->entry + ps->off, bytes, ps->len, hy_verify_cb, &v);
    if (r) {
        if (v.why[0]) hy_jit_fail(j, "patch refused: %s", v.why);
        else hy_jit_fail(j, "patch: code memory: %s", hy_codemem_errmsg(j->cm));
        return -1;
    }
    memcpy(c->image + ps->off, bytes, ps->len);
    c->site_alt[site] = (uint8_t)!!use_alt;
    return 0;
}

int hy_jit_set_guard(struct hy_jit *j, struct hy_jit_code *c, uint32_t guard_id, int enabled) {
    int n = 0;
    for (uint32_t s = 0; s < c->nsites; s++) {
        if (c->sites[s].guard_id != guard_id) continue;
        if (hy_jit_patch_site(j, c, s, !enabled)) return -1;
        n++;
    }
    if (!n) hy_jit_fail(j, "no patch site for guard id %u", guard_id);
    return n ? n : -1;
}

int hy_jit_patch_bytes(struct hy_jit *j, struct hy_jit_code *c, size_t off, const uint8_t *bytes, size_t len) {
    char why[200];
    uint32_t site;
    int use_alt;
    if (match_site(c, off, bytes, len, &site, &use_alt, why, sizeof why)) {
        hy_jit_fail(j, "patch refused: %s", why);
        return -1;
    }
    return hy_jit_patch_site(j, c, site, use_alt);
}
