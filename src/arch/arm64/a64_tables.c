/* arch/arm64/a64_tables.c — the A64 form and class tables, instantiated once
 * from the X-macro lists in a64_enc.h. */
#include "arch/arm64/a64_enc.h"

const uint32_t a64_class_mask[A64_NCLASSES] = {
#define CLS_MASK(N, M) [A64_C_##N] = (M),
    A64_CLASSES(CLS_MASK)
#undef CLS_MASK
};

const char *const a64_class_names[A64_NCLASSES] = {
#define CLS_NAME(N, M) [A64_C_##N] = #N,
    A64_CLASSES(CLS_NAME)
#undef CLS_NAME
};

#define CLS_MASK_OF(C) A64_CLASS_MASK_##C
enum {
#define CLS_MASK_ENUM(N, M) A64_CLASS_MASK_##N = (int)(M),
    A64_CLASSES(CLS_MASK_ENUM)
#undef CLS_MASK_ENUM
};

const struct a64_form a64_forms[A64_NFORMS] = {
#define FORM(N, C, V, A, M, E) \
    [A64_##N] = {(V), (uint32_t)CLS_MASK_OF(C), A64_C_##C, (A), #N, (M), (E)},
    A64_FORMS(FORM)
#undef FORM
};
