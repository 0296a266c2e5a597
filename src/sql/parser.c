/*
 * Statement grammar (recursive descent). Expressions are in parser_expr.c.
 *
 *   stmt     := select | CREATE TABLE ... | DROP TABLE ... | INSERT ... | COPY ... | CALL ...
 *             | EXPLAIN [ANALYZE] stmt | EXPLAIN (option [value], ...) stmt
 *   select   := SELECT [DISTINCT|ALL] items [FROM from {, from}] [WHERE e] [GROUP BY e {, e}]
 *               [HAVING e] [ORDER BY e [ASC|DESC] [NULLS FIRST|LAST] {, ...}]
 *               [LIMIT e|ALL] [OFFSET e [ROW|ROWS]]      (LIMIT/OFFSET in either order)
 *   from     := table [[AS] alias] { [INNER|LEFT|RIGHT|FULL|CROSS] JOIN table [ON e] }
 * The statement's tokens are collected first (up to ';'), so the parser has free lookahead
 * and the caller's offset can always move past the statement, even after an error.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sql/parser_internal.h"

/* ---- errors -------------------------------------------------------------------------------- */

/* hy_text_position() for a text of explicit length, which may hold NUL bytes (one character
 * each): hy_text_position() stops at a NUL, so the text is measured piece by piece. */
static void position_in(const char *text, size_t len, size_t offset, int *line, int *col) {
    if (offset > len) offset = len;
    int l = 1, c = 1;
    size_t seg = 0;
    for (;;) {
        const char *nul = memchr(text + seg, '\0', offset - seg);
        size_t end = nul ? (size_t)(nul - text) : offset;
        int sl, sc;
        hy_text_position(text + seg, end - seg, &sl, &sc);
        if (sl > 1) {
            l += sl - 1;
            c = sc;
        } else {
            c += sc - 1;
        }
        if (!nul) break;
        c++;
        seg = end + 1;
    }
    *line = l;
    *col = c;
}

static bool error_code_at(hy_parser *p, hy_errcode code, uint32_t offset, const char *fmt,
                          va_list ap) {
    char buf[512];
    vsnprintf(buf, sizeof buf, fmt, ap);
    if (p->len == SIZE_MAX) return hy_error_at(p->err, code, p->text, offset, "%s", buf);
    if (hy_failed(p->err)) return false;
    int line, col;
    position_in(p->text, p->len, offset, &line, &col);
    hy_error_set(p->err, code, "line %d:%d: %s", line, col, buf);
    p->err->line = line;
    p->err->col = col;
    return false;
}

bool hy_p_error_at(hy_parser *p, uint32_t offset, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    error_code_at(p, HY_E_SYNTAX, offset, fmt, ap);
    va_end(ap);
    return false;
}

