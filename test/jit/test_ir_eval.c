/* Reference evaluator unit tests: semantics checked against C written here,
 * expectations in the .hir files (worked out by hand), undefined behaviour
 * reported as errors, generated programs always well defined. */
#include <math.h>
#include <string.h>

#include "jit/ir.h"
#include "test_util.h"

static uint64_t eval2(int op, int type, uint64_t a, uint64_t b, int *rc) {
    uint8_t pt[2] = {(uint8_t)type, (uint8_t)type};
    struct hy_func *fn = hy_func_new("t", type, 2, pt);
    hy_block_new(fn);
    int r = hy_b_bin(fn, 0, op, type, 0, 1);
    hy_b_ret(fn, 0, r);
    char err[200];
    CHECK(hy_verify(fn, NULL, err, sizeof err) == 0, "%s", err);
    uint64_t args[2] = {a, b}, res = 0;
    *rc = hy_eval(fn, NULL, args, &res, NULL, NULL, err, sizeof err);
    hy_func_free(fn);
    return res;
}

/* Reference semantics written directly in C. */
static int ref64(int op, int64_t a, int64_t b, int64_t *r) {
    uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
    switch (op) {
    case HY_OP_ADD: *r = (int64_t)(ua + ub); return 0;
    case HY_OP_SUB: *r = (int64_t)(ua - ub); return 0;
    case HY_OP_MUL: *r = (int64_t)(ua * ub); return 0;
    case HY_OP_AND: *r = a & b; return 0;
    case HY_OP_OR: *r = a | b; return 0;
    case HY_OP_XOR: *r = a ^ b; return 0;
    case HY_OP_SHL: *r = (int64_t)(ua << (ub % 64)); return 0;
    case HY_OP_LSHR: *r = (int64_t)(ua >> (ub % 64)); return 0;
    case HY_OP_ASHR: *r = a >> (ub % 64); return 0;
    case HY_OP_SDIV: if (!b) return -1; *r = (a == INT64_MIN && b == -1) ? INT64_MIN : a / b; return 0;
    case HY_OP_SREM: if (!b) return -1; *r = (b == -1) ? 0 : a % b; return 0;
    case HY_OP_UDIV: if (!b) return -1; *r = (int64_t)(ua / ub); return 0;
    case HY_OP_UREM: if (!b) return -1; *r = (int64_t)(ua % ub); return 0;
    }
    return -1;
}
static int ref32(int op, int32_t a, int32_t b, int32_t *r) {
    uint32_t ua = (uint32_t)a, ub = (uint32_t)b;
    switch (op) {
    case HY_OP_ADD: *r = (int32_t)(ua + ub); return 0;
    case HY_OP_SUB: *r = (int32_t)(ua - ub); return 0;
    case HY_OP_MUL: *r = (int32_t)(ua * ub); return 0;
    case HY_OP_AND: *r = a & b; return 0;
    case HY_OP_OR: *r = a | b; return 0;
    case HY_OP_XOR: *r = a ^ b; return 0;
    case HY_OP_SHL: *r = (int32_t)(ua << (ub % 32)); return 0;
    case HY_OP_LSHR: *r = (int32_t)(ua >> (ub % 32)); return 0;
    case HY_OP_ASHR: *r = a >> (ub % 32); return 0;
    case HY_OP_SDIV: if (!b) return -1; *r = (a == INT32_MIN && b == -1) ? INT32_MIN : a / b; return 0;
    case HY_OP_SREM: if (!b) return -1; *r = (b == -1) ? 0 : a % b; return 0;
    case HY_OP_UDIV: if (!b) return -1; *r = (int32_t)(ua / ub); return 0;
    case HY_OP_UREM: if (!b) return -1; *r = (int32_t)(ua % ub); return 0;
    }
    return -1;
}

