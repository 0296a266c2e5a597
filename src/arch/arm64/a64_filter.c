/* arch/arm64/a64_filter.c — A64 decoder and Safe Opcode Filter.
 *
 * Default deny: a word is allowed only if it matches one of our forms (the
 * shared mask/value table in a64_enc.h) AND its free fields pass the rules
 * below, which re-derive validity from the architecture (reserved values,
 * unpredictable register combinations) and from what our encoder emits. No
 * encoder function is used here.
 *
 * Buffer-level rules (branch targets, helper calls) are in a64_filter_check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/arm64/a64.h"

/* ---- index ------------------------------------------------------------------ */

void a64_index_init(struct a64_index *ix) {
    unsigned k = 0;
    for (unsigned b = 0; b < 256; b++) {
        ix->start[b] = (uint16_t)k;
        for (unsigned f = 0; f < A64_NFORMS; f++) {
            uint32_t m = a64_forms[f].mask >> 24, v = a64_forms[f].value >> 24;
            if ((b & m) == v && k < A64_INDEX_CAP) ix->list[k++] = (uint16_t)f;
        }
    }
    ix->start[256] = (uint16_t)k;
}

int a64_match(const struct a64_index *ix, uint32_t w) {
    unsigned b = w >> 24;
    for (unsigned k = ix->start[b]; k < ix->start[b + 1]; k++) {
        const struct a64_form *f = &a64_forms[ix->list[k]];
        if ((w & f->mask) == f->value) return ix->list[k];
    }
    return -1;
}

/* ---- bitmask immediates (decode side, per the ARM ARM pseudo-code) ---------- */

int a64_bitmask_decode(int x, unsigned n, unsigned immr, unsigned imms, uint64_t *value) {
    if (n > 1 || immr > 63 || imms > 63) return 0;
    if (!x && n) return 0;
    unsigned combined = (n << 6) | (~imms & 0x3f);
    if (combined < 2) return 0; /* len < 1 */
    unsigned len = 31 - (unsigned)__builtin_clz(combined);
    unsigned esize = 1u << len, levels = esize - 1;
    unsigned s = imms & levels, r = immr & levels;
    if (s == levels) return 0;          /* all-ones element: reserved */
    if (immr & ~levels) return 0;       /* we never set rotation bits above the element */
    uint64_t emask = esize == 64 ? ~(uint64_t)0 : (((uint64_t)1 << esize) - 1);
    uint64_t welem = ((uint64_t)1 << (s + 1)) - 1; /* s + 1 <= 63 */
    uint64_t elem = r ? (((welem >> r) | (welem << (esize - r))) & emask) : welem;
    uint64_t v = 0;
    for (unsigned i = 0; i < 64; i += esize) v |= elem << i;
    if (!x) v &= 0xffffffffu;
    *value = v;
    return 1;
}

/* ---- per-word rules ------------------------------------------------------------ */

static int bad(const char **why, const char *msg) {
    if (why) *why = msg;
    return -1;
}