static bool type_error_at(hy_parser *p, uint32_t offset, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static bool type_error_at(hy_parser *p, uint32_t offset, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    error_code_at(p, HY_E_TYPE, offset, fmt, ap);
    va_end(ap);
    return false;
}

bool hy_p_syntax_error(hy_parser *p) {
    const hy_token *t = hy_p_cur(p);
    if (t->kind == HY_TK_ERROR) return hy_p_error_at(p, t->offset, "%s", t->text);
    if (t->kind == HY_TK_EOF) return hy_p_error_at(p, t->offset, "syntax error at end of input");
    int n = hy_sql_echo_len(p->text + t->offset, t->len);
    return hy_p_error_at(p, t->offset, "syntax error at or near \"%.*s%s\"", n,
                         p->text + t->offset, hy_sql_echo_more(t->len, n));
}

bool hy_p_expect_kw(hy_parser *p, hy_keyword kw) {
    if (hy_p_accept_kw(p, kw)) return true;
    return hy_p_syntax_error(p);
}

bool hy_p_expect_op(hy_parser *p, hy_sql_op op) {
    if (hy_p_accept_op(p, op)) return true;
    return hy_p_syntax_error(p);
}

bool hy_p_is_ident(const hy_parser *p, int k) {
    const hy_token *t = hy_p_peek(p, k);
    if (t->kind == HY_TK_QIDENT) return true;
    return t->kind == HY_TK_IDENT && (t->kw == HY_KW_NONE || !hy_keyword_reserved(t->kw));
}

bool hy_p_ident(hy_parser *p, const char **name, uint32_t *offset) {
    if (!hy_p_is_ident(p, 0)) return hy_p_syntax_error(p);
    const hy_token *t = hy_p_advance(p);
    *name = t->text;
    if (offset) *offset = t->offset;
    return true;
}

/* A label after AS may be any word, even a reserved one (PostgreSQL's ColLabel). */
static bool label(hy_parser *p, const char **name, uint32_t *offset) {
    const hy_token *t = hy_p_cur(p);
    if (t->kind != HY_TK_IDENT && t->kind != HY_TK_QIDENT) return hy_p_syntax_error(p);
    hy_p_advance(p);
    *name = t->text;
    *offset = t->offset;
    return true;
}

/* ---- types --------------------------------------------------------------------------------- */

static bool int_arg(hy_parser *p, int *out) {
    const hy_token *t = hy_p_cur(p);
    if (t->kind != HY_TK_INT) return hy_p_syntax_error(p);
    hy_p_advance(p);
    long v = t->text_len > 6 ? 1000000 : strtol(t->text, NULL, 10);
    *out = (int)v;
    return true;
}

bool hy_p_type(hy_parser *p, hy_ast_type *out) {
    const hy_token *t = hy_p_cur(p);
    if (t->kind != HY_TK_IDENT && t->kind != HY_TK_QIDENT) return hy_p_syntax_error(p);
    hy_p_advance(p);
    const char *n = t->text;
    out->offset = t->offset;
#define IS(s) (strcasecmp(n, s) == 0)
    if (IS("boolean") || IS("bool") || IS("logical")) {
        out->type = hy_lt(HY_TYPE_BOOLEAN);
    } else if (IS("integer") || IS("int") || IS("int4") || IS("int32") || IS("signed") ||
               IS("smallint") || IS("int2") || IS("int16") || IS("tinyint") || IS("int1")) {
        out->type = hy_lt(HY_TYPE_INTEGER);
    } else if (IS("bigint") || IS("int8") || IS("int64") || IS("long")) {
        out->type = hy_lt(HY_TYPE_BIGINT);
    } else if (IS("double")) {
        const hy_token *q = hy_p_cur(p);
        if (q->kind == HY_TK_IDENT && strcmp(q->text, "precision") == 0) hy_p_advance(p);
        out->type = hy_lt(HY_TYPE_DOUBLE);
    } else if (IS("float8") || IS("float") || IS("real") || IS("float4")) {
        out->type = hy_lt(HY_TYPE_DOUBLE);
    } else if (IS("decimal") || IS("numeric") || IS("dec")) {
        int prec = 18, scale = 3;
        if (hy_p_accept_op(p, HY_OP_LPAREN)) {
            uint32_t poff = hy_p_cur(p)->offset;
            if (!int_arg(p, &prec)) return false;
            scale = 0;
            uint32_t soff = poff;
            if (hy_p_accept_op(p, HY_OP_COMMA)) {
                soff = hy_p_cur(p)->offset;
                if (!int_arg(p, &scale)) return false;
            }
            if (!hy_p_expect_op(p, HY_OP_RPAREN)) return false;
            if (prec < 1 || prec > HY_DEC_MAX_PREC)
                return type_error_at(p, poff, "DECIMAL precision %d must be between 1 and %d",
                                     prec, HY_DEC_MAX_PREC);
            if (scale < 0 || scale > prec)
                return type_error_at(p, soff,
                                     "DECIMAL scale %d must be between 0 and precision %d",
                                     scale, prec);
        }
        out->type = hy_lt_dec(prec, scale);
    } else if (IS("date")) {
        out->type = hy_lt(HY_TYPE_DATE);
    } else if (IS("varchar") || IS("text") || IS("string") || IS("char") || IS("character") ||
               IS("bpchar") || IS("nvarchar")) {
        if (IS("character") || IS("char")) {
            const hy_token *q = hy_p_cur(p);
            if (q->kind == HY_TK_IDENT && strcmp(q->text, "varying") == 0) hy_p_advance(p);
        }
        if (hy_p_accept_op(p, HY_OP_LPAREN)) {
            int len;
            uint32_t loff = hy_p_cur(p)->offset;
            if (!int_arg(p, &len) || !hy_p_expect_op(p, HY_OP_RPAREN)) return false;
            if (len < 1)
                return type_error_at(p, loff, "length for type VARCHAR must be at least 1");
        }
        out->type = hy_lt(HY_TYPE_VARCHAR);
    } else {
        return type_error_at(p, t->offset, "type \"%s\" does not exist",
                             hy_sql_echo(p->a, t->text));
    }
#undef IS
    return true;
}

/* ---- SELECT -------------------------------------------------------------------------------- */

#define GROW(arr, n, cap, T)                                                     \
    do {                                                                         \
        if ((n) == (cap)) {                                                      \
            int nc_ = (cap) ? (cap) * 2 : 4;                                     \
            T *nv_ = hy_arena_alloc(p->a, sizeof(T) * (size_t)nc_);             \
            if (n) memcpy(nv_, (arr), sizeof(T) * (size_t)(n));                  \
            (arr) = nv_;                                                         \
            (cap) = nc_;                                                         \
        }                                                                        \
    } while (0)

static hy_ast_from *parse_table_primary(hy_parser *p) {
    hy_ast_from *f = hy_arena_alloc(p->a, sizeof *f);
    f->offset = hy_p_cur(p)->offset;
    if (hy_p_is_op(p, 0, HY_OP_LPAREN) && hy_p_is_kw(p, 1, HY_KW_SELECT)) {
        hy_p_advance(p);
        f->kind = HY_FROM_SUBQUERY;
        f->subquery = hy_p_select(p);
        if (!f->subquery || !hy_p_expect_op(p, HY_OP_RPAREN)) return NULL;
    } else {
        f->kind = HY_FROM_TABLE;
        if (!hy_p_ident(p, &f->table, NULL)) return NULL;
        if (hy_p_is_op(p, 0, HY_OP_DOT)) {
            hy_p_error_at(p, hy_p_cur(p)->offset, "schema-qualified table names are not supported");
            return NULL;
        }
        if (hy_p_is_op(p, 0, HY_OP_LPAREN)) {
            hy_p_error_at(p, f->offset, "table functions are not supported");
            return NULL;
        }
    }
    uint32_t aoff;
    if (hy_p_accept_kw(p, HY_KW_AS)) {
        if (!hy_p_ident(p, &f->alias, &aoff)) return NULL;
    } else if (hy_p_is_ident(p, 0)) {
        hy_p_ident(p, &f->alias, &aoff);
    }
    return f;
}

static hy_ast_from *parse_from_item(hy_parser *p) {
    hy_ast_from *left = parse_table_primary(p);
    while (left) {
        uint32_t off = hy_p_cur(p)->offset;
        hy_ast_join_kind jk;
        if (hy_p_is_kw(p, 0, HY_KW_NATURAL)) {
            hy_p_error_at(p, off, "NATURAL joins are not supported");
            return NULL;
        }
        if (hy_p_accept_kw(p, HY_KW_JOIN)) jk = HY_JOIN_INNER;
        else if (hy_p_is_kw(p, 0, HY_KW_INNER) && hy_p_is_kw(p, 1, HY_KW_JOIN)) {
            p->pos += 2;
            jk = HY_JOIN_INNER;
        } else if (hy_p_is_kw(p, 0, HY_KW_CROSS) && hy_p_is_kw(p, 1, HY_KW_JOIN)) {
            p->pos += 2;
            jk = HY_JOIN_CROSS;
        } else if (hy_p_is_kw(p, 0, HY_KW_LEFT) || hy_p_is_kw(p, 0, HY_KW_RIGHT) ||
                   hy_p_is_kw(p, 0, HY_KW_FULL)) {
            hy_keyword kw = hy_p_advance(p)->kw;
            jk = kw == HY_KW_LEFT ? HY_JOIN_LEFT : kw == HY_KW_RIGHT ? HY_JOIN_RIGHT : HY_JOIN_FULL;
            hy_p_accept_kw(p, HY_KW_OUTER);
            if (!hy_p_expect_kw(p, HY_KW_JOIN)) return NULL;
        } else {
            break;
        }
        hy_ast_from *right = parse_table_primary(p);
        if (!right) return NULL;
        hy_ast_from *j = hy_arena_alloc(p->a, sizeof *j);
        j->kind = HY_FROM_JOIN;
        j->offset = off;
        j->join = jk;
        j->left = left;
        j->right = right;
        if (jk != HY_JOIN_CROSS) {
            if (hy_p_is_kw(p, 0, HY_KW_USING)) {
                hy_p_error_at(p, hy_p_cur(p)->offset, "JOIN ... USING is not supported");
                return NULL;
            }
            if (!hy_p_expect_kw(p, HY_KW_ON)) return NULL;
            j->on = hy_p_expr(p);
            if (!j->on) return NULL;
        }
        left = j;
    }
    return left;
}

static hy_ast_select *parse_select_body(hy_parser *p);

hy_ast_select *hy_p_select(hy_parser *p) {
    if (!hy_p_enter(p)) return NULL;
    hy_ast_select *s = parse_select_body(p);
    hy_p_leave(p);
    return s;
}

static hy_ast_select *parse_select_body(hy_parser *p) {
    hy_ast_select *s = hy_arena_alloc(p->a, sizeof *s);
    s->offset = hy_p_cur(p)->offset;
    if (!hy_p_expect_kw(p, HY_KW_SELECT)) return NULL;
    if (hy_p_accept_kw(p, HY_KW_DISTINCT)) {
        s->distinct = true;
        if (hy_p_is_kw(p, 0, HY_KW_ON)) {
            hy_p_error_at(p, hy_p_cur(p)->offset, "SELECT DISTINCT ON is not supported");
            return NULL;
        }
    } else {
        hy_p_accept_kw(p, HY_KW_ALL);
    }
    int cap = 0;
    for (;;) {
        hy_ast_select_item it = {0};
        it.expr = hy_p_expr(p);
        if (!it.expr) return NULL;
        if (hy_p_accept_kw(p, HY_KW_AS)) {
            if (!label(p, &it.alias, &it.alias_offset)) return NULL;
        } else if (hy_p_is_ident(p, 0)) {
            hy_p_ident(p, &it.alias, &it.alias_offset);
        }
        GROW(s->items, s->nitems, cap, hy_ast_select_item);
        s->items[s->nitems++] = it;
        if (!hy_p_accept_op(p, HY_OP_COMMA)) break;
    }
    if (hy_p_accept_kw(p, HY_KW_FROM)) {
        cap = 0;
        for (;;) {
            hy_ast_from *f = parse_from_item(p);
            if (!f) return NULL;
            GROW(s->from, s->nfrom, cap, hy_ast_from *);
            s->from[s->nfrom++] = f;
            if (!hy_p_accept_op(p, HY_OP_COMMA)) break;
        }
    }
    if (hy_p_accept_kw(p, HY_KW_WHERE)) {
        s->where = hy_p_expr(p);
        if (!s->where) return NULL;
    }
    if (hy_p_is_kw(p, 0, HY_KW_GROUP)) {
        hy_p_advance(p);
        if (!hy_p_expect_kw(p, HY_KW_BY)) return NULL;
        cap = 0;
        for (;;) {
            hy_ast *e = hy_p_expr(p);
            if (!e) return NULL;
            GROW(s->group, s->ngroup, cap, hy_ast *);
            s->group[s->ngroup++] = e;
            if (!hy_p_accept_op(p, HY_OP_COMMA)) break;
        }
    }
    if (hy_p_accept_kw(p, HY_KW_HAVING)) {
        s->having = hy_p_expr(p);
        if (!s->having) return NULL;
    }
    if (hy_p_is_kw(p, 0, HY_KW_ORDER)) {
        hy_p_advance(p);
        if (!hy_p_expect_kw(p, HY_KW_BY)) return NULL;
        cap = 0;
        for (;;) {
            hy_ast_order o = {0};
            o.nulls = -1;
            o.expr = hy_p_expr(p);
            if (!o.expr) return NULL;
            if (hy_p_accept_kw(p, HY_KW_DESC)) o.desc = true;
            else hy_p_accept_kw(p, HY_KW_ASC);
            if (hy_p_accept_kw(p, HY_KW_NULLS)) {
                if (hy_p_accept_kw(p, HY_KW_FIRST)) o.nulls = 1;
                else if (hy_p_accept_kw(p, HY_KW_LAST)) o.nulls = 0;
                else {
                    hy_p_syntax_error(p);
                    return NULL;
                }
            }
            GROW(s->order, s->norder, cap, hy_ast_order);
            s->order[s->norder++] = o;
            if (!hy_p_accept_op(p, HY_OP_COMMA)) break;
        }
    }
    bool seen_limit = false, seen_offset = false;
    for (;;) {
        if (!seen_limit && hy_p_accept_kw(p, HY_KW_LIMIT)) {
            seen_limit = true;
            if (hy_p_accept_kw(p, HY_KW_ALL)) continue;
            s->limit = hy_p_expr(p);
            if (!s->limit) return NULL;
        } else if (!seen_offset && hy_p_accept_kw(p, HY_KW_OFFSET)) {
            seen_offset = true;
            s->offset_expr = hy_p_expr(p);
            if (!s->offset_expr) return NULL;
            if (!hy_p_accept_kw(p, HY_KW_ROWS)) hy_p_accept_kw(p, HY_KW_ROW);
        } else {
            break;
        }
    }
    if (hy_p_is_kw(p, 0, HY_KW_UNION) || hy_p_is_kw(p, 0, HY_KW_INTERSECT) ||
        hy_p_is_kw(p, 0, HY_KW_EXCEPT)) {
        hy_p_error_at(p, hy_p_cur(p)->offset, "UNION/INTERSECT/EXCEPT are not supported yet");
        return NULL;
    }
    return s;
}

/* SELECT ... or (SELECT ...) */
static hy_ast_select *parse_query(hy_parser *p) {
    if (hy_p_is_op(p, 0, HY_OP_LPAREN)) {
        hy_p_advance(p);
        if (!hy_p_enter(p)) return NULL;
        hy_ast_select *s = parse_query(p);
        hy_p_leave(p);
        if (!s || !hy_p_expect_op(p, HY_OP_RPAREN)) return NULL;
        return s;
    }
    return hy_p_select(p);
}

static bool is_query_start(const hy_parser *p) {
    int k = 0;
    while (hy_p_is_op(p, k, HY_OP_LPAREN)) k++;
    return hy_p_is_kw(p, k, HY_KW_SELECT);
}

/* ---- CREATE / DROP / INSERT ---------------------------------------------------------------- */

static bool parse_create(hy_parser *p, hy_ast_stmt *st) {
    hy_p_advance(p); /* CREATE */
    if (hy_p_is_kw(p, 0, HY_KW_OR)) {
        return hy_p_error_at(p, hy_p_cur(p)->offset, "CREATE OR REPLACE is not supported");
    }
    const hy_token *t = hy_p_cur(p);
    if (t->kind == HY_TK_IDENT && (strcmp(t->text, "temp") == 0 || strcmp(t->text, "temporary") == 0))
        hy_p_advance(p);
    if (!hy_p_expect_kw(p, HY_KW_TABLE)) return false;
    if (hy_p_is_kw(p, 0, HY_KW_IF)) {
        hy_p_advance(p);
        if (!hy_p_expect_kw(p, HY_KW_NOT) || !hy_p_expect_kw(p, HY_KW_EXISTS)) return false;
        st->if_not_exists = true;
    }
    if (!hy_p_ident(p, &st->table, &st->table_offset)) return false;
    if (hy_p_accept_kw(p, HY_KW_AS)) {
        st->kind = HY_AST_S_CTAS;
        st->select = parse_query(p);
        return st->select != NULL;
    }
    st->kind = HY_AST_S_CREATE;
    if (!hy_p_expect_op(p, HY_OP_LPAREN)) return false;
    int cap = 0;
    for (;;) {
        hy_ast_coldef c = {0};
        if (hy_p_is_kw(p, 0, HY_KW_PRIMARY) || (hy_p_cur(p)->kind == HY_TK_IDENT &&
                                                (strcmp(hy_p_cur(p)->text, "unique") == 0 ||
                                                 strcmp(hy_p_cur(p)->text, "constraint") == 0 ||
                                                 strcmp(hy_p_cur(p)->text, "check") == 0 ||
                                                 strcmp(hy_p_cur(p)->text, "foreign") == 0)))
            return hy_p_error_at(p, hy_p_cur(p)->offset,
                                 "table constraints are not supported (only NOT NULL)");
        if (!hy_p_ident(p, &c.name, &c.offset)) return false;
        if (!hy_p_type(p, &c.type)) return false;
        for (;;) {
            if (hy_p_is_kw(p, 0, HY_KW_NOT) && hy_p_is_kw(p, 1, HY_KW_NULL)) {
                p->pos += 2;
                c.not_null = true;
            } else if (hy_p_accept_kw(p, HY_KW_NULL)) {
                c.not_null = false;
            } else if (hy_p_is_kw(p, 0, HY_KW_PRIMARY) || hy_p_is_kw(p, 0, HY_KW_DEFAULT) ||
                       (hy_p_cur(p)->kind == HY_TK_IDENT &&
                        (strcmp(hy_p_cur(p)->text, "unique") == 0 ||
                         strcmp(hy_p_cur(p)->text, "check") == 0 ||
                         strcmp(hy_p_cur(p)->text, "references") == 0))) {
                return hy_p_error_at(p, hy_p_cur(p)->offset,
                                     "column constraint \"%s\" is not supported (only NOT NULL)",
                                     hy_sql_echo(p->a, hy_p_cur(p)->text));
            } else {
                break;
            }
        }
        GROW(st->cols, st->ncols, cap, hy_ast_coldef);
        st->cols[st->ncols++] = c;
        if (!hy_p_accept_op(p, HY_OP_COMMA)) break;
    }
    return hy_p_expect_op(p, HY_OP_RPAREN);
}

static bool parse_drop(hy_parser *p, hy_ast_stmt *st) {
    hy_p_advance(p);
    st->kind = HY_AST_S_DROP;
    if (!hy_p_expect_kw(p, HY_KW_TABLE)) return false;
    if (hy_p_is_kw(p, 0, HY_KW_IF)) {
        hy_p_advance(p);
        if (!hy_p_expect_kw(p, HY_KW_EXISTS)) return false;
        st->if_exists = true;
    }
    return hy_p_ident(p, &st->table, &st->table_offset);
}

static bool parse_insert(hy_parser *p, hy_ast_stmt *st) {
    hy_p_advance(p);
    st->kind = HY_AST_S_INSERT;
    if (!hy_p_expect_kw(p, HY_KW_INTO)) return false;
    if (!hy_p_ident(p, &st->table, &st->table_offset)) return false;
    if (hy_p_is_op(p, 0, HY_OP_LPAREN) && !is_query_start(p)) {
        hy_p_advance(p);
        int cap = 0, cap2 = 0;
        for (;;) {
            const char *n;
            uint32_t off;
            if (!hy_p_ident(p, &n, &off)) return false;
            GROW(st->insert_cols, st->ninsert_cols, cap, const char *);
            GROW(st->insert_col_offsets, st->ninsert_cols, cap2, uint32_t);
            st->insert_cols[st->ninsert_cols] = n;
            st->insert_col_offsets[st->ninsert_cols] = off;
            st->ninsert_cols++;
            if (!hy_p_accept_op(p, HY_OP_COMMA)) break;
        }
        if (!hy_p_expect_op(p, HY_OP_RPAREN)) return false;
    }
    if (hy_p_accept_kw(p, HY_KW_VALUES)) {
        int cap = 0, cap2 = 0, cap3 = 0;
        for (;;) {
            uint32_t roff = hy_p_cur(p)->offset;
            if (!hy_p_expect_op(p, HY_OP_LPAREN)) return false;
            hy_ast **row = NULL;
            int n = 0, rcap = 0;
            for (;;) {
                if (hy_p_is_kw(p, 0, HY_KW_DEFAULT))
                    return hy_p_error_at(p, hy_p_cur(p)->offset, "DEFAULT is not supported");
                hy_ast *e = hy_p_expr(p);
                if (!e) return false;
                GROW(row, n, rcap, hy_ast *);
                row[n++] = e;
                if (!hy_p_accept_op(p, HY_OP_COMMA)) break;
            }
            if (!hy_p_expect_op(p, HY_OP_RPAREN)) return false;
            GROW(st->rows, st->nrows, cap, hy_ast **);
            GROW(st->row_len, st->nrows, cap2, int);
            GROW(st->row_offsets, st->nrows, cap3, uint32_t);
            st->rows[st->nrows] = row;
            st->row_len[st->nrows] = n;
            st->row_offsets[st->nrows] = roff;
            st->nrows++;
            if (!hy_p_accept_op(p, HY_OP_COMMA)) break;
        }
        return true;
    }
    if (is_query_start(p)) {
        st->select = parse_query(p);
        return st->select != NULL;
    }
    return hy_p_syntax_error(p);
}

/* ---- COPY ---------------------------------------------------------------------------------- */

static bool bool_word(const char *s, bool *out) {
    static const char *const t[] = {"true", "t", "on", "1", "yes", "y"};
    static const char *const f[] = {"false", "f", "off", "0", "no", "n"};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        if (strcasecmp(s, t[i]) == 0) {
            *out = true;
            return true;
        }
        if (strcasecmp(s, f[i]) == 0) {
            *out = false;
            return true;
        }
    }
    return false;
}

