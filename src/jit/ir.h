/* Hyperion JIT IR: typed, virtual registers, basic blocks.
 *
 * This header is the manual of the IR. Everything that lists opcodes, types,
 * conditions or guard kinds (printer, parser, verifier, evaluator, backends)
 * is generated from the X-macro lists below.
 *
 * ---------------------------------------------------------------------------
 * Values and types
 *   i32, i64, f64, ptr. ptr is a 64-bit integer: wherever i64 is accepted, ptr
 *   is accepted too and vice versa (same width class). i32/i64/ptr live in
 *   general-purpose registers, f64 in floating-point registers.
 *   An i32 held in a 64-bit register has UNSPECIFIED upper 32 bits: every
 *   operation on i32 reads only the low 32 bits; sext/zext make them explicit.
 *
 * Virtual registers (vregs)
 *   Dense ids 0..nvregs-1, each with one fixed type. NOT SSA: a vreg may be
 *   assigned in several places (loops carry values that way; there are no
 *   phis). Params are vregs 0..nparams-1, defined on entry. The verifier
 *   requires every use to be definitely assigned on every path from entry.
 *
 * Blocks
 *   Block 0 is the entry. Every block ends with exactly one terminator
 *   (br, condbr, ret) and has no other terminator. Guards and checked
 *   arithmetic are not terminators: they fall through when not taken.
 *   Blocks are laid out in index order; builders put cold exits last.
 *
 * Operands are vregs only (constants come from `const`). Instruction fields:
 *   dst      result vreg or HY_NONE
 *   a, b, c  operand vregs or HY_NONE
 *   imm      const: the value's bits (f64 as IEEE bits); load/store: disp
 *            (int32 range); call: helper index
 *   cc       icmp/fcmp: condition; guard: guard condition;
 *            load/store: memory kind (enum hy_mem)
 *   kind     guard kind (guard, addo/subo/mulo: always HY_GK_OVERFLOW)
 *   scale    load/store: 1, 2, 4 or 8
 *   t1, t2   br: t1; condbr: t1 when a != 0, t2 when a == 0;
 *            guard/addo/subo/mulo: t1 = exit block
 *   guard_id, counter   guard metadata copied into the patch-site table
 *   args     call arguments (nargs of them)
 *
 * Semantics (the reference evaluator ir_eval.c is normative; backends match it)
 *   const   dst = imm
 *   mov     dst = a                          (same class; i64/ptr mix allowed)
 *   add sub mul and or xor                   wrap modulo 2^width
 *   sdiv srem udiv urem                      divisor 0 is UNDEFINED: the
 *           evaluator reports an error, generated/lowered IR must guard it
 *           with a div_zero guard. sdiv MIN/-1 = MIN and srem MIN/-1 = 0
 *           (defined! the x86-64 backend must avoid the #DE trap).
 *           Division truncates toward zero; srem has the sign of a.
 *           Unguarded divisor 0 never traps natively: both backends give
 *           x / 0 = 0 and x % 0 = x (AArch64's sdiv/udiv + msub; x86-64 tests
 *           the divisor before idiv/div). The evaluator still reports it as an
 *           error (it is the oracle for UB), so differential tests only run
 *           guarded divisions; do not rely on the native value.
 *   shl lshr ashr                            amount taken modulo width
 *   neg not                                  unary integer (a)
 *   fadd fsub fmul fdiv fneg                 IEEE binary64, round to nearest.
 *           NaN results: sign and payload are UNSPECIFIED (x86-64 SSE makes
 *           the negative default NaN 0xFFF8..., AArch64 the positive
 *           0x7FF8..., and propagation of input payloads differs); only
 *           isnan() of a result is defined. The evaluator, the tool and the
 *           differential tests compare NaNs with isnan only, never bitwise.
 *   addo subo mulo  dst = a op b (i32/i64); on signed overflow the exit t1 is
 *           taken after dst is assigned the WRAPPED result (what add/sub/mul
 *           would give). The overflow branch is the guard's patch site.
 *   icmp.cc a, b -> i32 0/1                  a, b int (i32, or i64/ptr)
 *   fcmp.cc a, b -> i32 0/1                  o* false on NaN, u* true on NaN
 *   select  dst = (a != 0) ? b : c           a int, b/c of dst's type
 *   sext zext   i32 -> i64;  trunc  i64 -> i32
 *   sitofp  i32 or i64 -> f64
 *   fptosi  f64 -> i64, SATURATING: NaN -> 0, >= 2^63 -> INT64_MAX,
 *           <= -2^63 -> INT64_MIN, otherwise truncation toward zero.
 *   bitcast i64 <-> f64 (raw bits)
 *   load.m  dst = *(m *)(a + b*scale + imm)  (b optional). Narrow kinds
 *           extend to dst's type: i8/i16/i32 sign-extend, u8/u16/u32 zero-
 *           extend; dst is i32 or i64 for narrow kinds, i64/ptr for i64/ptr,
 *           f64 for f64. Address = base + index*scale + disp computed mod 2^64.
 *   store.m *(m *)(a + b*scale + imm) = c    narrow kinds store the low bits;
 *           m in i8 i16 i32 i64 f64 ptr (u8/u16/u32 are accepted as aliases
 *           of i8/i16/i32 by the parser).
 *   call    dst = helper[imm](args...)       up to 6 int + 4 f64 args, one
 *           result or void; signature checked against the helper table.
 *   guard.kind cc a[, b] -> t1               exit to t1 when the condition
 *           holds: cc is eqz/nez (a only) or an icmp condition (a, b).
 *   br t1; condbr a, t1, t2; ret [a]
 *
 * Guards
 *   A guard is a conditional branch to a cold exit block. The exit block is
 *   ordinary IR (it typically returns a status value). The backend emits the
 *   branch as ONE instruction (x86-64 jcc rel8/rel32, ARM64 CBZ/CBNZ/B.cond)
 *   and records it as a patch site: offset, length, original bytes and the
 *   NOP of the same length. A NOP-ed guard never exits; the evaluator models
 *   that with hy_eval_opts.disabled (by guard id).
 *
 * Text form (ir_text.c), one function per file (.hir):
 *   ; comment
 *   func @name(%0:i64, %1:ptr) -> i64 {     ("-> void" or omitted: no result)
 *   bb0:
 *     %2:i64 = const 42                     (f64: 1.5, -0, inf, nan, or
 *                                             f64bits 0x7ff8000000000001)
 *     %3:i64 = add %0, %2
 *     %4:i32 = icmp.slt %0, %3
 *     %5:i64 = load.i32 [%1 + %0*4 + 8]
 *     store.i64 [%1 - 8], %3
 *     %6:i64 = call @name(%0, %3)           call @name()   (void)
 *     %7:i64 = addo %0, %3 -> bb2 id=1 ctr=0
 *     guard.bounds uge %0, %3 -> bb2 id=2 ctr=1
 *     guard.null eqz %1 -> bb2 id=3 ctr=2
 *     condbr %4, bb1, bb2
 *   bb1:
 *     ret %3
 *   bb2:
 *     ...
 *   }
 *   Block labels are any identifier; the printer writes bb<index>. Comments
 *   run from ';' or '#' to the end of the line. `decl %N:type` (before the
 *   first label) gives a type to a vreg that is never assigned. Parameters
 *   must be %0, %1, ... in order.
 */
