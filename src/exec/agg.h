/*
 * Hash aggregation tables (private to exec/).
 *
 * One table per worker thread; tables are merged into one at the end, so results do not
 * depend on the number of threads:
 *  - integer/decimal SUM and AVG accumulate exactly in 128 bits (AVG divides the exact sum
 *    once at the end); DOUBLE sums use a double-double accumulator (error ~ n*2^-106 of the
 *    magnitude), so thread count and morsel order practically never show in the result;
 *  - DISTINCT aggregates first collect (group, value) pairs in a set per table; sets are
 *    merged and the surviving values are fed to the aggregate only at the end;
 *  - every group remembers the smallest source row number that produced it, and the output
 *    lists groups in that order (first appearance), whatever the thread count.
 * Group keys may be of any type; NULL is a key value of its own (NULL groups with NULL).
 * Without keys the table has exactly one group, even for empty input.
 */
#ifndef HY_EXEC_AGG_H
#define HY_EXEC_AGG_H

#include "exec/xvec.h"
#include "plan/plan.h"

typedef struct hy_aggspec {
    int nkeys;
    hy_ltype *ktypes;
    int naggs;
    hy_agg_func *funcs;
    bool *distinct;
    hy_ltype *intypes;  /* argument types (ignored for COUNT_STAR) */
    hy_ltype *outtypes; /* result types */
} hy_aggspec;

typedef struct hy_aggtab hy_aggtab;

hy_aggtab *hy_aggtab_new(const hy_aggspec *sp);
void hy_aggtab_free(hy_aggtab *t);
/* Add the live rows (sel, n) of batch b: keys[nkeys] and args[naggs] are the evaluated
 * vectors (args[a] unused for COUNT_STAR). */
bool hy_aggtab_consume(hy_aggtab *t, const hy_xv *keys, const hy_xv *args, const hy_batch *b,
                       const uint16_t *sel, int n, hy_error *err);
/* Fold src into dst (src is left empty but must still be freed). */
bool hy_aggtab_merge(hy_aggtab *dst, hy_aggtab *src, hy_error *err);
/* Output: keys then aggregates, one row per group in first-appearance order. */
hy_mat *hy_aggtab_finish(hy_aggtab *t, hy_error *err);
int64_t hy_aggtab_groups(const hy_aggtab *t);

#endif
