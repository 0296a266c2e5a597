/* arch/arm64/a64_disasm.c — our own A64 disassembler (used by `hyperion-jit
 * dump` and checked against llvm-mc by the tests).
 *
 * It prints only what the filter allows (a64_check_word) and uses the same
 * preferred aliases as the standard ARM syntax (mov, cmp, tst, lsl, cset, ...)
 * so the text can be compared with an independent disassembler.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "arch/arm64/a64.h"

static const char *const cond_names[16] = {"eq", "ne", "hs", "lo", "mi", "pl", "vs", "vc",
                                           "hi", "ls", "ge", "lt", "gt", "le", "al", "nv"};
static const char *const shift_names[4] = {"lsl", "lsr", "asr", "ror"};
static const char *const ext_names[8] = {"uxtb", "uxth", "uxtw", "uxtx",
                                         "sxtb", "sxth", "sxtw", "sxtx"};

struct out {
    char *buf;
    size_t cap, len;
};

static void put(struct out *o, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    size_t room = o->len < o->cap ? o->cap - o->len : 0;
    int k = vsnprintf(o->buf + (o->len < o->cap ? o->len : o->cap), room, fmt, ap);
    va_end(ap);
    if (k > 0) o->len += (size_t)k;
}

/* General register name; sp31 selects SP (else ZR) for register number 31. */
static const char *gpr(char *tmp, unsigned r, int x, int sp31) {
    if (r == 31) return sp31 ? (x ? "sp" : "wsp") : (x ? "xzr" : "wzr");
    snprintf(tmp, 8, "%c%u", x ? 'x' : 'w', r);
    return tmp;
}
static const char *kreg(char *tmp, unsigned kind, unsigned r) {
    if (kind == A64_K_D) {
        snprintf(tmp, 8, "d%u", r);
        return tmp;
    }
    return gpr(tmp, r, kind == A64_K_X, 0);
}

/* Can a single MOVZ of this width produce v? */
static int movz_able(uint64_t v, int x) {
    for (unsigned s = 0; s < (x ? 64u : 32u); s += 16)
        if ((v & ~((uint64_t)0xffff << s)) == 0) return 1;
    return 0;
}
static long long as_signed(uint64_t v, int x) {
    return x ? (long long)(int64_t)v : (long long)(int32_t)(uint32_t)v;
}

static void shift_suffix(struct out *o, unsigned type, unsigned amount) {
    if (type == A64_LSL && amount == 0) return;
    put(o, ", %s #%u", shift_names[type], amount);
}

