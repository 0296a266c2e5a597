/*
 * TPC-H Q1 and Q6 (standard texts, validation parameters) shared by the demo, bench/ and the
 * DuckDB comparison test (test/diff/tpch_vs_duckdb.py reads the string literals below, so keep
 * one string literal per line between a #define and a blank line).
 */
#ifndef HY_SHELL_TPCH_QUERIES_H
#define HY_SHELL_TPCH_QUERIES_H

#define HY_TPCH_Q1 \
    "SELECT\n" \
    "    l_returnflag,\n" \
    "    l_linestatus,\n" \
    "    sum(l_quantity) AS sum_qty,\n" \
    "    sum(l_extendedprice) AS sum_base_price,\n" \
    "    sum(l_extendedprice * (1 - l_discount)) AS sum_disc_price,\n" \
    "    sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) AS sum_charge,\n" \
    "    avg(l_quantity) AS avg_qty,\n" \
    "    avg(l_extendedprice) AS avg_price,\n" \
    "    avg(l_discount) AS avg_disc,\n" \
    "    count(*) AS count_order\n" \
    "FROM lineitem\n" \
    "WHERE l_shipdate <= DATE '1998-12-01' - INTERVAL '90' DAY\n" \
    "GROUP BY l_returnflag, l_linestatus\n" \
    "ORDER BY l_returnflag, l_linestatus"

#define HY_TPCH_Q6 \
    "SELECT\n" \
    "    sum(l_extendedprice * l_discount) AS revenue\n" \
    "FROM lineitem\n" \
    "WHERE l_shipdate >= DATE '1994-01-01'\n" \
    "    AND l_shipdate < DATE '1994-01-01' + INTERVAL '1' YEAR\n" \
    "    AND l_discount BETWEEN 0.06 - 0.01 AND 0.06 + 0.01\n" \
    "    AND l_quantity < 24"

#endif
