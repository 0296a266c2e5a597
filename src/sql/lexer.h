/*
 * SQL lexer: turns statement text into tokens. Offsets are absolute byte offsets into the
 * whole text given to hy_prepare_next(), so every error can name "line L:C".
 *
 * Lexical rules (PostgreSQL): identifiers [A-Za-z_][A-Za-z0-9_$]* are folded to lower case
 * unless double-quoted ("My Col", "" escapes a quote); strings are '...' with '' escaping a
 * quote; numbers are 123, 1.5, .5, 1e10; comments are -- to end of line and C-style block
 * comments (not nested). A lexical error produces an HY_TK_ERROR token whose message the parser reports
 * when it reaches that token, so an earlier syntax error still wins.
 */
#ifndef HY_SQL_LEXER_H
#define HY_SQL_LEXER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "sql/keywords.h"

/* Operator / punctuation tokens: _(ID, "spelling") */
#define HY_SQL_OPS(_)   \
    _(LPAREN, "(")      \
    _(RPAREN, ")")      \
    _(COMMA, ",")       \
    _(DOT, ".")         \
    _(SEMI, ";")        \
    _(PLUS, "+")        \
    _(MINUS, "-")       \
    _(STAR, "*")        \
    _(SLASH, "/")       \
    _(DSLASH, "//")     \
    _(PERCENT, "%")     \
    _(EQ, "=")          \
    _(NE, "<>")         \
    _(NE2, "!=")        \
    _(LT, "<")          \
    _(LE, "<=")         \
    _(GT, ">")          \
    _(GE, ">=")         \
    _(DCOLON, "::")     \
    _(CONCAT, "||")     \
    _(ARROW, "=>")      \
    _(ASSIGN, ":=")

typedef enum hy_sql_op {
    HY_OP_NONE = 0,
#define HY_OP_ENUM(id, s) HY_OP_##id,
    HY_SQL_OPS(HY_OP_ENUM)
#undef HY_OP_ENUM
    HY_OP__COUNT
} hy_sql_op;

typedef enum hy_token_kind {
    HY_TK_EOF = 0,
    HY_TK_IDENT,  /* unquoted identifier or keyword (kw != NONE), text folded to lower case */
    HY_TK_QIDENT, /* "quoted identifier", text unescaped, case kept */
    HY_TK_INT,    /* digits only */
    HY_TK_NUM,    /* has '.' or an exponent */
    HY_TK_STRING, /* text unescaped */
    HY_TK_OP,
    HY_TK_ERROR   /* text = error message */
} hy_token_kind;

typedef struct hy_token {
    hy_token_kind kind;
    hy_keyword kw;     /* HY_TK_IDENT only */
    hy_sql_op op;      /* HY_TK_OP only */
    uint32_t offset;   /* absolute byte offset of the first character */
    uint32_t len;      /* source length in bytes */
    const char *text;  /* NUL-terminated, in the arena: folded identifier / unescaped string /
                          number digits / error message */
    uint32_t text_len;
} hy_token;

typedef struct hy_lexer {
    const char *src;
    size_t len;
    size_t pos;
    hy_arena *arena;
} hy_lexer;

/* The text ends at len bytes; with len == SIZE_MAX it ends at its first NUL. A NUL byte
 * before an explicit len is not an end: it lexes as an HY_TK_ERROR "invalid NUL byte" at its
 * offset (also inside a string or comment, which is still skipped as a whole, so the
 * statement after it is found where it should be). */
void hy_lexer_init(hy_lexer *lx, const char *src, size_t len, size_t start, hy_arena *a);
/* Next token (skips whitespace and comments). After EOF keeps returning EOF. */
hy_token hy_lexer_next(hy_lexer *lx);

/* Error messages quote at most HY_SQL_ECHO_MAX bytes of source text (a token, a name),
 * cut back to a UTF-8 character boundary and followed by "..." when shortened. */
#define HY_SQL_ECHO_MAX 64
/* Bytes of s[0..len) to quote; print them as "%.*s%s" with hy_sql_echo_more(len, n). */
int hy_sql_echo_len(const char *s, size_t len);
static inline const char *hy_sql_echo_more(size_t len, int n) {
    return (size_t)n < len ? "..." : "";
}
/* Quotable form of the NUL-terminated name s: s itself when short enough, else a shortened
 * copy (with "...") in the arena. */
const char *hy_sql_echo(hy_arena *a, const char *s);

/* Names for messages and tests. */
const char *hy_keyword_text(hy_keyword kw);
bool hy_keyword_reserved(hy_keyword kw);
const char *hy_sql_op_text(hy_sql_op op);

#endif
