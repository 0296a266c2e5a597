/*
 * Expression binding: name resolution, literals, operators and the AGG-mode rewrite (see
 * binder_internal.h). Functions, aggregates, casts and the type rules are in binder_func.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "plan/binder_internal.h"

/* ---- errors -------------------------------------------------------------------------------- */

bool hy_bind_error(hy_binder *b, hy_errcode code, uint32_t offset, const char *fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    hy_error_at(b->err, code, b->text, offset, "%s", buf);
    return false;
}

const char *hy_tname(hy_ltype t, char *buf) {
    if (t.id == HY_TYPE_NULL) {
        snprintf(buf, HY_TNAME_CAP, "NULL");
        return buf;
    }
    return hy_lt_name(t, buf, HY_TNAME_CAP);
}

/* ---- construction -------------------------------------------------------------------------- */

hy_expr *hy_mk_expr(hy_binder *b, hy_expr_kind kind, hy_ltype type, int nargs, uint32_t off) {
    hy_expr *e = hy_arena_alloc(b->a, sizeof *e);
    e->kind = kind;
    e->type = type;
    e->nargs = nargs;
    e->args = nargs ? hy_arena_alloc(b->a, sizeof(hy_expr *) * (size_t)nargs) : NULL;
    e->src_offset = off;
    e->column = -1;
    return e;
}

hy_expr *hy_mk_const(hy_binder *b, hy_value v, uint32_t off) {
    hy_expr *e = hy_mk_expr(b, HY_EX_CONST, v.type, 0, off);
    e->value = v;
    return e;
}

hy_expr *hy_mk_null(hy_binder *b, hy_ltype t, uint32_t off) {
    hy_value v;
    memset(&v, 0, sizeof v);
    v.type = t;
    v.is_null = true;
    return hy_mk_const(b, v, off);
}

hy_expr *hy_mk_int(hy_binder *b, hy_ltype t, int64_t x, uint32_t off) {
    hy_value v;
    memset(&v, 0, sizeof v);
    v.type = t;
    v.v.i = x;
    return hy_mk_const(b, v, off);
}

hy_expr *hy_mk_column(hy_binder *b, int index, hy_ltype t, const char *name) {
    hy_expr *e = hy_mk_expr(b, HY_EX_COLUMN, t, 0, 0);
    e->column = index;
    e->name = name;
    return e;
}

hy_expr *hy_mk_func(hy_binder *b, hy_func f, hy_ltype rt, int nargs, hy_expr **args,
                    uint32_t off) {
    hy_expr *e = hy_mk_expr(b, HY_EX_FUNC, rt, nargs, off);
    e->func = f;
    for (int i = 0; i < nargs; i++) e->args[i] = args[i];
    return hy_fold(b, e);
}

hy_expr *hy_mk_func2(hy_binder *b, hy_func f, hy_ltype rt, hy_expr *x, hy_expr *y,
                     uint32_t off) {
    hy_expr *a[2] = {x, y};
    return hy_mk_func(b, f, rt, 2, a, off);
}

hy_expr *hy_mk_func1(hy_binder *b, hy_func f, hy_ltype rt, hy_expr *x, uint32_t off) {
    return hy_mk_func(b, f, rt, 1, &x, off);
}

hy_expr *hy_expr_copy(hy_binder *b, const hy_expr *e) {
    hy_expr *c = hy_arena_alloc(b->a, sizeof *c);
    *c = *e;
    if (e->nargs) {
        c->args = hy_arena_alloc(b->a, sizeof(hy_expr *) * (size_t)e->nargs);
        for (int i = 0; i < e->nargs; i++) c->args[i] = hy_expr_copy(b, e->args[i]);
    }
    return c;
}

static bool value_equal(const hy_value *x, const hy_value *y) {
    if (!hy_lt_eq(x->type, y->type) || x->is_null != y->is_null) return false;
    if (x->is_null) return true;
    switch (x->type.id) {
    case HY_TYPE_DOUBLE: return memcmp(&x->v.f, &y->v.f, sizeof(double)) == 0;
    case HY_TYPE_VARCHAR:
        return x->v.s.len == y->v.s.len && memcmp(x->v.s.ptr, y->v.s.ptr, x->v.s.len) == 0;
    case HY_TYPE_DECIMAL:
        if (hy_dec_is_wide(x->type)) return x->v.d == y->v.d;
        return x->v.i == y->v.i;
    case HY_TYPE_NULL: return true;
    default: return x->v.i == y->v.i;
    }
}

bool hy_expr_equal(const hy_expr *x, const hy_expr *y) {
    if (x->kind != y->kind || !hy_lt_eq(x->type, y->type) || x->nargs != y->nargs ||
        x->negate != y->negate || x->has_else != y->has_else)
        return false;
    switch (x->kind) {
    case HY_EX_CONST: return value_equal(&x->value, &y->value);
    case HY_EX_COLUMN: return x->column == y->column;
    case HY_EX_FUNC:
        if (x->func != y->func) return false;
        break;
    default: break;
    }
    for (int i = 0; i < x->nargs; i++)
        if (!hy_expr_equal(x->args[i], y->args[i])) return false;
    return true;
}

bool hy_expr_has_columns(const hy_expr *e) {
    if (e->kind == HY_EX_COLUMN) return true;
    for (int i = 0; i < e->nargs; i++)
        if (hy_expr_has_columns(e->args[i])) return true;
    return false;
}