static void test_int_ops(void) {
    static const int ops[] = {HY_OP_ADD, HY_OP_SUB, HY_OP_MUL, HY_OP_AND, HY_OP_OR, HY_OP_XOR, HY_OP_SHL,
                              HY_OP_LSHR, HY_OP_ASHR, HY_OP_SDIV, HY_OP_SREM, HY_OP_UDIV, HY_OP_UREM};
    static const int64_t vals[] = {0, 1, -1, 2, -2, 3, 7, 31, 32, 63, 64, 65, -65, INT64_MAX, INT64_MIN,
                                   INT32_MAX, INT32_MIN, 0x123456789abcdefLL, -1000003};
    int nv = sizeof vals / sizeof vals[0];
    for (size_t o = 0; o < sizeof ops / sizeof ops[0]; o++)
        for (int i = 0; i < nv; i++)
            for (int j = 0; j < nv; j++) {
                int rc;
                int64_t r64 = 0;
                int e = ref64(ops[o], vals[i], vals[j], &r64);
                uint64_t got = eval2(ops[o], HY_T_I64, (uint64_t)vals[i], (uint64_t)vals[j], &rc);
                CHECK(rc == e, "%s i64 %lld %lld: rc %d", hy_op_name[ops[o]], (long long)vals[i], (long long)vals[j], rc);
                if (!e && !rc) CHECK((int64_t)got == r64, "%s i64 %lld %lld: got %lld want %lld", hy_op_name[ops[o]],
                                     (long long)vals[i], (long long)vals[j], (long long)got, (long long)r64);
                int32_t r32 = 0;
                int32_t a = (int32_t)vals[i], b = (int32_t)vals[j];
                e = ref32(ops[o], a, b, &r32);
                /* upper halves of i32 operands are garbage: pass them dirty */
                got = eval2(ops[o], HY_T_I32, (uint64_t)vals[j] << 32 | (uint32_t)a, (uint64_t)vals[i] << 32 | (uint32_t)b, &rc);
                CHECK(rc == e, "%s i32 %d %d: rc %d", hy_op_name[ops[o]], a, b, rc);
                if (!e && !rc) CHECK((int32_t)got == r32, "%s i32 %d %d: got %d want %d", hy_op_name[ops[o]], a, b, (int32_t)got, r32);
            }
}

static void test_checked(void) {
    static const int64_t vals[] = {0, 1, -1, 2, INT64_MAX, INT64_MIN, INT32_MAX, INT32_MIN, 3037000500LL, -3037000500LL};
    static const int ops[] = {HY_OP_ADDO, HY_OP_SUBO, HY_OP_MULO};
    for (int t = 0; t < 2; t++)
        for (int o = 0; o < 3; o++)
            for (int i = 0; i < 10; i++)
                for (int j = 0; j < 10; j++) {
                    int type = t ? HY_T_I64 : HY_T_I32;
                    uint8_t pt[2] = {(uint8_t)type, (uint8_t)type};
                    struct hy_func *fn = hy_func_new("c", HY_T_I64, 2, pt);
                    hy_block_new(fn);
                    hy_block_new(fn);
                    int r = hy_b_chk(fn, 0, ops[o], type, 0, 1, 1, 9, 0);
                    int w = type == HY_T_I32 ? hy_b_un(fn, 0, HY_OP_SEXT, HY_T_I64, r) : r;
                    hy_b_ret(fn, 0, w);
                    int m = hy_b_const(fn, 1, HY_T_I64, 424242);
                    hy_b_ret(fn, 1, m);
                    char err[200];
                    CHECK(hy_verify(fn, NULL, err, sizeof err) == 0, "%s", err);
                    uint64_t args[2] = {(uint64_t)vals[i], (uint64_t)vals[j]}, res;
                    struct hy_eval_stats st;
                    CHECK(hy_eval(fn, NULL, args, &res, NULL, &st, err, sizeof err) == 0, "%s", err);
                    int ovf;
                    int64_t want;
                    if (type == HY_T_I64) {
                        __int128 a = vals[i], b = vals[j], x = ops[o] == HY_OP_ADDO ? a + b : ops[o] == HY_OP_SUBO ? a - b : a * b;
                        ovf = x > INT64_MAX || x < INT64_MIN;
                        want = (int64_t)x;
                    } else {
                        int64_t a = (int32_t)vals[i], b = (int32_t)vals[j], x = ops[o] == HY_OP_ADDO ? a + b : ops[o] == HY_OP_SUBO ? a - b : a * b;
                        ovf = x > INT32_MAX || x < INT32_MIN;
                        want = x;
                    }
                    if (ovf) CHECK(res == 424242 && st.exits_taken == 1 && st.last_exit_guard_id == 9, "%s overflow not taken", hy_op_name[ops[o]]);
                    else CHECK((int64_t)res == want, "%s %d %d: got %lld want %lld", hy_op_name[ops[o]], i, j, (long long)res, (long long)want);
                    /* with the guard NOP-ed, the wrapped value comes out */
                    uint32_t dis = 9;
                    struct hy_eval_opts eo = {0};
                    eo.disabled = &dis;
                    eo.ndisabled = 1;
                    CHECK(hy_eval(fn, NULL, args, &res, &eo, NULL, err, sizeof err) == 0, "%s", err);
                    int64_t wrapped = type == HY_T_I64 ? want : (int64_t)(int32_t)(uint32_t)(uint64_t)want;
                    CHECK((int64_t)res == wrapped, "%s disabled: got %lld want %lld", hy_op_name[ops[o]], (long long)res, (long long)wrapped);
                    hy_func_free(fn);
                }
}

