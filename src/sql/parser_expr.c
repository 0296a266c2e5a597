/*
 * Expression grammar: precedence climbing over PostgreSQL's operator precedence, lowest first:
 *   OR < AND < NOT < IS/ISNULL/NOTNULL < comparisons (= <> != < <= > >=, non-associative)
 *      < BETWEEN/IN/LIKE < other operators (||) < + - < * / // % < unary + - < :: < primary
 * Each level is one function; n-ary AND/OR chains become one node so long conjunctions do
 * not count against the nesting limit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sql/parser_internal.h"

/* ---- small helpers ------------------------------------------------------------------------- */

typedef struct ast_list {
    hy_ast **v;
    int n, cap;
} ast_list;

static void list_push(hy_parser *p, ast_list *l, hy_ast *x) {
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 4;
        hy_ast **nv = hy_arena_alloc(p->a, sizeof(hy_ast *) * (size_t)cap);
        if (l->n) memcpy(nv, l->v, sizeof(hy_ast *) * (size_t)l->n);
        l->v = nv;
        l->cap = cap;
    }
    l->v[l->n++] = x;
}

bool hy_p_enter(hy_parser *p) {
    if (++p->depth > HY_SQL_MAX_DEPTH) {
        hy_p_error_at(p, hy_p_cur(p)->offset, "expression too deeply nested");
        return false;
    }
    return true;
}
void hy_p_leave(hy_parser *p) { p->depth--; }
#define enter hy_p_enter
#define leave hy_p_leave

hy_ast *hy_p_node(hy_parser *p, hy_ast_kind kind, uint32_t start, uint32_t end) {
    hy_ast *n = hy_arena_alloc(p->a, sizeof *n);
    n->kind = kind;
    n->start = start;
    n->end = end;
    n->depth = 1;
    return n;
}

hy_ast *hy_p_finish(hy_parser *p, hy_ast *n) {
    int d = 0;
    for (int i = 0; i < n->nargs; i++)
        if (n->args[i] && n->args[i]->depth > d) d = n->args[i]->depth;
    if (n->operand && n->operand->depth > d) d = n->operand->depth;
    n->depth = d + 1;
    if (n->depth > HY_SQL_MAX_DEPTH) {
        hy_p_error_at(p, n->start, "expression too deeply nested");
        return NULL;
    }
    return n;
}

static hy_ast *mk(hy_parser *p, hy_ast_kind kind, uint32_t start, int nargs, hy_ast *a0,
                  hy_ast *a1, hy_ast *a2) {
    hy_ast *n = hy_p_node(p, kind, start, hy_p_prev_end(p));
    n->nargs = nargs;
    n->args = hy_arena_alloc(p->a, sizeof(hy_ast *) * (size_t)(nargs ? nargs : 1));
    if (nargs > 0) n->args[0] = a0;
    if (nargs > 1) n->args[1] = a1;
    if (nargs > 2) n->args[2] = a2;
    return hy_p_finish(p, n);
}

static hy_ast *mk_list(hy_parser *p, hy_ast_kind kind, uint32_t start, ast_list *l) {
    hy_ast *n = hy_p_node(p, kind, start, hy_p_prev_end(p));
    n->nargs = l->n;
    n->args = l->v;
    return hy_p_finish(p, n);
}

static hy_ast *mk_binary(hy_parser *p, hy_ast_op op, uint32_t op_offset, hy_ast *l, hy_ast *r) {
    hy_ast *n = mk(p, HY_AST_BINARY, l->start, 2, l, r, NULL);
    if (n) {
        n->op = op;
        n->name_offset = op_offset;
    }
    return n;
}

/* ---- levels -------------------------------------------------------------------------------- */

static hy_ast *parse_not(hy_parser *p);
static hy_ast *parse_other(hy_parser *p);
static hy_ast *parse_unary(hy_parser *p);
static hy_ast *parse_primary(hy_parser *p);

