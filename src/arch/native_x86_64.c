/* Build-selected native backend: x86-64 (System V). */
#include "arch/backend.h"

const struct hy_backend *hy_backend_native(void) { return hy_backend_x86_64(); }