static bool option_char(hy_parser *p, const hy_token *v, const char *what, char *out) {
    if (v && v->kind == HY_TK_STRING) {
        if (v->text_len == 1) {
            *out = v->text[0];
            return true;
        }
        if (v->text_len == 2 && v->text[0] == '\\' && v->text[1] == 't') {
            *out = '\t';
            return true;
        }
    }
    return hy_p_error_at(p, v ? v->offset : hy_p_cur(p)->offset,
                         "COPY %s must be a single one-byte character", what);
}

/* One COPY option; `v` is its value token or NULL. */
static bool copy_option(hy_parser *p, hy_ast_stmt *st, const hy_token *name, const hy_token *v) {
    const char *n = name->text;
    if (strcasecmp(n, "header") == 0) {
        bool b = true;
        if (v && !bool_word(v->text, &b))
            return hy_p_error_at(p, v->offset, "option \"header\" requires a Boolean value");
        st->header = b;
        st->header_set = true;
        return true;
    }
    if (strcasecmp(n, "delimiter") == 0 || strcasecmp(n, "delim") == 0 ||
        strcasecmp(n, "sep") == 0)
        return option_char(p, v, "delimiter", &st->delimiter);
    if (strcasecmp(n, "quote") == 0) return option_char(p, v, "quote", &st->quote);
    if (strcasecmp(n, "format") == 0) {
        if (!v || strcasecmp(v->text, "csv") != 0)
            return hy_p_error_at(p, v ? v->offset : name->offset, "COPY format \"%s\" not recognized",
                                 v ? hy_sql_echo(p->a, v->text) : "");
        return true;
    }
    if (strcasecmp(n, "csv") == 0 && !v) return true;
    return hy_p_error_at(p, name->offset, "option \"%s\" not recognized",
                         hy_sql_echo(p->a, n));
}

