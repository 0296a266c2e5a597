/* Internal interfaces shared by the files of exec/. */
#ifndef HY_EXEC_INT_H
#define HY_EXEC_INT_H

#include "exec/exec.h"
#include "exec/expr.h"

/* ---- Query context: one per statement ----------------------------------------------------- */
typedef struct hy_pstat {
    char *ops;       /* "SCAN lineitem -> FILTER -> PROJECT -> HASH_AGGREGATE" */
    int64_t rows;    /* rows the pipeline delivered to its sink */
    int64_t morsels; /* morsels processed (zone-map skipped ones not counted) */
    int64_t skipped; /* morsels skipped by zone maps */
    int threads;     /* workers that ran it */
} hy_pstat;

typedef struct hy_qctx {
    hy_exec_env *env;
    hy_error *err;
    hy_pstat *stats;
    int nstats, capstats;
    double t0, last_progress, last_frac;
    bool progress_shown;
    const char *label; /* progress label of the running statement ("query", "COPY", ...) */
} hy_qctx;

void hy_qctx_init(hy_qctx *q, hy_exec_env *env, hy_error *err);
void hy_qctx_free(hy_qctx *q);
double hy_now_ms(void);
/* Report progress (rate-limited to ~10/s, first report after 200 ms). */
void hy_progress_tick(hy_qctx *q, double frac, const char *label);
/* Final 100% report if anything was reported. */
void hy_progress_end(hy_qctx *q, const char *label);

/* Run a plan into a materialized buffer (NULL on error, q->err set). */
hy_mat *hy_exec_plan(hy_qctx *q, const hy_plan *p);
/*
 * Run a query's plan for its result (SELECT, EXPLAIN ANALYZE): hy_exec_plan, and the
 * pipelines' operators end in "RESULT" where the rows go to the caller. Pipelines (one stat
 * each, in run order) are: source (SCAN table [+ pushed FILTER] | output of HASH_AGGREGATE,
 * SORT, LIMIT | VALUES) -> streaming FILTER/PROJECT -> sink (HASH_AGGREGATE | SORT | LIMIT |
 * RESULT | COPY TO); steps applied to a materialized buffer without a new pass are appended
 * to the pipeline that filled it, e.g. "HASH_AGGREGATE -> SORT -> LIMIT -> RESULT".
 */
hy_mat *hy_exec_query(hy_qctx *q, const hy_plan *p);
/* Run a plan writing its rows to a CSV writer in order; rows written or -1. */
int64_t hy_exec_plan_csv(hy_qctx *q, const hy_plan *p, hy_csv_writer *w);

/* sort.c */
hy_mat *hy_sort_mat(hy_mat *in, int nkeys, const hy_sort_key *keys, hy_error *err);

/* ---- Tiny JSON writer (EXPLAIN ANALYZE) ------------------------------------------------------ */
typedef struct hy_json {
    char *buf;
    size_t len, cap;
    int depth;
    bool first[32];
    bool after_key;
} hy_json;
void hy_json_init(hy_json *j);
void hy_json_free(hy_json *j);
void hy_json_begin_obj(hy_json *j);
void hy_json_end_obj(hy_json *j);
void hy_json_begin_arr(hy_json *j);
void hy_json_end_arr(hy_json *j);
void hy_json_key(hy_json *j, const char *k);
void hy_json_str(hy_json *j, const char *s);
void hy_json_int(hy_json *j, int64_t v);
void hy_json_num(hy_json *j, double v, int decimals);
void hy_json_raw(hy_json *j, const char *text);
/* Takes the text (NUL-terminated); the writer is reset. */
char *hy_json_take(hy_json *j);

#endif
