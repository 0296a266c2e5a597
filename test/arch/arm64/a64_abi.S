/* test/arch/arm64/a64_abi.S — AAPCS64 harness for JIT code (arm64 build only).
 *
 * hy_a64t_call(fn, st): fills X19-X28, D8-D15 and X29 with the canaries in
 * *st, loads the arguments, records SP and the return address, calls fn with
 * BLR, then records what X19-X28, D8-D15, X29 and SP hold afterwards and the
 * results X0/D0. The harness saves and restores its own callee-saved
 * registers, so the C caller is unaffected whatever the JIT code does.
 *
 * Helper stubs (HY_STUB name, body): record SP, X29, X30 at entry into
 * hy_a64t_rec, count entries whose SP is not 16-byte aligned, then tail-call
 * the C body with all argument registers untouched.
 */
#define ST_IARGS 0
#define ST_FARGS 48
#define ST_CX 80
#define ST_CD 160
#define ST_CFP 224
#define ST_OX 232
#define ST_OD 312
#define ST_OFP 376
#define ST_SPB 384
#define ST_SPA 392
#define ST_RX 400
#define ST_RD 408
#define ST_RA 416

    .text
    .align 2
    .global hy_a64t_call
    .type hy_a64t_call, %function
hy_a64t_call:
    stp x29, x30, [sp, #-176]!
    mov x29, sp
    stp x19, x20, [sp, #16]
    stp x21, x22, [sp, #32]
    stp x23, x24, [sp, #48]
    stp x25, x26, [sp, #64]
    stp x27, x28, [sp, #80]
    stp d8, d9, [sp, #96]
    stp d10, d11, [sp, #112]
    stp d12, d13, [sp, #128]
    stp d14, d15, [sp, #144]
    str x1, [sp, #160]
    mov x16, x0
    mov x17, x1
    ldp x19, x20, [x17, #ST_CX]
    ldp x21, x22, [x17, #ST_CX + 16]
    ldp x23, x24, [x17, #ST_CX + 32]
    ldp x25, x26, [x17, #ST_CX + 48]
    ldp x27, x28, [x17, #ST_CX + 64]
    ldp d8, d9, [x17, #ST_CD]
    ldp d10, d11, [x17, #ST_CD + 16]
    ldp d12, d13, [x17, #ST_CD + 32]
    ldp d14, d15, [x17, #ST_CD + 48]
    ldp x0, x1, [x17, #ST_IARGS]
    ldp x2, x3, [x17, #ST_IARGS + 16]
    ldp x4, x5, [x17, #ST_IARGS + 32]
    ldp d0, d1, [x17, #ST_FARGS]
    ldp d2, d3, [x17, #ST_FARGS + 16]
    mov x6, sp
    str x6, [x17, #ST_SPB]
    adr x6, 1f
    str x6, [x17, #ST_RA]
    ldr x29, [x17, #ST_CFP]
    blr x16
1:
    ldr x17, [sp, #160]
    stp x19, x20, [x17, #ST_OX]
    stp x21, x22, [x17, #ST_OX + 16]
    stp x23, x24, [x17, #ST_OX + 32]
    stp x25, x26, [x17, #ST_OX + 48]
    stp x27, x28, [x17, #ST_OX + 64]
    stp d8, d9, [x17, #ST_OD]
    stp d10, d11, [x17, #ST_OD + 16]
    stp d12, d13, [x17, #ST_OD + 32]
    stp d14, d15, [x17, #ST_OD + 48]
    str x29, [x17, #ST_OFP]
    mov x6, sp
    str x6, [x17, #ST_SPA]
    str x0, [x17, #ST_RX]
    str d0, [x17, #ST_RD]
    ldp x19, x20, [sp, #16]
    ldp x21, x22, [sp, #32]
    ldp x23, x24, [sp, #48]
    ldp x25, x26, [sp, #64]
    ldp x27, x28, [sp, #80]
    ldp d8, d9, [sp, #96]
    ldp d10, d11, [sp, #112]
    ldp d12, d13, [sp, #128]
    ldp d14, d15, [sp, #144]
    ldp x29, x30, [sp], #176
    ret
    .size hy_a64t_call, . - hy_a64t_call

/* rec layout: 0 sp, 8 x29, 16 x30, 24 misaligned, 32 calls */
.macro HY_STUB name, body
    .global \name
    .type \name, %function
    .align 2
\name:
    adrp x16, hy_a64t_rec
    add x16, x16, :lo12:hy_a64t_rec
    mov x17, sp
    str x17, [x16, #0]
    str x29, [x16, #8]
    str x30, [x16, #16]
    tst x17, #15
    b.eq 2f
    ldr x17, [x16, #24]
    add x17, x17, #1
    str x17, [x16, #24]
2:
    ldr x17, [x16, #32]
    add x17, x17, #1
    str x17, [x16, #32]
    b \body
    .size \name, . - \name
.endm

    HY_STUB hy_a64t_probe, hy_a64t_probe_c
    HY_STUB hy_a64t_fprobe, hy_a64t_fprobe_c
    HY_STUB hy_a64t_many, hy_a64t_many_c

    .section .note.GNU-stack, "", %progbits