static bool is_option_value(const hy_token *t) {
    return t->kind == HY_TK_STRING || t->kind == HY_TK_INT || t->kind == HY_TK_QIDENT ||
           (t->kind == HY_TK_IDENT && (t->kw == HY_KW_NONE || !hy_keyword_reserved(t->kw) ||
                                       t->kw == HY_KW_TRUE || t->kw == HY_KW_FALSE));
}

static bool parse_copy_options(hy_parser *p, hy_ast_stmt *st) {
    bool with = hy_p_accept_kw(p, HY_KW_WITH);
    if (hy_p_accept_op(p, HY_OP_LPAREN)) {
        for (;;) {
            const hy_token *name = hy_p_cur(p);
            if (name->kind != HY_TK_IDENT) return hy_p_syntax_error(p);
            hy_p_advance(p);
            const hy_token *v = NULL;
            if (!hy_p_is_op(p, 0, HY_OP_COMMA) && !hy_p_is_op(p, 0, HY_OP_RPAREN)) {
                hy_p_accept_op(p, HY_OP_EQ);
                if (!is_option_value(hy_p_cur(p))) return hy_p_syntax_error(p);
                v = hy_p_advance(p);
            }
            if (!copy_option(p, st, name, v)) return false;
            if (!hy_p_accept_op(p, HY_OP_COMMA)) break;
        }
        return hy_p_expect_op(p, HY_OP_RPAREN);
    }
    /* PostgreSQL's old spelling: [WITH] [CSV] [HEADER] [DELIMITER [AS] 'x'] [QUOTE [AS] 'x'] */
    (void)with;
    while (!hy_p_at_end(p)) {
        const hy_token *name = hy_p_cur(p);
        if (name->kind != HY_TK_IDENT) return hy_p_syntax_error(p);
        hy_p_advance(p);
        const hy_token *v = NULL;
        if (strcasecmp(name->text, "delimiter") == 0 || strcasecmp(name->text, "quote") == 0 ||
            strcasecmp(name->text, "format") == 0 || strcasecmp(name->text, "delim") == 0 ||
            strcasecmp(name->text, "sep") == 0) {
            hy_p_accept_kw(p, HY_KW_AS);
            if (!is_option_value(hy_p_cur(p))) return hy_p_syntax_error(p);
            v = hy_p_advance(p);
        }
        if (!copy_option(p, st, name, v)) return false;
    }
    return true;
}