const char *hy_ast_text(hy_binder *b, const hy_ast *ast) {
    size_t n = ast->end > ast->start ? ast->end - ast->start : 0;
    char *out = hy_arena_alloc(b->a, n + 1);
    size_t o = 0;
    bool space = false;
    for (size_t i = 0; i < n; i++) {
        char ch = b->text[ast->start + i];
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
            space = true;
            continue;
        }
        if (space && o > 0) out[o++] = ' ';
        space = false;
        out[o++] = ch;
    }
    out[o] = 0;
    return out;
}

/* ---- literals ------------------------------------------------------------------------------ */

static hy_expr *bind_number(hy_binder *b, const hy_ast *ast) {
    const char *s = ast->str;
    size_t len = ast->str_len;
    hy_value v;
    memset(&v, 0, sizeof v);
    bool neg = s[0] == '-';
    if (ast->lit == HY_LIT_INT) {
        /* DuckDB types an integer literal by its digits, the sign folded in afterwards:
         * INTEGER when |x| <= 2147483647 (so -2147483648 is a BIGINT), else BIGINT, else
         * HUGEINT, which is DECIMAL(38,0) here (DuckDB's decimal view of HUGEINT) */
        int64_t x;
        if (hy_parse_i64(s, len, &x)) {
            v.type = hy_lt(x >= -INT32_MAX && x <= INT32_MAX ? HY_TYPE_INTEGER : HY_TYPE_BIGINT);
            v.v.i = x;
            return hy_mk_const(b, v, ast->start);
        }
        size_t digits = len - (neg ? 1 : 0);
        if (digits <= HY_DEC_MAX_PREC) {
            hy_i128 d;
            if (hy_dec_parse(s, len, HY_DEC_MAX_PREC, 0, &d)) {
                v.type = hy_lt_dec(HY_DEC_MAX_PREC, 0);
                v.v.d = d;
                return hy_mk_const(b, v, ast->start);
            }
        }
    } else {
        bool exp = memchr(s, 'e', len) || memchr(s, 'E', len);
        const char *dot = memchr(s, '.', len);
        if (!exp && dot) {
            /* DuckDB: width = every digit written, scale = digits after the point */
            int width = (int)len - 1 - (neg ? 1 : 0);
            int scale = (int)(len - (size_t)(dot - s) - 1);
            if (width >= 1 && width <= HY_DEC_MAX_PREC) {
                hy_i128 d;
                if (hy_dec_parse(s, len, width, scale, &d)) {
                    v.type = hy_lt_dec(width, scale);
                    if (width > HY_DEC_MAX_STORED_PREC) v.v.d = d;
                    else v.v.i = (int64_t)d;
                    return hy_mk_const(b, v, ast->start);
                }
            }
        }
    }
    double f;
    hy_parse_status st = hy_parse_double_st(s, len, &f);
    if (st != HY_PARSE_OK) {
        int n = hy_sql_echo_len(s, len);
        if (st == HY_PARSE_RANGE)
            hy_bind_error(b, HY_E_RANGE, ast->start, "number \"%.*s%s\" is out of range", n, s,
                          hy_sql_echo_more(len, n));
        else
            hy_bind_error(b, HY_E_SYNTAX, ast->start, "invalid number \"%.*s%s\"", n, s,
                          hy_sql_echo_more(len, n));
        return NULL;
    }
    v.type = hy_lt(HY_TYPE_DOUBLE);
    v.v.f = f;
    return hy_mk_const(b, v, ast->start);
}

hy_expr *hy_bind_literal(hy_binder *b, const hy_ast *ast) {
    hy_value v;
    memset(&v, 0, sizeof v);
    switch (ast->lit) {
    case HY_LIT_INT:
    case HY_LIT_NUM: return bind_number(b, ast);
    case HY_LIT_BOOL:
        v.type = hy_lt(HY_TYPE_BOOLEAN);
        v.v.i = ast->bval;
        return hy_mk_const(b, v, ast->start);
    case HY_LIT_NULL: return hy_mk_null(b, hy_lt(HY_TYPE_NULL), ast->start);
    case HY_LIT_STRING:
    case HY_LIT_TYPED: {
        v.type = hy_lt(HY_TYPE_VARCHAR);
        v.v.s.ptr = ast->str;
        v.v.s.len = ast->str_len;
        hy_expr *e = hy_mk_const(b, v, ast->start);
        if (ast->lit == HY_LIT_STRING) return e;
        return hy_cast_to(b, e, ast->cast_type.type, ast->start);
    }
    }
    return NULL;
}

/* ---- names --------------------------------------------------------------------------------- */

static bool name_eq(const char *a, const char *b) { return strcasecmp(a, b) == 0; }

/* Resolves a column name in the scope: returns the base index, -1 if absent, -2 if ambiguous
 * (both without reporting). */
static int resolve_column(const hy_bctx *c, const char *qualifier, const char *name) {
    int found = -1;
    for (int i = 0; i < c->nitems; i++) {
        const hy_scope_item *it = &c->items[i];
        if (qualifier && !name_eq(qualifier, it->name)) continue;
        int col = hy_table_find_column(it->table, name);
        if (col < 0) continue;
        if (found >= 0) return -2;
        found = it->base + col;
    }
    return found;
}

