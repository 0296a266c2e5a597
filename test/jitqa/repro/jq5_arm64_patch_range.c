/* JQ-5 reproducer (not built by CMake): the ARM64 backend filter ignores
 * hy_filter_in.range_off/range_len; the x86-64 one refuses a patched range
 * outside every registered site.
 *   cc -I/work/main/src jq5_arm64_patch_range.c /tmp/jq-build/libhyjit.a -lm -lpthread && ./a.out */
#include <stdio.h>
#include <string.h>
#include "arch/backend.h"
#include "arch/arm64/a64.h"
int main(void) {
    /* cbz x0, +3 ; nop ; nop(changed word) ; ret  -- site at +0 */
    uint32_t w[4] = {0xB4000060u, 0xD503201Fu, 0xD503201Fu, 0xD65F03C0u};
    uint8_t b[16];
    for (int i = 0; i < 4; i++) a64_store_word(b + 4 * i, w[i]);
    struct hy_patch_site s; memset(&s, 0, sizeof s);
    s.off = 0; s.len = 4; memcpy(s.orig, b, 4); a64_store_word(s.alt, 0xD503201Fu);
    struct hy_filter_in in; struct hy_filter_out o; memset(&in, 0, sizeof in); memset(&o, 0, sizeof o);
    in.code = b; in.len = 16; in.base = 0x10000; in.sites = &s; in.nsites = 1;
    in.range_off = 8; in.range_len = 4;   /* "patch" of word 2: outside every site */
    int r = hy_backend_arm64()->filter(&in, &o);
    printf("arm64 filter, patch range outside the sites: %s %s\n", r ? "reject" : "ACCEPT", o.reason);
    /* same on x86: push rbp; test rax,rax; je +1; nop; pop rbp; ret */
    uint8_t x[] = {0x55, 0x48, 0x85, 0xc0, 0x74, 0x01, 0x90, 0x5d, 0xc3};
    struct hy_patch_site t; memset(&t, 0, sizeof t); t.off = 4; t.len = 2; t.orig[0]=0x74; t.orig[1]=1; t.alt[0]=0x66; t.alt[1]=0x90;
    in.code = x; in.len = sizeof x; in.sites = &t; in.range_off = 6; in.range_len = 1;
    r = hy_backend_x86_64()->filter(&in, &o);
    printf("x86 filter, patch range outside the sites: %s %s\n", r ? "reject" : "ACCEPT", o.reason);
    return 0;
}
