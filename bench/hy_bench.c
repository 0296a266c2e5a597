/*
 * hy-bench: TPC-H Q1 and Q6 on Hyperion and on DuckDB, side by side in one run.
 *
 *   hy-bench [--sf 1] [--threads N] [--repeat 5] [--duckdb LIBDUCKDB.so] [--csv PATH]
 *
 * Generates lineitem with our CALL dbgen, exports it with COPY ... TO (HEADER), loads the CSV
 * into DuckDB as DECIMAL(15,2)/DATE columns (DuckDB's own dbgen extension cannot be
 * downloaded here), then runs each query once to warm up and --repeat times on each engine,
 * reporting the best and median wall times and the ratio. It also compares the two engines'
 * results: decimals exactly, doubles to 1e-9 relative (exit status 1 on a difference).
 * DuckDB is loaded with dlopen (bench/fetch-duckdb.sh fetches it); see bench/README.md.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "duckdb_dl.h"
#include "hyperion.h"
#include "shell/tpch_queries.h"

#ifndef HY_SOURCE_DIR
#define HY_SOURCE_DIR "."
#endif
#define MAX_REPEAT 100

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static bool hy_run(hy_db *db, const char *sql, hy_result **out) {
    if (hy_exec(db, sql, out) != HY_OK) {
        fprintf(stderr, "Error: hyperion: %s\n  in: %.200s\n", hy_errmsg(db), sql);
        return false;
    }
    return true;
}

/* "12.3400" -> "12.34", "-0.50" -> "-0.5", "3.00" -> "3": exact decimal comparison text. */
static void dec_norm(const char *s, char *out, size_t cap) {
    snprintf(out, cap, "%s", s);
    char *dot = strchr(out, '.');
    if (!dot) return;
    size_t n = strlen(out);
    while (n > (size_t)(dot - out) + 1 && out[n - 1] == '0') out[--n] = 0;
    if (out[n - 1] == '.') out[--n] = 0;
    if (strcmp(out, "-0") == 0) strcpy(out, "0");
}

/* Compare our result with DuckDB's; print differences; return their count. */
static int compare(const char *name, const hy_result *a, duckdb_api *api, duckdb_result_buf *b) {
    int bad = 0;
    int nc = hy_result_column_count(a);
    int64_t nr = hy_result_row_count(a);
    if ((duckdb_idx)nc != api->duckdb_column_count(b) || (duckdb_idx)nr != api->duckdb_row_count(b)) {
        printf("%s: shape differs: hyperion %d cols x %lld rows, DuckDB %llu x %llu\n", name, nc,
               (long long)nr, (unsigned long long)api->duckdb_column_count(b),
               (unsigned long long)api->duckdb_row_count(b));
        return 1;
    }
    for (int64_t r = 0; r < nr; r++) {
        for (int c = 0; c < nc; c++) {
            bool an = hy_result_is_null(a, c, r) != 0, bn = api->duckdb_value_is_null(b, c, r);
            char av[128] = "", *bv = NULL;
            if (!an) hy_result_format(a, c, r, av, sizeof av);
            if (!bn) bv = api->duckdb_value_varchar(b, c, r);
            bool eq;
            if (an || bn) {
                eq = an == bn;
            } else if (hy_result_column_type(a, c) == HY_TYPE_DECIMAL) {
                char x[128], y[128];
                dec_norm(av, x, sizeof x);
                dec_norm(bv, y, sizeof y);
                eq = strcmp(x, y) == 0;
            } else if (hy_result_column_type(a, c) == HY_TYPE_DOUBLE) {
                double x = strtod(av, NULL), y = strtod(bv, NULL);
                eq = x == y || fabs(x - y) <= 1e-9 * fmax(fabs(x), fabs(y));
            } else {
                eq = strcmp(av, bv) == 0;
            }
            if (!eq) {
                printf("%s: row %lld column %s: hyperion %s, DuckDB %s\n", name, (long long)r + 1,
                       hy_result_column_name(a, c), an ? "NULL" : av, bn ? "NULL" : bv);
                bad++;
            }
            if (bv) api->duckdb_free(bv);
        }
    }
    return bad;
}

static const char *find_duckdb(void) {
    const char *env = getenv("HY_DUCKDB_LIB");
    if (env && *env) return env;
    static char path[4096];
    FILE *p = popen(HY_SOURCE_DIR "/bench/fetch-duckdb.sh --print-path", "r");
    if (!p) return NULL;
    char *got = fgets(path, sizeof path, p);
    int rc = pclose(p);
    if (!got || rc != 0) return NULL;
    path[strcspn(path, "\n")] = 0;
    return path;
}

static void usage(void) {
    fprintf(stderr, "usage: hy-bench [--sf X] [--threads N] [--repeat N] [--duckdb LIB] [--csv PATH]\n");
    exit(2);
}