static bool qualifier_known(const hy_bctx *c, const char *q) {
    for (int i = 0; i < c->nitems; i++)
        if (name_eq(q, c->items[i].name)) return true;
    return false;
}

/* Select-list alias usable for an unqualified name that is not a column: index or -1. */
static int alias_lookup(hy_bctx *c, const hy_ast *ast) {
    if (!c->alias_fallback || !c->sel || ast->kind != HY_AST_COLREF || ast->qualifier) return -1;
    if (resolve_column(c, NULL, ast->name) != -1) return -1;
    int found = -1;
    for (int i = 0; i < c->sel->nitems; i++) {
        const char *al = c->sel->items[i].alias;
        if (al && name_eq(al, ast->name)) {
            if (found >= 0) return -2;
            found = i;
        }
    }
    return found;
}

static hy_expr *bind_alias(hy_bctx *c, const hy_ast *ast, int idx) {
    if (idx == -2) {
        hy_bind_error(c->b, HY_E_BIND, ast->start, "column reference \"%s\" is ambiguous",
                      HY_ECHO(c->b, ast->name));
        return NULL;
    }
    c->alias_fallback = false;
    hy_expr *e = hy_bind_expr(c, c->sel->items[idx].expr);
    c->alias_fallback = true;
    return e;
}

static hy_expr *bind_colref(hy_bctx *c, const hy_ast *ast) {
    if (ast->qualifier && !qualifier_known(c, ast->qualifier)) {
        hy_bind_error(c->b, HY_E_BIND, ast->start, "missing FROM-clause entry for table \"%s\"",
                      HY_ECHO(c->b, ast->qualifier));
        return NULL;
    }
    int idx = resolve_column(c, ast->qualifier, ast->name);
    if (idx == -2) {
        hy_bind_error(c->b, HY_E_BIND, ast->start, "column reference \"%s\" is ambiguous",
                      HY_ECHO(c->b, ast->name));
        return NULL;
    }
    if (idx < 0) {
        if (ast->qualifier)
            hy_bind_error(c->b, HY_E_BIND, ast->start, "column \"%s.%s\" does not exist",
                          HY_ECHO(c->b, ast->qualifier), HY_ECHO(c->b, ast->name));
        else
            hy_bind_error(c->b, HY_E_BIND, ast->start, "column \"%s\" does not exist",
                          HY_ECHO(c->b, ast->name));
        return NULL;
    }
    hy_expr *e = hy_mk_column(c->b, idx, c->base_types[idx], c->base_names[idx]);
    e->src_offset = ast->start;
    return e;
}

bool hy_is_agg_name(const char *name) {
    static const char *const names[] = {"count", "sum", "avg", "min", "max", "mean"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i]) == 0) return true;
    return false;
}

static bool is_agg_call(const hy_ast *ast) {
    return ast->kind == HY_AST_FUNC && hy_is_agg_name(ast->name);
}

bool hy_ast_contains_agg(hy_bctx *c, const hy_ast *ast) {
    if (!ast) return false;
    if (is_agg_call(ast)) return true;
    if (ast->kind == HY_AST_COLREF) {
        int a = alias_lookup(c, ast);
        if (a >= 0) {
            c->alias_fallback = false;
            bool r = hy_ast_contains_agg(c, c->sel->items[a].expr);
            c->alias_fallback = true;
            return r;
        }
        return false;
    }
    if (hy_ast_contains_agg(c, ast->operand)) return true;
    for (int i = 0; i < ast->nargs; i++)
        if (hy_ast_contains_agg(c, ast->args[i])) return true;
    return false;
}

/* ---- booleans ------------------------------------------------------------------------------ */

hy_expr *hy_coerce_bool(hy_bctx *c, hy_expr *e, uint32_t off, const char *what) {
    if (e->type.id == HY_TYPE_BOOLEAN) return e;
    if (e->type.id == HY_TYPE_NULL || (hy_is_const(e) && e->type.id == HY_TYPE_VARCHAR))
        return hy_cast_to(c->b, e, hy_lt(HY_TYPE_BOOLEAN), off);
    char tn[HY_TNAME_CAP];
    hy_bind_error(c->b, HY_E_TYPE, off, "argument of %s must be type BOOLEAN, not type %s", what,
                  hy_tname(e->type, tn));
    return NULL;
}

hy_expr *hy_bind_bool(hy_bctx *c, const hy_ast *ast, const char *what) {
    hy_expr *e = hy_bind_expr(c, ast);
    if (!e) return NULL;
    return hy_coerce_bool(c, e, ast->start, what);
}

static hy_expr *bind_logic(hy_bctx *c, const hy_ast *ast) {
    hy_expr_kind k = ast->kind == HY_AST_AND ? HY_EX_AND : HY_EX_OR;
    const char *what = ast->kind == HY_AST_AND ? "AND" : "OR";
    hy_expr *e = hy_mk_expr(c->b, k, hy_lt(HY_TYPE_BOOLEAN), ast->nargs, ast->start);
    for (int i = 0; i < ast->nargs; i++) {
        e->args[i] = hy_bind_bool(c, ast->args[i], what);
        if (!e->args[i]) return NULL;
    }
    return e;
}

/* ---- arithmetic ---------------------------------------------------------------------------- */

static bool is_str_const(const hy_expr *e) {
    return hy_is_const(e) && e->type.id == HY_TYPE_VARCHAR;
}

