/* The backend interface: the ONE contract each ISA folder implements.
 *
 * The portable core (src/jit/) validates and decides; a backend only lowers,
 * checks bytes and prints them. Both backends are always linked into hyjit
 * (tools can dump, verify and list either ISA on any host); only the native
 * one (hy_backend_native(), chosen by the build) is ever executed.
 *
 * ===========================================================================
 * What a backend MUST do
 * ===========================================================================
 * emit_function(lw): lower a verified, register-allocated function.
 *   Input: lw->fn (verified IR), lw->ra (one location per vreg, see
 *   jit/regalloc.h), lw->tg (== backend->target), lw->helpers, lw->exec_base
 *   (the executable address buf[0] will have: use it for call distances;
 *   the bytes are never executed at lw->buf), lw->buf/lw->cap.
 *   - Write at most lw->cap bytes. If more are needed, keep going WITHOUT
 *     writing (count only), set lw->size to the total needed and return
 *     HY_EMIT_NOSPACE; the core reserves more and calls again (possibly
 *     with a different exec_base).
 *   - On success set lw->size, lw->block_off[b] for every block, fill
 *     lw->sites (every guard and every addo/subo/mulo overflow branch, in
 *     instruction order) and lw->calls (every helper call), return HY_EMIT_OK.
 *   - Errors are sticky: the encoders turn a bad operand into the ISA's trap
 *     instruction and record an error; emit_function then returns
 *     HY_EMIT_ERROR with lw->err set (hy_lower_fail). Never emit a
 *     silently-wrong instruction.
 *   - Blocks are emitted in index order (block 0 first, right after the
 *     prologue); block 0 may also be a branch target.
 *   - Semantics are those of jit/ir.h (the evaluator is normative), incl.
 *     sdiv/srem MIN/-1 (must not trap), saturating fptosi, shift amounts
 *     modulo width, i32 upper halves unspecified.
 *   - Params arrive in the ABI argument registers (ints in gpr_arg order,
 *     f64 in fpr_arg order, each class counted separately) and are moved to
 *     their allocated locations in the prologue (use hy_pmove_schedule). Call
 *     arguments likewise; results come back in gpr_ret / fpr_ret.
 *
 * ABI frames (exactly):
 *   x86-64 System V: push rbp; mov rbp, rsp; push the used callee-saved GPRs
 *     (rbx, r12-r15 - exactly ra->used_callee_gpr); reserve spill slots;
 *     RSP is 16-byte aligned at every call instruction. Args rdi rsi rdx rcx
 *     r8 r9 / xmm0-xmm3 (we use at most 4 f64), results rax / xmm0. All xmm
 *     registers are caller-saved. Epilogue restores exactly what was saved.
 *   ARM64 AAPCS64: stp x29, x30, [sp, #-N]!; mov x29, sp; frame is
 *     [SP+0x00] saved FP (X29), [SP+0x08] saved LR (X30), [SP+0x10] X19 (or
 *     the lowest-numbered used callee-saved X), [SP+0x18] the next used
 *     callee-saved X, ... then the used D8-D15 (low 64 bits), then the spill
 *     slots; N a multiple of 16. SP is 16-byte aligned at every instruction
 *     and before every BL/BLR. X19-X28 preserved, D8-D15 saved when used.
 *     X0-X7 / D0-D7 arguments, X0 / D0 results. X16/X17 are the call
 *     scratch (IP0/IP1); X18 is never touched (platform register).
 *
 * Calls to helpers work at any distance: a direct call (x86 call rel32,
 *   ARM64 BL imm26) when exec address + offset reaches the helper, else an
 *   indirect call in the ONE form the filter allows (x86: mov r11, imm64;
 *   call r11 -- ARM64: movz/movk x16 (4 instructions); blr x16). Record
 *   every call in lw->calls.
 *
 * Guard sites: every guard (and every CHK overflow exit) is ONE branch
 *   instruction to the exit block: x86-64 jcc rel8 or jcc rel32 (2 or 6
 *   bytes), ARM64 CBZ/CBNZ/TBZ/TBNZ/B.cond (4 bytes). Its patch site records
 *   offset, length, the original bytes and the NOP alternative of the same
 *   length (x86: 66 90 / 66 0F 1F 44 00 00 -- ARM64: 0xD503201F).
 *
 * filter(in, out): the Safe Opcode Filter, default deny. Accepts only the
 *   forms our encoder produces; checks instruction boundaries, that direct
 *   branches stay inside [0, len) on a boundary, that calls go only to
 *   in->helpers, and rejects forbidden classes (x86: syscall/sysenter, int n,
 *   far transfers, segment moves, wrpkru, privileged and I/O; ARM64: SVC/
 *   HVC/SMC, MSR/MRS outside the EL0 allowlist, SYS except our cache ops,
 *   foreign BRK values, unknown encodings). Registered sites (in->sites)
 *   must hold either their orig or their alt bytes. in->range_off/len name
 *   the bytes that changed (a patch); a variable-length ISA still decodes
 *   from offset 0 to know the boundaries. Returns 0 accept, else nonzero
 *   with out->off and out->reason.
 *
 * disasm: decode ONE instruction at p (n bytes available, address addr) into
 *   text (Intel syntax for x86-64, standard ARM syntax for ARM64); return its
 *   length, or 0 if it is not an instruction we know (caller prints .byte).
 *
 * list_encodings: every instruction form the encoder can emit, with
 *   representative and boundary operands, one per line "HEX<TAB>ASSEMBLY"
 *   (hex bytes in memory order, no spaces), checkable with llvm-mc-14.
 */