size_t a64_disasm(const struct a64_index *ix, uint32_t w, uint64_t pc, int flags, char *buf,
                  size_t cap) {
    struct out o = {buf, cap, 0};
    if (cap) buf[0] = 0;
    int f = a64_check_word(ix, w, NULL);
    if (f < 0) {
        put(&o, ".inst 0x%08x", w);
        return o.len;
    }
    const struct a64_form *F = &a64_forms[f];
    const char *mn = F->mnem;
    unsigned rd = w & 31, rn = (w >> 5) & 31, rm = (w >> 16) & 31, ra = (w >> 10) & 31;
    int x = (int)(w >> 31);
    unsigned width = x ? 64 : 32;
    char t0[8], t1[8], t2[8], t3[8];
    int64_t target_off = 0;
    int is_branch = 0;

    switch (F->cls) {
    case A64_C_ADDSUB_IMM: {
        int sub = (w >> 30) & 1, s = (w >> 29) & 1, sh = (w >> 22) & 1;
        unsigned imm = (w >> 10) & 0xfff;
        if (!s && !sub && !sh && imm == 0 && (rd == 31 || rn == 31)) {
            put(&o, "mov %s, %s", gpr(t0, rd, x, 1), gpr(t1, rn, x, 1));
            break;
        }
        if (s && rd == 31)
            put(&o, "%s %s, #%u", sub ? "cmp" : "cmn", gpr(t1, rn, x, 1), imm);
        else
            put(&o, "%s %s, %s, #%u", mn, gpr(t0, rd, x, !s), gpr(t1, rn, x, 1), imm);
        if (sh) put(&o, ", lsl #12");
        break;
    }
    case A64_C_ADDSUB_SHIFT: {
        int sub = (w >> 30) & 1, s = (w >> 29) & 1;
        unsigned type = (w >> 22) & 3, amount = (w >> 10) & 63;
        if (s && rd == 31)
            put(&o, "%s %s, %s", sub ? "cmp" : "cmn", gpr(t1, rn, x, 0), gpr(t2, rm, x, 0));
        else if (sub && rn == 31)
            put(&o, "%s %s, %s", s ? "negs" : "neg", gpr(t0, rd, x, 0), gpr(t2, rm, x, 0));
        else
            put(&o, "%s %s, %s, %s", mn, gpr(t0, rd, x, 0), gpr(t1, rn, x, 0), gpr(t2, rm, x, 0));
        shift_suffix(&o, type, amount);
        break;
    }
    case A64_C_ADDSUB_EXT: {
        int sub = (w >> 30) & 1, s = (w >> 29) & 1;
        unsigned opt = (w >> 13) & 7, amount = (w >> 10) & 7;
        int mx = x && (opt & 3) == 3;
        if (s && rd == 31)
            put(&o, "%s %s, %s", sub ? "cmp" : "cmn", gpr(t1, rn, x, 1), gpr(t2, rm, mx, 0));
        else
            put(&o, "%s %s, %s, %s", mn, gpr(t0, rd, x, !s), gpr(t1, rn, x, 1), gpr(t2, rm, mx, 0));
        int sp_involved = (!s && rd == 31) || rn == 31;
        if (sp_involved && opt == (x ? A64_UXTX : A64_UXTW)) {
            if (amount) put(&o, ", lsl #%u", amount);
        } else {
            put(&o, ", %s", ext_names[opt]);
            if (amount) put(&o, " #%u", amount);
        }
        break;
    }
    case A64_C_LOGIC_SHIFT: {
        unsigned opc = (w >> 29) & 3, nbit = (w >> 21) & 1;
        unsigned type = (w >> 22) & 3, amount = (w >> 10) & 63;
        if (opc == 1 && !nbit && rn == 31 && type == A64_LSL && amount == 0) {
            put(&o, "mov %s, %s", gpr(t0, rd, x, 0), gpr(t2, rm, x, 0));
            break;
        }
        if (opc == 1 && nbit && rn == 31)
            put(&o, "mvn %s, %s", gpr(t0, rd, x, 0), gpr(t2, rm, x, 0));
        else if (opc == 3 && !nbit && rd == 31)
            put(&o, "tst %s, %s", gpr(t1, rn, x, 0), gpr(t2, rm, x, 0));
        else
            put(&o, "%s %s, %s, %s", mn, gpr(t0, rd, x, 0), gpr(t1, rn, x, 0), gpr(t2, rm, x, 0));
        shift_suffix(&o, type, amount);
        break;
    }
    case A64_C_LOGIC_IMM: {
        uint64_t v = 0;
        a64_bitmask_decode(x, (w >> 22) & 1, (w >> 16) & 63, (w >> 10) & 63, &v);
        unsigned opc = (w >> 29) & 3;
        if (opc == 3 && rd == 31)
            put(&o, "tst %s, #0x%llx", gpr(t1, rn, x, 0), (unsigned long long)v);
        else if (opc == 1 && rn == 31 && !movz_able(v, x) &&
                 !movz_able(x ? ~v : (~v & 0xffffffffu), x))
            put(&o, "mov %s, #%lld", gpr(t0, rd, x, 1), as_signed(v, x));
        else
            put(&o, "%s %s, %s, #0x%llx", mn, gpr(t0, rd, x, opc != 3), gpr(t1, rn, x, 0),
                (unsigned long long)v);
        break;
    }
    case A64_C_MOVEWIDE: {
        unsigned opc = (w >> 29) & 3, sh = ((w >> 21) & 3) * 16;
        uint64_t imm = (w >> 5) & 0xffff;
        uint64_t mask = x ? ~(uint64_t)0 : 0xffffffffu;
        int zero_shifted = imm == 0 && sh != 0;
        if (opc == 2 && !zero_shifted) {
            put(&o, "mov %s, #%lld", gpr(t0, rd, x, 0), as_signed(imm << sh, x));
            break;
        }
        if (opc == 0 && !zero_shifted) {
            uint64_t v = ~(imm << sh) & mask;
            if (!movz_able(v, x)) {
                put(&o, "mov %s, #%lld", gpr(t0, rd, x, 0), as_signed(v, x));
                break;
            }
        }
        put(&o, "%s %s, #%llu", mn, gpr(t0, rd, x, 0), (unsigned long long)imm);
        if (sh) put(&o, ", lsl #%u", sh);
        break;
    }
    case A64_C_BITFIELD: {
        unsigned immr = (w >> 16) & 63, imms = (w >> 10) & 63;
        int is_u = f == A64_UBFM_W || f == A64_UBFM_X;
        if (immr == 0 && (imms == 7 || imms == 15 || (imms == 31 && x && !is_u))) {
            const char *m = imms == 7 ? (is_u ? "uxtb" : "sxtb")
                            : imms == 15 ? (is_u ? "uxth" : "sxth") : "sxtw";
            put(&o, "%s %s, %s", m, gpr(t0, rd, x, 0), gpr(t1, rn, 0, 0));
        } else if (imms == width - 1) {
            put(&o, "%s %s, %s, #%u", is_u ? "lsr" : "asr", gpr(t0, rd, x, 0), gpr(t1, rn, x, 0), immr);
        } else {
            put(&o, "lsl %s, %s, #%u", gpr(t0, rd, x, 0), gpr(t1, rn, x, 0), width - 1 - imms);
        }
        break;
    }
    case A64_C_DP2:
        put(&o, "%s %s, %s, %s", mn, gpr(t0, rd, x, 0), gpr(t1, rn, x, 0), gpr(t2, rm, x, 0));
        break;
    case A64_C_DP3: {
        unsigned dk = F->aux & 15, sk = F->aux >> 4;
        int sub = (w >> 15) & 1;
        if (ra == 31) {
            const char *m = f == A64_SMADDL ? "smull" : f == A64_UMADDL ? "umull" : sub ? "mneg" : "mul";
            put(&o, "%s %s, %s, %s", m, kreg(t0, dk, rd), kreg(t1, sk, rn), kreg(t2, sk, rm));
        } else {
            put(&o, "%s %s, %s, %s, %s", mn, kreg(t0, dk, rd), kreg(t1, sk, rn), kreg(t2, sk, rm),
                kreg(t3, dk, ra));
        }
        break;
    }
    case A64_C_DP3H:
        put(&o, "%s %s, %s, %s", mn, gpr(t0, rd, 1, 0), gpr(t1, rn, 1, 0), gpr(t2, rm, 1, 0));
        break;
    case A64_C_CONDSEL: {
        unsigned c = (w >> 12) & 15;
        int inv = (w >> 30) & 1, inc = (w >> 10) & 1;
        const char *ci = cond_names[c ^ 1];
        if (inc == 1 && !inv && rn == rm && rn == 31)
            put(&o, "cset %s, %s", gpr(t0, rd, x, 0), ci);
        else if (inc == 0 && inv && rn == rm && rn == 31)
            put(&o, "csetm %s, %s", gpr(t0, rd, x, 0), ci);
        else if (rn == rm && (inv || inc))
            put(&o, "%s %s, %s, %s", inv ? (inc ? "cneg" : "cinv") : "cinc", gpr(t0, rd, x, 0),
                gpr(t1, rn, x, 0), ci);
        else
            put(&o, "%s %s, %s, %s, %s", mn, gpr(t0, rd, x, 0), gpr(t1, rn, x, 0),
                gpr(t2, rm, x, 0), cond_names[c]);
        break;
    }
    case A64_C_LDST_UOFF: {
        unsigned scale = F->aux >> 4;
        unsigned off = ((w >> 10) & 0xfff) << scale;
        put(&o, "%s %s, [%s", mn, kreg(t0, F->aux & 15, rd), gpr(t1, rn, 1, 1));
        if (off) put(&o, ", #%u", off);
        put(&o, "]");
        break;
    }
    case A64_C_LDST_UNSC: {
        int off = (int32_t)(w << 11) >> 23;
        put(&o, "%s %s, [%s", mn, kreg(t0, F->aux & 15, rd), gpr(t1, rn, 1, 1));
        if (off) put(&o, ", #%d", off);
        put(&o, "]");
        break;
    }
    case A64_C_LDST_ROFF: {
        unsigned scale = F->aux >> 4, opt = (w >> 13) & 7, s = (w >> 12) & 1;
        put(&o, "%s %s, [%s, %s", mn, kreg(t0, F->aux & 15, rd), gpr(t1, rn, 1, 1),
            gpr(t2, rm, opt == A64_IDX_LSL, 0));
        if (opt == A64_IDX_LSL) {
            if (s) put(&o, ", lsl #%u", scale);
        } else {
            put(&o, ", %s", ext_names[opt]);
            if (s) put(&o, " #%u", scale);
        }
        put(&o, "]");
        break;
    }
    case A64_C_LDSTP: {
        unsigned kind = F->aux & 15, idx = (w >> 23) & 3;
        int off = ((int32_t)(w << 10) >> 25) * 8;
        put(&o, "%s %s, %s, [%s", mn, kreg(t0, kind, rd), kreg(t2, kind, ra), gpr(t1, rn, 1, 1));
        if (idx == 1)
            put(&o, "], #%d", off);
        else if (idx == 3)
            put(&o, ", #%d]!", off);
        else if (off)
            put(&o, ", #%d]", off);
        else
            put(&o, "]");
        break;
    }
    case A64_C_BIMM:
        target_off = (int64_t)((int32_t)(w << 6) >> 6) * 4;
        put(&o, "%s #%lld", mn, (long long)target_off);
        is_branch = 1;
        break;
    case A64_C_BCOND:
        target_off = (int64_t)((int32_t)(w << 8) >> 13) * 4;
        put(&o, "b.%s #%lld", cond_names[w & 15], (long long)target_off);
        is_branch = 1;
        break;
    case A64_C_CB:
        target_off = (int64_t)((int32_t)(w << 8) >> 13) * 4;
        put(&o, "%s %s, #%lld", mn, gpr(t0, rd, x, 0), (long long)target_off);
        is_branch = 1;
        break;
    case A64_C_TB: {
        unsigned bit = ((w >> 31) << 5) | ((w >> 19) & 31);
        target_off = (int64_t)((int32_t)(w << 13) >> 18) * 4;
        put(&o, "%s %s, #%u, #%lld", mn, gpr(t0, rd, bit >= 32, 0), bit, (long long)target_off);
        is_branch = 1;
        break;
    }
    case A64_C_BREG:
        if (f == A64_RET && rn == 30)
            put(&o, "ret");
        else
            put(&o, "%s %s", mn, gpr(t1, rn, 1, 0));
        break;
    case A64_C_EXACT:
        put(&o, "%s%s%s", mn, F->extra[0] ? " " : "", F->extra);
        break;
    case A64_C_SYS_RT:
        put(&o, "%s %s, %s", mn, F->extra, gpr(t0, rd, 1, 0));
        break;
    case A64_C_SYSREG:
        if (w & (1u << 21))
            put(&o, "mrs %s, %s", gpr(t0, rd, 1, 0), F->extra);
        else
            put(&o, "msr %s, %s", F->extra, gpr(t0, rd, 1, 0));
        break;
    case A64_C_FP_DP2:
        put(&o, "%s d%u, d%u, d%u", mn, rd, rn, rm);
        break;
    case A64_C_FP_DP1:
        put(&o, "%s d%u, d%u", mn, rd, rn);
        break;
    case A64_C_FP_CMP:
        put(&o, "fcmp d%u, d%u", rn, rm);
        break;
    case A64_C_FP_CMP0:
        put(&o, "fcmp d%u, #0.0", rn);
        break;
    case A64_C_FP_CSEL:
        put(&o, "fcsel d%u, d%u, d%u, %s", rd, rn, rm, cond_names[(w >> 12) & 15]);
        break;
    case A64_C_FP_INT:
        put(&o, "%s %s, %s", mn, kreg(t0, F->aux & 15, rd), kreg(t1, F->aux >> 4, rn));
        break;
    default:
        put(&o, ".inst 0x%08x", w);
        break;
    }
    if (is_branch && (flags & A64_DIS_TARGET))
        put(&o, "  // 0x%llx", (unsigned long long)(pc + (uint64_t)target_off));
    return o.len;
}
