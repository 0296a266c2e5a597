/*
 * Abstract syntax tree produced by the parser (sql/parser.c, sql/parser_expr.c) and consumed
 * by the binder (plan/). Everything lives in the statement arena. Every node records its
 * source span [start, end) as absolute byte offsets into the text given to hy_prepare_next(),
 * so the binder can report "line L:C" and name result columns after the SQL text.
 *
 * The AST stays close to the SQL: no typing, no name resolution, no desugaring except that
 * `NOT x` of a literal stays a NOT node, and `-<numeric literal>` is folded into the literal
 * (as PostgreSQL and DuckDB do; the binder types -2147483648 as BIGINT, like DuckDB).
 */
#ifndef HY_SQL_AST_H
#define HY_SQL_AST_H

#include <stdbool.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/error.h"
#include "common/types.h"

/* Deepest expression nesting accepted (parentheses, operators, function calls). */
#define HY_SQL_MAX_DEPTH 500

typedef enum hy_ast_kind {
    HY_AST_CONST,     /* lit, str/str_len */
    HY_AST_COLREF,    /* [qualifier.]name */
    HY_AST_STAR,      /* * or qualifier.* */
    HY_AST_UNARY,     /* op (NEG, PLUS, NOT), args[0] */
    HY_AST_BINARY,    /* op, args[0], args[1] */
    HY_AST_AND,       /* args[0..n) */
    HY_AST_OR,        /* args[0..n) */
    HY_AST_IS_NULL,   /* args[0]; negate = IS NOT NULL */
    HY_AST_IS_BOOL,   /* args[0] IS [NOT] TRUE/FALSE: bval, negate */
    HY_AST_BETWEEN,   /* args[0] BETWEEN args[1] AND args[2]; negate */
    HY_AST_IN,        /* args[0] IN (args[1..n)); negate */
    HY_AST_LIKE,      /* args[0] LIKE args[1]; negate */
    HY_AST_CASE,      /* operand (simple CASE) or NULL; args = when1, then1, ..., [else]; has_else */
    HY_AST_CAST,      /* args[0] :: type */
    HY_AST_FUNC,      /* name(args) [DISTINCT]; star = f(*) */
    HY_AST_EXTRACT,   /* EXTRACT(field FROM args[0]); name = field, lower case */
    HY_AST_INTERVAL,  /* INTERVAL literal: months, days */
    HY_AST_SUBQUERY   /* (SELECT ...) in an expression: parsed, rejected by the binder */
} hy_ast_kind;

typedef enum hy_lit_kind {
    HY_LIT_INT,    /* str = optional '-' and digits */
    HY_LIT_NUM,    /* str = optional '-', digits with '.' and/or exponent */
    HY_LIT_STRING, /* str/str_len = unescaped bytes */
    HY_LIT_BOOL,   /* bval */
    HY_LIT_NULL,
    HY_LIT_TYPED   /* type 'string' (DATE '1998-12-01'): str + type */
} hy_lit_kind;

typedef enum hy_ast_op {
    HY_AOP_NONE = 0,
    HY_AOP_ADD, HY_AOP_SUB, HY_AOP_MUL, HY_AOP_DIV, HY_AOP_IDIV, HY_AOP_MOD,
    HY_AOP_EQ, HY_AOP_NE, HY_AOP_LT, HY_AOP_LE, HY_AOP_GT, HY_AOP_GE,
    HY_AOP_CONCAT,
    HY_AOP_NEG, HY_AOP_PLUS, HY_AOP_NOT
} hy_ast_op;

/* A type as written: the parser resolves names (INT, FLOAT8, NUMERIC, TEXT, ...) directly.
 * DECIMAL without arguments is DECIMAL(18,3) (DuckDB). */
typedef struct hy_ast_type {
    hy_ltype type;
    uint32_t offset; /* where the type name starts */
} hy_ast_type;

typedef struct hy_ast hy_ast;
typedef struct hy_ast_select hy_ast_select;

struct hy_ast {
    hy_ast_kind kind;
    uint32_t start, end; /* source span */
    int depth;           /* 1 + deepest child */
    hy_ast_op op;
    int nargs;
    hy_ast **args;
    hy_ast *operand;     /* simple CASE */
    bool negate, distinct, star, has_else, bval;
    const char *qualifier; /* COLREF/STAR: table or alias, NULL if none */
    const char *name;      /* COLREF column, FUNC name (lower case), EXTRACT field */
    uint32_t name_offset;  /* where `name` starts (COLREF: the column part) */
    hy_lit_kind lit;
    const char *str;
    uint32_t str_len;
    hy_ast_type cast_type; /* CAST, HY_LIT_TYPED */
    int64_t months, days;  /* INTERVAL */
    hy_ast_select *subquery;
};