#ifndef HY_JIT_IR_H
#define HY_JIT_IR_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define HY_NONE (-1)
#define HY_MAX_INT_ARGS 6  /* per call and per function */
#define HY_MAX_F64_ARGS 4
#define HY_MAX_ARGS (HY_MAX_INT_ARGS + HY_MAX_F64_ARGS)
/* Size limit of a compilable function: liveness keeps a bit per (block, vreg)
 * pair; beyond this the verifier refuses (split the function or interpret it). */
#define HY_MAX_LIVENESS_BITS (1ull << 29)

/* ---- types: _(ENUM, "text", bytes) ---- */
#define HY_TYPES(_) \
    _(VOID, "void", 0) \
    _(I32, "i32", 4) \
    _(I64, "i64", 8) \
    _(F64, "f64", 8) \
    _(PTR, "ptr", 8)

enum hy_type {
#define HY_T_ENUM(e, s, n) HY_T_##e,
    HY_TYPES(HY_T_ENUM)
#undef HY_T_ENUM
    HY_T__COUNT
};

/* ---- memory kinds for load/store: _(ENUM, "text", bytes, signed, is_float) ---- */
#define HY_MEMS(_) \
    _(I8, "i8", 1, 1, 0) \
    _(U8, "u8", 1, 0, 0) \
    _(I16, "i16", 2, 1, 0) \
    _(U16, "u16", 2, 0, 0) \
    _(I32, "i32", 4, 1, 0) \
    _(U32, "u32", 4, 0, 0) \
    _(I64, "i64", 8, 1, 0) \
    _(F64, "f64", 8, 0, 1) \
    _(PTR, "ptr", 8, 0, 0)