int a64_check_word(const struct a64_index *ix, uint32_t w, const char **why) {
    int f = a64_match(ix, w);
    if (f < 0) return bad(why, "unknown or forbidden encoding");
    const struct a64_form *F = &a64_forms[f];
    unsigned sf = w >> 31, rd = w & 31, rn = (w >> 5) & 31, rm = (w >> 16) & 31;
    unsigned width = sf ? 64 : 32;
    switch (F->cls) {
    case A64_C_ADDSUB_IMM:
    case A64_C_DP2:
    case A64_C_DP3:
    case A64_C_DP3H:
    case A64_C_LDST_UOFF:
    case A64_C_LDST_UNSC:
    case A64_C_BIMM:
    case A64_C_CB:
    case A64_C_TB:
    case A64_C_EXACT:
    case A64_C_SYSREG:
    case A64_C_FP_DP2:
    case A64_C_FP_DP1:
    case A64_C_FP_CMP:
    case A64_C_FP_CMP0:
    case A64_C_FP_INT:
        return f;
    case A64_C_ADDSUB_SHIFT:
        if (((w >> 22) & 3) == 3) return bad(why, "add/sub: reserved shift type");
        if (((w >> 10) & 63) >= width) return bad(why, "add/sub: shift amount >= width");
        return f;
    case A64_C_ADDSUB_EXT:
        if (((w >> 10) & 7) > 4) return bad(why, "add/sub ext: shift above 4");
        return f;
    case A64_C_LOGIC_SHIFT:
        if (((w >> 10) & 63) >= width) return bad(why, "logical: shift amount >= width");
        return f;
    case A64_C_LOGIC_IMM: {
        uint64_t v;
        if (!a64_bitmask_decode((int)sf, (w >> 22) & 1, (w >> 16) & 63, (w >> 10) & 63, &v))
            return bad(why, "logical imm: invalid bitmask immediate");
        if (rd == 31 && ((w >> 29) & 3) != 3) return bad(why, "logical imm: writes SP");
        return f;
    }
    case A64_C_MOVEWIDE:
        if (!sf && ((w >> 21) & 3) >= 2) return bad(why, "move wide: shift >= 32 on W");
        return f;
    case A64_C_BITFIELD: {
        unsigned immr = (w >> 16) & 63, imms = (w >> 10) & 63;
        int is_u = f == A64_UBFM_W || f == A64_UBFM_X;
        if (immr >= width || imms >= width) return bad(why, "bitfield: field out of range");
        if (imms == width - 1) return f;                         /* asr/lsr #immr */
        if (is_u && immr == imms + 1) return f;                  /* lsl */
        if (immr == 0 && (imms == 7 || imms == 15) && (!is_u || !sf)) return f; /* sxt/uxt b,h */
        if (!is_u && sf && immr == 0 && imms == 31) return f;    /* sxtw */
        return bad(why, "bitfield: not one of our shift/extend forms");
    }
    case A64_C_CONDSEL:
    case A64_C_FP_CSEL:
        if (((w >> 12) & 15) >= A64_AL) return bad(why, "conditional select on al/nv");
        return f;
    case A64_C_LDST_ROFF: {
        unsigned opt = (w >> 13) & 7;
        if (opt != A64_IDX_LSL && opt != A64_IDX_UXTW && opt != A64_IDX_SXTW)
            return bad(why, "load/store: index extend not used");
        if (rm == 31) return bad(why, "load/store: zero register as index");
        return f;
    }
    case A64_C_LDSTP: {
        unsigned rt = w & 31, rt2 = (w >> 10) & 31;
        int load = (w >> 22) & 1, wback = ((w >> 23) & 3) != 2;
        if (load && rt == rt2) return bad(why, "ldp: Rt == Rt2 (unpredictable)");
        if ((F->aux & 15) != A64_K_D && wback && rn != 31 && (rt == rn || rt2 == rn))
            return bad(why, "ldp/stp: writeback base is a data register (unpredictable)");
        return f;
    }
    case A64_C_BCOND:
        if ((w & 15) == A64_NV) return bad(why, "b.nv");
        return f;
    case A64_C_BREG:
        if (f == A64_RET) return rn == 30 ? f : bad(why, "ret: register other than x30");
        return rn == A64_IP0 ? f : bad(why, "br/blr: register other than x16");
    case A64_C_SYS_RT:
        if (rd == 31) return bad(why, "cache maintenance with xzr");
        return f;
    default:
        return bad(why, "internal: unhandled class");
    }
}

/* ---- function-body rules (what the lowering emits) ------------------------------- */

static int encode_only(int f) {
    switch (f) {
#define A64__ENC_ONLY(N) case A64_##N:
        A64_ENCODE_ONLY(A64__ENC_ONLY)
#undef A64__ENC_ONLY
        return 1;
    default: return 0;
    }
}

/* Does a store through base register rn (31 = SP, or X29 which equals SP in
 * the body) cover any byte of [8, 16), the saved-LR slot? off is the signed
 * byte offset, size the byte count. */
static int hits_lr_slot(unsigned rn, int64_t off, unsigned size) {
    if (rn != 31 && rn != A64_FP) return 0;
    return off < 16 && off + (int64_t)size > 8;
}