/* ---- SELECT ------------------------------------------------------------------------------ */
typedef struct hy_ast_select_item {
    hy_ast *expr;       /* HY_AST_STAR for * and t.* */
    const char *alias;  /* NULL if none */
    uint32_t alias_offset;
} hy_ast_select_item;

typedef enum hy_ast_from_kind { HY_FROM_TABLE, HY_FROM_JOIN, HY_FROM_SUBQUERY } hy_ast_from_kind;
typedef enum hy_ast_join_kind {
    HY_JOIN_INNER, HY_JOIN_LEFT, HY_JOIN_RIGHT, HY_JOIN_FULL, HY_JOIN_CROSS
} hy_ast_join_kind;

typedef struct hy_ast_from hy_ast_from;
struct hy_ast_from {
    hy_ast_from_kind kind;
    uint32_t offset;
    /* TABLE */
    const char *table;
    const char *alias;  /* NULL if none */
    /* JOIN (left, right) — parsed so joins slot in later; the binder rejects them for now */
    hy_ast_join_kind join;
    hy_ast_from *left, *right;
    hy_ast *on;         /* NULL for CROSS / comma */
    /* SUBQUERY */
    hy_ast_select *subquery;
};

typedef struct hy_ast_order {
    hy_ast *expr;
    bool desc;
    int nulls; /* -1 default, 0 NULLS LAST, 1 NULLS FIRST */
} hy_ast_order;

struct hy_ast_select {
    uint32_t offset;      /* SELECT keyword */
    bool distinct;
    int nitems;
    hy_ast_select_item *items;
    int nfrom;            /* comma-separated FROM items (each possibly a JOIN tree) */
    hy_ast_from **from;
    hy_ast *where;
    int ngroup;
    hy_ast **group;
    hy_ast *having;
    int norder;
    hy_ast_order *order;
    hy_ast *limit;        /* NULL = none (LIMIT ALL too) */
    hy_ast *offset_expr;  /* NULL = none */
};

/* ---- Statements -------------------------------------------------------------------------- */
typedef enum hy_ast_stmt_kind {
    HY_AST_S_SELECT,
    HY_AST_S_CREATE,     /* CREATE TABLE t (cols) */
    HY_AST_S_CTAS,       /* CREATE TABLE t AS SELECT */
    HY_AST_S_DROP,
    HY_AST_S_INSERT,     /* VALUES rows or a SELECT */
    HY_AST_S_COPY_FROM,
    HY_AST_S_COPY_TO,    /* table or (query) */
    HY_AST_S_CALL,
    HY_AST_S_EXPLAIN
} hy_ast_stmt_kind;

typedef struct hy_ast_coldef {
    const char *name;
    uint32_t offset;
    hy_ast_type type;
    bool not_null;
} hy_ast_coldef;

typedef struct hy_ast_call_arg {
    const char *name; /* NULL for positional */
    uint32_t offset;
    hy_ast *value;
} hy_ast_call_arg;

typedef struct hy_ast_stmt hy_ast_stmt;
struct hy_ast_stmt {
    hy_ast_stmt_kind kind;
    uint32_t offset, end;   /* statement span (without the ';') */
    const char *table;      /* target table */
    uint32_t table_offset;
    bool if_exists, if_not_exists;
    /* CREATE */
    int ncols;
    hy_ast_coldef *cols;
    /* SELECT, CTAS, INSERT ... SELECT, COPY (query) TO */
    hy_ast_select *select;
    /* INSERT */
    int ninsert_cols;        /* 0 = no column list */
    const char **insert_cols;
    uint32_t *insert_col_offsets;
    int nrows;               /* VALUES rows (select == NULL) */
    int *row_len;
    hy_ast ***rows;
    uint32_t *row_offsets;
    /* COPY */
    const char *path;
    bool header, header_set;
    char delimiter;          /* 0 = default */
    char quote;              /* 0 = default */
    /* CALL */
    const char *func;
    int ncall_args;
    hy_ast_call_arg *call_args;
    /* EXPLAIN */
    bool analyze, json;
    hy_ast_stmt *inner;
};

#endif