#ifndef HY_ARCH_BACKEND_H
#define HY_ARCH_BACKEND_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "jit/ir.h"
#include "jit/regalloc.h"

#define HY_SITE_MAX_BYTES 8

/* Stack probing (stack-clash protection), both backends: a frame larger than
 * HY_STACK_PROBE bytes is allocated one HY_STACK_PROBE step at a time from
 * the top, with a store at the new stack pointer after every step (and at
 * the bottom), so no access ever lands more than one probe step below the
 * last touched stack word: a guard page of >= 4 KiB always faults before
 * anything below it is written. The step is a fixed 4096, never the runtime
 * page size. Frames above HY_MAX_FRAME bytes are refused with a clear
 * compile error ("frame of N bytes exceeds the limit"). */
#define HY_STACK_PROBE 4096u
#define HY_MAX_FRAME (1u << 20)

/* A guard branch that may be patched between orig and alt. */
struct hy_patch_site {
    uint32_t off;                 /* from function start */
    uint8_t len;                  /* 2 or 6 on x86-64, 4 on ARM64 */
    uint8_t kind;                 /* enum hy_guard_kind */
    uint16_t pad;
    uint32_t guard_id, counter;   /* copied from the IR instruction */
    uint32_t exit_blk;            /* IR block the branch goes to */
    uint8_t orig[HY_SITE_MAX_BYTES]; /* the branch as emitted */
    uint8_t alt[HY_SITE_MAX_BYTES];  /* NOP of the same length */
};

struct hy_call_site {
    uint32_t off;                 /* first byte of the call sequence */
    uint32_t len;                 /* whole sequence (incl. mov imm64 / movz..) */
    uint64_t target;              /* helper address */
    uint32_t helper;              /* helper index */
    uint8_t indirect;             /* 1: through scratch register */
};

enum { HY_EMIT_OK = 0, HY_EMIT_ERROR = -1, HY_EMIT_NOSPACE = -2 };

/* One lowering job. Arrays are allocated by the core with enough room:
 * block_off[fn->nblocks], sites[sites_cap] with sites_cap = number of
 * GUARD + CHK instructions, calls[calls_cap] = number of CALLs. */
struct hy_lower {
    /* in */
    const struct hy_func *fn;
    const struct hy_ra *ra;
    const struct hy_target *tg;
    const struct hy_helpers *helpers;
    uint64_t exec_base;
    uint8_t *buf;
    size_t cap;
    /* out */
    size_t size;
    uint32_t *block_off;
    struct hy_patch_site *sites;
    uint32_t nsites, sites_cap;
    struct hy_call_site *calls;
    uint32_t ncalls, calls_cap;
    uint32_t frame_size;          /* bytes below the return address (info) */
    int failed;                   /* sticky */
    char err[200];
};

/* Record the first error (sticky; later calls are ignored). In compile.c. */
void hy_lower_fail(struct hy_lower *lw, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

struct hy_filter_in {
    const uint8_t *code;          /* whole function */
    size_t len;
    uint64_t base;                /* executable address of code[0] */
    const uint64_t *helpers;      /* allowed call targets */
    uint32_t nhelpers;
    const struct hy_patch_site *sites; /* registered patch sites (may be 0) */
    uint32_t nsites;
    size_t range_off, range_len;  /* changed bytes; 0, len for a full check */
};

struct hy_filter_out {
    size_t off;                   /* offset of the offending instruction */
    char reason[160];
};

/* The portable patch-site half of every backend filter (src/jit/patch.c;
 * hy_patch_check applies the same site rule to a patched block). Accepts iff
 * every site in in->sites has 1..HY_SITE_MAX_BYTES bytes inside [0, in->len),
 * in->code holds its orig or its alt bytes there, and site_why(site) returns
 * NULL (site_why may be NULL: no ISA rule); and, for a patch (in->range_len
 * set and not the whole function), the range lies inside the function with
 * every byte of it inside a registered site. site_why is the backend's only
 * site rule, e.g. "orig is one conditional branch of this ISA, alt is its
 * NOP"; it returns a short reason when the site breaks it. isa prefixes
 * out->reason. Returns 0 accept, else -1 with out->off and out->reason. */
int hy_filter_sites(const struct hy_filter_in *in, const char *isa, const char *(*site_why)(const struct hy_patch_site *),
                    struct hy_filter_out *out);

struct hy_backend {
    const char *name;             /* "x86-64" | "arm64" */
    const struct hy_target *target;
    uint8_t trap[4];              /* trap fill pattern in memory order */
    uint8_t trap_len;             /* x86-64: 1 (0xCC); ARM64: 4 (BRK #imm) */
    uint8_t nop[4];
    uint8_t nop_len;              /* x86-64: 1 (0x90); ARM64: 4 */
    uint8_t insn_align;           /* 1 or 4 */
    int (*emit_function)(struct hy_lower *lw);
    int (*filter)(const struct hy_filter_in *in, struct hy_filter_out *out);
    int (*disasm)(const uint8_t *p, size_t n, uint64_t addr, char *text, size_t cap);
    void (*list_encodings)(FILE *out);
};

const struct hy_backend *hy_backend_x86_64(void);
const struct hy_backend *hy_backend_arm64(void);
const struct hy_backend *hy_backend_native(void);
/* "x86-64"/"x86_64" or "arm64"/"aarch64" -> backend; NULL if unknown (compile.c). */
const struct hy_backend *hy_backend_by_name(const char *name);

#endif