int main(int argc, char **argv) {
    const char *sf = "1", *lib = NULL, *csv = NULL;
    int threads = 1, repeat = 5;
    for (int i = 1; i < argc; i++) {
        if (i + 1 >= argc) usage();
        if (strcmp(argv[i], "--sf") == 0) sf = argv[++i];
        else if (strcmp(argv[i], "--threads") == 0) threads = atoi(argv[++i]);
        else if (strcmp(argv[i], "--repeat") == 0) repeat = atoi(argv[++i]);
        else if (strcmp(argv[i], "--duckdb") == 0) lib = argv[++i];
        else if (strcmp(argv[i], "--csv") == 0) csv = argv[++i];
        else usage();
    }
    if (threads < 1 || repeat < 1 || repeat > MAX_REPEAT || strtod(sf, NULL) <= 0) usage();
    if (!lib) lib = find_duckdb();
    if (!lib) {
        fprintf(stderr, "Error: DuckDB not found: run bench/fetch-duckdb.sh or pass --duckdb PATH\n");
        return 1;
    }
    duckdb_api api;
    if (!duckdb_api_load(&api, lib)) return 1;

    char csv_tmp[4096];
    if (!csv) {
        const char *dir = getenv("TMPDIR");
        snprintf(csv_tmp, sizeof csv_tmp, "%s/hy-bench-lineitem-%d.csv", dir && *dir ? dir : "/tmp",
                 (int)getpid());
        csv = csv_tmp;
    }

    /* ---- Hyperion: generate and export ---- */
    hy_options opts = {0};
    opts.threads = threads;
    hy_db *db;
    if (hy_open(&db, &opts) != HY_OK) return 1;
    char sql[4200];
    hy_result *r = NULL;
    snprintf(sql, sizeof sql, "CALL dbgen(sf => %s)", sf);
    double t0 = now_ms();
    if (!hy_run(db, sql, &r)) return 1;
    double t_gen = now_ms() - t0;
    hy_result_free(r);
    if (!hy_run(db, "SELECT count(*) FROM lineitem", &r)) return 1;
    long long rows = (long long)hy_result_int64(r, 0, 0);
    hy_result_free(r);
    snprintf(sql, sizeof sql, "COPY lineitem TO '%s' (HEADER)", csv);
    t0 = now_ms();
    if (!hy_run(db, sql, &r)) return 1;
    double t_copy = now_ms() - t0;
    hy_result_free(r);

    /* ---- DuckDB: load the same rows ---- */
    duckdb_database_h ddb = NULL;
    duckdb_connection_h con = NULL;
    if (api.duckdb_open(NULL, &ddb) != 0 || api.duckdb_connect(ddb, &con) != 0) {
        fprintf(stderr, "Error: cannot open DuckDB\n");
        return 1;
    }
    duckdb_result_buf dr;
    snprintf(sql, sizeof sql, "SET threads TO %d", threads);
    if (!duckdb_api_run(&api, con, sql, &dr)) return 1;
    api.duckdb_destroy_result(&dr);
    if (!duckdb_api_run(&api, con, DUCKDB_LINEITEM_DDL, &dr)) return 1;
    api.duckdb_destroy_result(&dr);
    snprintf(sql, sizeof sql, DUCKDB_LINEITEM_COPY_FMT, csv);
    t0 = now_ms();
    if (!duckdb_api_run(&api, con, sql, &dr)) return 1;
    double t_load = now_ms() - t0;
    api.duckdb_destroy_result(&dr);
    if (csv == csv_tmp) unlink(csv_tmp);

    printf("TPC-H SF %s: lineitem %lld rows (our dbgen %.0f ms, COPY TO CSV %.0f ms, DuckDB CSV load %.0f ms)\n",
           sf, rows, t_gen, t_copy, t_load);
    printf("Hyperion %s vs DuckDB %s, %d thread%s each, best of %d runs after a warm-up (median)\n\n",
           hy_version(), api.duckdb_library_version(), threads, threads == 1 ? "" : "s", repeat);
    printf("%-6s %22s %22s %14s\n", "query", "hyperion ms", "DuckDB ms", "hyperion/DuckDB");

    const char *names[] = {"Q1", "Q6"};
    const char *queries[] = {HY_TPCH_Q1, HY_TPCH_Q6};
    int bad = 0;
    for (int q = 0; q < 2; q++) {
        double th[MAX_REPEAT], td[MAX_REPEAT];
        hy_result *last = NULL;
        duckdb_result_buf dlast;
        for (int i = -1; i < repeat; i++) { /* i = -1: warm-up */
            if (last) hy_result_free(last);
            last = NULL;
            t0 = now_ms();
            if (!hy_run(db, queries[q], &last)) return 1;
            double ms = now_ms() - t0;
            if (i >= 0) th[i] = ms;
        }
        for (int i = -1; i < repeat; i++) {
            if (i > -1) api.duckdb_destroy_result(&dlast);
            t0 = now_ms();
            if (!duckdb_api_run(&api, con, queries[q], &dlast)) return 1;
            double ms = now_ms() - t0;
            if (i >= 0) td[i] = ms;
        }
        qsort(th, (size_t)repeat, sizeof *th, cmp_double);
        qsort(td, (size_t)repeat, sizeof *td, cmp_double);
        char a[64], b[64];
        snprintf(a, sizeof a, "%.1f (%.1f)", th[0], th[repeat / 2]);
        snprintf(b, sizeof b, "%.1f (%.1f)", td[0], td[repeat / 2]);
        printf("%-6s %22s %22s %13.2fx\n", names[q], a, b, th[0] / td[0]);
        bad += compare(names[q], last, &api, &dlast);
        hy_result_free(last);
        api.duckdb_destroy_result(&dlast);
    }
    printf("\nresults: %s\n", bad ? "DIFFERENT (see above)" : "Q1 and Q6 match DuckDB "
                                                              "(decimals exact, doubles 1e-9 relative)");
    api.duckdb_disconnect(&con);
    api.duckdb_close(&ddb);
    hy_close(db);
    return bad ? 1 : 0;
}
