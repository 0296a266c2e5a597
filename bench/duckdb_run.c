/*
 * duckdb-run: a tiny DuckDB runner used by the TPC-H comparison test. Compiled with the
 * HOST compiler at test time (DuckDB ships only for x86-64 Linux, while our binary may be
 * running under qemu for ARM64):
 *
 *   duckdb-run LIBDUCKDB.so LINEITEM.csv [--threads N]
 *
 * Loads the CSV (exported by our COPY lineitem TO ... (HEADER)) into DuckDB as
 * DECIMAL(15,2)/DATE columns and prints "#count", "#Q1" and "#Q6" sections, each followed by
 * a CSV block (header row, NULL = empty field). Timings go to stderr.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "duckdb_dl.h"
#include "shell/tpch_queries.h"

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static void csv_field(const char *s) {
    if (!strpbrk(s, ",\"\r\n") && *s) { fputs(s, stdout); return; }
    putchar('"');
    for (; *s; s++) {
        if (*s == '"') putchar('"');
        putchar(*s);
    }
    putchar('"');
}

static bool print_result(duckdb_api *api, duckdb_result_buf *r) {
    duckdb_idx nc = api->duckdb_column_count(r), nr = api->duckdb_row_count(r);
    for (duckdb_idx c = 0; c < nc; c++) {
        if (c) putchar(',');
        csv_field(api->duckdb_column_name(r, c));
    }
    putchar('\n');
    for (duckdb_idx row = 0; row < nr; row++) {
        for (duckdb_idx c = 0; c < nc; c++) {
            if (c) putchar(',');
            if (api->duckdb_value_is_null(r, c, row)) continue;
            char *v = api->duckdb_value_varchar(r, c, row);
            if (!v) return false;
            csv_field(v);
            api->duckdb_free(v);
        }
        putchar('\n');
    }
    return true;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: duckdb-run LIBDUCKDB.so LINEITEM.csv [--threads N]\n");
        return 2;
    }
    int threads = 0;
    for (int i = 3; i + 1 < argc; i += 2)
        if (strcmp(argv[i], "--threads") == 0) threads = atoi(argv[i + 1]);
    duckdb_api api;
    if (!duckdb_api_load(&api, argv[1])) return 1;
    duckdb_database_h db = NULL;
    duckdb_connection_h con = NULL;
    if (api.duckdb_open(NULL, &db) != 0 || api.duckdb_connect(db, &con) != 0) {
        fprintf(stderr, "Error: cannot open an in-memory DuckDB\n");
        return 1;
    }
    duckdb_result_buf r;
    char sql[4096];
    if (threads > 0) {
        snprintf(sql, sizeof sql, "SET threads TO %d", threads);
        if (!duckdb_api_run(&api, con, sql, &r)) return 1;
        api.duckdb_destroy_result(&r);
    }
    if (!duckdb_api_run(&api, con, DUCKDB_LINEITEM_DDL, &r)) return 1;
    api.duckdb_destroy_result(&r);
    snprintf(sql, sizeof sql, DUCKDB_LINEITEM_COPY_FMT, argv[2]);
    double t0 = now_ms();
    if (!duckdb_api_run(&api, con, sql, &r)) return 1;
    api.duckdb_destroy_result(&r);
    fprintf(stderr, "DuckDB %s: loaded %s in %.1f ms\n", api.duckdb_library_version(), argv[2],
            now_ms() - t0);
    const char *names[] = {"count", "Q1", "Q6"};
    const char *queries[] = {"SELECT count(*) AS n FROM lineitem", HY_TPCH_Q1, HY_TPCH_Q6};
    for (int q = 0; q < 3; q++) {
        t0 = now_ms();
        if (!duckdb_api_run(&api, con, queries[q], &r)) return 1;
        fprintf(stderr, "DuckDB %s: %.2f ms\n", names[q], now_ms() - t0);
        printf("#%s\n", names[q]);
        bool ok = print_result(&api, &r);
        api.duckdb_destroy_result(&r);
        if (!ok) return 1;
    }
    api.duckdb_disconnect(&con);
    api.duckdb_close(&db);
    return 0;
}