static bool parse_copy(hy_parser *p, hy_ast_stmt *st) {
    hy_p_advance(p);
    if (is_query_start(p)) {
        st->select = parse_query(p);
        if (!st->select) return false;
        if (!hy_p_expect_kw(p, HY_KW_TO)) return false;
        st->kind = HY_AST_S_COPY_TO;
    } else {
        if (!hy_p_ident(p, &st->table, &st->table_offset)) return false;
        if (hy_p_is_op(p, 0, HY_OP_LPAREN))
            return hy_p_error_at(p, hy_p_cur(p)->offset, "COPY column lists are not supported");
        if (hy_p_accept_kw(p, HY_KW_FROM)) st->kind = HY_AST_S_COPY_FROM;
        else if (hy_p_accept_kw(p, HY_KW_TO)) st->kind = HY_AST_S_COPY_TO;
        else return hy_p_syntax_error(p);
    }
    const hy_token *f = hy_p_cur(p);
    if (f->kind != HY_TK_STRING) {
        if (f->kind == HY_TK_IDENT && (strcmp(f->text, "stdin") == 0 || strcmp(f->text, "stdout") == 0))
            return hy_p_error_at(p, f->offset, "COPY %s is not supported; name a file",
                                 f->text);
        return hy_p_syntax_error(p);
    }
    hy_p_advance(p);
    st->path = f->text;
    return parse_copy_options(p, st);
}