static void test_fcmp(void) {
    double nan = __builtin_nan("");
    const double pairs[][2] = {{1, 2}, {2, 1}, {1, 1}, {nan, 1}, {1, nan}, {nan, nan}, {-0.0, 0.0}};
    for (int c = 0; c < HY_FC__COUNT; c++)
        for (int p = 0; p < 7; p++) {
            double a = pairs[p][0], b = pairs[p][1];
            int un = a != a || b != b, want = 0;
            switch (c) {
            case HY_FC_OEQ: want = !un && a == b; break;
            case HY_FC_ONE: want = !un && (a < b || a > b); break;
            case HY_FC_OLT: want = a < b; break;
            case HY_FC_OLE: want = a <= b; break;
            case HY_FC_OGT: want = a > b; break;
            case HY_FC_OGE: want = a >= b; break;
            case HY_FC_ORD: want = !un; break;
            case HY_FC_UEQ: want = un || a == b; break;
            case HY_FC_UNE: want = a != b; break;
            case HY_FC_ULT: want = !(a >= b); break;
            case HY_FC_ULE: want = !(a > b); break;
            case HY_FC_UGT: want = !(a <= b); break;
            case HY_FC_UGE: want = !(a < b); break;
            case HY_FC_UNO: want = un; break;
            }
            uint8_t pt[2] = {HY_T_F64, HY_T_F64};
            struct hy_func *fn = hy_func_new("fc", HY_T_I32, 2, pt);
            hy_block_new(fn);
            hy_b_ret(fn, 0, hy_b_fcmp(fn, 0, c, 0, 1));
            uint64_t args[2], res;
            memcpy(&args[0], &a, 8);
            memcpy(&args[1], &b, 8);
            char err[200];
            CHECK(hy_eval(fn, NULL, args, &res, NULL, NULL, err, sizeof err) == 0, "%s", err);
            CHECK((int)res == want, "fcmp.%s %g %g: got %d", hy_fcond_name[c], a, b, (int)res);
            hy_func_free(fn);
        }
}

static void test_memory(void) {
    uint8_t buf[32];
    for (int i = 0; i < 32; i++) buf[i] = (uint8_t)(0x80 + i);
    static const struct { int mem, type; int64_t want; } loads[] = {
        {HY_M_I8, HY_T_I64, -128 + 4}, {HY_M_U8, HY_T_I64, 0x84}, {HY_M_I16, HY_T_I64, (int16_t)0x8584},
        {HY_M_U16, HY_T_I32, 0x8584}, {HY_M_I32, HY_T_I64, (int32_t)0x87868584}, {HY_M_U32, HY_T_I64, 0x87868584LL},
        {HY_M_I64, HY_T_I64, (int64_t)0x8b8a898887868584ULL},
    };
    for (size_t k = 0; k < sizeof loads / sizeof loads[0]; k++) {
        uint8_t pt[2] = {HY_T_PTR, HY_T_I64};
        struct hy_func *fn = hy_func_new("ld", loads[k].type, 2, pt);
        hy_block_new(fn);
        /* address = p + idx*2 + 2 with idx = 1 -> offset 4 */
        hy_b_ret(fn, 0, hy_b_load(fn, 0, loads[k].type, loads[k].mem, 0, 1, 2, 2));
        uint64_t args[2] = {(uint64_t)(uintptr_t)buf, 1}, res;
        char err[200];
        CHECK(hy_verify(fn, NULL, err, sizeof err) == 0, "%s", err);
        CHECK(hy_eval(fn, NULL, args, &res, NULL, NULL, err, sizeof err) == 0, "%s", err);
        int64_t got = loads[k].type == HY_T_I32 ? (int32_t)res : (int64_t)res;
        CHECK(got == loads[k].want, "load.%s: got %llx want %llx", hy_mem_name[loads[k].mem], (long long)got, (long long)loads[k].want);
        hy_func_free(fn);
    }
    /* narrow stores write only their bytes; negative displacement */
    static const int sm[] = {HY_M_I8, HY_M_I16, HY_M_I32, HY_M_I64};
    for (int k = 0; k < 4; k++) {
        uint8_t mem[24];
        memset(mem, 0xEE, sizeof mem);
        uint8_t pt[2] = {HY_T_PTR, HY_T_I64};
        struct hy_func *fn = hy_func_new("st", HY_T_VOID, 2, pt);
        hy_block_new(fn);
        hy_b_store(fn, 0, sm[k], 0, HY_NONE, 1, -8, 1);
        hy_b_ret(fn, 0, HY_NONE);
        uint64_t args[2] = {(uint64_t)(uintptr_t)(mem + 16), 0x0102030405060708ULL}, res;
        char err[200];
        CHECK(hy_verify(fn, NULL, err, sizeof err) == 0, "%s", err);
        CHECK(hy_eval(fn, NULL, args, &res, NULL, NULL, err, sizeof err) == 0, "%s", err);
        int n = hy_mem_size[sm[k]];
        uint64_t v = 0x0102030405060708ULL;
        for (int i = 0; i < 24; i++) {
            int in = i >= 8 && i < 8 + n;
            uint8_t want = in ? (uint8_t)(v >> (8 * (i - 8))) : 0xEE; /* little-endian hosts */
            CHECK(mem[i] == want, "store.%s byte %d: %02x want %02x", hy_mem_name[sm[k]], i, mem[i], want);
        }
        hy_func_free(fn);
    }
}

