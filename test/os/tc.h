/* test/os/tc.h — a few bytes of real native code for the code-memory tests,
 * independent of the backends. CMake picks tc_<HY_ARCH>.c; no #if on the arch. */
#ifndef HY_TEST_OS_TC_H
#define HY_TEST_OS_TC_H
#include <stddef.h>
#include <stdint.h>

extern const char *const tc_isa;
extern const uint8_t tc_trap[];     /* the trap fill pattern */
extern const size_t tc_trap_len;
extern const size_t tc_ret_imm_len; /* bytes of one "return imm" function */

/* Emit `int f(void) { return imm; }` at p; returns tc_ret_imm_len. */
size_t tc_emit_ret_imm(uint8_t *p, uint32_t imm);
/* Emit one instruction the verifier must refuse (a system call); returns length. */
size_t tc_emit_forbidden(uint8_t *p);
/* The test's own verifier: accepts only sequences of ret_imm functions and trap
 * fill; returns 0 or the offset+1 of the first refused byte. ud: unused. */
int tc_verify(void *ud, const uint8_t *bytes, size_t len, uintptr_t xaddr);
#endif