/* ---- CALL / EXPLAIN ------------------------------------------------------------------------ */

static bool parse_call(hy_parser *p, hy_ast_stmt *st) {
    hy_p_advance(p);
    st->kind = HY_AST_S_CALL;
    uint32_t off;
    if (!hy_p_ident(p, &st->func, &off)) return false;
    st->table_offset = off;
    if (!hy_p_expect_op(p, HY_OP_LPAREN)) return false;
    int cap = 0;
    if (!hy_p_is_op(p, 0, HY_OP_RPAREN)) {
        for (;;) {
            hy_ast_call_arg a = {0};
            a.offset = hy_p_cur(p)->offset;
            if (hy_p_is_ident(p, 0) &&
                (hy_p_is_op(p, 1, HY_OP_ARROW) || hy_p_is_op(p, 1, HY_OP_ASSIGN))) {
                hy_p_ident(p, &a.name, NULL);
                hy_p_advance(p);
            }
            a.value = hy_p_expr(p);
            if (!a.value) return false;
            GROW(st->call_args, st->ncall_args, cap, hy_ast_call_arg);
            st->call_args[st->ncall_args++] = a;
            if (!hy_p_accept_op(p, HY_OP_COMMA)) break;
        }
    }
    return hy_p_expect_op(p, HY_OP_RPAREN);
}