enum hy_mem {
#define HY_M_ENUM(e, s, n, sg, f) HY_M_##e,
    HY_MEMS(HY_M_ENUM)
#undef HY_M_ENUM
    HY_M__COUNT
};

/* ---- integer conditions (icmp, guards): _(ENUM, "text") ---- */
#define HY_ICONDS(_) \
    _(EQ, "eq") _(NE, "ne") \
    _(SLT, "slt") _(SLE, "sle") _(SGT, "sgt") _(SGE, "sge") \
    _(ULT, "ult") _(ULE, "ule") _(UGT, "ugt") _(UGE, "uge") \
    _(EQZ, "eqz") _(NEZ, "nez")  /* guards only: single operand vs zero */

enum hy_icond {
#define HY_IC_ENUM(e, s) HY_IC_##e,
    HY_ICONDS(HY_IC_ENUM)
#undef HY_IC_ENUM
    HY_IC__COUNT
};

/* ---- float conditions (fcmp): ordered (false on NaN) and unordered (true) ---- */
#define HY_FCONDS(_) \
    _(OEQ, "oeq") _(ONE, "one") _(OLT, "olt") _(OLE, "ole") \
    _(OGT, "ogt") _(OGE, "oge") _(ORD, "ord") \
    _(UEQ, "ueq") _(UNE, "une") _(ULT, "ult") _(ULE, "ule") \
    _(UGT, "ugt") _(UGE, "uge") _(UNO, "uno")

enum hy_fcond {
#define HY_FC_ENUM(e, s) HY_FC_##e,
    HY_FCONDS(HY_FC_ENUM)
#undef HY_FC_ENUM
    HY_FC__COUNT
};

/* ---- guard kinds: _(ENUM, "text") ---- */
#define HY_GUARD_KINDS(_) \
    _(NULL, "null") \
    _(OVERFLOW, "overflow") \
    _(DIV_ZERO, "div_zero") \
    _(BOUNDS, "bounds") \
    _(RANGE, "range") \
    _(TYPE, "type") \
    _(GENERIC, "generic")

enum hy_guard_kind {
#define HY_GK_ENUM(e, s) HY_GK_##e,
    HY_GUARD_KINDS(HY_GK_ENUM)
#undef HY_GK_ENUM
    HY_GK__COUNT
};

/* ---- opcodes: _(ENUM, "text", class) ----
 * Classes (enum hy_opclass) drive the parser, printer, verifier and liveness:
 *   CONST   dst = imm
 *   UN      dst = op a                 (mov, neg, not, fneg, conversions)
 *   BIN     dst = a op b
 *   CHK     dst = a op b, exit t1 on overflow (guard metadata)
 *   CMP     dst = a cc b               (cc = icond or fcond)
 *   SEL     dst = a ? b : c
 *   LOAD    dst = [a + b*scale + imm]  (cc = mem kind)
 *   STORE   [a + b*scale + imm] = c    (cc = mem kind)
 *   CALL    dst? = helper imm (args)
 *   GUARD   exit t1 when cc(a[, b])
 *   BR/CONDBR/RET terminators */
enum hy_opclass {
    HY_OC_CONST, HY_OC_UN, HY_OC_BIN, HY_OC_CHK, HY_OC_CMP, HY_OC_SEL,
    HY_OC_LOAD, HY_OC_STORE, HY_OC_CALL, HY_OC_GUARD,
    HY_OC_BR, HY_OC_CONDBR, HY_OC_RET
};