static const char *aop_text(hy_ast_op op) {
    switch (op) {
    case HY_AOP_ADD: return "+";
    case HY_AOP_SUB: return "-";
    case HY_AOP_MUL: return "*";
    case HY_AOP_DIV: return "/";
    case HY_AOP_IDIV: return "//";
    case HY_AOP_MOD: return "%";
    case HY_AOP_EQ: return "=";
    case HY_AOP_NE: return "<>";
    case HY_AOP_LT: return "<";
    case HY_AOP_LE: return "<=";
    case HY_AOP_GT: return ">";
    case HY_AOP_GE: return ">=";
    case HY_AOP_CONCAT: return "||";
    case HY_AOP_NEG: return "-";
    case HY_AOP_PLUS: return "+";
    case HY_AOP_NOT: return "NOT";
    default: return "?";
    }
}

static hy_expr *no_match2(hy_binder *b, uint32_t off, const char *fn, hy_ltype x, hy_ltype y) {
    char t1[HY_TNAME_CAP], t2[HY_TNAME_CAP];
    hy_bind_error(b, HY_E_TYPE, off,
                  "No function matches the given name and argument types '%s(%s, %s)'", fn,
                  hy_tname(x, t1), hy_tname(y, t2));
    return NULL;
}

static hy_func arith_func(hy_ast_op op) {
    switch (op) {
    case HY_AOP_ADD: return HY_FN_ADD;
    case HY_AOP_SUB: return HY_FN_SUB;
    case HY_AOP_MUL: return HY_FN_MUL;
    case HY_AOP_DIV: return HY_FN_DIV;
    case HY_AOP_IDIV: return HY_FN_IDIV;
    default: return HY_FN_MOD;
    }
}

static hy_expr *bind_arith(hy_binder *b, hy_ast_op op, uint32_t off, hy_expr *x, hy_expr *y) {
    /* a string literal next to a number takes the number's type ('1' + 2) */
    if (is_str_const(x) && hy_is_numeric(y->type)) x = hy_cast_to(b, x, y->type, x->src_offset);
    if (x && is_str_const(y) && hy_is_numeric(x->type))
        y = hy_cast_to(b, y, x->type, y->src_offset);
    if (!x || !y) return NULL;
    if (x->type.id == HY_TYPE_NULL && y->type.id == HY_TYPE_NULL) {
        x = hy_cast_to(b, x, hy_lt(HY_TYPE_INTEGER), off);
        y = hy_cast_to(b, y, hy_lt(HY_TYPE_INTEGER), off);
    } else if (x->type.id == HY_TYPE_NULL && hy_is_numeric(y->type)) {
        x = hy_cast_to(b, x, y->type, off);
    } else if (y->type.id == HY_TYPE_NULL && hy_is_numeric(x->type)) {
        y = hy_cast_to(b, y, x->type, off);
    }
    if (!hy_is_numeric(x->type) || !hy_is_numeric(y->type))
        return no_match2(b, off, aop_text(op), x->type, y->type);
    hy_func f = arith_func(op);
    hy_type tx = x->type.id, ty = y->type.id;
    hy_ltype dbl = hy_lt(HY_TYPE_DOUBLE);
    bool dec = tx == HY_TYPE_DECIMAL || ty == HY_TYPE_DECIMAL;
    int px = 0, sx = 0, py = 0, sy = 0;
    if (dec) {
        hy_decimal_props(x, false, &px, &sx);
        hy_decimal_props(y, false, &py, &sy);
    }
    bool to_double = tx == HY_TYPE_DOUBLE || ty == HY_TYPE_DOUBLE || op == HY_AOP_DIV ||
                     (dec && op == HY_AOP_IDIV);
    int maxw = px > py ? px : py;
    if (!to_double && dec && op == HY_AOP_MOD) {
        /* DuckDB: the common DECIMAL of both sides, or DOUBLE when that needs > 38 digits */
        int intd = px - sx > py - sy ? px - sx : py - sy, scale = sx > sy ? sx : sy;
        if (intd + scale > HY_DEC_MAX_PREC) {
            to_double = true;
        } else {
            hy_ltype t = hy_lt_dec(intd + scale, scale);
            x = hy_cast_to(b, x, t, off);
            y = hy_cast_to(b, y, t, off);
            return hy_mk_func2(b, f, t, x, y, off);
        }
    }
    if (to_double) {
        x = hy_cast_to(b, x, dbl, off);
        y = hy_cast_to(b, y, dbl, off);
        return hy_mk_func2(b, f, dbl, x, y, off);
    }
    if (dec && op == HY_AOP_MUL) {
        int scale = sx + sy;
        if (scale > HY_DEC_MAX_PREC) {
            hy_bind_error(b, HY_E_TYPE, off,
                          "DECIMAL multiplication needs scale %d, more than the maximum %d",
                          scale, HY_DEC_MAX_PREC);
            return NULL;
        }
        /* DuckDB: p1+p2 digits, but operands of <= 18 digits keep a 64-bit result of 18
         * digits (checked for overflow at run time) unless the scale alone needs 18 */
        int prec = px + py;
        if (prec > HY_DEC_MAX_STORED_PREC && maxw <= HY_DEC_MAX_STORED_PREC &&
            scale < HY_DEC_MAX_STORED_PREC)
            prec = HY_DEC_MAX_STORED_PREC;
        if (prec > HY_DEC_MAX_PREC) prec = HY_DEC_MAX_PREC;
        x = hy_cast_to(b, x, hy_lt_dec(px, sx), off);
        y = hy_cast_to(b, y, hy_lt_dec(py, sy), off);
        return hy_mk_func2(b, f, hy_lt_dec(prec, scale), x, y, off);
    }
    if (dec) {
        /* ADD/SUB (DuckDB): max integer digits + max scale + 1 carry digit, capped at 18 when
         * both operands have <= 18 digits (overflow checked at run time), and at 38 */
        int scale = sx > sy ? sx : sy;
        int intd = px - sx > py - sy ? px - sx : py - sy;
        int prec = intd + scale + 1;
        if (prec > HY_DEC_MAX_STORED_PREC && maxw <= HY_DEC_MAX_STORED_PREC)
            prec = HY_DEC_MAX_STORED_PREC;
        if (prec > HY_DEC_MAX_PREC) prec = HY_DEC_MAX_PREC;
        hy_ltype t = hy_lt_dec(prec, scale);
        x = hy_cast_to(b, x, t, off);
        y = hy_cast_to(b, y, t, off);
        return hy_mk_func2(b, f, t, x, y, off);
    }
    hy_ltype t = hy_lt(tx == HY_TYPE_BIGINT || ty == HY_TYPE_BIGINT ? HY_TYPE_BIGINT
                                                                     : HY_TYPE_INTEGER);
    x = hy_cast_to(b, x, t, off);
    y = hy_cast_to(b, y, t, off);
    return hy_mk_func2(b, f, t, x, y, off);
}