hy_ast *hy_p_expr(hy_parser *p) {
    if (!enter(p)) return NULL;
    hy_ast *first = NULL;
    /* OR level */
    ast_list ors = {0};
    for (;;) {
        /* AND level */
        ast_list ands = {0};
        for (;;) {
            hy_ast *x = parse_not(p);
            if (!x) {
                leave(p);
                return NULL;
            }
            list_push(p, &ands, x);
            if (!hy_p_accept_kw(p, HY_KW_AND)) break;
        }
        hy_ast *conj = ands.v[0];
        if (ands.n > 1) conj = mk_list(p, HY_AST_AND, ands.v[0]->start, &ands);
        if (!conj) {
            leave(p);
            return NULL;
        }
        list_push(p, &ors, conj);
        if (!hy_p_accept_kw(p, HY_KW_OR)) break;
    }
    first = ors.v[0];
    if (ors.n > 1) first = mk_list(p, HY_AST_OR, ors.v[0]->start, &ors);
    leave(p);
    return first;
}

static hy_ast *parse_is(hy_parser *p);

static hy_ast *parse_not(hy_parser *p) {
    if (hy_p_is_kw(p, 0, HY_KW_NOT)) {
        uint32_t start = hy_p_advance(p)->offset;
        if (!enter(p)) return NULL;
        hy_ast *x = parse_not(p);
        leave(p);
        if (!x) return NULL;
        hy_ast *n = mk(p, HY_AST_UNARY, start, 1, x, NULL, NULL);
        if (n) n->op = HY_AOP_NOT;
        return n;
    }
    return parse_is(p);
}

static hy_ast_op cmp_op(const hy_token *t);
static hy_ast *parse_pred(hy_parser *p);

/* The IS level and the comparison level in one loop, left to right: IS tests are postfix and
 * bind looser than comparisons ("a = b IS NULL" is "(a = b) IS NULL", "a IS NULL = b" is
 * "(a IS NULL) = b"), and comparisons are non-associative as in PostgreSQL and DuckDB:
 * "a = b = c" and "a < b = c" are syntax errors at the second operator. */
static hy_ast *parse_is(hy_parser *p) {
    hy_ast *x = parse_pred(p);
    bool after_cmp = false;
    while (x) {
        hy_ast_op op = cmp_op(hy_p_cur(p));
        if (op != HY_AOP_NONE) {
            if (after_cmp) {
                hy_p_syntax_error(p);
                return NULL;
            }
            uint32_t off = hy_p_advance(p)->offset;
            hy_ast *y = parse_pred(p);
            if (!y) return NULL;
            x = mk_binary(p, op, off, x, y);
            after_cmp = true;
            continue;
        }
        after_cmp = false;
        if (hy_p_accept_kw(p, HY_KW_ISNULL) || hy_p_accept_kw(p, HY_KW_NOTNULL)) {
            bool neg = hy_p_peek(p, -1)->kw == HY_KW_NOTNULL;
            x = mk(p, HY_AST_IS_NULL, x->start, 1, x, NULL, NULL);
            if (x) x->negate = neg;
            continue;
        }
        if (!hy_p_is_kw(p, 0, HY_KW_IS)) break;
        hy_p_advance(p);
        bool neg = hy_p_accept_kw(p, HY_KW_NOT);
        if (hy_p_accept_kw(p, HY_KW_NULL)) {
            x = mk(p, HY_AST_IS_NULL, x->start, 1, x, NULL, NULL);
            if (x) x->negate = neg;
        } else if (hy_p_is_kw(p, 0, HY_KW_TRUE) || hy_p_is_kw(p, 0, HY_KW_FALSE)) {
            bool val = hy_p_advance(p)->kw == HY_KW_TRUE;
            x = mk(p, HY_AST_IS_BOOL, x->start, 1, x, NULL, NULL);
            if (x) {
                x->negate = neg;
                x->bval = val;
            }
        } else if (hy_p_is_kw(p, 0, HY_KW_DISTINCT)) {
            hy_p_error_at(p, hy_p_cur(p)->offset, "IS [NOT] DISTINCT FROM is not supported yet");
            return NULL;
        } else {
            hy_p_syntax_error(p);
            return NULL;
        }
    }
    return x;
}

