/*
 * Arithmetic and comparison kernels, specialized per physical type.
 *
 * Error checks follow one pattern: the hot loop computes every live position with
 * overflow-checked builtins and ORs a flag (no branches, no UB even on garbage under NULL
 * bits); only when the flag is set does a second loop look for a live, non-NULL row that
 * really fails, so NULL rows never raise.
 */
#include <math.h>

#include "exec/expr.h"

/* ==== Comparisons ============================================================================= */

#define CMP_OPS(T, A, B, CMPF)                                                               \
    do {                                                                                     \
        const T *a_ = (const T *)(A);                                                        \
        const T *b_ = (const T *)(B);                                                        \
        switch (op) {                                                                        \
        case HY_FN_EQ: HY_LOOP(sel, n, out[i] = CMPF(a_[i], b_[i]) == 0); break;             \
        case HY_FN_NE: HY_LOOP(sel, n, out[i] = CMPF(a_[i], b_[i]) != 0); break;             \
        case HY_FN_LT: HY_LOOP(sel, n, out[i] = CMPF(a_[i], b_[i]) < 0); break;              \
        case HY_FN_LE: HY_LOOP(sel, n, out[i] = CMPF(a_[i], b_[i]) <= 0); break;             \
        case HY_FN_GT: HY_LOOP(sel, n, out[i] = CMPF(a_[i], b_[i]) > 0); break;              \
        default: HY_LOOP(sel, n, out[i] = CMPF(a_[i], b_[i]) >= 0); break;                   \
        }                                                                                    \
    } while (0)

#define NUM_CMP(x, y) (((x) > (y)) - ((x) < (y)))

void hy_xcmp(hy_func op, const hy_xv *a, const hy_xv *b, const uint16_t *sel, int n,
             uint8_t *out) {
    switch (hy_phys_of(a->type)) {
    case HY_P_BOOL: CMP_OPS(uint8_t, a->data, b->data, NUM_CMP); break;
    case HY_P_I32: CMP_OPS(int32_t, a->data, b->data, NUM_CMP); break;
    case HY_P_I64: CMP_OPS(int64_t, a->data, b->data, NUM_CMP); break;
    case HY_P_I128: CMP_OPS(hy_i128, a->data, b->data, NUM_CMP); break;
    case HY_P_F64: CMP_OPS(double, a->data, b->data, hy_f64_cmp); break;
    case HY_P_STR: {
        /* strings under a NULL bit may be garbage pointers: never touch them */
        const hy_str *x = a->data, *y = b->data;
        const uint64_t *va = a->valid, *vb = b->valid;
        HY_LOOP(sel, n, {
            if (!hy_valid_get(va, i) || !hy_valid_get(vb, i)) {
                out[i] = 0;
            } else {
                int c = op == HY_FN_EQ || op == HY_FN_NE ? !hy_str_eq(x[i], y[i])
                                                         : hy_str_cmp(x[i], y[i]);
                switch (op) {
                case HY_FN_EQ: out[i] = c == 0; break;
                case HY_FN_NE: out[i] = c != 0; break;
                case HY_FN_LT: out[i] = c < 0; break;
                case HY_FN_LE: out[i] = c <= 0; break;
                case HY_FN_GT: out[i] = c > 0; break;
                default: out[i] = c >= 0; break;
                }
            }
        });
        break;
    }
    default: HY_LOOP(sel, n, out[i] = 0); break;
    }
}

/* ==== Error helpers ============================================================================ */

bool hy_xerr_range(hy_error *err, hy_ltype t) {
    char tn[32];
    if (t.id == HY_TYPE_INTEGER) return hy_error_set(err, HY_E_RANGE, "integer out of range");
    return hy_error_set(err, HY_E_RANGE, "%s out of range", hy_lt_name(t, tn, sizeof tn));
}

bool hy_xerr_divzero(hy_error *err) { return hy_error_set(err, HY_E_DIVZERO, "division by zero"); }

/* ==== Integer kernels =========================================================================== */

/* a OP b with overflow check for integer type T. */
#define INT_BINOP(T, BUILTIN)                                                                \
    do {                                                                                     \
        const T *a_ = A, *b_ = B;                                                            \
        T *r_ = R;                                                                           \
        bool bad_ = false;                                                                   \
        HY_LOOP(sel, n, bad_ |= BUILTIN(a_[i], b_[i], &r_[i]));                              \
        if (bad_) {                                                                          \
            HY_LOOP(sel, n, {                                                                \
                T t_;                                                                        \
                if (hy_valid_get(V, i) && BUILTIN(a_[i], b_[i], &t_))                        \
                    return hy_xerr_range(err, s->type);                                      \
            });                                                                              \
        }                                                                                    \
    } while (0)