/* DATE +/- integer, DATE - DATE (op is ADD or SUB; one side is a DATE). */
static hy_expr *bind_date_arith(hy_binder *b, hy_ast_op op, uint32_t off, hy_expr *x, hy_expr *y) {
    hy_ltype date = hy_lt(HY_TYPE_DATE), big = hy_lt(HY_TYPE_BIGINT);
    bool xd = x->type.id == HY_TYPE_DATE, yd = y->type.id == HY_TYPE_DATE;
    if (op == HY_AOP_SUB && (xd || is_str_const(x) || x->type.id == HY_TYPE_NULL) &&
        (yd || is_str_const(y) || y->type.id == HY_TYPE_NULL) && (xd || yd) &&
        !(xd && y->type.id == HY_TYPE_NULL)) {
        x = hy_cast_to(b, x, date, x->src_offset);
        if (!x) return NULL;
        y = hy_cast_to(b, y, date, y->src_offset);
        if (!y) return NULL;
        return hy_mk_func2(b, HY_FN_DATE_DIFF, big, x, y, off);
    }
    hy_expr *d = xd ? x : y, *n = xd ? y : x;
    if (!xd && op == HY_AOP_SUB) return no_match2(b, off, "-", x->type, y->type);
    if (is_str_const(n)) n = hy_cast_to(b, n, hy_lt(HY_TYPE_INTEGER), n->src_offset);
    if (!n) return NULL;
    if (n->type.id != HY_TYPE_INTEGER && n->type.id != HY_TYPE_BIGINT && n->type.id != HY_TYPE_NULL)
        return no_match2(b, off, aop_text(op), x->type, y->type);
    n = hy_cast_to(b, n, big, off);
    if (op == HY_AOP_SUB) n = hy_mk_func1(b, HY_FN_NEG, big, n, off);
    return hy_mk_func2(b, HY_FN_DATE_ADD_DAYS, date, d, n, off);
}

/* date +/- INTERVAL, INTERVAL + date. */
static hy_expr *bind_interval_arith(hy_bctx *c, const hy_ast *ast) {
    hy_binder *b = c->b;
    const hy_ast *l = ast->args[0], *r = ast->args[1];
    uint32_t off = ast->name_offset;
    bool li = l->kind == HY_AST_INTERVAL, ri = r->kind == HY_AST_INTERVAL;
    if ((li && ri) || (li && ast->op == HY_AOP_SUB)) {
        hy_bind_error(b, HY_E_TYPE, off,
                      "No function matches the given name and argument types '%s(%s, %s)'",
                      aop_text(ast->op), li ? "INTERVAL" : "DATE", ri ? "INTERVAL" : "DATE");
        return NULL;
    }
    const hy_ast *iv = li ? l : r;
    hy_expr *d = hy_bind_expr(c, li ? r : l);
    if (!d) return NULL;
    if (is_str_const(d) || d->type.id == HY_TYPE_NULL)
        d = hy_cast_to(b, d, hy_lt(HY_TYPE_DATE), d->src_offset);
    if (!d) return NULL;
    if (d->type.id != HY_TYPE_DATE) {
        char tn[HY_TNAME_CAP];
        hy_bind_error(b, HY_E_TYPE, off,
                      "No function matches the given name and argument types '%s(%s, INTERVAL)'",
                      aop_text(ast->op), hy_tname(d->type, tn));
        return NULL;
    }
    int64_t sign = ast->op == HY_AOP_SUB ? -1 : 1;
    hy_ltype big = hy_lt(HY_TYPE_BIGINT), date = hy_lt(HY_TYPE_DATE);
    if (iv->months)
        d = hy_mk_func2(b, HY_FN_DATE_ADD_MONTHS, date, d, hy_mk_int(b, big, sign * iv->months, iv->start),
                        off);
    if (iv->days)
        d = hy_mk_func2(b, HY_FN_DATE_ADD_DAYS, date, d, hy_mk_int(b, big, sign * iv->days, iv->start),
                        off);
    return d;
}

