/* Backend lookup by name (tools pick either ISA on any host). Kept apart from
 * compile.c so that front-end-only programs do not pull in both backends. */
#include <string.h>

#include "arch/backend.h"

const struct hy_backend *hy_backend_by_name(const char *name) {
    if (!name) return NULL;
    if (!strcmp(name, "x86-64") || !strcmp(name, "x86_64") || !strcmp(name, "amd64"))
        return hy_backend_x86_64();
    if (!strcmp(name, "arm64") || !strcmp(name, "aarch64")) return hy_backend_arm64();
    if (!strcmp(name, "native")) return hy_backend_native();
    return NULL;
}