int a64_filter_word(const struct a64_index *ix, uint32_t w, const char **why) {
    int f = a64_check_word(ix, w, why);
    if (f < 0) return f;
    if (encode_only(f)) return bad(why, "form not emitted by the lowering (refused in function bodies)");
    const struct a64_form *F = &a64_forms[f];
    unsigned rd = w & 31, rn = (w >> 5) & 31;
    switch (F->cls) {
    case A64_C_ADDSUB_IMM:
    case A64_C_ADDSUB_EXT: {
        int setflags = (w >> 29) & 1;
        if (rd == A64_LR) return bad(why, "writes x30 (only the epilogue's ldp may)");
        if (rd != 31 || setflags) return f; /* rd 31 of adds/subs is the zero register */
        if (F->cls == A64_C_ADDSUB_EXT || !(w >> 31) || rn != 31)
            return bad(why, "writes sp (only add/sub sp, sp, #imm may)");
        if (!((w >> 22) & 1) && ((w >> 10) & 0xfff) % 16)
            return bad(why, "add/sub sp: not a multiple of 16");
        return f;
    }
    case A64_C_ADDSUB_SHIFT:
    case A64_C_LOGIC_SHIFT:
    case A64_C_LOGIC_IMM:
    case A64_C_MOVEWIDE:
    case A64_C_BITFIELD:
    case A64_C_DP2:
    case A64_C_DP3:
    case A64_C_DP3H:
    case A64_C_CONDSEL:
        if (rd == A64_LR) return bad(why, "writes x30 (only the epilogue's ldp may)");
        return f;
    case A64_C_FP_INT:
        if ((F->aux & 15) != A64_K_D && rd == A64_LR) return bad(why, "writes x30 (only the epilogue's ldp may)");
        return f;
    case A64_C_LDST_UOFF:
    case A64_C_LDST_UNSC:
    case A64_C_LDST_ROFF: {
        int load = ((w >> 22) & 3) != 0, fp = (F->aux & 15) == A64_K_D;
        unsigned size = 1u << (F->aux >> 4);
        if (load) {
            if (!fp && rd == A64_LR) return bad(why, "loads x30 (only the epilogue's ldp may)");
            return f;
        }
        if (F->cls == A64_C_LDST_ROFF) {
            if (rn == 31 || rn == A64_FP) return bad(why, "register-offset store through sp/x29");
            return f;
        }
        int64_t off = F->cls == A64_C_LDST_UOFF ? (int64_t)((w >> 10) & 0xfff) * size
                                                 : (int64_t)((int32_t)(w << 11) >> 23);
        if (hits_lr_slot(rn, off, size)) return bad(why, "store over the saved-x30 slot");
        return f;
    }
    case A64_C_LDSTP: {
        int load = (w >> 22) & 1, fp = (F->aux & 15) == A64_K_D;
        unsigned rt = w & 31, rt2 = (w >> 10) & 31;
        int64_t off = (int64_t)((int32_t)(w << 10) >> 25) * 8; /* X and D pairs: scale 8 */
        int frame_pair = !fp && rt == A64_FP && rt2 == A64_LR && rn == 31;
        if (f == A64_STP_X_PRE) {
            if (!frame_pair || off >= 0) return bad(why, "stp pre-index: only stp x29, x30, [sp, #-N]!");
            return f;
        }
        if (f == A64_LDP_X_POST) {
            if (!frame_pair || off <= 0) return bad(why, "ldp post-index: only ldp x29, x30, [sp], #N");
            return f;
        }
        if (load) {
            if (!fp && (rt == A64_LR || rt2 == A64_LR) && !(frame_pair && off == 0))
                return bad(why, "loads x30 (only the epilogue's ldp may)");
            return f;
        }
        if (hits_lr_slot(rn, off, 16) && !(frame_pair && off == 0))
            return bad(why, "store over the saved-x30 slot");
        return f;
    }
    default:
        return f;
    }
}

/* ---- buffer-level checks ---------------------------------------------------------- */

static int is_helper(const uint64_t *helpers, size_t n, uint64_t a) {
    for (size_t i = 0; i < n; i++)
        if (helpers[i] == a) return 1;
    return 0;
}

static int refuse(struct a64_filter_result *res, size_t i, uint32_t w, const char *fmt,
                  const char *arg) {
    if (res) {
        res->offset = i * 4;
        res->word = w;
        char what[120];
        snprintf(what, sizeof what, fmt, arg ? arg : "");
        snprintf(res->msg, sizeof res->msg, "arm64 filter: word %zu (offset 0x%zx, 0x%08x): %s",
                 i, i * 4, w, what);
    }
    return -1;
}

/* Signed branch displacement in words, per class. */
static int64_t branch_disp(int cls, uint32_t w) {
    switch (cls) {
    case A64_C_BIMM: return (int32_t)(w << 6) >> 6;
    case A64_C_BCOND:
    case A64_C_CB: return (int32_t)(w << 8) >> 13;
    case A64_C_TB: return (int32_t)(w << 13) >> 18;
    default: return 0;
    }
}

