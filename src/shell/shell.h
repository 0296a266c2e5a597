/*
 * The `hyperion` shell: private interfaces between its files.
 *
 *   main.c      options, script and interactive loops, dot commands, progress bar
 *   render.c    result printers (box, table, csv, json)
 *   demo.c      `hyperion demo`: dbgen + TPC-H Q1/Q6 + plan summary
 *   minijson.c  a small JSON reader for the EXPLAIN (ANALYZE, FORMAT JSON) object
 *
 * The shell only uses the public API (include/hyperion.h).
 */
#ifndef HY_SHELL_H
#define HY_SHELL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "hyperion.h"

typedef enum shell_mode {
    MODE_BOX,   /* Unicode box with names and types (default when stdout is a TTY) */
    MODE_TABLE, /* plain ASCII aligned columns, psql-like (default otherwise) */
    MODE_CSV,   /* RFC 4180, header row, NULL = empty field */
    MODE_JSON   /* one JSON array of objects per result, on one line */
} shell_mode;

typedef struct shell {
    hy_db *db;
    shell_mode mode;
    bool timer;
    bool bail;         /* stop a script at the first failing statement */
    bool interactive;
    bool stderr_tty;
    int errors;        /* failing statements so far */
    bool quit;         /* .quit seen */
    /* progress bar state (stderr TTY only) */
    double stmt_start; /* monotonic seconds at statement start */
    bool bar_drawn;
    int bar_last_pct;
} shell;

/* render.c */
const char *shell_type_name(const hy_result *r, int col, char *buf, size_t cap);
/* Print one statement's result in mode (TEXT results verbatim in every mode). */
void render_result(FILE *out, const hy_result *r, shell_mode mode);
/* Box form with at most max_rows rows shown (first/last halves when truncated). */
void render_box(FILE *out, const hy_result *r, int64_t max_rows);

/* main.c helpers used by demo.c */
double shell_now(void);
void shell_progress(void *ud, double done, const char *label);
void shell_progress_clear(shell *sh);

/* demo.c */
int shell_demo(int argc, char **argv);

/* minijson.c: a parsed JSON value (strings unescaped; numbers kept as double and text). */
typedef enum mj_kind { MJ_NULL, MJ_BOOL, MJ_NUM, MJ_STR, MJ_ARR, MJ_OBJ } mj_kind;
typedef struct mj_value mj_value;
struct mj_value {
    mj_kind kind;
    bool b;
    double num;
    char *str;      /* MJ_STR: the string; MJ_NUM: the number's text */
    int n;          /* MJ_ARR/MJ_OBJ element count */
    char **keys;    /* MJ_OBJ */
    mj_value **items;
};
/* Parse a whole text (one value plus whitespace). NULL on a syntax error, with *err set. */
mj_value *mj_parse(const char *text, const char **err);
void mj_free(mj_value *v);
const mj_value *mj_get(const mj_value *obj, const char *key); /* NULL if missing */

#endif