static bool parse_stmt(hy_parser *p, hy_ast_stmt *st, bool allow_explain);

static bool parse_explain(hy_parser *p, hy_ast_stmt *st) {
    hy_p_advance(p);
    st->kind = HY_AST_S_EXPLAIN;
    if (hy_p_is_op(p, 0, HY_OP_LPAREN) && !is_query_start(p)) {
        hy_p_advance(p);
        for (;;) {
            const hy_token *name = hy_p_cur(p);
            if (name->kind != HY_TK_IDENT) return hy_p_syntax_error(p);
            hy_p_advance(p);
            const hy_token *v = NULL;
            if (!hy_p_is_op(p, 0, HY_OP_COMMA) && !hy_p_is_op(p, 0, HY_OP_RPAREN)) {
                if (!is_option_value(hy_p_cur(p))) return hy_p_syntax_error(p);
                v = hy_p_advance(p);
            }
            if (strcmp(name->text, "analyze") == 0 || strcmp(name->text, "analyse") == 0) {
                bool b = true;
                if (v && !bool_word(v->text, &b))
                    return hy_p_error_at(p, v->offset, "EXPLAIN option ANALYZE requires a Boolean value");
                st->analyze = b;
            } else if (strcmp(name->text, "format") == 0) {
                if (v && strcasecmp(v->text, "json") == 0) st->json = true;
                else if (v && strcasecmp(v->text, "text") == 0) st->json = false;
                else
                    return hy_p_error_at(p, v ? v->offset : name->offset,
                                         "unrecognized value for EXPLAIN option \"format\": \"%s\"",
                                         v ? hy_sql_echo(p->a, v->text) : "");
            } else if (strcmp(name->text, "verbose") == 0 || strcmp(name->text, "costs") == 0 ||
                       strcmp(name->text, "timing") == 0) {
                bool b;
                if (v && !bool_word(v->text, &b))
                    return hy_p_error_at(p, v->offset, "EXPLAIN option %s requires a Boolean value",
                                         name->text);
            } else {
                return hy_p_error_at(p, name->offset, "unrecognized EXPLAIN option \"%s\"",
                                     hy_sql_echo(p->a, name->text));
            }
            if (!hy_p_accept_op(p, HY_OP_COMMA)) break;
        }
        if (!hy_p_expect_op(p, HY_OP_RPAREN)) return false;
    } else {
        if (hy_p_accept_kw(p, HY_KW_ANALYZE) ||
            (hy_p_cur(p)->kind == HY_TK_IDENT && strcmp(hy_p_cur(p)->text, "analyse") == 0 &&
             hy_p_advance(p)))
            st->analyze = true;
        if (hy_p_cur(p)->kind == HY_TK_IDENT && strcmp(hy_p_cur(p)->text, "verbose") == 0)
            hy_p_advance(p);
    }
    st->inner = hy_arena_alloc(p->a, sizeof *st->inner);
    st->inner->offset = hy_p_cur(p)->offset;
    return parse_stmt(p, st->inner, false);
}