/* Integer // and %: the divisor is made safe in the loop; zero and MIN // -1 flagged. */
#define INT_DIVMOD(T, TMIN, IS_MOD)                                                          \
    do {                                                                                     \
        const T *a_ = A, *b_ = B;                                                            \
        T *r_ = R;                                                                           \
        bool zero_ = false, ovf_ = false;                                                    \
        HY_LOOP(sel, n, {                                                                    \
            T d_ = b_[i];                                                                    \
            bool z_ = d_ == 0, o_ = a_[i] == TMIN && d_ == -1;                               \
            zero_ |= z_;                                                                     \
            ovf_ |= o_;                                                                      \
            T dd_ = (z_ || o_) ? 1 : d_;                                                     \
            r_[i] = IS_MOD ? (o_ ? 0 : a_[i] % dd_) : a_[i] / dd_;                           \
        });                                                                                  \
        if (zero_)                                                                           \
            HY_LOOP(sel, n, if (hy_valid_get(V, i) && b_[i] == 0) return hy_xerr_divzero(err)); \
        if (ovf_ && !IS_MOD)                                                                 \
            HY_LOOP(sel, n, if (hy_valid_get(V, i) && a_[i] == TMIN && b_[i] == -1)          \
                                return hy_xerr_range(err, s->type));                         \
    } while (0)

#define ADD_OV(a, b, r) __builtin_add_overflow(a, b, r)
#define SUB_OV(a, b, r) __builtin_sub_overflow(a, b, r)
#define MUL_OV(a, b, r) __builtin_mul_overflow(a, b, r)

static bool int_kernel(hy_xstate *s, const uint16_t *sel, int n, hy_error *err) {
    const uint64_t *V = s->out.valid;
    void *A = s->args[0]->out.data, *B = s->nargs > 1 ? s->args[1]->out.data : NULL, *R = s->buf;
    bool is32 = hy_phys_of(s->type) == HY_P_I32;
    switch (s->func) {
    case HY_FN_ADD:
        if (is32) INT_BINOP(int32_t, ADD_OV); else INT_BINOP(int64_t, ADD_OV);
        return true;
    case HY_FN_SUB:
        if (is32) INT_BINOP(int32_t, SUB_OV); else INT_BINOP(int64_t, SUB_OV);
        return true;
    case HY_FN_MUL:
        if (is32) INT_BINOP(int32_t, MUL_OV); else INT_BINOP(int64_t, MUL_OV);
        return true;
    case HY_FN_IDIV:
        if (is32) INT_DIVMOD(int32_t, INT32_MIN, 0); else INT_DIVMOD(int64_t, INT64_MIN, 0);
        return true;
    case HY_FN_MOD:
        if (is32) INT_DIVMOD(int32_t, INT32_MIN, 1); else INT_DIVMOD(int64_t, INT64_MIN, 1);
        return true;
    case HY_FN_NEG:
    case HY_FN_ABS: {
        bool neg = s->func == HY_FN_NEG;
        if (is32) {
            const int32_t *a = A;
            int32_t *r = R;
            bool bad = false;
            HY_LOOP(sel, n, {
                bad |= a[i] == INT32_MIN;
                r[i] = a[i] == INT32_MIN ? 0 : (neg || a[i] < 0) ? -a[i] : a[i];
            });
            if (bad) HY_LOOP(sel, n, if (hy_valid_get(V, i) && a[i] == INT32_MIN) return hy_xerr_range(err, s->type));
        } else {
            const int64_t *a = A;
            int64_t *r = R;
            bool bad = false;
            HY_LOOP(sel, n, {
                bad |= a[i] == INT64_MIN;
                r[i] = a[i] == INT64_MIN ? 0 : (neg || a[i] < 0) ? -a[i] : a[i];
            });
            if (bad) HY_LOOP(sel, n, if (hy_valid_get(V, i) && a[i] == INT64_MIN) return hy_xerr_range(err, s->type));
        }
        return true;
    }
    default: return hy_error_set(err, HY_E_INTERNAL, "unsupported integer function %s", hy_func_sql(s->func));
    }
}

/* ==== Double kernels ============================================================================ */