#define HY_OPS(_) \
    _(CONST, "const", CONST) \
    _(MOV, "mov", UN) \
    _(ADD, "add", BIN) \
    _(SUB, "sub", BIN) \
    _(MUL, "mul", BIN) \
    _(SDIV, "sdiv", BIN) \
    _(SREM, "srem", BIN) \
    _(UDIV, "udiv", BIN) \
    _(UREM, "urem", BIN) \
    _(AND, "and", BIN) \
    _(OR, "or", BIN) \
    _(XOR, "xor", BIN) \
    _(SHL, "shl", BIN) \
    _(LSHR, "lshr", BIN) \
    _(ASHR, "ashr", BIN) \
    _(NEG, "neg", UN) \
    _(NOT, "not", UN) \
    _(FADD, "fadd", BIN) \
    _(FSUB, "fsub", BIN) \
    _(FMUL, "fmul", BIN) \
    _(FDIV, "fdiv", BIN) \
    _(FNEG, "fneg", UN) \
    _(ADDO, "addo", CHK) \
    _(SUBO, "subo", CHK) \
    _(MULO, "mulo", CHK) \
    _(ICMP, "icmp", CMP) \
    _(FCMP, "fcmp", CMP) \
    _(SELECT, "select", SEL) \
    _(SEXT, "sext", UN) \
    _(ZEXT, "zext", UN) \
    _(TRUNC, "trunc", UN) \
    _(SITOFP, "sitofp", UN) \
    _(FPTOSI, "fptosi", UN) \
    _(BITCAST, "bitcast", UN) \
    _(LOAD, "load", LOAD) \
    _(STORE, "store", STORE) \
    _(CALL, "call", CALL) \
    _(GUARD, "guard", GUARD) \
    _(BR, "br", BR) \
    _(CONDBR, "condbr", CONDBR) \
    _(RET, "ret", RET)

enum hy_opcode {
#define HY_OP_ENUM(e, s, c) HY_OP_##e,
    HY_OPS(HY_OP_ENUM)
#undef HY_OP_ENUM
    HY_OP__COUNT
};

/* Name tables (ir.c), indexed by the enums above. */
extern const char *const hy_type_name[HY_T__COUNT];
extern const uint8_t hy_type_size[HY_T__COUNT];
extern const char *const hy_mem_name[HY_M__COUNT];
extern const uint8_t hy_mem_size[HY_M__COUNT];
extern const uint8_t hy_mem_signed[HY_M__COUNT];
extern const char *const hy_icond_name[HY_IC__COUNT];
extern const char *const hy_fcond_name[HY_FC__COUNT];
extern const char *const hy_guard_kind_name[HY_GK__COUNT];
extern const char *const hy_op_name[HY_OP__COUNT];
extern const uint8_t hy_op_class[HY_OP__COUNT];

static inline int hy_type_is_int(int t) { return t == HY_T_I32 || t == HY_T_I64 || t == HY_T_PTR; }
/* Same register width class: i64 and ptr are interchangeable. */
static inline int hy_type_compat(int a, int b) {
    return a == b || ((a == HY_T_I64 || a == HY_T_PTR) && (b == HY_T_I64 || b == HY_T_PTR));
}

/* ---- instructions, blocks, functions ---- */
struct hy_ins {
    uint8_t op;       /* enum hy_opcode */
    uint8_t type;     /* dst type; store: type of c; others HY_T_VOID */
    uint8_t cc;       /* icond / fcond / mem kind, see above */
    uint8_t kind;     /* guard kind for GUARD and CHK */
    uint8_t scale;    /* load/store: 1, 2, 4, 8 */
    uint8_t nargs;    /* call */
    int32_t dst;
    int32_t a, b, c;
    int64_t imm;
    uint32_t t1, t2;
    uint32_t guard_id, counter;
    int32_t args[HY_MAX_ARGS];
};

struct hy_block {
    struct hy_ins *ins;
    uint32_t n, cap;
};

struct hy_func {
    char name[64];
    uint8_t ret;                       /* enum hy_type, HY_T_VOID = none */
    uint8_t nparams;                   /* params are vregs 0..nparams-1 */
    uint8_t *vtype;                    /* per vreg type */
    uint32_t nvregs, vcap;
    struct hy_block *blocks;
    uint32_t nblocks, bcap;
    int failed;                        /* sticky: allocation failure in builder */
    char err[160];
};

/* ---- runtime helpers callable from JIT code ----
 * A helper is an ordinary C function taking its int args (i32/i64/ptr) and
 * f64 args in declaration order per class, as the platform ABI assigns them
 * (ints to integer registers, f64 to FP registers), returning ret. */
