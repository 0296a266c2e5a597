/* Result objects: typed getters and canonical text (include/hyperion.h). */
#include <stdlib.h>
#include <string.h>

#include "exec/exec.h"
#include "hyperion.h"

void hy_result_free(hy_result *r) {
    if (!r) return;
    for (int i = 0; i < r->ncols; i++) free(r->names[i]);
    free(r->names);
    hy_mat_free(r->mat);
    free(r->text);
    free(r);
}

hy_result_kind hy_result_kind_of(const hy_result *r) { return r ? r->kind : HY_RESULT_NONE; }
const char *hy_result_text(const hy_result *r) { return r && r->text ? r->text : ""; }
double hy_result_elapsed_ms(const hy_result *r) { return r ? r->elapsed_ms : 0; }
int64_t hy_result_changes(const hy_result *r) { return r ? r->changes : 0; }

int hy_result_column_count(const hy_result *r) { return r && r->mat ? r->ncols : 0; }
int64_t hy_result_row_count(const hy_result *r) { return r && r->mat ? r->mat->rows : 0; }

static bool col_ok(const hy_result *r, int col) {
    return r && r->mat && col >= 0 && col < r->ncols;
}

static bool cell_ok(const hy_result *r, int col, int64_t row) {
    return col_ok(r, col) && row >= 0 && row < r->mat->rows;
}

const char *hy_result_column_name(const hy_result *r, int col) {
    return col_ok(r, col) ? r->names[col] : NULL;
}

hy_type hy_result_column_type(const hy_result *r, int col) {
    return col_ok(r, col) ? r->mat->types[col].id : HY_TYPE_NULL;
}

int hy_result_column_precision(const hy_result *r, int col) {
    if (!col_ok(r, col) || r->mat->types[col].id != HY_TYPE_DECIMAL) return 0;
    return r->mat->types[col].prec;
}

int hy_result_column_scale(const hy_result *r, int col) {
    if (!col_ok(r, col) || r->mat->types[col].id != HY_TYPE_DECIMAL) return 0;
    return r->mat->types[col].scale;
}

int hy_result_is_null(const hy_result *r, int col, int64_t row) {
    if (!cell_ok(r, col, row)) return 1;
    return !hy_valid_get(r->mat->valid[col], row) || r->mat->types[col].id == HY_TYPE_NULL;
}

/* The cell as a value; is_null for NULLs and bad indexes. */
static hy_value cell(const hy_result *r, int col, int64_t row) {
    if (!cell_ok(r, col, row)) {
        hy_value v;
        memset(&v, 0, sizeof v);
        v.is_null = true;
        return v;
    }
    return hy_mat_get_value(r->mat, col, row);
}

int64_t hy_result_int64(const hy_result *r, int col, int64_t row) {
    hy_value v = cell(r, col, row);
    if (v.is_null) return 0;
    switch (v.type.id) {
    case HY_TYPE_BOOLEAN:
    case HY_TYPE_INTEGER:
    case HY_TYPE_BIGINT:
    case HY_TYPE_DATE: return v.v.i;
    default: return 0;
    }
}

double hy_result_double(const hy_result *r, int col, int64_t row) {
    hy_value v = cell(r, col, row);
    if (v.is_null) return 0;
    switch (v.type.id) {
    case HY_TYPE_DOUBLE: return v.v.f;
    case HY_TYPE_INTEGER:
    case HY_TYPE_BIGINT: return (double)v.v.i;
    case HY_TYPE_DECIMAL: {
        hy_i128 x = hy_dec_is_wide(v.type) ? v.v.d : (hy_i128)v.v.i;
        return v.type.scale ? (double)x / (double)hy_pow10_i128[v.type.scale] : (double)x;
    }
    default: return 0;
    }
}

hy_status hy_result_decimal_scaled(const hy_result *r, int col, int64_t row, int64_t *out) {
    hy_value v = cell(r, col, row);
    if (out) *out = 0;
    if (!col_ok(r, col) || r->mat->types[col].id != HY_TYPE_DECIMAL) return HY_ERROR;
    if (v.is_null) return HY_OK;
    hy_i128 x = hy_dec_is_wide(v.type) ? v.v.d : (hy_i128)v.v.i;
    if (x < INT64_MIN || x > INT64_MAX) return HY_ERROR;
    if (out) *out = (int64_t)x;
    return HY_OK;
}

void hy_result_decimal_i128(const hy_result *r, int col, int64_t row, int64_t *hi, uint64_t *lo) {
    hy_value v = cell(r, col, row);
    hy_i128 x = 0;
    if (!v.is_null && v.type.id == HY_TYPE_DECIMAL) x = hy_dec_is_wide(v.type) ? v.v.d : (hy_i128)v.v.i;
    if (hi) *hi = (int64_t)(x >> 64);
    if (lo) *lo = (uint64_t)x;
}

int32_t hy_result_date(const hy_result *r, int col, int64_t row) {
    hy_value v = cell(r, col, row);
    if (v.is_null || v.type.id != HY_TYPE_DATE) return 0;
    return (int32_t)v.v.i;
}

const char *hy_result_varchar(const hy_result *r, int col, int64_t row, size_t *len) {
    hy_value v = cell(r, col, row);
    if (len) *len = 0;
    if (v.is_null || v.type.id != HY_TYPE_VARCHAR) return NULL;
    if (len) *len = v.v.s.len;
    return v.v.s.ptr;
}

size_t hy_result_format(const hy_result *r, int col, int64_t row, char *buf, size_t cap) {
    hy_value v = cell(r, col, row);
    int n = hy_value_format(&v, buf, cap);
    if (n < 0) n = 0;
    return (size_t)n;
}