static bool f64_kernel(hy_xstate *s, const uint16_t *sel, int n, hy_error *err) {
    const uint64_t *V = s->out.valid;
    const double *a = s->args[0]->out.data;
    const double *b = s->nargs > 1 ? s->args[1]->out.data : NULL;
    double *r = s->buf;
    switch (s->func) {
    case HY_FN_ADD: HY_LOOP(sel, n, r[i] = a[i] + b[i]); return true;
    case HY_FN_SUB: HY_LOOP(sel, n, r[i] = a[i] - b[i]); return true;
    case HY_FN_MUL: HY_LOOP(sel, n, r[i] = a[i] * b[i]); return true;
    case HY_FN_DIV:
    case HY_FN_IDIV:
    case HY_FN_MOD: {
        bool zero = false;
        if (s->func == HY_FN_MOD)
            HY_LOOP(sel, n, { zero |= b[i] == 0; r[i] = b[i] == 0 ? 0 : fmod(a[i], b[i]); });
        else
            HY_LOOP(sel, n, { zero |= b[i] == 0; r[i] = a[i] / b[i]; });
        if (zero) HY_LOOP(sel, n, if (hy_valid_get(V, i) && b[i] == 0) return hy_xerr_divzero(err));
        return true;
    }
    case HY_FN_NEG: HY_LOOP(sel, n, r[i] = -a[i]); return true;
    case HY_FN_ABS: HY_LOOP(sel, n, r[i] = fabs(a[i])); return true;
    default: return hy_error_set(err, HY_E_INTERNAL, "unsupported DOUBLE function %s", hy_func_sql(s->func));
    }
}

/* ==== Decimal kernels =========================================================================== */

/* 128-bit multiply; products of two 64-bit values (the common case) never overflow. */
static inline bool mul128_ov(hy_i128 a, hy_i128 b, hy_i128 *r) {
    if (a == (int64_t)a && b == (int64_t)b) {
        *r = (hy_i128)(int64_t)a * (hy_i128)(int64_t)b;
        return false;
    }
    return __builtin_mul_overflow(a, b, r);
}

static inline hy_i128 dec_at(const hy_xv *v, int i) {
    return hy_phys_of(v->type) == HY_P_I128 ? ((const hy_i128 *)v->data)[i]
                                            : (hy_i128)((const int64_t *)v->data)[i];
}

/* Out-of-range check of results r[] against 10^prec, with the NULL-aware second pass. */
#define DEC_BOUND(T, R)                                                                      \
    do {                                                                                     \
        if (s->nocheck && !ovf) break; /* operand digits prove the result fits */            \
        const T *r_ = (const T *)(R);                                                        \
        T P_ = (T)hy_pow10_i128[s->type.prec];                                               \
        bool bad_ = ovf;                                                                     \
        HY_LOOP(sel, n, bad_ |= (r_[i] >= P_) | (r_[i] <= -P_));                             \
        if (bad_) {                                                                          \
            if (slow_recheck(s, sel, n)) return hy_xerr_range(err, s->type);                 \
        }                                                                                    \
    } while (0)

/* Recompute each live non-NULL row exactly (generic, slow) to see if one really fails. */
static bool dec_row(hy_xstate *s, int i, hy_i128 *out) {
    hy_i128 a = dec_at(&s->args[0]->out, i), b = s->nargs > 1 ? dec_at(&s->args[1]->out, i) : 0;
    hy_i128 r;
    bool ovf = false;
    switch (s->func) {
    case HY_FN_ADD: ovf = __builtin_add_overflow(a, b, &r); break;
    case HY_FN_SUB: ovf = __builtin_sub_overflow(a, b, &r); break;
    case HY_FN_MUL: ovf = mul128_ov(a, b, &r); break;
    case HY_FN_NEG: r = -a; break;
    case HY_FN_ABS: r = a < 0 ? -a : a; break;
    case HY_FN_MOD: r = b == 0 ? 0 : a % b; break;
    default: r = 0; break;
    }
    *out = r;
    return ovf || !hy_dec_fits(r, s->type.prec);
}

static bool slow_recheck(hy_xstate *s, const uint16_t *sel, int n) {
    const uint64_t *V = s->out.valid;
    HY_LOOP(sel, n, {
        hy_i128 r;
        if (hy_valid_get(V, i) && dec_row(s, i, &r)) return true;
    });
    return false;
}