static hy_expr *bind_compare(hy_binder *b, hy_ast_op op, uint32_t off, hy_expr *x, hy_expr *y) {
    hy_expr *v[2] = {x, y};
    if (!hy_unify(b, v, 2, off, NULL, true)) return NULL;
    x = v[0];
    y = v[1];
    hy_ltype boolean = hy_lt(HY_TYPE_BOOLEAN);
    if (x->type.id == HY_TYPE_NULL) return hy_mk_null(b, boolean, off);
    hy_func f;
    switch (op) {
    case HY_AOP_EQ: f = HY_FN_EQ; break;
    case HY_AOP_NE: f = HY_FN_NE; break;
    case HY_AOP_LT: f = HY_FN_LT; break;
    case HY_AOP_LE: f = HY_FN_LE; break;
    case HY_AOP_GT: f = HY_FN_GT; break;
    default: f = HY_FN_GE; break;
    }
    return hy_mk_func2(b, f, boolean, x, y, off);
}

static hy_expr *bind_concat(hy_binder *b, uint32_t off, hy_expr *x, hy_expr *y) {
    hy_ltype vc = hy_lt(HY_TYPE_VARCHAR);
    x = hy_cast_to(b, x, vc, off);
    y = hy_cast_to(b, y, vc, off);
    if (!x || !y) return NULL;
    return hy_mk_func2(b, HY_FN_CONCAT, vc, x, y, off);
}

static hy_expr *bind_binary(hy_bctx *c, const hy_ast *ast) {
    if ((ast->op == HY_AOP_ADD || ast->op == HY_AOP_SUB) &&
        (ast->args[0]->kind == HY_AST_INTERVAL || ast->args[1]->kind == HY_AST_INTERVAL))
        return bind_interval_arith(c, ast);
    hy_expr *x = hy_bind_expr(c, ast->args[0]);
    if (!x) return NULL;
    hy_expr *y = hy_bind_expr(c, ast->args[1]);
    if (!y) return NULL;
    uint32_t off = ast->name_offset;
    switch (ast->op) {
    case HY_AOP_ADD:
    case HY_AOP_SUB:
        if (x->type.id == HY_TYPE_DATE || y->type.id == HY_TYPE_DATE)
            return bind_date_arith(c->b, ast->op, off, x, y);
        /* fallthrough */
    case HY_AOP_MUL:
    case HY_AOP_DIV:
    case HY_AOP_IDIV:
    case HY_AOP_MOD: return bind_arith(c->b, ast->op, off, x, y);
    case HY_AOP_CONCAT: return bind_concat(c->b, off, x, y);
    default: return bind_compare(c->b, ast->op, off, x, y);
    }
}

static hy_expr *bind_unary(hy_bctx *c, const hy_ast *ast) {
    if (ast->op == HY_AOP_NOT) {
        hy_expr *x = hy_bind_bool(c, ast->args[0], "NOT");
        if (!x) return NULL;
        hy_expr *e = hy_mk_expr(c->b, HY_EX_NOT, hy_lt(HY_TYPE_BOOLEAN), 1, ast->start);
        e->args[0] = x;
        return e;
    }
    hy_expr *x = hy_bind_expr(c, ast->args[0]);
    if (!x) return NULL;
    if (x->type.id == HY_TYPE_NULL) x = hy_cast_to(c->b, x, hy_lt(HY_TYPE_INTEGER), ast->start);
    if (!hy_is_numeric(x->type)) {
        char tn[HY_TNAME_CAP];
        hy_bind_error(c->b, HY_E_TYPE, ast->start,
                      "No function matches the given name and argument types '%s(%s)'",
                      aop_text(ast->op), hy_tname(x->type, tn));
        return NULL;
    }
    if (ast->op == HY_AOP_PLUS) return x;
    return hy_mk_func1(c->b, HY_FN_NEG, x->type, x, ast->start);
}

/* ---- predicates ---------------------------------------------------------------------------- */

static hy_expr *bind_between(hy_bctx *c, const hy_ast *ast) {
    hy_expr *v[3];
    for (int i = 0; i < 3; i++)
        if (!(v[i] = hy_bind_expr(c, ast->args[i]))) return NULL;
    if (!hy_unify(c->b, v, 3, ast->start, NULL, true)) return NULL;
    if (v[0]->type.id == HY_TYPE_NULL) return hy_mk_null(c->b, hy_lt(HY_TYPE_BOOLEAN), ast->start);
    hy_expr *e = hy_mk_expr(c->b, HY_EX_BETWEEN, hy_lt(HY_TYPE_BOOLEAN), 3, ast->start);
    for (int i = 0; i < 3; i++) e->args[i] = v[i];
    e->negate = ast->negate;
    return e;
}

