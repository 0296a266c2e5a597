/* arch/arm64/a64.h — ARM64 decoder, Safe Opcode Filter, disassembler and the
 * list of encodable forms. The encoder itself is a64_enc.h; everything here is
 * driven by the same form/class tables.
 */
#ifndef HY_ARCH_A64_H
#define HY_ARCH_A64_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "arch/arm64/a64_enc.h"

/* ---- decoding -------------------------------------------------------------
 * An index over the form table, bucketed by the top byte of the word, so that
 * matching a word costs a handful of compares. Build it once (a64_index_init)
 * and share it read-only between threads. */
#define A64_INDEX_CAP (A64_NFORMS * 4 + 8)
struct a64_index {
    uint16_t start[257];
    uint16_t list[A64_INDEX_CAP];
};
void a64_index_init(struct a64_index *ix);

/* Form whose fixed bits match w (enum a64_op), or -1. Table match only. */
int a64_match(const struct a64_index *ix, uint32_t w);

/* Form of w if w is an ALLOWED instruction (table match plus the filter's field
 * rules: no unallocated or unpredictable field values, only the forms our
 * encoder produces), else -1 and *why (if given) says what is wrong.
 * Context-free: branch targets and helper calls are checked by a64_filter. */
int a64_check_word(const struct a64_index *ix, uint32_t w, const char **why);

/* The filter's per-word verdict: a64_check_word plus the rules for function
 * bodies that do not depend on neighbouring words:
 *  - no form of A64_ENCODE_ONLY (BR, barriers, DC/IC, MRS/MSR, writeback pairs
 *    other than the frame's);
 *  - X30 (LR) is written only by `ldp x29, x30, [sp], #N` (N > 0) and
 *    `ldp x29, x30, [sp]` (the two epilogues); BL/BLR write it implicitly;
 *  - SP is written only by `add|sub sp, sp, #imm{, lsl #12}` with imm a
 *    multiple of 16, `stp x29, x30, [sp, #-N]!` and `ldp x29, x30, [sp], #N`;
 *  - no store through SP or X29 overlaps the saved-LR slot [base+8, base+16)
 *    except `stp x29, x30, [sp{, #-N}]{!}` of the prologue.
 * Returns the form or -1 with *why. a64_check_word alone is the "valid and
 * encodable" verdict the disassembler uses. */
int a64_filter_word(const struct a64_index *ix, uint32_t w, const char **why);

/* The filter's own bitmask-immediate decoder (ARM ARM DecodeBitMasks, with
 * immr limited to the element size). Returns 1 and the value, 0 if invalid. */
int a64_bitmask_decode(int x, unsigned n, unsigned immr, unsigned imms, uint64_t *value);

/* ---- Safe Opcode Filter ----------------------------------------------------
 * Default deny. Accepts a buffer only if
 *  - its length is a multiple of 4 and every word passes a64_filter_word;
 *  - every B.cond/CBZ/CBNZ/TBZ/TBNZ and every B targets a word inside the buffer
 *    (no B out of the function, not even to a helper);
 *  - every BL targets a registered helper (absolute address = xaddr + offset);
 *  - every BLR is `blr x16` immediately preceded by
 *    `movz x16, ...` followed by zero to three `movk x16, ...` that together load
 *    the address of a registered helper; no branch may land inside such a
 *    sequence (only on its movz);
 *  - RET is `ret` (x30) only;
 *  - the last word cannot fall through past the end (b, ret or the trap).
 * Returns 0 to accept. On refusal returns -1 and fills *res (if given). */
struct a64_filter_result {
    size_t offset;       /* byte offset of the offending word */
    uint32_t word;
    char msg[256];
};
int a64_filter_check(const struct a64_index *ix, const uint8_t *code, size_t len,
                     uint64_t xaddr, const uint64_t *helpers, size_t nhelpers,
                     struct a64_filter_result *res);

/* ---- disassembler ----------------------------------------------------------
 * Prints one word in standard ARM syntax (the same text llvm-mc prints for it,
 * one space after the mnemonic). Words the filter does not allow print as
 * ".inst 0x........". With A64_DIS_TARGET, direct branches get a comment with
 * the absolute target computed from pc. Returns the length written. */
enum { A64_DIS_TARGET = 1 };
size_t a64_disasm(const struct a64_index *ix, uint32_t w, uint64_t pc, int flags, char *buf,
                  size_t cap);

/* ---- the list of encodable forms --------------------------------------------
 * Calls cb once per listed instruction: the word produced by the encoder and
 * the assembly text we expect for it (written independently of the
 * disassembler, checked with llvm-mc). Returns the number of entries, or -1 if
 * an encoder reported a bad operand (a bug). */
typedef void (*a64_encodings_cb)(void *ud, uint32_t word, const char *text);
int a64_encodings(a64_encodings_cb cb, void *ud);
/* The same list printed as `hyperion-jit encodings --arch arm64` shows it: one
 * line per form, "b0b1b2b3<TAB>assembly" (the four bytes in memory order, as
 * backend.h specifies; split into "0xb0 0xb1 0xb2 0xb3" for llvm-mc
 * --disassemble). Returns the count or -1. */
int a64_print_encodings(FILE *out);

/* Little-endian word access (code bytes are little-endian on every A64 OS). */
static inline uint32_t a64_load_word(const uint8_t *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static inline void a64_store_word(uint8_t *p, uint32_t w) {
    p[0] = (uint8_t)w;
    p[1] = (uint8_t)(w >> 8);
    p[2] = (uint8_t)(w >> 16);
    p[3] = (uint8_t)(w >> 24);
}

#endif /* HY_ARCH_A64_H */