static bool dec_kernel(hy_xstate *s, const uint16_t *sel, int n, hy_error *err) {
    const hy_xv *xa = &s->args[0]->out, *xb = s->nargs > 1 ? &s->args[1]->out : NULL;
    bool wide_r = hy_phys_of(s->type) == HY_P_I128;
    bool na = hy_phys_of(xa->type) == HY_P_I64, nb = xb && hy_phys_of(xb->type) == HY_P_I64;
    bool ovf = false;
    const uint64_t *V = s->out.valid;
    if (s->func == HY_FN_MOD) {
        bool zero = false;
        HY_LOOP(sel, n, {
            hy_i128 b = dec_at(xb, i);
            zero |= b == 0;
        });
        if (zero) HY_LOOP(sel, n, if (hy_valid_get(V, i) && dec_at(xb, i) == 0) return hy_xerr_divzero(err));
    }
    if (!wide_r && na && (!xb || nb)) {
        /* everything in 64 bits: |a|,|b| < 10^18 so only the product needs a check */
        const int64_t *a = xa->data, *b = xb ? xb->data : NULL;
        int64_t *r = s->buf;
        switch (s->func) {
        case HY_FN_ADD: HY_LOOP(sel, n, ovf |= __builtin_add_overflow(a[i], b[i], &r[i])); break;
        case HY_FN_SUB: HY_LOOP(sel, n, ovf |= __builtin_sub_overflow(a[i], b[i], &r[i])); break;
        case HY_FN_MUL: HY_LOOP(sel, n, ovf |= __builtin_mul_overflow(a[i], b[i], &r[i])); break;
        case HY_FN_NEG: HY_LOOP(sel, n, ovf |= __builtin_sub_overflow((int64_t)0, a[i], &r[i])); break;
        case HY_FN_ABS: HY_LOOP(sel, n, ovf |= __builtin_sub_overflow((int64_t)0, a[i], &r[i]); if (a[i] >= 0) r[i] = a[i]); break;
        case HY_FN_MOD: HY_LOOP(sel, n, r[i] = (b[i] == 0 || b[i] == -1) ? 0 : a[i] % b[i]); break;
        default: return hy_error_set(err, HY_E_INTERNAL, "unsupported DECIMAL function %s", hy_func_sql(s->func));
        }
        DEC_BOUND(int64_t, r);
        return true;
    }
    if (wide_r && s->func == HY_FN_MUL && na && nb) {
        /* 64x64 -> 128: exact, e.g. DECIMAL(15,2) * DECIMAL(16,2) */
        const int64_t *a = xa->data, *b = xb->data;
        hy_i128 *r = s->buf;
        HY_LOOP(sel, n, r[i] = (hy_i128)a[i] * b[i]);
        DEC_BOUND(hy_i128, r);
        return true;
    }
    if (wide_r && s->func == HY_FN_MUL && !na && nb) {
        /* 128x64 (Q1's price*(1-disc)*(1+tax)): fast when the wide side fits 64 bits */
        const hy_i128 *a = xa->data;
        const int64_t *b = xb->data;
        hy_i128 *r = s->buf;
        HY_LOOP(sel, n, ovf |= mul128_ov(a[i], b[i], &r[i]));
        DEC_BOUND(hy_i128, r);
        return true;
    }
    /* generic 128-bit path */
    if (wide_r) {
        hy_i128 *r = s->buf;
        switch (s->func) {
        case HY_FN_ADD: HY_LOOP(sel, n, ovf |= __builtin_add_overflow(dec_at(xa, i), dec_at(xb, i), &r[i])); break;
        case HY_FN_SUB: HY_LOOP(sel, n, ovf |= __builtin_sub_overflow(dec_at(xa, i), dec_at(xb, i), &r[i])); break;
        case HY_FN_MUL: HY_LOOP(sel, n, ovf |= mul128_ov(dec_at(xa, i), dec_at(xb, i), &r[i])); break;
        case HY_FN_NEG: HY_LOOP(sel, n, r[i] = -dec_at(xa, i)); break;
        case HY_FN_ABS: HY_LOOP(sel, n, { hy_i128 x = dec_at(xa, i); r[i] = x < 0 ? -x : x; }); break;
        case HY_FN_MOD: HY_LOOP(sel, n, { hy_i128 d = dec_at(xb, i); r[i] = d == 0 ? 0 : dec_at(xa, i) % d; }); break;
        default: return hy_error_set(err, HY_E_INTERNAL, "unsupported DECIMAL function %s", hy_func_sql(s->func));
        }
        DEC_BOUND(hy_i128, r);
    } else {
        int64_t *r = s->buf;
        HY_LOOP(sel, n, {
            hy_i128 t;
            ovf |= dec_row(s, i, &t) && hy_valid_get(V, i);
            r[i] = (int64_t)t;
        });
        if (ovf) return hy_xerr_range(err, s->type);
    }
    return true;
}

/* ==== Entry ====================================================================================== */

bool hy_xfunc_arith(hy_xstate *s, const uint16_t *sel, int n, int nwords, hy_error *err) {
    (void)nwords;
    switch (s->func) {
    case HY_FN_EQ:
    case HY_FN_NE:
    case HY_FN_LT:
    case HY_FN_LE:
    case HY_FN_GT:
    case HY_FN_GE:
        hy_xcmp(s->func, &s->args[0]->out, &s->args[1]->out, sel, n, s->buf);
        return true;
    default: break;
    }
    switch (hy_phys_of(s->type)) {
    case HY_P_I32:
    case HY_P_I64:
        if (s->type.id == HY_TYPE_DECIMAL) return dec_kernel(s, sel, n, err);
        return int_kernel(s, sel, n, err);
    case HY_P_I128: return dec_kernel(s, sel, n, err);
    case HY_P_F64: return f64_kernel(s, sel, n, err);
    default:
        return hy_error_set(err, HY_E_INTERNAL, "unsupported arithmetic on this type");
    }
}