static hy_ast_op cmp_op(const hy_token *t) {
    if (t->kind != HY_TK_OP) return HY_AOP_NONE;
    switch (t->op) {
    case HY_OP_EQ: return HY_AOP_EQ;
    case HY_OP_NE:
    case HY_OP_NE2: return HY_AOP_NE;
    case HY_OP_LT: return HY_AOP_LT;
    case HY_OP_LE: return HY_AOP_LE;
    case HY_OP_GT: return HY_AOP_GT;
    case HY_OP_GE: return HY_AOP_GE;
    default: return HY_AOP_NONE;
    }
}

/* BETWEEN, IN, LIKE. BETWEEN and LIKE are non-associative (PostgreSQL, DuckDB): nothing of
 * this level may follow them ("a LIKE b LIKE c" is a syntax error); IN may be followed by
 * any of them, as DuckDB accepts ("1 IN (1) IN (true)"). */
static hy_ast *parse_pred(hy_parser *p) {
    hy_ast *x = parse_other(p);
    bool closed = false;
    while (x) {
        bool neg = false;
        int k = 0;
        if (hy_p_is_kw(p, 0, HY_KW_NOT) &&
            (hy_p_is_kw(p, 1, HY_KW_BETWEEN) || hy_p_is_kw(p, 1, HY_KW_IN) ||
             hy_p_is_kw(p, 1, HY_KW_LIKE) || hy_p_is_kw(p, 1, HY_KW_ILIKE))) {
            neg = true;
            k = 1;
        }
        if (closed && (neg || hy_p_is_kw(p, 0, HY_KW_BETWEEN) || hy_p_is_kw(p, 0, HY_KW_IN) ||
                       hy_p_is_kw(p, 0, HY_KW_LIKE) || hy_p_is_kw(p, 0, HY_KW_ILIKE))) {
            hy_p_syntax_error(p);
            return NULL;
        }
        if (hy_p_is_kw(p, k, HY_KW_BETWEEN)) {
            closed = true;
            p->pos += k + 1;
            hy_ast *lo = parse_other(p);
            if (!lo) return NULL;
            if (!hy_p_expect_kw(p, HY_KW_AND)) return NULL;
            hy_ast *hi = parse_other(p);
            if (!hi) return NULL;
            x = mk(p, HY_AST_BETWEEN, x->start, 3, x, lo, hi);
            if (x) x->negate = neg;
        } else if (hy_p_is_kw(p, k, HY_KW_IN)) {
            p->pos += k + 1;
            uint32_t lp = hy_p_cur(p)->offset;
            if (!hy_p_expect_op(p, HY_OP_LPAREN)) return NULL;
            ast_list l = {0};
            list_push(p, &l, x);
            if (hy_p_is_kw(p, 0, HY_KW_SELECT)) {
                hy_ast_select *sq = hy_p_select(p);
                if (!sq) return NULL;
                if (!hy_p_expect_op(p, HY_OP_RPAREN)) return NULL;
                hy_ast *s = hy_p_node(p, HY_AST_SUBQUERY, lp, hy_p_prev_end(p));
                s->subquery = sq;
                list_push(p, &l, s);
            } else {
                for (;;) {
                    hy_ast *e = hy_p_expr(p);
                    if (!e) return NULL;
                    list_push(p, &l, e);
                    if (!hy_p_accept_op(p, HY_OP_COMMA)) break;
                }
                if (!hy_p_expect_op(p, HY_OP_RPAREN)) return NULL;
            }
            x = mk_list(p, HY_AST_IN, x->start, &l);
            if (x) x->negate = neg;
        } else if (hy_p_is_kw(p, k, HY_KW_LIKE)) {
            closed = true;
            p->pos += k + 1;
            hy_ast *pat = parse_other(p);
            if (!pat) return NULL;
            x = mk(p, HY_AST_LIKE, x->start, 2, x, pat, NULL);
            if (x) x->negate = neg;
        } else if (hy_p_is_kw(p, k, HY_KW_ILIKE)) {
            hy_p_error_at(p, hy_p_peek(p, k)->offset, "ILIKE is not supported yet");
            return NULL;
        } else {
            break;
        }
    }
    return x;
}