static void test_conversions(void) {
    static const struct { double in; int64_t want; } cv[] = {
        {0.0, 0}, {-0.0, 0}, {1.99, 1}, {-1.99, -1}, {9.3e18, INT64_MAX}, {-9.3e18, INT64_MIN},
        {9223372036854775807.0, INT64_MAX}, {-9223372036854775808.0, INT64_MIN}, {1e300, INT64_MAX},
    };
    for (size_t k = 0; k < sizeof cv / sizeof cv[0] + 3; k++) {
        double in = k < sizeof cv / sizeof cv[0] ? cv[k].in : k == sizeof cv / sizeof cv[0] ? __builtin_nan("") : k % 2 ? __builtin_inf() : -__builtin_inf();
        int64_t want = k < sizeof cv / sizeof cv[0] ? cv[k].want : in != in ? 0 : in > 0 ? INT64_MAX : INT64_MIN;
        uint8_t pt[1] = {HY_T_F64};
        struct hy_func *fn = hy_func_new("cv", HY_T_I64, 1, pt);
        hy_block_new(fn);
        hy_b_ret(fn, 0, hy_b_un(fn, 0, HY_OP_FPTOSI, HY_T_I64, 0));
        uint64_t a, res;
        memcpy(&a, &in, 8);
        char err[200];
        CHECK(hy_eval(fn, NULL, &a, &res, NULL, NULL, err, sizeof err) == 0, "%s", err);
        CHECK((int64_t)res == want, "fptosi(%g) = %lld, want %lld", in, (long long)res, (long long)want);
        hy_func_free(fn);
    }
    /* sext/zext/trunc/sitofp */
    uint8_t pt[1] = {HY_T_I32};
    struct hy_func *fn = hy_func_new("ext", HY_T_I64, 1, pt);
    hy_block_new(fn);
    int s = hy_b_un(fn, 0, HY_OP_SEXT, HY_T_I64, 0), z = hy_b_un(fn, 0, HY_OP_ZEXT, HY_T_I64, 0);
    hy_b_ret(fn, 0, hy_b_bin(fn, 0, HY_OP_SUB, HY_T_I64, z, s));
    uint64_t a = 0xdeadbeef00000000ULL | 0xFFFFFFFEu, res; /* -2 with garbage above */
    char err[200];
    CHECK(hy_eval(fn, NULL, &a, &res, NULL, NULL, err, sizeof err) == 0, "%s", err);
    CHECK(res == 0x100000000ULL, "zext - sext of -2: %llx", (unsigned long long)res);
    hy_func_free(fn);
}

static void test_errors(void) {
    char err[200];
    int rc;
    eval2(HY_OP_SDIV, HY_T_I64, 5, 0, &rc);
    CHECK(rc != 0, "division by zero not reported");
    /* an endless loop hits the step limit */
    const char *src = "func @spin(%0:i64) -> i64 {\nbb0:\n  br bb0\n}\n";
    struct hy_func *fn = hy_parse_func(src, strlen(src), NULL, err, sizeof err);
    CHECK(fn != NULL, "%s", err);
    struct hy_eval_opts o = {0};
    o.max_steps = 1000;
    uint64_t a = 0, res;
    CHECK(hy_eval(fn, NULL, &a, &res, &o, NULL, err, sizeof err) != 0 && strstr(err, "step limit"), "step limit: %s", err);
    hy_func_free(fn);
}