static bool parse_stmt(hy_parser *p, hy_ast_stmt *st, bool allow_explain) {
    const hy_token *t = hy_p_cur(p);
    st->offset = t->offset;
    if (is_query_start(p)) {
        st->kind = HY_AST_S_SELECT;
        st->select = parse_query(p);
        return st->select != NULL;
    }
    if (t->kind == HY_TK_IDENT) {
        switch (t->kw) {
        case HY_KW_CREATE: return parse_create(p, st);
        case HY_KW_DROP: return parse_drop(p, st);
        case HY_KW_INSERT: return parse_insert(p, st);
        case HY_KW_COPY: return parse_copy(p, st);
        case HY_KW_CALL: return parse_call(p, st);
        case HY_KW_EXPLAIN:
            if (!allow_explain) break;
            return parse_explain(p, st);
        case HY_KW_WITH:
            return hy_p_error_at(p, t->offset, "WITH queries are not supported yet");
        default: break;
        }
    }
    return hy_p_syntax_error(p);
}

/* ---- entry --------------------------------------------------------------------------------- */

int hy_parse_next(const char *text, size_t len, size_t *offset, hy_arena *a, hy_ast_stmt **out,
                  hy_error *err) {
    *out = NULL;
    hy_lexer lx;
    hy_lexer_init(&lx, text, len, *offset, a);
    /* the token array is scratch (the AST keeps only offsets and arena strings) */
    hy_token *toks = NULL;
    int n = 0, cap = 0;
    for (;;) {
        hy_token t = hy_lexer_next(&lx);
        if (n == 0 && t.kind == HY_TK_OP && t.op == HY_OP_SEMI) continue; /* empty statement */
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            hy_token *nt = realloc(toks, sizeof(hy_token) * (size_t)cap);
            if (!nt) abort();
            toks = nt;
        }
        toks[n++] = t;
        if (t.kind == HY_TK_EOF || (t.kind == HY_TK_OP && t.op == HY_OP_SEMI)) break;
    }
    *offset = lx.pos;
    if (n == 1 && toks[0].kind == HY_TK_EOF) {
        free(toks);
        return 0;
    }
    hy_parser pp = {0};
    hy_parser *p = &pp;
    p->a = a;
    p->text = text;
    p->len = len;
    p->toks = toks;
    p->ntoks = n;
    p->err = err;
    hy_ast_stmt *st = hy_arena_alloc(a, sizeof *st);
    int r = 1;
    if (!parse_stmt(p, st, true)) {
        if (!hy_failed(err)) hy_p_syntax_error(p);
        r = -1;
    } else if (!hy_p_at_end(p)) {
        hy_p_syntax_error(p);
        r = -1;
    } else {
        st->end = hy_p_cur(p)->offset;
        *out = st;
    }
    free(toks);
    return r;
}