static hy_ast *parse_add(hy_parser *p);

static hy_ast *parse_other(hy_parser *p) {
    hy_ast *x = parse_add(p);
    while (x && hy_p_is_op(p, 0, HY_OP_CONCAT)) {
        uint32_t off = hy_p_advance(p)->offset;
        hy_ast *y = parse_add(p);
        if (!y) return NULL;
        x = mk_binary(p, HY_AOP_CONCAT, off, x, y);
    }
    return x;
}

static hy_ast *parse_mul(hy_parser *p);

static hy_ast *parse_add(hy_parser *p) {
    hy_ast *x = parse_mul(p);
    while (x && (hy_p_is_op(p, 0, HY_OP_PLUS) || hy_p_is_op(p, 0, HY_OP_MINUS))) {
        const hy_token *t = hy_p_advance(p);
        hy_ast_op op = t->op == HY_OP_PLUS ? HY_AOP_ADD : HY_AOP_SUB;
        hy_ast *y = parse_mul(p);
        if (!y) return NULL;
        x = mk_binary(p, op, t->offset, x, y);
    }
    return x;
}

static hy_ast *parse_mul(hy_parser *p) {
    hy_ast *x = parse_unary(p);
    while (x) {
        hy_ast_op op = HY_AOP_NONE;
        if (hy_p_is_op(p, 0, HY_OP_STAR)) op = HY_AOP_MUL;
        else if (hy_p_is_op(p, 0, HY_OP_SLASH)) op = HY_AOP_DIV;
        else if (hy_p_is_op(p, 0, HY_OP_DSLASH)) op = HY_AOP_IDIV;
        else if (hy_p_is_op(p, 0, HY_OP_PERCENT)) op = HY_AOP_MOD;
        else break;
        uint32_t off = hy_p_advance(p)->offset;
        hy_ast *y = parse_unary(p);
        if (!y) return NULL;
        x = mk_binary(p, op, off, x, y);
    }
    return x;
}

static bool is_number_literal(const hy_ast *x) {
    return x->kind == HY_AST_CONST && (x->lit == HY_LIT_INT || x->lit == HY_LIT_NUM);
}

static hy_ast *parse_postfix(hy_parser *p);

static hy_ast *parse_unary(hy_parser *p) {
    if (hy_p_is_op(p, 0, HY_OP_MINUS) || hy_p_is_op(p, 0, HY_OP_PLUS)) {
        const hy_token *t = hy_p_advance(p);
        bool minus = t->op == HY_OP_MINUS;
        if (!enter(p)) return NULL;
        hy_ast *x = parse_unary(p);
        leave(p);
        if (!x) return NULL;
        if (is_number_literal(x)) {
            /* fold the sign into the literal, as PostgreSQL does */
            if (minus) {
                if (x->str[0] == '-') {
                    x->str++;
                    x->str_len--;
                } else {
                    char *s = hy_arena_alloc(p->a, x->str_len + 2);
                    s[0] = '-';
                    memcpy(s + 1, x->str, x->str_len);
                    x->str = s;
                    x->str_len++;
                }
            }
            x->start = t->offset;
            return x;
        }
        hy_ast *n = mk(p, HY_AST_UNARY, t->offset, 1, x, NULL, NULL);
        if (n) n->op = minus ? HY_AOP_NEG : HY_AOP_PLUS;
        return n;
    }
    return parse_postfix(p);
}

static hy_ast *parse_postfix(hy_parser *p) {
    hy_ast *x = parse_primary(p);
    while (x && hy_p_is_op(p, 0, HY_OP_DCOLON)) {
        hy_p_advance(p);
        hy_ast_type ty;
        if (!hy_p_type(p, &ty)) return NULL;
        x = mk(p, HY_AST_CAST, x->start, 1, x, NULL, NULL);
        if (x) x->cast_type = ty;
    }
    return x;
}