static hy_expr *bind_in(hy_bctx *c, const hy_ast *ast) {
    for (int i = 1; i < ast->nargs; i++)
        if (ast->args[i]->kind == HY_AST_SUBQUERY) {
            hy_bind_error(c->b, HY_E_BIND, ast->args[i]->start,
                          "subqueries are not supported yet");
            return NULL;
        }
    hy_expr *e = hy_mk_expr(c->b, HY_EX_IN, hy_lt(HY_TYPE_BOOLEAN), ast->nargs, ast->start);
    for (int i = 0; i < ast->nargs; i++)
        if (!(e->args[i] = hy_bind_expr(c, ast->args[i]))) return NULL;
    if (!hy_unify(c->b, e->args, e->nargs, ast->start, NULL, true)) return NULL;
    if (e->args[0]->type.id == HY_TYPE_NULL)
        return hy_mk_null(c->b, hy_lt(HY_TYPE_BOOLEAN), ast->start);
    e->negate = ast->negate;
    return e;
}

static hy_expr *bind_like(hy_bctx *c, const hy_ast *ast) {
    hy_expr *x = hy_bind_expr(c, ast->args[0]);
    if (!x) return NULL;
    hy_expr *y = hy_bind_expr(c, ast->args[1]);
    if (!y) return NULL;
    hy_ltype vc = hy_lt(HY_TYPE_VARCHAR);
    if (x->type.id == HY_TYPE_NULL) x = hy_cast_to(c->b, x, vc, ast->start);
    if (y->type.id == HY_TYPE_NULL) y = hy_cast_to(c->b, y, vc, ast->start);
    if (x->type.id != HY_TYPE_VARCHAR || y->type.id != HY_TYPE_VARCHAR)
        return no_match2(c->b, ast->start, ast->negate ? "not like" : "like", x->type, y->type);
    hy_expr *e = hy_mk_expr(c->b, HY_EX_LIKE, hy_lt(HY_TYPE_BOOLEAN), 2, ast->start);
    e->args[0] = x;
    e->args[1] = y;
    e->negate = ast->negate;
    return e;
}

static hy_expr *bind_is_null(hy_bctx *c, const hy_ast *ast) {
    hy_expr *x = hy_bind_expr(c, ast->args[0]);
    if (!x) return NULL;
    hy_expr *e = hy_mk_expr(c->b, HY_EX_IS_NULL, hy_lt(HY_TYPE_BOOLEAN), 1, ast->start);
    e->args[0] = x;
    e->negate = ast->negate;
    return e;
}

/* x IS [NOT] TRUE|FALSE, never NULL: coalesce(x, false) / coalesce(NOT x, false), negated. */
static hy_expr *bind_is_bool(hy_bctx *c, const hy_ast *ast) {
    hy_binder *b = c->b;
    hy_ltype boolean = hy_lt(HY_TYPE_BOOLEAN);
    hy_expr *x = hy_bind_bool(c, ast->args[0], "IS");
    if (!x) return NULL;
    if (!ast->bval) {
        hy_expr *n = hy_mk_expr(b, HY_EX_NOT, boolean, 1, ast->start);
        n->args[0] = x;
        x = n;
    }
    hy_expr *co = hy_mk_expr(b, HY_EX_COALESCE, boolean, 2, ast->start);
    co->args[0] = x;
    co->args[1] = hy_mk_int(b, boolean, 0, ast->start);
    if (!ast->negate) return co;
    hy_expr *n = hy_mk_expr(b, HY_EX_NOT, boolean, 1, ast->start);
    n->args[0] = co;
    return n;
}

static hy_expr *bind_case(hy_bctx *c, const hy_ast *ast) {
    hy_binder *b = c->b;
    hy_expr *e = hy_mk_expr(b, HY_EX_CASE, hy_lt(HY_TYPE_NULL), ast->nargs, ast->start);
    e->has_else = ast->has_else;
    int nwhen = ast->nargs / 2;
    int nres = nwhen + (ast->has_else ? 1 : 0);
    hy_expr **res = hy_arena_alloc(b->a, sizeof(hy_expr *) * (size_t)nres);
    for (int i = 0; i < nwhen; i++) {
        const hy_ast *w = ast->args[2 * i];
        hy_expr *cond;
        if (ast->operand) {
            /* simple CASE: operand = value (the operand is bound again for each WHEN) */
            hy_expr *x = hy_bind_expr(c, ast->operand);
            if (!x) return NULL;
            hy_expr *y = hy_bind_expr(c, w);
            if (!y) return NULL;
            cond = bind_compare(b, HY_AOP_EQ, w->start, x, y);
        } else {
            cond = hy_bind_bool(c, w, "CASE/WHEN");
        }
        if (!cond) return NULL;
        e->args[2 * i] = cond;
        if (!(res[i] = hy_bind_expr(c, ast->args[2 * i + 1]))) return NULL;
    }
    if (ast->has_else && !(res[nwhen] = hy_bind_expr(c, ast->args[ast->nargs - 1]))) return NULL;
    if (!hy_unify(b, res, nres, ast->start, "CASE", false)) return NULL;
    for (int i = 0; i < nwhen; i++) e->args[2 * i + 1] = res[i];
    if (ast->has_else) e->args[ast->nargs - 1] = res[nwhen];
    e->type = res[0]->type;
    return e;
}