static void test_calls(void) {
    const char *src = "func @c(%0:i64, %1:f64) -> i64 {\nbb0:\n  %2:i64 = call @mix3(%0, %0, %0)\n"
                      "  %3:f64 = call @fmix(%1, %2)\n  %4:i64 = fptosi %3\n  call @sink(%4)\n  ret %4\n}\n";
    char err[200];
    struct hy_func *fn = hy_parse_func(src, strlen(src), t_helpers(), err, sizeof err);
    CHECK(fn && hy_verify(fn, t_helpers(), err, sizeof err) == 0, "%s", err);
    if (!fn) return;
    double x = 10.0;
    uint64_t args[2] = {5, 0}, res;
    memcpy(&args[1], &x, 8);
    t_state.side = 0;
    CHECK(hy_eval(fn, t_helpers(), args, &res, NULL, NULL, err, sizeof err) == 0, "%s", err);
    int64_t m = (int64_t)((5u * 31u + 5u) ^ 5u);
    int64_t want = (int64_t)(10.0 * 0.5 + (double)(m & 1023));
    CHECK((int64_t)res == want, "calls: got %lld want %lld", (long long)res, (long long)want);
    CHECK(t_state.side == (uint64_t)want, "sink saw %llu", (unsigned long long)t_state.side);
    hy_func_free(fn);
}

static void test_files(const char *dir) {
    char **names;
    int n = t_list_hir(dir, &names), total = 0;
    for (int i = 0; i < n; i++) {
        size_t len;
        char *src = t_read_file(names[i], &len);
        char err[256];
        struct hy_func *fn = src ? hy_parse_func(src, len, t_helpers(), err, sizeof err) : NULL;
        CHECK(fn != NULL, "%s: %s", names[i], src ? err : "unreadable");
        if (fn) {
            struct t_expect ex[16];
            int ne = t_parse_expects(src, fn, ex, 16);
            CHECK(ne >= 0, "%s: bad expect line", names[i]);
            for (int k = 0; k < ne; k++) {
                uint64_t res;
                CHECK(hy_eval(fn, t_helpers(), ex[k].args, &res, NULL, NULL, err, sizeof err) == 0, "%s: %s", names[i], err);
                CHECK(t_same(fn->ret, res, ex[k].result), "%s expect #%d: got %llx want %llx", names[i], k + 1,
                      (unsigned long long)res, (unsigned long long)ex[k].result);
                total++;
            }
            hy_func_free(fn);
        }
        free(src);
        free(names[i]);
    }
    free(names);
    CHECK(total >= 20, "only %d expectations found", total);
}

/* Every generated program is well defined: it runs without an evaluator error. */
static void test_generated(int count) {
    uint8_t mem[256];
    int completed = 0, exited = 0;
    for (int i = 0; i < count; i++) {
        struct hy_gen_opts o = {0};
        o.seed = 77 + (uint64_t)i;
        o.mem_bytes = sizeof mem;
        o.use_f64 = o.use_calls = o.use_guards = o.use_loops = 1;
        o.helpers = t_helpers();
        struct hy_func *fn = hy_gen_func(&o);
        CHECK(fn != NULL, "gen %d", i);
        if (!fn) continue;
        uint64_t args[HY_MAX_ARGS] = {(uint64_t)(uintptr_t)mem}, res;
        for (uint32_t p = 1; p < fn->nparams; p++) args[p] = (uint64_t)i * 0x9e3779b97f4a7c15ull >> (p * 3);
        memset(mem, i, sizeof mem);
        char err[256];
        struct hy_eval_stats st;
        CHECK(hy_eval(fn, t_helpers(), args, &res, NULL, &st, err, sizeof err) == 0, "gen %d: %s", i, err);
        if (st.exits_taken) exited++;
        else completed++;
        hy_func_free(fn);
    }
    printf("generated: %d ran to the end, %d left through a guard exit\n", completed, exited);
    CHECK(completed > count / 5 && exited > count / 20, "generator balance off: %d / %d", completed, exited);
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "hir";
    test_int_ops();
    test_checked();
    test_fcmp();
    test_memory();
    test_conversions();
    test_errors();
    test_calls();
    test_files(dir);
    test_generated(t_env_soak() ? 20000 : 1000);
    if (t_failures) {
        fprintf(stderr, "test_ir_eval: %d failure(s)\n", t_failures);
        return 1;
    }
    printf("test_ir_eval: ok\n");
    return 0;
}