/* ---- primary expressions ------------------------------------------------------------------- */

static hy_ast *mk_const(hy_parser *p, const hy_token *t, hy_lit_kind lit) {
    hy_ast *n = hy_p_node(p, HY_AST_CONST, t->offset, t->offset + t->len);
    n->lit = lit;
    n->str = t->text;
    n->str_len = t->text_len;
    return n;
}

/* Interval units we can apply to a DATE. Returns false for anything else. */
static bool interval_unit(const char *w, size_t n, int64_t *months_per, int64_t *days_per) {
    static const struct {
        const char *name;
        int64_t months, days;
    } units[] = {
        {"day", 0, 1},    {"days", 0, 1},     {"d", 0, 1},       {"week", 0, 7},
        {"weeks", 0, 7},  {"w", 0, 7},        {"month", 1, 0},   {"months", 1, 0},
        {"mon", 1, 0},    {"mons", 1, 0},     {"year", 12, 0},   {"years", 12, 0},
        {"y", 12, 0},     {"yr", 12, 0},      {"yrs", 12, 0},
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strlen(units[i].name) == n && strncasecmp(units[i].name, w, n) == 0) {
            *months_per = units[i].months;
            *days_per = units[i].days;
            return true;
        }
    }
    return false;
}

static bool is_time_unit(const char *w) {
    static const char *const names[] = {"hour", "hours", "minute", "minutes", "second",
                                        "seconds", "millisecond", "milliseconds",
                                        "microsecond", "microseconds", "quarter", "quarters",
                                        "decade", "decades", "century", "centuries"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(w, names[i]) == 0) return true;
    return false;
}

#define HY_INTERVAL_MAX_QTY 100000000LL /* far beyond any representable date distance */

/* Parses "n unit [n unit ...]" (or just "n" when the unit comes after the literal). */
static bool interval_text(const char *s, size_t len, bool unit_outside, int64_t unit_m,
                          int64_t unit_d, int64_t *months, int64_t *days) {
    size_t i = 0;
    bool any = false;
    *months = *days = 0;
    for (;;) {
        while (i < len && (s[i] == ' ' || s[i] == '\t')) i++;
        if (i >= len) break;
        bool neg = false;
        if (s[i] == '+' || s[i] == '-') neg = s[i++] == '-';
        size_t d0 = i;
        int64_t q = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            q = q * 10 + (s[i] - '0');
            if (q > HY_INTERVAL_MAX_QTY) return false;
            i++;
        }
        if (i == d0) return false;
        if (neg) q = -q;
        while (i < len && (s[i] == ' ' || s[i] == '\t')) i++;
        int64_t um = unit_m, ud = unit_d;
        if (!unit_outside) {
            size_t w0 = i;
            while (i < len && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z'))) i++;
            if (!interval_unit(s + w0, i - w0, &um, &ud)) return false;
        } else if (any) {
            return false;
        }
        *months += q * um;
        *days += q * ud;
        any = true;
    }
    return any;
}

