/* x86-64 test code: mov eax, imm32 (B8 id); ret (C3). Trap: INT3 (CC). */
#include "tc.h"

const char *const tc_isa = "x86_64";
const uint8_t tc_trap[] = {0xCC};
const size_t tc_trap_len = 1;
const size_t tc_ret_imm_len = 6;

size_t tc_emit_ret_imm(uint8_t *p, uint32_t imm) {
    p[0] = 0xB8;
    for (int i = 0; i < 4; i++) p[1 + i] = (uint8_t)(imm >> (8 * i));
    p[5] = 0xC3;
    return 6;
}

size_t tc_emit_forbidden(uint8_t *p) {
    p[0] = 0x0F; /* syscall */
    p[1] = 0x05;
    return 2;
}

int tc_verify(void *ud, const uint8_t *b, size_t len, uintptr_t xaddr) {
    (void)ud;
    (void)xaddr;
    size_t i = 0;
    while (i < len) {
        if (b[i] == 0xB8 && len - i >= 6 && b[i + 5] == 0xC3) i += 6;
        else if (b[i] == 0xCC) i += 1;
        else return (int)i + 1;
    }
    return 0;
}