static hy_expr *bind_extract(hy_bctx *c, const hy_ast *ast) {
    hy_func f;
    if (strcmp(ast->name, "year") == 0) f = HY_FN_YEAR;
    else if (strcmp(ast->name, "month") == 0) f = HY_FN_MONTH;
    else if (strcmp(ast->name, "day") == 0) f = HY_FN_DAY;
    else {
        hy_bind_error(c->b, HY_E_BIND, ast->name_offset,
                      "EXTRACT field \"%s\" is not supported (only YEAR, MONTH, DAY)",
                      HY_ECHO(c->b, ast->name));
        return NULL;
    }
    hy_expr *x = hy_bind_expr(c, ast->args[0]);
    if (!x) return NULL;
    hy_ltype date = hy_lt(HY_TYPE_DATE);
    if (is_str_const(x) || x->type.id == HY_TYPE_NULL) x = hy_cast_to(c->b, x, date, x->src_offset);
    if (!x) return NULL;
    if (x->type.id != HY_TYPE_DATE) {
        char tn[HY_TNAME_CAP];
        hy_bind_error(c->b, HY_E_TYPE, ast->start,
                      "No function matches the given name and argument types '%s(%s)'",
                      ast->name, hy_tname(x->type, tn));
        return NULL;
    }
    return hy_mk_func1(c->b, f, hy_lt(HY_TYPE_BIGINT), x, ast->start);
}

/* ---- dispatch ------------------------------------------------------------------------------ */

static hy_expr *bind_node(hy_bctx *c, const hy_ast *ast) {
    switch (ast->kind) {
    case HY_AST_CONST: return hy_bind_literal(c->b, ast);
    case HY_AST_COLREF: return bind_colref(c, ast);
    case HY_AST_STAR:
        hy_bind_error(c->b, HY_E_BIND, ast->start,
                      "* is only allowed in the select list and in count(*)");
        return NULL;
    case HY_AST_UNARY: return bind_unary(c, ast);
    case HY_AST_BINARY: return bind_binary(c, ast);
    case HY_AST_AND:
    case HY_AST_OR: return bind_logic(c, ast);
    case HY_AST_IS_NULL: return bind_is_null(c, ast);
    case HY_AST_IS_BOOL: return bind_is_bool(c, ast);
    case HY_AST_BETWEEN: return bind_between(c, ast);
    case HY_AST_IN: return bind_in(c, ast);
    case HY_AST_LIKE: return bind_like(c, ast);
    case HY_AST_CASE: return bind_case(c, ast);
    case HY_AST_CAST: {
        hy_expr *x = hy_bind_expr(c, ast->args[0]);
        if (!x) return NULL;
        return hy_cast_explicit(c->b, x, ast->cast_type.type, ast->start);
    }
    case HY_AST_FUNC:
        if (hy_is_agg_name(ast->name)) {
            if (c->mode == HY_BIND_AGG && !c->in_agg_arg) return hy_bind_aggregate(c, ast);
            if (c->in_agg_arg)
                hy_bind_error(c->b, HY_E_BIND, ast->start,
                              "aggregate function calls cannot be nested");
            else
                hy_bind_error(c->b, HY_E_BIND, ast->start,
                              "aggregate functions are not allowed in %s",
                              c->clause ? c->clause : "this context");
            return NULL;
        }
        return hy_bind_func(c, ast);
    case HY_AST_EXTRACT: return bind_extract(c, ast);
    case HY_AST_INTERVAL:
        hy_bind_error(c->b, HY_E_TYPE, ast->start,
                      "INTERVAL values are only supported in date arithmetic (date +/- INTERVAL)");
        return NULL;
    case HY_AST_SUBQUERY:
        hy_bind_error(c->b, HY_E_BIND, ast->start, "subqueries are not supported yet");
        return NULL;
    }
    return NULL;
}

hy_expr *hy_bind_expr(hy_bctx *c, const hy_ast *ast) {
    if (hy_failed(c->b->err)) return NULL;
    if (++c->depth > 2 * HY_SQL_MAX_DEPTH) {
        hy_bind_error(c->b, HY_E_SYNTAX, ast->start, "expression too deeply nested");
        c->depth--;
        return NULL;
    }
    hy_expr *e = NULL;
    int al = alias_lookup(c, ast);
    if (al != -1) {
        e = bind_alias(c, ast, al);
    } else if (c->mode == HY_BIND_AGG && !c->in_agg_arg && !is_agg_call(ast) &&
               ast->kind != HY_AST_INTERVAL && ast->kind != HY_AST_STAR &&
               !hy_ast_contains_agg(c, ast)) {
        /* AGG mode: an aggregate-free subtree is either a GROUP BY key, constant, or must be
         * rebuilt from smaller pieces that are */
        c->mode = HY_BIND_BASE;
        const char *saved = c->clause;
        c->clause = NULL;
        hy_expr *base = bind_node(c, ast);
        c->mode = HY_BIND_AGG;
        c->clause = saved;
        if (base) {
            for (int g = 0; g < c->ngroups && !e; g++)
                if (hy_expr_equal(base, c->groups[g]))
                    e = hy_mk_column(c->b, g, base->type, c->group_names[g]);
            if (!e && !hy_expr_has_columns(base)) e = base;
            if (!e && ast->kind == HY_AST_COLREF) {
                const char *q = ast->qualifier;
                hy_bind_error(c->b, HY_E_BIND, ast->start,
                              "column \"%s%s%s\" must appear in the GROUP BY clause or be used "
                              "in an aggregate function",
                              q ? HY_ECHO(c->b, q) : "", q ? "." : "", HY_ECHO(c->b, ast->name));
            }
            if (!e && !hy_failed(c->b->err)) e = bind_node(c, ast);
        }
    } else {
        e = bind_node(c, ast);
    }
    c->depth--;
    return hy_failed(c->b->err) ? NULL : e;
}