/* INTERVAL 'n' unit | INTERVAL n unit | INTERVAL 'n unit ...' */
static hy_ast *parse_interval(hy_parser *p) {
    uint32_t start = hy_p_advance(p)->offset;
    const hy_token *q = hy_p_cur(p);
    bool neg = false;
    if (hy_p_is_op(p, 0, HY_OP_MINUS) && hy_p_peek(p, 1)->kind == HY_TK_INT) {
        neg = true;
        hy_p_advance(p);
        q = hy_p_cur(p);
    }
    hy_p_advance(p);
    int64_t um = 0, ud = 0;
    bool unit_outside = false;
    const hy_token *u = hy_p_cur(p);
    if (u->kind == HY_TK_IDENT && (u->kw == HY_KW_NONE || !hy_keyword_reserved(u->kw))) {
        if (interval_unit(u->text, u->text_len, &um, &ud)) {
            unit_outside = true;
            hy_p_advance(p);
        } else if (q->kind == HY_TK_INT || is_time_unit(u->text)) {
            hy_p_error_at(p, u->offset, "interval unit \"%s\" is not supported (only DAY, "
                                        "WEEK, MONTH and YEAR)", u->text);
            return NULL;
        }
    }
    if (q->kind == HY_TK_INT && !unit_outside) {
        hy_p_syntax_error(p);
        return NULL;
    }
    int64_t months, days;
    char tmp[64];
    const char *txt = q->text;
    size_t tlen = q->text_len;
    if (neg) {
        snprintf(tmp, sizeof tmp, "-%.*s", (int)(tlen > 40 ? 40 : tlen), txt);
        txt = tmp;
        tlen = strlen(tmp);
    }
    if (!interval_text(txt, tlen, unit_outside, um, ud, &months, &days)) {
        int en = hy_sql_echo_len(q->text, q->text_len);
        hy_p_error_at(p, q->offset, "invalid INTERVAL '%.*s%s'", en, q->text,
                      hy_sql_echo_more(q->text_len, en));
        return NULL;
    }
    hy_ast *n = hy_p_node(p, HY_AST_INTERVAL, start, hy_p_prev_end(p));
    n->months = months;
    n->days = days;
    return n;
}

static hy_ast *parse_case(hy_parser *p) {
    uint32_t start = hy_p_advance(p)->offset;
    hy_ast *operand = NULL;
    if (!hy_p_is_kw(p, 0, HY_KW_WHEN)) {
        operand = hy_p_expr(p);
        if (!operand) return NULL;
    }
    ast_list l = {0};
    if (!hy_p_is_kw(p, 0, HY_KW_WHEN)) {
        hy_p_syntax_error(p);
        return NULL;
    }
    while (hy_p_accept_kw(p, HY_KW_WHEN)) {
        hy_ast *w = hy_p_expr(p);
        if (!w || !hy_p_expect_kw(p, HY_KW_THEN)) return NULL;
        hy_ast *t = hy_p_expr(p);
        if (!t) return NULL;
        list_push(p, &l, w);
        list_push(p, &l, t);
    }
    bool has_else = false;
    if (hy_p_accept_kw(p, HY_KW_ELSE)) {
        hy_ast *e = hy_p_expr(p);
        if (!e) return NULL;
        list_push(p, &l, e);
        has_else = true;
    }
    if (!hy_p_expect_kw(p, HY_KW_END)) return NULL;
    hy_ast *n = hy_p_node(p, HY_AST_CASE, start, hy_p_prev_end(p));
    n->nargs = l.n;
    n->args = l.v;
    n->operand = operand;
    n->has_else = has_else;
    return hy_p_finish(p, n);
}

static hy_ast *parse_func_args(hy_parser *p, const char *name, uint32_t start, uint32_t name_off) {
    hy_p_advance(p); /* ( */
    hy_ast *n = hy_p_node(p, HY_AST_FUNC, start, start);
    n->name = name;
    n->name_offset = name_off;
    ast_list l = {0};
    if (hy_p_is_op(p, 0, HY_OP_STAR)) {
        hy_p_advance(p);
        n->star = true;
    } else if (!hy_p_is_op(p, 0, HY_OP_RPAREN)) {
        if (hy_p_accept_kw(p, HY_KW_DISTINCT)) n->distinct = true;
        else hy_p_accept_kw(p, HY_KW_ALL);
        for (;;) {
            hy_ast *e = hy_p_expr(p);
            if (!e) return NULL;
            list_push(p, &l, e);
            if (!hy_p_accept_op(p, HY_OP_COMMA)) break;
        }
    }
    if (!hy_p_expect_op(p, HY_OP_RPAREN)) return NULL;
    n->end = hy_p_prev_end(p);
    n->nargs = l.n;
    n->args = l.v;
    return hy_p_finish(p, n);
}

