/* Build-selected native backend: ARM64 (AAPCS64). */
#include "arch/backend.h"

const struct hy_backend *hy_backend_native(void) { return hy_backend_arm64(); }
