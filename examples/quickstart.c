/*
 * quickstart.c — the Hyperion C API in one page: open a database, create a table, insert
 * rows, run a query, read typed values, handle an error, free everything.
 *
 * It also checks its own output (the expected values below are worked out by hand), so the
 * test suite runs it: exit status 0 means every value came back as expected.
 */
#include <stdio.h>
#include <string.h>

#include "hyperion.h"

static int failures;

static void expect(int ok, const char *what) {
    if (!ok) {
        fprintf(stderr, "unexpected: %s\n", what);
        failures++;
    }
}

int main(void) {
    /* 1. Open an in-memory database (NULL options = defaults). */
    hy_db *db;
    if (hy_open(&db, NULL) != HY_OK) {
        fprintf(stderr, "cannot open a database\n");
        return 1;
    }

    /* 2. Create a table and insert rows. hy_exec runs every ';'-separated statement. */
    if (hy_exec(db,
                "CREATE TABLE trades(id INTEGER, sym VARCHAR, qty INTEGER, price DECIMAL(10,2),"
                "                    day DATE, ratio DOUBLE);"
                "INSERT INTO trades VALUES"
                "  (1, 'ACME', 100, 12.50, DATE '2024-01-02', 0.5),"
                "  (2, 'INIT', 250,  3.75, DATE '2024-01-03', NULL),"
                "  (3, 'ACME',  50, 13.00, DATE '2024-01-03', 0.25)",
                NULL) != HY_OK) {
        fprintf(stderr, "Error: %s\n", hy_errmsg(db));
        hy_close(db);
        return 1;
    }

    /* 3. Query. The result is materialized and owned by us until hy_result_free(). */
    hy_result *r;
    if (hy_exec(db,
                "SELECT sym, sum(qty) AS qty, sum(price * qty) AS notional,"
                "       min(day) AS first_day, avg(ratio) AS avg_ratio "
                "FROM trades GROUP BY sym ORDER BY sym",
                &r) != HY_OK) {
        fprintf(stderr, "Error: %s\n", hy_errmsg(db));
        hy_close(db);
        return 1;
    }

    /* 4. Print it: column names, then each value in canonical text (hy_result_format). */
    int ncols = hy_result_column_count(r);
    int64_t nrows = hy_result_row_count(r);
    for (int c = 0; c < ncols; c++) printf("%s%s", c ? "\t" : "", hy_result_column_name(r, c));
    printf("\n");
    for (int64_t row = 0; row < nrows; row++) {
        for (int c = 0; c < ncols; c++) {
            char text[64];
            if (hy_result_is_null(r, c, row)) strcpy(text, "NULL");
            else hy_result_format(r, c, row, text, sizeof text);
            printf("%s%s", c ? "\t" : "", text);
        }
        printf("\n");
    }

    /* 5. Typed getters. Expected by hand:
     *    ACME: qty 100+50 = 150, notional 12.50*100 + 13.00*50 = 1900.00,
     *          first day 2024-01-02, avg ratio (0.5+0.25)/2 = 0.375
     *    INIT: qty 250, notional 3.75*250 = 937.50, first day 2024-01-03, avg ratio NULL */
    expect(nrows == 2, "two groups");
    if (nrows == 2) {
        size_t len;
        const char *sym = hy_result_varchar(r, 0, 0, &len);
        expect(sym && len == 4 && strcmp(sym, "ACME") == 0, "first symbol ACME");
        expect(hy_result_column_type(r, 1) == HY_TYPE_BIGINT, "sum(INTEGER) is a BIGINT");
        expect(hy_result_int64(r, 1, 0) == 150 && hy_result_int64(r, 1, 1) == 250, "quantities");

        int64_t scaled;
        expect(hy_result_column_type(r, 2) == HY_TYPE_DECIMAL && hy_result_column_scale(r, 2) == 2,
               "notional is a DECIMAL with scale 2");
        expect(hy_result_decimal_scaled(r, 2, 0, &scaled) == HY_OK && scaled == 190000,
               "ACME notional 1900.00");
        expect(hy_result_decimal_scaled(r, 2, 1, &scaled) == HY_OK && scaled == 93750,
               "INIT notional 937.50");

        int y, m, d;
        hy_date_to_ymd(hy_result_date(r, 3, 0), &y, &m, &d);
        expect(y == 2024 && m == 1 && d == 2, "ACME first day 2024-01-02");
        char iso[16];
        hy_result_format(r, 3, 1, iso, sizeof iso);
        expect(strcmp(iso, "2024-01-03") == 0, "INIT first day prints as ISO");

        expect(hy_result_double(r, 4, 0) == 0.375, "ACME average ratio 0.375");
        expect(hy_result_is_null(r, 4, 1), "INIT average ratio is NULL (no non-NULL input)");
    }
    hy_result_free(r);

    /* 6. Errors: the status is HY_ERROR, the message names the position. */
    if (hy_exec(db, "SELECT nope FROM trades", NULL) == HY_ERROR) {
        printf("expected error: %s (line %d, column %d)\n", hy_errmsg(db), hy_error_line(db),
               hy_error_column(db));
        expect(hy_error_line(db) == 1 && hy_error_column(db) == 8, "error at line 1, column 8");
        expect(strstr(hy_errmsg(db), "nope") != NULL, "message names the column");
    } else {
        expect(0, "selecting an unknown column fails");
    }

    /* 7. Close: frees every table. */
    hy_close(db);
    if (failures) fprintf(stderr, "quickstart: %d unexpected value(s)\n", failures);
    return failures ? 1 : 0;
}
