/* Private interfaces of the C API implementation (src/api/). */
#ifndef HY_API_INT_H
#define HY_API_INT_H

#include <stdatomic.h>

#include "exec/exec.h"
#include "hyperion.h"
#include "plan/plan.h"

struct hy_db {
    hy_catalog cat;
    hy_options opts;
    hy_error err; /* sticky: the last failed call's message, cleared by the next call */
    hy_progress_fn progress;
    void *progress_ud;
    atomic_int interrupt;
    /* hy_exec_next: the text and end offset of the previous call. An offset we returned for
     * the same text is known to be within it, so the next call need not re-scan the prefix
     * (which made a script of N statements O(N^2)). */
    const char *next_sql;
    size_t next_end;
};

/* schema.c: a CREATE TABLE statement that re-creates t's schema (malloc'd, ends in ';'). */
char *hy_table_ddl(const hy_table *t);
/* schema.c: the result of hy_tables() for a catalog. */
hy_result *hy_tables_result(const hy_catalog *cat);

#endif