struct hy_helper {
    const char *name;
    void *addr;
    uint8_t ret;                  /* enum hy_type */
    uint8_t nargs;
    uint8_t arg[HY_MAX_ARGS];     /* enum hy_type */
};

struct hy_helpers {
    const struct hy_helper *v;
    uint32_t n;
};

/* ---- builder (ir.c). On allocation failure fn->failed is set (sticky) and
 * the functions return HY_NONE / NULL; check with hy_func_ok(). ---- */
struct hy_func *hy_func_new(const char *name, int ret_type, int nparams, const uint8_t *param_types);
void hy_func_free(struct hy_func *fn);
int hy_func_ok(const struct hy_func *fn);
int hy_vreg_new(struct hy_func *fn, int type);
int hy_block_new(struct hy_func *fn);
void hy_ins_init(struct hy_ins *ins, int op); /* zero + all vreg fields HY_NONE */
struct hy_ins *hy_append(struct hy_func *fn, uint32_t blk, const struct hy_ins *ins);
size_t hy_func_ins_count(const struct hy_func *fn);
struct hy_func *hy_func_clone(const struct hy_func *fn);
/* 0 if equal (same blocks, instructions, vreg types); else 1 and why. */
int hy_func_equal(const struct hy_func *x, const struct hy_func *y, char *why, size_t cap);

/* Convenience emitters: return the new dst vreg (or HY_NONE). */
int hy_b_const(struct hy_func *fn, uint32_t blk, int type, int64_t bits);
int hy_b_const_f64(struct hy_func *fn, uint32_t blk, double v);
int hy_b_un(struct hy_func *fn, uint32_t blk, int op, int type, int a);
int hy_b_bin(struct hy_func *fn, uint32_t blk, int op, int type, int a, int b);
int hy_b_chk(struct hy_func *fn, uint32_t blk, int op, int type, int a, int b,
             uint32_t exit_blk, uint32_t guard_id, uint32_t counter);
int hy_b_icmp(struct hy_func *fn, uint32_t blk, int cc, int a, int b);
int hy_b_fcmp(struct hy_func *fn, uint32_t blk, int cc, int a, int b);
int hy_b_select(struct hy_func *fn, uint32_t blk, int type, int cond, int a, int b);
int hy_b_load(struct hy_func *fn, uint32_t blk, int type, int mem, int base, int index, int scale, int32_t disp);
void hy_b_store(struct hy_func *fn, uint32_t blk, int mem, int base, int index, int scale, int32_t disp, int val);
/* ret_type HY_T_VOID: no dst, returns HY_NONE. */
int hy_b_call(struct hy_func *fn, uint32_t blk, int ret_type, uint32_t helper, int nargs, const int *args);
void hy_b_guard(struct hy_func *fn, uint32_t blk, int kind, int cc, int a, int b,
                uint32_t exit_blk, uint32_t guard_id, uint32_t counter);
void hy_b_br(struct hy_func *fn, uint32_t blk, uint32_t target);
void hy_b_condbr(struct hy_func *fn, uint32_t blk, int cond, uint32_t t_true, uint32_t t_false);
void hy_b_ret(struct hy_func *fn, uint32_t blk, int val);  /* val HY_NONE for void */
/* Assign to an existing vreg (non-SSA): mov dst <- a. */
void hy_b_mov_to(struct hy_func *fn, uint32_t blk, int dst, int a);

/* Operand iteration (used by liveness, verifier, backends): writes the used
 * vregs of ins into uses[] (max HY_MAX_ARGS + 3) and returns their count. */
static inline int hy_ins_uses(const struct hy_ins *ins, int32_t *uses) {
    int n = 0, cls = hy_op_class[ins->op];
    if (cls == HY_OC_CALL) {
        for (int i = 0; i < ins->nargs; i++) uses[n++] = ins->args[i];
        return n;
    }
    if (cls == HY_OC_CONST || cls == HY_OC_BR) return 0;
    if (ins->a != HY_NONE) uses[n++] = ins->a;
    if (ins->b != HY_NONE) uses[n++] = ins->b;
    if (ins->c != HY_NONE) uses[n++] = ins->c;
    return n;
}
static inline int hy_ins_is_term(const struct hy_ins *ins) {
    int c = hy_op_class[ins->op];
    return c == HY_OC_BR || c == HY_OC_CONDBR || c == HY_OC_RET;
}
/* Number of successors and their block ids (terminators, guards, CHK). */
static inline int hy_ins_succs(const struct hy_ins *ins, uint32_t *succ) {
    int c = hy_op_class[ins->op];
    if (c == HY_OC_BR || c == HY_OC_GUARD || c == HY_OC_CHK) {
        succ[0] = ins->t1;
        return 1;
    }
    if (c == HY_OC_CONDBR) {
        succ[0] = ins->t1;
        succ[1] = ins->t2;
        return 2;
    }
    return 0;
}

