/*
 * Vectorized expression evaluation (private to exec/).
 *
 * hy_xstate mirrors a bound hy_expr tree with per-thread buffers, so evaluation never
 * allocates once a batch size worth of strings has been seen. Building a state:
 *  - folds every subtree without column references into a constant (unless folding raises an
 *    error: that error must only surface if a row actually evaluates the subtree);
 *  - inserts casts where argument types differ from what a kernel expects (the binder should
 *    already have done so; this keeps exec robust);
 *  - broadcasts constants into a full batch buffer once.
 * Evaluation computes only the selected positions, and lazily: AND/OR evaluate later
 * arguments only for rows not yet decided, CASE branches and COALESCE arguments only for the
 * rows that reach them, so errors (division by zero, overflow) come only from rows that SQL
 * semantics actually evaluate.
 */
#ifndef HY_EXEC_EXPR_H
#define HY_EXEC_EXPR_H

#include "exec/xvec.h"
#include "plan/plan.h"

typedef enum hy_xkind {
    HY_XS_CONST,
    HY_XS_COLUMN,
    HY_XS_FUNC,
    HY_XS_CAST,
    HY_XS_AND,
    HY_XS_OR,
    HY_XS_NOT,
    HY_XS_IS_NULL,
    HY_XS_IN,
    HY_XS_LIKE,
    HY_XS_CASE,
    HY_XS_COALESCE,
    HY_XS_BETWEEN
} hy_xkind;

typedef struct hy_like_pat hy_like_pat;

typedef struct hy_xstate hy_xstate;
struct hy_xstate {
    hy_xkind kind;
    hy_ltype type;      /* result type */
    hy_func func;       /* FUNC */
    int column;         /* COLUMN */
    bool negate;        /* IS NOT NULL, NOT IN, NOT LIKE, NOT BETWEEN */
    bool has_else;      /* CASE */
    int nargs;
    hy_xstate **args;
    hy_xv out;          /* the result of the last evaluation */
    void *buf;          /* HY_BATCH values of `type` */
    uint64_t *vbuf;     /* HY_BATCH validity bits */
    hy_sbuf sb;         /* string results of this node, reset per evaluation */
    uint16_t *sel1, *sel2, *sel3; /* scratch selections */
    uint8_t *flags;     /* scratch per-position flags */
    hy_value cval;      /* CONST: the value (VARCHAR bytes owned by cstr) */
    char *cstr;
    hy_like_pat *like;  /* LIKE with a constant pattern */
    bool nocheck;       /* DECIMAL FUNC: operand precisions prove the result fits its type */
    void *inlist;       /* IN with many constants: sorted distinct non-NULL values */
    int ninlist;
    bool inlist_null;   /* the list contains NULL */
};

/* Build the state for e; types of COLUMN refs come from `coltypes` (the input schema).
 * Returns NULL with err set on an unsupported expression. */
hy_xstate *hy_xstate_build(const hy_expr *e, int ncols, const hy_ltype *coltypes, hy_error *err);
void hy_xstate_free(hy_xstate *s);
/* Wrap s so that it produces type t (no-op when it already does). */
hy_xstate *hy_xstate_coerce(hy_xstate *s, hy_ltype t);

/* Evaluate for the selected positions of batch b; result in s->out. */
bool hy_xeval(hy_xstate *s, const hy_batch *b, const uint16_t *sel, int n, hy_error *err);

/* Positions of (sel,n) where the BOOLEAN expression is TRUE, written to out (may be the
 * same array as sel). Returns the count, or -1 on error. */
int hy_xselect(hy_xstate *s, const hy_batch *b, const uint16_t *sel, int n, uint16_t *out,
               hy_error *err);

/* Evaluate an expression without column references once (constants, VALUES rows). */
bool hy_xeval_const(const hy_expr *e, hy_value *out, hy_strheap *heap, hy_error *err);

/* ---- Kernels shared by the expression files ----------------------------------------------- */
/* Overflow messages: "integer out of range", "BIGINT out of range", "DECIMAL(p,s) out of range". */
bool hy_xerr_range(hy_error *err, hy_ltype t);
bool hy_xerr_divzero(hy_error *err);
/* Result validity of a strict function over args: AND of the argument bitmaps (may alias). */
uint64_t *hy_xvalid_and(hy_xstate *s, int nargs, hy_xstate **args, int nwords);
/* Compare two vectors of the same physical class: out[i] = (a OP b) for live positions. */
void hy_xcmp(hy_func op, const hy_xv *a, const hy_xv *b, const uint16_t *sel, int n, uint8_t *out);
/* FUNC kernels (expr_arith.c: arithmetic/comparison; expr_func.c: the rest). */
bool hy_xfunc_arith(hy_xstate *s, const uint16_t *sel, int n, int nwords, hy_error *err);
bool hy_xfunc_other(hy_xstate *s, const uint16_t *sel, int n, int nwords, hy_error *err);
/* CAST kernel (expr_cast.c): s->args[0] already evaluated. */
bool hy_xcast(hy_xstate *s, const uint16_t *sel, int n, int nwords, hy_error *err);
/* One position of a vector as a scalar value and back (VARCHAR bytes are not copied). */
hy_value hy_xv_get_value(const hy_xv *v, int i);
void hy_xv_put_value(void *data, hy_ltype t, int i, const hy_value *val);
/* LIKE (expr_func.c) */
hy_like_pat *hy_like_compile(const char *p, size_t n);
void hy_like_free(hy_like_pat *p);
bool hy_like_match(const hy_like_pat *p, const char *s, size_t n);
bool hy_like_match_raw(const char *pat, size_t pn, const char *s, size_t sn);

#endif