int a64_filter_check(const struct a64_index *ix, const uint8_t *code, size_t len,
                     uint64_t xaddr, const uint64_t *helpers, size_t nhelpers,
                     struct a64_filter_result *res) {
    struct a64_index local;
    if (!ix) {
        a64_index_init(&local);
        ix = &local;
    }
    if (res) {
        res->offset = 0;
        res->word = 0;
        res->msg[0] = 0;
    }
    if (!code || len == 0) return refuse(res, 0, 0, "empty buffer", NULL);
    if (len % 4) return refuse(res, len / 4, 0, "length is not a multiple of 4", NULL);
    if (xaddr % 4) return refuse(res, 0, 0, "executable address not 4-byte aligned", NULL);
    size_t n = len / 4;
    /* interior[i]: word i is inside a helper-call sequence, after its movz. */
    uint8_t *interior = calloc((n + 7) / 8, 1);
    if (!interior) return refuse(res, 0, 0, "out of memory", NULL);
#define INTERIOR(i) ((interior[(i) >> 3] >> ((i) & 7)) & 1)
    int rc = 0;

    /* Pass 1: every word allowed; helper-call sequences resolved. */
    for (size_t i = 0; i < n && !rc; i++) {
        uint32_t w = a64_load_word(code + 4 * i);
        const char *why = NULL;
        int f = a64_filter_word(ix, w, &why);
        if (f < 0) {
            rc = refuse(res, i, w, "%s", why);
            break;
        }
        if (f == A64_BLR) {
            /* walk back over movk x16 to the movz x16 that starts the sequence */
            size_t j = i;
            uint32_t p = 0;
            int ok = 0;
            while (j > 0) {
                p = a64_load_word(code + 4 * (j - 1));
                if ((p & 0xFF80001Fu) == (a64_forms[A64_MOVK_X].value | A64_IP0)) {
                    j--;
                    continue;
                }
                ok = (p & 0xFF80001Fu) == (a64_forms[A64_MOVZ_X].value | A64_IP0);
                break;
            }
            if (!ok || i - j > 3) {
                rc = refuse(res, i, w, "%s without a movz/movk x16 sequence before it", "blr x16");
                break;
            }
            j--; /* index of the movz */
            uint64_t v = 0;
            for (size_t k = j; k < i; k++) {
                uint32_t q = a64_load_word(code + 4 * k);
                unsigned sh = ((q >> 21) & 3) * 16;
                uint64_t imm = (uint64_t)((q >> 5) & 0xffff) << sh;
                if (k == j) v = imm;
                else v = (v & ~((uint64_t)0xffff << sh)) | imm;
                if (k > j) interior[k >> 3] |= (uint8_t)(1u << (k & 7));
            }
            interior[i >> 3] |= (uint8_t)(1u << (i & 7));
            if (!is_helper(helpers, nhelpers, v)) {
                char a[40];
                snprintf(a, sizeof a, "0x%llx", (unsigned long long)v);
                rc = refuse(res, i, w, "indirect call to unregistered address %s", a);
                break;
            }
        }
    }

    /* Pass 2: direct branch targets. */
    for (size_t i = 0; i < n && !rc; i++) {
        uint32_t w = a64_load_word(code + 4 * i);
        int f = a64_match(ix, w);
        int cls = a64_forms[f].cls;
        if (cls != A64_C_BIMM && cls != A64_C_BCOND && cls != A64_C_CB && cls != A64_C_TB)
            continue;
        int64_t t = (int64_t)i + branch_disp(cls, w);
        int inside = t >= 0 && t < (int64_t)n;
        uint64_t abs = xaddr + (uint64_t)(t * 4);
        if (f == A64_BL) {
            if (!is_helper(helpers, nhelpers, abs)) {
                char a[40];
                snprintf(a, sizeof a, "0x%llx", (unsigned long long)abs);
                rc = refuse(res, i, w, "bl to unregistered address %s", a);
            }
            continue;
        }
        if (!inside) {
            /* no B out of the function, not even to a helper: the lowering
             * never emits tail calls */
            rc = refuse(res, i, w, "branch target outside the function", NULL);
            continue;
        }
        if (INTERIOR((size_t)t))
            rc = refuse(res, i, w, "branch into the middle of a helper-call sequence", NULL);
    }

    /* Execution must not run off the end. */
    if (!rc) {
        uint32_t w = a64_load_word(code + 4 * (n - 1));
        int f = a64_match(ix, w);
        if (f != A64_B && f != A64_RET && f != A64_BRK_TRAP)
            rc = refuse(res, n - 1, w, "last instruction can fall through past the end", NULL);
    }
#undef INTERIOR
    free(interior);
    return rc;
}
