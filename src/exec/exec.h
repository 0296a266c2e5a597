/*
 * Statement execution: the interface between the C API (api/) and the interpreter (exec/).
 *
 *   api/  hy_exec_next: parse+bind (plan/) -> hy_exec_stmt -> hy_result
 *   exec/ stmt.c      statements (DDL, INSERT, COPY, CALL dbgen, EXPLAIN [ANALYZE])
 *         pipeline.c  plan -> pipelines -> morsels on worker threads -> materialized buffer
 *         expr*.c     vectorized expressions; agg.c hash aggregation; sort.c ORDER BY
 */
#ifndef HY_EXEC_EXEC_H
#define HY_EXEC_EXEC_H

#include <stdatomic.h>

#include "exec/xvec.h"
#include "hyperion.h"
#include "plan/plan.h"

typedef struct hy_exec_env {
    hy_catalog *cat;
    int threads;         /* >= 1 */
    int64_t morsel_rows; /* > 0 */
    hy_progress_fn progress;
    void *progress_ud;
    atomic_int *interrupt; /* set by hy_interrupt; checked at morsel boundaries */
} hy_exec_env;

/* The public result object (api/result.c has the getters). */
struct hy_result {
    hy_result_kind kind;
    char *text;      /* HY_RESULT_TEXT */
    double elapsed_ms;
    int64_t changes;
    int ncols;
    char **names;
    hy_mat *mat;     /* HY_RESULT_ROWS: owns its strings */
};

hy_result *hy_result_new(hy_result_kind kind);

/* Execute one bound statement; *out gets a new result on success. */
bool hy_exec_stmt(hy_exec_env *env, const hy_stmt *st, hy_result **out, hy_error *err);

#endif