/* SUBSTRING(s FROM a [FOR b]) | SUBSTRING(s FOR b [FROM a]) | SUBSTRING(s, a [, b]) */
static hy_ast *parse_substring(hy_parser *p) {
    const hy_token *nt = hy_p_advance(p);
    uint32_t start = nt->offset;
    hy_p_advance(p); /* ( */
    hy_ast *s = hy_p_expr(p);
    if (!s) return NULL;
    hy_ast *from = NULL, *len = NULL;
    if (hy_p_accept_op(p, HY_OP_COMMA)) {
        from = hy_p_expr(p);
        if (!from) return NULL;
        if (hy_p_accept_op(p, HY_OP_COMMA)) {
            len = hy_p_expr(p);
            if (!len) return NULL;
        }
    } else {
        for (int i = 0; i < 2; i++) {
            if (!from && hy_p_accept_kw(p, HY_KW_FROM)) {
                from = hy_p_expr(p);
                if (!from) return NULL;
            } else if (!len && hy_p_accept_kw(p, HY_KW_FOR)) {
                len = hy_p_expr(p);
                if (!len) return NULL;
            }
        }
    }
    if (!hy_p_expect_op(p, HY_OP_RPAREN)) return NULL;
    if (!from) {
        if (!len) {
            /* substring(s) alone */
            hy_p_error_at(p, start, "No function matches the given name and argument types "
                                    "'substring(...)' (expected 2 or 3 arguments)");
            return NULL;
        }
        hy_ast *one = hy_p_node(p, HY_AST_CONST, start, start);
        one->lit = HY_LIT_INT;
        one->str = "1";
        one->str_len = 1;
        from = one;
    }
    hy_ast *n = hy_p_node(p, HY_AST_FUNC, start, hy_p_prev_end(p));
    n->name = "substring";
    n->name_offset = start;
    n->nargs = len ? 3 : 2;
    n->args = hy_arena_alloc(p->a, sizeof(hy_ast *) * 3);
    n->args[0] = s;
    n->args[1] = from;
    n->args[2] = len;
    return hy_p_finish(p, n);
}

