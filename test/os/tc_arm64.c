/* ARM64 test code: movz w0,#lo; movk w0,#hi,lsl #16; ret. Trap: brk #0xf000. */
#include "tc.h"

#define MOVZ_W0 0x52800000u /* movz w0, #imm16 */
#define MOVK_W0_16 0x72A00000u /* movk w0, #imm16, lsl #16 */
#define RET 0xD65F03C0u
#define SVC0 0xD4000001u
#define BRK_F000 0xD43E0000u

const char *const tc_isa = "arm64";
const uint8_t tc_trap[] = {0x00, 0x00, 0x3E, 0xD4};
const size_t tc_trap_len = 4;
const size_t tc_ret_imm_len = 12;

static void put32(uint8_t *p, uint32_t w) {
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(w >> (8 * i));
}
static uint32_t get32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

size_t tc_emit_ret_imm(uint8_t *p, uint32_t imm) {
    put32(p, MOVZ_W0 | (imm & 0xFFFF) << 5);
    put32(p + 4, MOVK_W0_16 | (imm >> 16) << 5);
    put32(p + 8, RET);
    return 12;
}

size_t tc_emit_forbidden(uint8_t *p) {
    put32(p, SVC0);
    return 4;
}

int tc_verify(void *ud, const uint8_t *b, size_t len, uintptr_t xaddr) {
    (void)ud;
    (void)xaddr;
    if (len % 4) return (int)len;
    size_t i = 0;
    while (i < len) {
        uint32_t w = get32(b + i);
        if ((w & 0xFFE0001Fu) == MOVZ_W0 && len - i >= 12 &&
            (get32(b + i + 4) & 0xFFE0001Fu) == MOVK_W0_16 && get32(b + i + 8) == RET)
            i += 12;
        else if (w == BRK_F000) i += 4;
        else return (int)i + 1;
    }
    return 0;
}
