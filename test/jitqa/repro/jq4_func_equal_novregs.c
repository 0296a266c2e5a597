/* JQ-4 reproducer (not built by CMake): hy_func_equal() on a function without
 * vregs calls memcmp(NULL, NULL, 0) -> UBSan "null pointer passed as argument 1".
 * Build against the ASan+UBSan hyjit:
 *   cc -fsanitize=address,undefined -fno-sanitize-recover=undefined -I/work/main/src \
 *      jq4_func_equal_novregs.c /tmp/jq-asan/libhyjit.a -lm -lpthread && ./a.out */
#include <stdio.h>
#include <string.h>

#include "jit/ir.h"

int main(void) {
    const char *src = "func @f() {\nbb0:\n  ret\n}\n";
    char err[200];
    struct hy_func *a = hy_parse_func(src, strlen(src), NULL, err, sizeof err);
    struct hy_func *b = hy_parse_func(src, strlen(src), NULL, err, sizeof err);
    if (!a || !b) return 1;
    int r = hy_func_equal(a, b, err, sizeof err); /* UBSan aborts here */
    printf("equal: %d\n", r == 0);
    hy_func_free(a);
    hy_func_free(b);
    return 0;
}
