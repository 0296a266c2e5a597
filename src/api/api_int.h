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
};

/* schema.c: a CREATE TABLE statement that re-creates t's schema (malloc'd, ends in ';'). */
char *hy_table_ddl(const hy_table *t);
/* schema.c: the result of hy_tables() for a catalog. */
hy_result *hy_tables_result(const hy_catalog *cat);

#endif
