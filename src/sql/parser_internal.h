/* Private to the parser: the token cursor and helpers shared by parser.c and parser_expr.c. */
#ifndef HY_SQL_PARSER_INTERNAL_H
#define HY_SQL_PARSER_INTERNAL_H

#include "sql/ast.h"
#include "sql/lexer.h"
#include "sql/parser.h"

typedef struct hy_parser {
    const char *text;
    size_t len;
    hy_token *toks; /* the statement's tokens; the last one is ';' or EOF */
    int ntoks;
    int pos;
    hy_arena *a;
    hy_error *err;
    int depth; /* recursion depth of nested expressions */
} hy_parser;

/* ---- cursor -------------------------------------------------------------------------------- */
static inline const hy_token *hy_p_peek(const hy_parser *p, int k) {
    int i = p->pos + k;
    return &p->toks[i < p->ntoks ? i : p->ntoks - 1];
}
static inline const hy_token *hy_p_cur(const hy_parser *p) { return hy_p_peek(p, 0); }
static inline bool hy_p_at_end(const hy_parser *p) {
    const hy_token *t = hy_p_cur(p);
    return t->kind == HY_TK_EOF || (t->kind == HY_TK_OP && t->op == HY_OP_SEMI);
}
static inline const hy_token *hy_p_advance(hy_parser *p) {
    const hy_token *t = hy_p_cur(p);
    if (!hy_p_at_end(p)) p->pos++;
    return t;
}
static inline bool hy_p_is_kw(const hy_parser *p, int k, hy_keyword kw) {
    const hy_token *t = hy_p_peek(p, k);
    return t->kind == HY_TK_IDENT && t->kw == kw;
}
static inline bool hy_p_is_op(const hy_parser *p, int k, hy_sql_op op) {
    const hy_token *t = hy_p_peek(p, k);
    return t->kind == HY_TK_OP && t->op == op;
}
static inline bool hy_p_accept_kw(hy_parser *p, hy_keyword kw) {
    if (!hy_p_is_kw(p, 0, kw)) return false;
    p->pos++;
    return true;
}
static inline bool hy_p_accept_op(hy_parser *p, hy_sql_op op) {
    if (!hy_p_is_op(p, 0, op)) return false;
    p->pos++;
    return true;
}

/* ---- errors (all return false / NULL-friendly) --------------------------------------------- */
/* "syntax error at or near "tok"" / "syntax error at end of input"; a lexical error token
 * reports its own message instead. */
bool hy_p_syntax_error(hy_parser *p);
bool hy_p_error_at(hy_parser *p, uint32_t offset, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool hy_p_expect_kw(hy_parser *p, hy_keyword kw);
bool hy_p_expect_op(hy_parser *p, hy_sql_op op);
static inline bool hy_p_failed(const hy_parser *p) { return hy_failed(p->err); }

/* An identifier where a name is expected: unquoted non-reserved words and quoted names. */
bool hy_p_is_ident(const hy_parser *p, int k);
/* Parses one; false with a syntax error otherwise. */
bool hy_p_ident(hy_parser *p, const char **name, uint32_t *offset);

/* ---- nodes ----------------------------------------------------------------------------------- */
hy_ast *hy_p_node(hy_parser *p, hy_ast_kind kind, uint32_t start, uint32_t end);
/* Sets args and depth (checks HY_SQL_MAX_DEPTH). Returns node, or NULL on error. */
hy_ast *hy_p_finish(hy_parser *p, hy_ast *n);
/* End offset of the previous token. */
static inline uint32_t hy_p_prev_end(const hy_parser *p) {
    if (p->pos == 0) return p->toks[0].offset;
    const hy_token *t = &p->toks[p->pos - 1];
    return t->offset + t->len;
}

/* Nesting guard for every recursive construct (expressions, subqueries, parentheses):
 * false with "expression too deeply nested" past HY_SQL_MAX_DEPTH. */
bool hy_p_enter(hy_parser *p);
void hy_p_leave(hy_parser *p);

/* ---- grammar entry points shared between the files ------------------------------------------ */
hy_ast *hy_p_expr(hy_parser *p);
bool hy_p_type(hy_parser *p, hy_ast_type *out);
hy_ast_select *hy_p_select(hy_parser *p);

#endif
