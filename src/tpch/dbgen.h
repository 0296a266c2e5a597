/*
 * TPC-H data generator (our own implementation of the spec's distributions).
 * Deterministic for a given scale factor; rows in l_orderkey order.
 */
#ifndef HY_TPCH_DBGEN_H
#define HY_TPCH_DBGEN_H

#include "common/error.h"
#include "storage/storage.h"

typedef void (*hy_dbgen_progress_fn)(void *ud, double done);

/* Build the `lineitem` table for scale factor sf (> 0; SF 1 = 6,001,215 rows): the spec's 16
 * columns in spec order with spec types (DECIMAL(15,2) money, DATEs, VARCHAR flags).
 * Returns NULL with err set on bad sf or out of memory. */
hy_table *hy_dbgen_lineitem(double sf, int64_t morsel_rows, hy_dbgen_progress_fn progress,
                            void *ud, hy_error *err);

#endif