static hy_ast *parse_primary(hy_parser *p) {
    const hy_token *t = hy_p_cur(p);
    switch (t->kind) {
    case HY_TK_INT: hy_p_advance(p); return mk_const(p, t, HY_LIT_INT);
    case HY_TK_NUM: hy_p_advance(p); return mk_const(p, t, HY_LIT_NUM);
    case HY_TK_STRING: hy_p_advance(p); return mk_const(p, t, HY_LIT_STRING);
    case HY_TK_OP:
        if (t->op == HY_OP_LPAREN) {
            uint32_t lp = t->offset;
            hy_p_advance(p);
            if (hy_p_is_kw(p, 0, HY_KW_SELECT)) {
                hy_ast_select *sq = hy_p_select(p);
                if (!sq || !hy_p_expect_op(p, HY_OP_RPAREN)) return NULL;
                hy_ast *n = hy_p_node(p, HY_AST_SUBQUERY, lp, hy_p_prev_end(p));
                n->subquery = sq;
                return n;
            }
            hy_ast *x = hy_p_expr(p);
            if (!x || !hy_p_expect_op(p, HY_OP_RPAREN)) return NULL;
            x->start = lp;
            x->end = hy_p_prev_end(p);
            return x;
        }
        if (t->op == HY_OP_STAR) {
            hy_p_advance(p);
            return hy_p_node(p, HY_AST_STAR, t->offset, t->offset + 1);
        }
        break;
    case HY_TK_IDENT:
        switch (t->kw) {
        case HY_KW_TRUE:
        case HY_KW_FALSE: {
            hy_p_advance(p);
            hy_ast *n = mk_const(p, t, HY_LIT_BOOL);
            n->bval = t->kw == HY_KW_TRUE;
            return n;
        }
        case HY_KW_NULL: hy_p_advance(p); return mk_const(p, t, HY_LIT_NULL);
        case HY_KW_CASE: return parse_case(p);
        case HY_KW_CAST: {
            hy_p_advance(p);
            if (!hy_p_expect_op(p, HY_OP_LPAREN)) return NULL;
            hy_ast *x = hy_p_expr(p);
            if (!x || !hy_p_expect_kw(p, HY_KW_AS)) return NULL;
            hy_ast_type ty;
            if (!hy_p_type(p, &ty) || !hy_p_expect_op(p, HY_OP_RPAREN)) return NULL;
            hy_ast *n = mk(p, HY_AST_CAST, t->offset, 1, x, NULL, NULL);
            if (n) n->cast_type = ty;
            return n;
        }
        case HY_KW_EXTRACT:
            if (hy_p_is_op(p, 1, HY_OP_LPAREN)) {
                hy_p_advance(p);
                hy_p_advance(p);
                const hy_token *f = hy_p_cur(p);
                if (f->kind != HY_TK_IDENT && f->kind != HY_TK_STRING && f->kind != HY_TK_QIDENT) {
                    hy_p_syntax_error(p);
                    return NULL;
                }
                hy_p_advance(p);
                char *field = hy_arena_strndup(p->a, f->text, f->text_len);
                for (char *c = field; *c; c++)
                    if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
                if (!hy_p_expect_kw(p, HY_KW_FROM)) return NULL;
                hy_ast *x = hy_p_expr(p);
                if (!x || !hy_p_expect_op(p, HY_OP_RPAREN)) return NULL;
                hy_ast *n = mk(p, HY_AST_EXTRACT, t->offset, 1, x, NULL, NULL);
                if (n) {
                    n->name = field;
                    n->name_offset = f->offset;
                }
                return n;
            }
            break;
        case HY_KW_SUBSTRING:
            if (hy_p_is_op(p, 1, HY_OP_LPAREN)) return parse_substring(p);
            break;
        case HY_KW_INTERVAL: {
            const hy_token *n1 = hy_p_peek(p, 1);
            if (n1->kind == HY_TK_STRING || n1->kind == HY_TK_INT ||
                (n1->kind == HY_TK_OP && n1->op == HY_OP_MINUS &&
                 hy_p_peek(p, 2)->kind == HY_TK_INT))
                return parse_interval(p);
            break;
        }
        default: break;
        }
        if (t->kw == HY_KW_NONE || !hy_keyword_reserved(t->kw)) {
            /* typed literal: DATE '1998-12-01' */
            if (hy_p_peek(p, 1)->kind == HY_TK_STRING) {
                /* any other name before a string is an unknown type (as in PostgreSQL) */
                hy_ast_type ty;
                if (!hy_p_type(p, &ty)) return NULL;
                const hy_token *s = hy_p_advance(p);
                hy_ast *n = mk_const(p, s, HY_LIT_TYPED);
                n->start = t->offset;
                n->cast_type = ty;
                return n;
            }
        }
        /* fallthrough */
    case HY_TK_QIDENT:
        if (hy_p_is_ident(p, 0)) {
            const char *name;
            uint32_t off;
            hy_p_ident(p, &name, &off);
            if (hy_p_is_op(p, 0, HY_OP_LPAREN)) return parse_func_args(p, name, off, off);
            if (hy_p_is_op(p, 0, HY_OP_DOT)) {
                hy_p_advance(p);
                if (hy_p_is_op(p, 0, HY_OP_STAR)) {
                    hy_p_advance(p);
                    hy_ast *n = hy_p_node(p, HY_AST_STAR, off, hy_p_prev_end(p));
                    n->qualifier = name;
                    return n;
                }
                const char *col;
                uint32_t coff;
                if (!hy_p_ident(p, &col, &coff)) return NULL;
                if (hy_p_is_op(p, 0, HY_OP_DOT) || hy_p_is_op(p, 0, HY_OP_LPAREN)) {
                    hy_p_syntax_error(p);
                    return NULL;
                }
                hy_ast *n = hy_p_node(p, HY_AST_COLREF, off, hy_p_prev_end(p));
                n->qualifier = name;
                n->name = col;
                n->name_offset = coff;
                return n;
            }
            hy_ast *n = hy_p_node(p, HY_AST_COLREF, off, hy_p_prev_end(p));
            n->name = name;
            n->name_offset = off;
            return n;
        }
        break;
    default: break;
    }
    hy_p_syntax_error(p);
    return NULL;
}