/* Verifier: 0 if fn is well formed for the given helper table (may be
 * NULL if fn has no calls); else -1 with "bbN:I: message" in err. */
int hy_verify(const struct hy_func *fn, const struct hy_helpers *helpers, char *err, size_t cap);

/* ---- text form (ir_text.c) ---- */
int hy_print_func(FILE *out, const struct hy_func *fn, const struct hy_helpers *helpers);
/* Print into a malloc'ed string (caller frees); NULL on OOM. */
char *hy_print_func_str(const struct hy_func *fn, const struct hy_helpers *helpers);
void hy_print_ins(FILE *out, const struct hy_func *fn, const struct hy_ins *ins, const struct hy_helpers *helpers);
/* Parse one function. Helper names resolve in helpers (may be NULL). On
 * error: NULL and "LINE:COL: message" in err. The result is NOT verified. */
struct hy_func *hy_parse_func(const char *src, size_t len, const struct hy_helpers *helpers,
                              char *err, size_t cap);

/* ---- reference evaluator (ir_eval.c): the oracle ----
 * Values are raw 64-bit patterns (f64 as IEEE bits, i32 in the low half).
 * Loads and stores access host memory directly, so pass real pointers
 * (or set check_mem and the valid ranges in hy_eval_opts).
 * Helpers are called through their addresses. */
struct hy_mem_range {
    uint64_t lo, hi;                  /* valid bytes [lo, hi) */
};
struct hy_eval_opts {
    uint64_t max_steps;               /* 0 = default (10^8) */
    /* guard ids whose site is NOP-ed (never exit); may be NULL */
    const uint32_t *disabled;
    uint32_t ndisabled;
    /* Bounds checking (tools running untrusted .hir text): when check_mem
     * is set, every load/store must lie entirely inside one of the nmem
     * ranges, else hy_eval fails with "bbB:I: load of N bytes at 0x...
     * is outside every known buffer" (no memory is touched). */
    int check_mem;
    const struct hy_mem_range *mem;
    uint32_t nmem;
};
struct hy_eval_stats {
    uint64_t steps;
    uint32_t exits_taken;             /* guard and CHK exits taken */
    uint32_t last_exit_guard_id;
};
/* 0 on success (result bits in *result, 0 for void), -1 with err on
 * undefined behaviour (division by zero, use of unassigned vreg, step limit). */
int hy_eval(const struct hy_func *fn, const struct hy_helpers *helpers, const uint64_t *args,
            uint64_t *result, const struct hy_eval_opts *opts, struct hy_eval_stats *stats,
            char *err, size_t cap);

/* ---- constant blinding (ir_blind.c) ----
 * A copy of fn in which every constant outside [-128, 127] (and every nonzero
 * f64) is computed as (K^R) xor R with a fresh R, so attacker-chosen constants
 * never appear as immediates in executable memory. NULL when out of memory. */
struct hy_func *hy_blind_constants(const struct hy_func *fn, uint64_t seed, uint32_t *nblinded);

/* ---- random valid-IR generator (ir_gen.c) ----
 * Produces terminating, definitely-assigned programs whose divisions are
 * guarded. Memory ops only touch [param ptr, +mem_bytes) when mem_bytes > 0
 * (the function then takes a ptr as its first parameter). Helpers used come
 * from the given table (may be empty). */
struct hy_gen_opts {
    uint64_t seed;
    uint32_t max_blocks;              /* 0 = default */
    uint32_t max_ins_per_block;       /* 0 = default */
    uint32_t mem_bytes;               /* 0 = no memory ops; else multiple of 8, >= 64 */
    int use_f64, use_calls, use_guards, use_loops;
    const struct hy_helpers *helpers;
};
struct hy_func *hy_gen_func(const struct hy_gen_opts *opts);

#endif
