/* x86-64 decoder, disassembler and Safe Opcode Filter.
 *
 * The decoder recognises exactly the forms of x86_tab.h (with the operand
 * constraints stated there) and nothing else; it shares the table with the
 * encoder but none of its logic.  The filter is built on it. */
#ifndef HY_X86_DEC_H
#define HY_X86_DEC_H

#include <stddef.h>
#include <stdint.h>

#include "arch/x86_64/x86_enc.h"

struct x86_insn {
  uint16_t form; /* enum x86_form_id */
  uint8_t len;
  uint8_t cc;      /* condition code of X86_F_CC forms */
  int8_t reg;      /* ModRM.reg / opcode register operand, -1 if none */
  int8_t rm;       /* r/m register when ModRM.mod == 3, else -1 */
  uint8_t has_mem; /* r/m is the memory operand `mem` */
  uint8_t rex;     /* REX byte or 0 */
  struct x86_mem mem;
  int64_t imm; /* immediate (sign-extended as the CPU does) or branch displacement */
};

/* Decode one instruction at p[0..n).  Returns its length (1..15) when it is
 * one of our forms; 0 when it is anything else (unknown, forbidden, an
 * operand form we never emit, or truncated). */
int x86_decode(const uint8_t *p, size_t n, struct x86_insn *d);

/* Disassembly flags. */
#define X86_DIS_RELRAW 1u /* branches print their raw displacement (as llvm-mc does) */

/* Print one decoded instruction in Intel syntax (LLVM's spelling).  Branch
 * targets are printed as absolute addresses (addr = address of the
 * instruction) unless X86_DIS_RELRAW. */
void x86_format(const struct x86_insn *d, uint64_t addr, unsigned flags, char *out, size_t outsz);

/* Decode and print one instruction; returns its length, or 0 and "(bad)". */
int x86_disasm_one(const uint8_t *p, size_t n, uint64_t addr, unsigned flags, char *out,
                   size_t outsz);

/* Safe Opcode Filter.
 * exec_addr: the address code[0] will have when it runs (for call rel32).
 * helpers: the registered helper entry points (any order). */
struct x86_filter_req {
  const uint8_t *code;
  size_t len;
  uint64_t exec_addr;
  const uint64_t *helpers;
  size_t nhelpers;
};

struct x86_filter_res {
  size_t off;    /* offset of the offending instruction */
  char msg[192]; /* what was wrong */
};

/* Returns 0 when every byte of code[0..len) is accepted, -1 otherwise (res
 * says where and why).  Rules: every byte decodes as one of our forms in one
 * linear pass; direct branch targets lie inside the function on an
 * instruction boundary, not on trap fill nor on a `call r11`; `call rel32`
 * reaches a registered helper; `call r11` directly follows
 * `movabs r11, <registered helper>`; int3 only where fall-through cannot reach
 * it; the function cannot fall off its end.  Frame rules (x86_filter.c
 * frame_rule): the function starts with `push rbp; mov rbp, rsp`; RSP/RBP are
 * written only by the frame's own forms (push/pop, prologue `sub rsp, imm`,
 * `lea rsp, [rbp-8k]`, `pop rbp` directly before `ret`); `ret` only directly
 * after `pop rbp`; the stack depth is tracked statically and must agree across
 * every branch; memory through rbp only below it, through rsp only the stack
 * probe; rsp/rbp never used as values.  A store through another register that
 * holds a stack address (e.g. returned by a helper) is outside what a filter
 * can see. */
int x86_filter_check(const struct x86_filter_req *req, struct x86_filter_res *res);

/* Encodings list: every form the encoder can emit with representative and
 * boundary operands, as (bytes, Intel text) pairs; the text is composed
 * independently of the disassembler.  Returns the number of forms. */
typedef void (*x86_encoding_cb)(void *ctx, const uint8_t *bytes, size_t n, const char *text);
int x86_list_encodings(x86_encoding_cb cb, void *ctx);

#endif
