/* jq_filter: attempts to get forbidden code past the Safe Opcode Filters of
 * both ISAs (both filters are linked on every host; nothing here executes
 * generated code). Every case states the verdict it expects: the forbidden
 * forms are rejected, and positive controls (the same shape in its allowed
 * form) are accepted, so the test cannot pass by rejecting everything.
 *
 *   x86-64: forbidden instructions (syscall, sysenter, int n, far transfers,
 *     segment moves/overrides, wrpkru, privileged, I/O, indirect jumps,
 *     lock/rep/addr-size prefixes, 66 on branches, VEX/EVEX, ...) at every
 *     instruction boundary of real lowered functions; instructions hidden in
 *     immediates/displacements reached by a branch into the middle; jumps to
 *     the last byte / past the end; `call r11` without the movabs, with an
 *     unregistered address, with something in between, or entered directly.
 *   ARM64: SVC/HVC/SMC/HLT/DCPS/ERET, foreign BRKs, MSR/MRS outside the
 *     allowlist, SYS ops, BR/BLR/RET through other registers, pointer-auth
 *     branches, exclusives, unallocated words; blr x16 sequences that load an
 *     unregistered address, have an instruction in between, are too long, use
 *     w16/x17/movn, or are entered in the middle; branches out of range; BL to
 *     unregistered targets; fall-through off the end. Plus exhaustive sweeps of
 *     the exception (0xD4......), system (0xD5......) and branch-register
 *     (0xD6/0xD7......) spaces: only the allowlisted words pass.
 *
 * Usage: jq_filter HIRDIR   (HY_SOAK=1: full sweeps instead of strided). */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "arch/arm64/a64.h"
#include "jit/jit.h"
#include "jq_common.h"

#define BASE 0x7f0000100000ull
#define HELPER 0x7f0000200040ull

static struct jq Q;
static uint64_t HA[16];
static uint32_t NHA;

static int filt(const struct hy_backend *be, const uint8_t *code, size_t len, const uint64_t *helpers, uint32_t nh,
                struct hy_filter_out *out) {
    struct hy_filter_in in;
    memset(&in, 0, sizeof in);
    memset(out, 0, sizeof *out);
    in.code = code;
    in.len = len;
    in.base = BASE;
    in.helpers = helpers;
    in.nhelpers = nh;
    in.range_len = len;
    return be->filter(&in, out);
}

/* ------------------------------------------------------------------ x86-64 */

struct bytes {
    uint8_t b[512];
    size_t n;
};
static void put(struct bytes *v, const char *hex) {
    for (const char *p = hex; *p;) {
        if (*p == ' ') {
            p++;
            continue;
        }
        unsigned x;
        sscanf(p, "%2x", &x);
        v->b[v->n++] = (uint8_t)x;
        p += 2;
    }
}
static void put64(struct bytes *v, uint64_t x) {
    for (int i = 0; i < 8; i++) v->b[v->n++] = (uint8_t)(x >> (8 * i));
}

static int x86_ok(const struct bytes *v, const uint64_t *h, uint32_t nh, struct hy_filter_out *o) {
    return filt(hy_backend_x86_64(), v->b, v->n, h, nh, o) == 0;
}

#define X86_EXPECT(accept, v, what)                                                                          \
    do {                                                                                                     \
        struct hy_filter_out o_;                                                                             \
        int a_ = x86_ok(&(v), HA, NHA, &o_);                                                                 \
        JQ_CHECK(&Q, a_ == (accept), "x86: %s: expected %s, got %s (%s)", what, (accept) ? "accept" : "reject", \
                 a_ ? "accept" : "reject", o_.reason);                                                       \
    } while (0)

/* Forbidden or never-emitted byte sequences (whole instructions). */
static const struct {
    const char *hex, *name;
} x86_bad[] = {
    {"0f 05", "syscall"}, {"0f 34", "sysenter"}, {"0f 07", "sysret"}, {"48 0f 07", "sysretq"},
    {"cd 80", "int 0x80"}, {"cd 03", "int 3 (2-byte)"}, {"cc", "int3 reachable"}, {"f1", "int1"},
    {"ce", "into"}, {"48 cf", "iretq"}, {"cf", "iret"}, {"cb", "retf"}, {"ca 08 00", "retf imm16"},
    {"c2 08 00", "ret imm16"}, {"ff 2c 24", "jmp far [rsp]"}, {"ff 1c 24", "call far [rsp]"},
    {"48 ff 2c 24", "rex.w jmp far"}, {"ea", "jmp far ptr (invalid in 64)"}, {"0f 01 ef", "wrpkru"},
    {"0f 01 ee", "rdpkru"}, {"f4", "hlt"}, {"e4 60", "in al, 0x60"}, {"ec", "in al, dx"},
    {"e6 80", "out 0x80, al"}, {"ee", "out dx, al"}, {"6c", "insb"}, {"6e", "outsb"}, {"fa", "cli"},
    {"fb", "sti"}, {"8e d8", "mov ds, eax"}, {"8e e0", "mov fs, eax"}, {"8c d8", "mov eax, ds"},
    {"0f a0", "push fs"}, {"0f a1", "pop fs"}, {"0f a8", "push gs"}, {"f3 48 0f ae d0", "wrfsbase rax"},
    {"f3 48 0f ae d8", "wrgsbase rax"}, {"f3 48 0f ae c0", "rdfsbase rax"}, {"0f 01 f8", "swapgs"},
    {"0f ae 2f", "xrstor [rdi]"}, {"48 0f ae 2f", "xrstor64"}, {"0f c7 1f", "xrstors [rdi]"},
    {"0f 01 10", "lgdt [rax]"}, {"0f 00 d8", "ltr ax"}, {"0f 22 d8", "mov cr3, rax"},
    {"0f 23 c0", "mov dr0, rax"}, {"0f 30", "wrmsr"}, {"0f 32", "rdmsr"}, {"0f 31", "rdtsc"},
    {"0f 01 f9", "rdtscp"}, {"0f a2", "cpuid"}, {"0f 0b", "ud2"}, {"0f 01 c1", "vmcall"},
    {"0f 01 d7", "enclu"}, {"0f 01 ca", "clac"}, {"c7 f8 00 00 00 00", "xbegin"}, {"0f 01 d5", "xend"},
    {"ff e0", "jmp rax"}, {"41 ff e3", "jmp r11"}, {"ff d0", "call rax"}, {"ff 10", "call [rax]"},
    {"41 ff 13", "call [r11]"}, {"ff 20", "jmp [rax]"}, {"ff 25 00 00 00 00", "jmp [rip]"},
    {"f0 48 01 c0", "lock add"}, {"f3 a4", "rep movsb"}, {"a4", "movsb"}, {"f3 aa", "rep stosb"},
    {"64 48 8b 00", "mov rax, fs:[rax]"}, {"65 48 8b 00", "mov rax, gs:[rax]"},
    {"2e 48 8b 00", "cs override"}, {"3e 48 8b 00", "ds override"}, {"26 48 8b 00", "es override"},
    {"36 48 8b 00", "ss override"}, {"67 48 8b 00", "addr32 mov"}, {"66 c3", "ret with 66"},
    {"66 e9 00 00", "jmp rel16"}, {"66 e8 00 00", "call rel16"}, {"66 74 00", "je with 66"},
    {"2e 74 00", "je with branch hint"}, {"f2 c3", "bnd ret"}, {"f3 c3", "rep ret"},
    {"48 74 00", "rex je"}, {"48 c3", "rex ret"}, {"48 e8 00 00 00 00", "rex call"},
    {"40 48 01 f8", "double rex"}, {"66 66 90", "double 66"}, {"66 f2 0f 58 c0", "66 f2 addsd"},
    {"f3 90", "pause"}, {"66 66 66 66 66 66 66 66 66 66 66 66 66 66 90", "15-byte nop"},
    {"c5 f8 77", "vzeroupper (vex)"}, {"c4 e2 79 18 00", "vex vbroadcastss"},
    {"62 f1 fd 48 6f 00", "evex vmovdqa64"}, {"0f 0d 08", "prefetchw"}, {"0f ae f0", "mfence"},
    {"0f ae 38", "clflush [rax]"}, {"d7", "xlat"}, {"9c", "pushf"}, {"9d", "popf"}, {"c9", "leave"},
    {"c8 00 00 00", "enter"}, {"e3 00", "jrcxz"}, {"e2 00", "loop"}, {"0f 1f 05 00 00 00 00", "nop [rip]"},
    {"48 8b 05 00 00 00 00", "mov rax, [rip]"}, {"48 8b 04 25 00 00 00 00", "mov rax, [abs]"},
    {"88 e0", "mov al, ah"}, {"48 c1 e0 40", "shl rax, 64"}, {"c1 e0 20", "shl eax, 32"},
    {"8f c0", "pop rax (8f form)"}, {"ff f0", "push rax (ff form)"}, {"0f b0 08", "cmpxchg"},
    {"48 87 00", "xchg [rax], rax (implicit lock)"}, {"86 00", "xchg byte"}, {"0f 05 c3", "syscall; ret"},
};
#define NX86BAD (sizeof x86_bad / sizeof x86_bad[0])

/* Instruction boundaries of accepted code (our decoder through be->disasm). */
static size_t x86_bounds(const uint8_t *p, size_t n, size_t *bd, size_t cap) {
    const struct hy_backend *be = hy_backend_x86_64();
    size_t k = 0, off = 0;
    char text[160];
    while (off < n && k < cap) {
        bd[k++] = off;
        int l = be->disasm(p + off, n - off, BASE + off, text, sizeof text);
        if (l <= 0) break;
        off += (size_t)l;
    }
    return k;
}

static void x86_handmade(void) {
    struct bytes v;
    const char *pro = "55 48 89 e5", *epi = "5d c3";
    /* positive control */
    v.n = 0;
    put(&v, pro);
    put(&v, "48 01 f8");
    put(&v, epi);
    X86_EXPECT(1, v, "push/mov/add/pop/ret");
    /* frame rules (review R2): ret only after pop rbp with the stack balanced,
     * rsp/rbp written only by the frame's own forms, no store over the
     * return address, no stack address in a general register */
    static const struct { int ok; const char *hex, *what; } frame[] = {
        {0, "50 c3", "push rax; ret (== jmp rax)"},
        {0, "48 89 04 24", "mov [rsp], rax"},
        {0, "48 89 c4", "mov rsp, rax (stack pivot)"},
        {0, "50 50 5d c3", "push rax; push rax; pop rbp; ret"},
        {0, "58 58 50", "pop rax; pop rax; push rax (over the return address)"},
        {0, "48 89 45 08", "mov [rbp+8], rax"},
        {0, "48 89 45 00", "mov [rbp], rax"},
        {0, "48 89 e0", "mov rax, rsp"},
        {0, "48 89 e8", "mov rax, rbp"},
        {0, "48 8d 45 f8", "lea rax, [rbp-8]"},
        {0, "48 89 c5", "mov rbp, rax"},
        {0, "5c", "pop rsp"},
        {0, "48 83 c4 08", "add rsp, 8"},
        {0, "48 83 ec 08", "sub rsp, 8 in the body"},
        {0, "48 8d 64 24 08", "lea rsp, [rsp+8]"},
        {0, "48 8d 65 08", "lea rsp, [rbp+8]"},
        {0, "48 8b 04 24", "mov rax, [rsp]"},
        {0, "74 01 50 58", "je joins a different stack depth"},
        {0, "5d 90", "pop rbp not followed by ret"},
        {0, "55", "push rbp in the body"},
        {0, "40 88 e0", "mov al, spl"},
        {1, "50 74 00 58", "push; je at the same depth; pop"},
        {1, "48 8b 45 f8", "mov rax, [rbp-8]"},
        {1, "48 89 45 f0", "mov [rbp-16], rax"},
    };
    for (size_t i = 0; i < sizeof frame / sizeof frame[0]; i++) {
        v.n = 0;
        put(&v, pro);
        put(&v, frame[i].hex);
        put(&v, epi);
        X86_EXPECT(frame[i].ok, v, frame[i].what);
    }
    v.n = 0; /* the full frame the backend emits: saves, spill area, probe, epilogue */
    put(&v, "55 48 89 e5 53 41 54 48 81 ec 00 10 00 00 4c 89 1c 24 48 83 ec 10 4c 89 1c 24");
    put(&v, "48 89 45 e8 48 8d 65 f0 41 5c 5b 5d c3");
    X86_EXPECT(1, v, "frame with saves, probe and lea rsp, [rbp-16]");
    v.n = 0;
    put(&v, "55 48 89 e5 53 41 54 48 83 ec 10 48 8d 65 f8 41 5c 5b 5d c3");
    X86_EXPECT(0, v, "lea rsp, [rbp-8] with two saves (pop rbp at the wrong depth)");
    v.n = 0;
    put(&v, "90 55 48 89 e5 5d c3");
    X86_EXPECT(0, v, "no push rbp at the entry");
    v.n = 0;
    put(&v, "55 48 89 e5 eb f9 5d c3");
    X86_EXPECT(0, v, "jmp back into the prologue");
    /* each forbidden sequence between prologue and epilogue */
    for (size_t i = 0; i < NX86BAD; i++) {
        v.n = 0;
        put(&v, pro);
        put(&v, x86_bad[i].hex);
        put(&v, epi);
        struct hy_filter_out o;
        int a = x86_ok(&v, HA, NHA, &o);
        JQ_CHECK(&Q, !a, "x86: forbidden '%s' accepted", x86_bad[i].name);
        if (!a) JQ_CHECK(&Q, o.off == 4, "x86: '%s' rejected at +%#zx, not at its own offset 4 (%s)", x86_bad[i].name, o.off, o.reason);
    }
    /* syscall hidden in a movabs immediate: fine as data ... */
    v.n = 0;
    put(&v, pro);
    put(&v, "48 b8 0f 05 cd 80 0f 34 90 90");
    put(&v, epi);
    X86_EXPECT(1, v, "syscall bytes inside movabs imm64 (data only)");
    /* ... but not as a branch target: jmp rel8 / jcc rel8 / jmp rel32 / jcc rel32 into the immediate */
    static const char *const into[] = {"eb 02", "74 02", "e9 02 00 00 00", "0f 84 02 00 00 00"};
    for (int k = 0; k < 4; k++)
        for (int d = 1; d <= 9; d++) {
            v.n = 0;
            put(&v, pro);
            size_t at = v.n;
            put(&v, into[k]);
            size_t blen = v.n - at;
            put(&v, "48 b8 0f 05 cd 80 0f 34 90 90");
            put(&v, epi);
            /* rel = d: target = after the branch + d, inside the 10-byte movabs */
            v.b[at + blen - (blen == 2 ? 1 : 4)] = (uint8_t)d;
            char what[80];
            snprintf(what, sizeof what, "branch %s into movabs+%d", into[k], d);
            X86_EXPECT(0, v, what);
        }
    /* control: the same branches to the movabs itself */
    for (int k = 0; k < 4; k++) {
        v.n = 0;
        put(&v, pro);
        size_t at = v.n;
        put(&v, into[k]);
        size_t blen = v.n - at;
        put(&v, "48 b8 0f 05 cd 80 0f 34 90 90");
        put(&v, epi);
        v.b[at + blen - (blen == 2 ? 1 : 4)] = 0;
        X86_EXPECT(1, v, "branch to the movabs start");
    }
    /* int 0x80 hidden in mov r32, imm32 / in a disp32 of a load, reached by jcc */
    v.n = 0;
    put(&v, pro);
    put(&v, "74 01 b8 cd 80 90 90");
    put(&v, epi);
    X86_EXPECT(0, v, "je into mov eax, imm32 holding int 0x80");
    v.n = 0;
    put(&v, pro);
    put(&v, "74 03 48 8b 80 0f 05 90 90");
    put(&v, epi);
    X86_EXPECT(0, v, "je into disp32 holding syscall");
    /* jumps to the last byte, one past the end, before the start, wrapping */
    v.n = 0;
    put(&v, pro);
    put(&v, "74 00 48 b8 00 00 00 00 00 00 00 00 5d c3");
    size_t jat = 5; /* rel8 byte */
    int64_t lens = (int64_t)v.n;
    int64_t rels[] = {lens - 6 - 2 /* the 5d (pop rbp): allowed */, lens - 6 /* past the end */, lens - 6 + 100, -7, -100,
                      lens - 6 - 3 /* last imm byte */,
                      lens - 6 - 1 /* the c3, skipping pop rbp: stack depth differs (review R2) */};
    int expect[] = {1, 0, 0, 0, 0, 0, 0};
    for (int k = 0; k < 7; k++) {
        v.b[jat] = (uint8_t)(int8_t)rels[k];
        char what[64];
        snprintf(what, sizeof what, "je rel8 %lld", (long long)rels[k]);
        X86_EXPECT(expect[k], v, what);
    }
    static const uint32_t rel32s[] = {0x7fffffffu, 0x80000000u, 0xfffffff0u, 0x00010000u};
    for (int k = 0; k < 4; k++) {
        v.n = 0;
        put(&v, pro);
        put(&v, "e9");
        for (int i = 0; i < 4; i++) v.b[v.n++] = (uint8_t)(rel32s[k] >> (8 * i));
        put(&v, epi);
        X86_EXPECT(0, v, "jmp rel32 far outside");
    }
    /* a last instruction that can fall through */
    v.n = 0;
    put(&v, pro);
    put(&v, "5d 48 01 f8");
    X86_EXPECT(0, v, "falls off the end");
    v.n = 0;
    put(&v, pro);
    put(&v, "5d 74 fe");
    X86_EXPECT(0, v, "ends with jcc");
    /* trap fill after ret is fine; jumping into it is not */
    v.n = 0;
    put(&v, pro);
    put(&v, "5d c3 cc cc cc");
    X86_EXPECT(1, v, "int3 fill after ret");
    v.n = 0;
    put(&v, pro);
    put(&v, "74 02 5d c3 cc cc");
    X86_EXPECT(0, v, "je into trap fill");

    /* call r11 */
    struct bytes mov_r11;
    mov_r11.n = 0;
    put(&mov_r11, "49 bb");
    put64(&mov_r11, HELPER);
    v.n = 0;
    put(&v, pro);
    memcpy(v.b + v.n, mov_r11.b, mov_r11.n);
    v.n += mov_r11.n;
    put(&v, "41 ff d3");
    put(&v, epi);
    X86_EXPECT(1, v, "movabs r11, helper; call r11 (allowed form)");
    v.n = 0;
    put(&v, pro);
    put(&v, "41 ff d3");
    put(&v, epi);
    X86_EXPECT(0, v, "call r11 without movabs");
    v.n = 0;
    put(&v, pro);
    put(&v, "49 bb");
    put64(&v, HELPER + 1);
    put(&v, "41 ff d3");
    put(&v, epi);
    X86_EXPECT(0, v, "movabs r11, unregistered; call r11");
    v.n = 0;
    put(&v, pro);
    put(&v, "49 bb");
    put64(&v, HELPER);
    put(&v, "90 41 ff d3");
    put(&v, epi);
    X86_EXPECT(0, v, "movabs r11, helper; nop; call r11");
    v.n = 0;
    put(&v, pro);
    put(&v, "49 ba");
    put64(&v, HELPER);
    put(&v, "41 ff d3");
    put(&v, epi);
    X86_EXPECT(0, v, "movabs r10, helper; call r11");
    v.n = 0;
    put(&v, pro);
    put(&v, "49 bb");
    put64(&v, HELPER);
    put(&v, "41 ff d2");
    put(&v, epi);
    X86_EXPECT(0, v, "movabs r11; call r10");
    v.n = 0;
    put(&v, pro);
    put(&v, "41 bb 40 00 20 00 41 ff d3");
    put(&v, epi);
    X86_EXPECT(0, v, "mov r11d, imm32; call r11");
    v.n = 0;
    put(&v, pro);
    put(&v, "49 bb");
    put64(&v, HELPER);
    put(&v, "49 ff d3");
    put(&v, epi);
    X86_EXPECT(0, v, "movabs r11; rex.w call r11 (not our form)");
    /* movabs r11, helper; call r11 entered at the call: a jump over the movabs */
    v.n = 0;
    put(&v, pro);
    put(&v, "49 bb");
    put64(&v, 0x4141414141414141ull);
    put(&v, "eb 0a 49 bb");
    put64(&v, HELPER);
    put(&v, "41 ff d3");
    put(&v, epi);
    X86_EXPECT(0, v, "jmp straight to the call r11 of a valid pair");
    v.b[4 + 10 + 1] = 0; /* jmp to the movabs instead: allowed */
    X86_EXPECT(1, v, "jmp to the movabs of a valid pair");
    /* call rel32 */
    v.n = 0;
    put(&v, pro);
    put(&v, "e8");
    {
        uint64_t next = BASE + 4 + 5;
        uint32_t rel = (uint32_t)(HELPER - next);
        for (int i = 0; i < 4; i++) v.b[v.n++] = (uint8_t)(rel >> (8 * i));
    }
    put(&v, epi);
    X86_EXPECT(1, v, "call rel32 to a registered helper");
    v.b[5] ^= 1;
    X86_EXPECT(0, v, "call rel32 to an unregistered address");
    v.b[5] ^= 1;
    {
        uint64_t none[1] = {0};
        struct hy_filter_out o;
        JQ_CHECK(&Q, !x86_ok(&v, none, 0, &o), "x86: call rel32 accepted with no helpers registered");
    }
}

/* Every forbidden sequence at every boundary of real code. */
static void x86_real(const uint8_t *img, size_t n, const char *name, long *ncases) {
    size_t bd[4096];
    size_t nb = x86_bounds(img, n, bd, 4096);
    struct hy_filter_out o;
    struct bytes v;
    if (n + 32 > sizeof v.b) return;
    JQ_CHECK(&Q, filt(hy_backend_x86_64(), img, n, HA, NHA, &o) == 0, "x86: %s: own code rejected: %s", name, o.reason);
    for (size_t k = 0; k < nb; k++)
        for (size_t i = 0; i < NX86BAD; i++) {
            /* a lone int3 after a terminator is legitimate trap fill */
            if (!strcmp(x86_bad[i].hex, "cc")) continue;
            v.n = 0;
            memcpy(v.b, img, bd[k]);
            v.n = bd[k];
            put(&v, x86_bad[i].hex);
            memcpy(v.b + v.n, img + bd[k], n - bd[k]);
            v.n += n - bd[k];
            int a = filt(hy_backend_x86_64(), v.b, v.n, HA, NHA, &o) == 0;
            (*ncases)++;
            JQ_CHECK(&Q, !a, "x86: %s: '%s' at +%#zx accepted", name, x86_bad[i].name, bd[k]);
            if (!a)
                JQ_CHECK(&Q, o.off == bd[k], "x86: %s: '%s' at +%#zx rejected elsewhere (+%#zx: %s)", name,
                         x86_bad[i].name, bd[k], o.off, o.reason);
        }
}

/* ------------------------------------------------------------------ ARM64 */

struct words {
    uint32_t w[256];
    size_t n;
};
static void w_(struct words *v, uint32_t x) { v->w[v->n++] = x; }
#define A_STP 0xA9BF7BFDu   /* stp x29, x30, [sp, #-16]! */
#define A_MOVFP 0x910003FDu /* mov x29, sp */
#define A_LDP 0xA8C17BFDu   /* ldp x29, x30, [sp], #16 */
#define A_RET 0xD65F03C0u
#define A_NOP 0xD503201Fu
#define A_BLR16 0xD63F0200u
#define A_BR16 0xD61F0200u
static uint32_t movz(int x, unsigned rd, unsigned imm, unsigned hw) {
    return (x ? 0xD2800000u : 0x52800000u) | (hw << 21) | (imm << 5) | rd;
}
static uint32_t movk(int x, unsigned rd, unsigned imm, unsigned hw) {
    return (x ? 0xF2800000u : 0x72800000u) | (hw << 21) | (imm << 5) | rd;
}
static uint32_t movn(unsigned rd, unsigned imm, unsigned hw) { return 0x92800000u | (hw << 21) | (imm << 5) | rd; }

static int a64_ok(const struct words *v, struct hy_filter_out *o) {
    uint8_t b[1024];
    for (size_t i = 0; i < v->n; i++) a64_store_word(b + 4 * i, v->w[i]);
    return filt(hy_backend_arm64(), b, v->n * 4, HA, NHA, o) == 0;
}
#define A64_EXPECT(accept, v, what)                                                                            \
    do {                                                                                                       \
        struct hy_filter_out o_;                                                                               \
        int a_ = a64_ok(&(v), &o_);                                                                            \
        JQ_CHECK(&Q, a_ == (accept), "arm64: %s: expected %s, got %s (%s)", what, (accept) ? "accept" : "reject", \
                 a_ ? "accept" : "reject", o_.reason);                                                         \
    } while (0)

static const struct {
    uint32_t w;
    const char *name;
} a64_bad[] = {
    {0xD4000001u, "svc #0"}, {0xD4001001u, "svc #0x80"}, {0xD4000002u, "hvc #0"}, {0xD4000003u, "smc #0"},
    {0xD4200000u, "brk #0"}, {0xD4200020u, "brk #1"}, {0xD43E0000u, "brk #0xf000"}, {0xD4207D20u, "brk #0x3e9"},
    {0xD4400000u, "hlt #0"}, {0xD4A00001u, "dcps1"}, {0xD4A00003u, "dcps3"}, {0xD69F03E0u, "eret"},
    {0xD6BF03E0u, "drps"}, {0xD51B4400u, "msr fpcr, x0"}, {0xD51BD040u, "msr tpidr_el0, x0"},
    {0xD51B4220u, "msr daif, x0"}, {0xD5034FDFu, "msr daifset, #0xf"}, {0xD500419Fu, "msr spsel, #1"},
    {0xD518C000u, "msr vbar_el1, x0"}, {0xD53BE040u, "mrs x0, cntvct_el0"}, {0xD5380000u, "mrs x0, midr_el1"},
    {0xD53BD060u, "mrs x0, tpidrro_el0"}, {0xD53B4220u, "mrs x0, daif"}, {0xD50B7420u, "dc zva, x0"},
    {0xD50B7E20u, "dc civac, x0"}, {0xD50B7A20u, "dc cvac, x0"}, {0xD508751Fu, "ic iallu"},
    {0xD508711Fu, "ic ialluis"}, {0xD508831Fu, "tlbi vmalle1is"}, {0xD5087800u, "at s1e1r, x0"},
    {0xD50B7B3Fu, "dc cvau, xzr"}, {0xD52B0000u, "sysl x0, #3, c0, c0, #0"}, {0xD5033F9Fu, "dsb sy"},
    {0xD503205Fu, "wfe"}, {0xD503207Fu, "wfi"}, {0xD503209Fu, "sev"}, {0xD503233Fu, "paciasp"},
    {0xD50330FFu, "sb"}, {0xD503229Fu, "csdb"}, {0xD503201Fu ^ 0x20u, "yield"},
    {0xD61F0000u, "br x0"}, {0xD61F0220u, "br x17"}, {0xD63F0000u, "blr x0"}, {0xD63F03C0u, "blr x30"},
    {0xD63F0220u, "blr x17"}, {0xD65F0000u, "ret x0"}, {0xD65F0200u, "ret x16"}, {0xD65F0BFFu, "retaa"},
    {0xD71F0A1Fu, "braaz x16"}, {0xD63F0A1Fu, "blraaz x16"}, {0xD73F0A00u, "blraa x16, x0"},
    {0xD61F0A1Fu, "braaz (alt)"}, {0x00000000u, "udf #0"}, {0xFFFFFFFFu, "all ones"},
    {0xC85F7C00u, "ldxr x0, [x0]"}, {0xC8007C20u, "stxr w0, x0, [x1]"}, {0xF8200020u, "ldadd x0, x0, [x1]"},
    {0x4E208400u, "add v0.16b (simd)"}, {0x04A00000u, "sve add"}, {0x10000000u, "adr x0, ."},
    {0x90000000u, "adrp x0, ."}, {0x58000000u, "ldr x0, literal"}, {0xF9800000u, "prfm"},
    {0x9AC00000u + (0x0Du << 10), "unallocated dp2"}, {0x5400000Fu, "b.nv"}, {0x54000010u, "bc.eq (hbc)"},
    {0x9A9F0000u | (14u << 12), "csel al"}, {0x93407C00u | (1u << 16), "sbfm not ours"},
    {0x92400000u | (63u << 10), "and imm all-ones (reserved)"}, {0x1E204000u, "fmov s0, s0 (single)"},
    {0xD53B4200u ^ (1u << 19), "mrs sysreg op0 flip"},
};
#define NA64BAD (sizeof a64_bad / sizeof a64_bad[0])

static void a64_handmade(void) {
    struct words v;
    v.n = 0;
    w_(&v, A_STP);
    w_(&v, A_MOVFP);
    w_(&v, A_LDP);
    w_(&v, A_RET);
    A64_EXPECT(1, v, "frame + ret");
    for (size_t i = 0; i < NA64BAD; i++) {
        v.n = 0;
        w_(&v, A_STP);
        w_(&v, A_MOVFP);
        w_(&v, a64_bad[i].w);
        w_(&v, A_LDP);
        w_(&v, A_RET);
        struct hy_filter_out o;
        int a = a64_ok(&v, &o);
        JQ_CHECK(&Q, !a, "arm64: forbidden '%s' (%08x) accepted", a64_bad[i].name, a64_bad[i].w);
        if (!a) JQ_CHECK(&Q, o.off == 8, "arm64: '%s' rejected at +%#zx, not +8 (%s)", a64_bad[i].name, o.off, o.reason);
    }
    /* helper call sequences */
    uint64_t h = HELPER;
    struct words seq;
    seq.n = 0;
    w_(&seq, movz(1, 16, (unsigned)(h & 0xffff), 0));
    w_(&seq, movk(1, 16, (unsigned)((h >> 16) & 0xffff), 1));
    w_(&seq, movk(1, 16, (unsigned)((h >> 32) & 0xffff), 2));
    w_(&seq, movk(1, 16, (unsigned)((h >> 48) & 0xffff), 3));
#define CALLSEQ(pre, body)                         \
    do {                                           \
        v.n = 0;                                   \
        w_(&v, A_STP);                             \
        w_(&v, A_MOVFP);                           \
        pre;                                       \
        body;                                      \
        w_(&v, A_LDP);                             \
        w_(&v, A_RET);                             \
    } while (0)
#define SEQ(k) for (size_t k_ = 0; k_ < (k); k_++) w_(&v, seq.w[k_])
    CALLSEQ((void)0, {
        SEQ(4);
        w_(&v, A_BLR16);
    });
    A64_EXPECT(1, v, "movz/movk x16 (registered) + blr x16");
    CALLSEQ((void)0, { w_(&v, A_BLR16); });
    A64_EXPECT(0, v, "blr x16 alone");
    CALLSEQ((void)0, {
        SEQ(4);
        w_(&v, A_NOP);
        w_(&v, A_BLR16);
    });
    A64_EXPECT(0, v, "movz/movk; nop; blr x16");
    CALLSEQ((void)0, {
        SEQ(2);
        w_(&v, 0xAA1F03E0u); /* mov x0, xzr */
        w_(&v, seq.w[2]);
        w_(&v, seq.w[3]);
        w_(&v, A_BLR16);
    });
    A64_EXPECT(0, v, "movz; movk; mov x0; movk; movk; blr x16");
    CALLSEQ((void)0, {
        SEQ(3);
        w_(&v, movk(1, 16, 0x4141, 3));
        w_(&v, A_BLR16);
    });
    A64_EXPECT(0, v, "movz/movk loading an unregistered address");
    CALLSEQ((void)0, {
        SEQ(4);
        w_(&v, movk(1, 16, (unsigned)((h >> 48) & 0xffff), 3));
        w_(&v, A_BLR16);
    });
    A64_EXPECT(0, v, "5-instruction sequence (movz + 4 movk)");
    CALLSEQ((void)0, {
        w_(&v, movz(0, 16, (unsigned)(h & 0xffff), 0));
        w_(&v, seq.w[1]);
        w_(&v, seq.w[2]);
        w_(&v, seq.w[3]);
        w_(&v, A_BLR16);
    });
    A64_EXPECT(0, v, "movz w16 (32-bit) start");
    CALLSEQ((void)0, {
        w_(&v, movn(16, (unsigned)(~h & 0xffff), 0));
        w_(&v, seq.w[1]);
        w_(&v, seq.w[2]);
        w_(&v, seq.w[3]);
        w_(&v, A_BLR16);
    });
    A64_EXPECT(0, v, "movn x16 start");
    CALLSEQ((void)0, {
        w_(&v, movz(1, 17, (unsigned)(h & 0xffff), 0));
        w_(&v, movk(1, 17, (unsigned)((h >> 16) & 0xffff), 1));
        w_(&v, movk(1, 17, (unsigned)((h >> 32) & 0xffff), 2));
        w_(&v, movk(1, 17, (unsigned)((h >> 48) & 0xffff), 3));
        w_(&v, 0xD63F0220u);
    });
    A64_EXPECT(0, v, "x17 sequence + blr x17");
    CALLSEQ((void)0, {
        SEQ(4);
        w_(&v, 0xD63F0000u);
    });
    A64_EXPECT(0, v, "x16 sequence + blr x0");
    CALLSEQ((void)0, {
        SEQ(4);
        w_(&v, A_BR16);
    });
    A64_EXPECT(0, v, "x16 sequence + br x16 (tail form: never emitted, refused; review R1)");
    /* branch into the middle of a valid sequence (skips the movz) */
    for (int t = 1; t <= 4; t++) {
        CALLSEQ(w_(&v, 0x14000000u | (uint32_t)(1 + t)) /* b +(1+t) words */, {
            SEQ(4);
            w_(&v, A_BLR16);
        });
        char what[64];
        snprintf(what, sizeof what, "b into call sequence word %d", t);
        A64_EXPECT(0, v, what);
    }
    CALLSEQ(w_(&v, 0x14000001u), {
        SEQ(4);
        w_(&v, A_BLR16);
    });
    A64_EXPECT(1, v, "b to the movz of a valid sequence");
    CALLSEQ(w_(&v, 0xB4000000u | (3u << 5) | 0 /* cbz x0, +3 */), {
        SEQ(4);
        w_(&v, A_BLR16);
    });
    A64_EXPECT(0, v, "cbz into call sequence");
    /* branches out of range */
    static const struct {
        uint32_t w;
        int ok;
        const char *name;
    } br[] = {
        {0x14000000u | 2, 1, "b +2 (to the ret)"}, {0x14000000u | 3, 0, "b past the end"},
        {0x17FFFFFFu, 1, "b -1 (to the mov)"}, {0x17FFFFFDu, 0, "b before the start"},
        {0x15FFFFFFu, 0, "b +max"}, {0x16000000u, 0, "b -max"}, {0x54000040u, 1, "b.eq +2"},
        {0x54000060u, 0, "b.eq +3 (past end)"}, {0x54FFFFE0u, 0, "b.eq -1 wrapping? (-1 word)"},
        {0x547FFFE0u, 0, "b.eq +max"}, {0xB4000060u, 0, "cbz past end"}, {0x36000060u, 0, "tbz past end"},
        {0x367FFFE0u, 0, "tbz -1 (wraps to the start minus)"}, {0x94000000u, 0, "bl to itself (unregistered)"},
    };
    for (size_t k = 0; k < sizeof br / sizeof br[0]; k++) {
        v.n = 0;
        w_(&v, A_STP);
        w_(&v, A_MOVFP);
        w_(&v, br[k].w);
        w_(&v, A_LDP);
        w_(&v, A_RET);
        int ok = br[k].ok;
        /* b.eq -1 / tbz -1 land on the mov (inside): allowed */
        if (br[k].w == 0x54FFFFE0u || br[k].w == 0x367FFFE0u) ok = 1;
        A64_EXPECT(ok, v, br[k].name);
    }
    /* bl to a registered helper (direct) and to a neighbour */
    {
        int64_t d = (int64_t)(HELPER - (BASE + 8)) / 4;
        v.n = 0;
        w_(&v, A_STP);
        w_(&v, A_MOVFP);
        w_(&v, 0x94000000u | ((uint32_t)d & 0x3FFFFFFu));
        w_(&v, A_LDP);
        w_(&v, A_RET);
        A64_EXPECT(1, v, "bl registered helper");
        v.w[2] += 1;
        A64_EXPECT(0, v, "bl helper+4");
    }
    /* falls off the end */
    v.n = 0;
    w_(&v, A_STP);
    w_(&v, A_MOVFP);
    w_(&v, A_LDP);
    A64_EXPECT(0, v, "no terminator at the end");
    v.n = 0;
    w_(&v, A_STP);
    w_(&v, A_LDP);
    w_(&v, A_RET);
    w_(&v, A64_TRAP_WORD);
    w_(&v, A64_TRAP_WORD);
    A64_EXPECT(1, v, "trap fill after ret");
    /* odd lengths */
    {
        uint8_t b[10] = {0xC0, 0x03, 0x5F, 0xD6, 0x1F, 0x20, 0x03, 0xD5, 0xC0, 0x03};
        struct hy_filter_out o;
        JQ_CHECK(&Q, filt(hy_backend_arm64(), b, 6, HA, NHA, &o) != 0, "arm64: 6-byte buffer accepted");
        JQ_CHECK(&Q, filt(hy_backend_arm64(), b, 0, HA, NHA, &o) != 0, "arm64: empty buffer accepted");
        JQ_CHECK(&Q, filt(hy_backend_x86_64(), b, 0, HA, NHA, &o) != 0, "x86: empty buffer accepted");
    }
}

static void a64_real(const uint8_t *img, size_t n, const char *name, long *ncases) {
    struct hy_filter_out o;
    JQ_CHECK(&Q, filt(hy_backend_arm64(), img, n, HA, NHA, &o) == 0, "arm64: %s: own code rejected: %s", name, o.reason);
    uint8_t *b = malloc(n);
    if (!b) abort();
    for (size_t i = 0; i < n / 4; i++)
        for (size_t k = 0; k < NA64BAD; k++) {
            memcpy(b, img, n);
            a64_store_word(b + 4 * i, a64_bad[k].w);
            int a = filt(hy_backend_arm64(), b, n, HA, NHA, &o) == 0;
            (*ncases)++;
            JQ_CHECK(&Q, !a, "arm64: %s: '%s' over word %zu accepted", name, a64_bad[k].name, i);
            if (!a) JQ_CHECK(&Q, o.off == 4 * i, "arm64: %s: '%s' at +%#zx rejected at +%#zx", name, a64_bad[k].name, 4 * i, o.off);
        }
    free(b);
}

/* Exhaustive (soak) or strided sweeps of the dangerous spaces. */
static int allowed_sys(uint32_t w) {
    static const uint32_t exact[] = {0xD503201Fu, 0xD5033BBFu, 0xD50339BFu, 0xD5033ABFu, 0xD5033B9Fu, 0xD5033FDFu};
    for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++)
        if (w == exact[i]) return 1;
    /* dc cvau / ic ivau, Xt (not xzr) */
    if ((w & 0xFFFFFFE0u) == 0xD50B7B20u || (w & 0xFFFFFFE0u) == 0xD50B7520u) return (w & 31) != 31;
    /* mrs/msr of the EL0 allowlist, any Xt */
    static const uint32_t sr[] = {0xD53B4200u, 0xD53B4400u, 0xD53B4420u, 0xD53BD040u,
                                  0xD53B0020u, 0xD51B4200u, 0xD51B4420u};
    for (size_t i = 0; i < sizeof sr / sizeof sr[0]; i++)
        if ((w & 0xFFFFFFE0u) == sr[i]) return 1;
    return 0;
}
static void a64_sweeps(void) {
    struct a64_index ix;
    a64_index_init(&ix);
    uint32_t stride = Q.soak ? 1 : 61;
    long checked = 0, acc = 0;
    for (uint64_t w = 0xD4000000u; w <= 0xD7FFFFFFu; w += stride) {
        uint32_t x = (uint32_t)w;
        int a = a64_check_word(&ix, x, NULL) >= 0;
        /* in a function body only the trap, nop, ret and blr x16 remain (review R1) */
        int body = a64_filter_word(&ix, x, NULL) >= 0;
        JQ_CHECK(&Q, body == (x == A64_TRAP_WORD || x == 0xD503201Fu || x == A_RET || x == A_BLR16),
                 "arm64 sweep: body verdict %d for %08x", body, x);
        checked++;
        int want;
        if (x < 0xD5000000u) want = x == A64_TRAP_WORD;
        else if (x < 0xD6000000u) want = allowed_sys(x);
        else want = x == A_RET || x == A_BLR16 || x == A_BR16;
        /* dc cvau / ic ivau with xzr are refused by design */
        if (a != want) {
            acc++;
            if (acc < 10)
                JQ_CHECK(&Q, 0, "arm64 sweep: %08x %s (expected %s)", x, a ? "accepted" : "rejected",
                         want ? "accept" : "reject");
        }
    }
    /* the allowlisted words themselves (the stride may skip them) */
    static const uint32_t must[] = {A64_TRAP_WORD, A_RET, A_BLR16, A_BR16, 0xD503201Fu, 0xD5033FDFu, 0xD50B7B20u,
                                    0xD53BD040u, 0xD51B4420u};
    for (size_t i = 0; i < sizeof must / sizeof must[0]; i++)
        JQ_CHECK(&Q, a64_check_word(&ix, must[i], NULL) >= 0, "arm64: allowlisted %08x rejected", must[i]);
    JQ_CHECK(&Q, acc == 0, "arm64 sweep: %ld disagreements", acc);
    printf("jq_filter: arm64 sweep of 0xD4000000..0xD7FFFFFF (stride %u): %ld words checked\n", stride, checked);
}

/* ------------------------------------------------------------------ real code */

static void real_code(const char *dir, long *nx, long *na) {
    DIR *d = opendir(dir);
    JQ_CHECK(&Q, d != NULL, "cannot open %s", dir);
    if (!d) return;
    struct dirent *e;
    int files = 0;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".hir")) continue;
        char path[4096], err[300];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t n;
        char *t = jq_read_file(path, &n);
        if (!t) continue;
        struct hy_func *fn = hy_parse_func(t, n, jq_helpers(), err, sizeof err);
        free(t);
        if (!fn) continue;
        for (int k = 0; k < 2; k++) {
            const struct hy_backend *be = k ? hy_backend_arm64() : hy_backend_x86_64();
            struct hy_jit_code *c = hy_jit_lower(be, fn, jq_helpers(), BASE, NULL, err, sizeof err);
            JQ_CHECK(&Q, c != NULL, "%s: %s lowering: %s", e->d_name, be->name, err);
            if (!c) continue;
            if (!Q.soak && files % 3) { /* a third of the files by default */
                hy_jit_code_free(NULL, c);
                continue;
            }
            if (k) a64_real(c->image, c->size, e->d_name, na);
            else x86_real(c->image, c->size, e->d_name, nx);
            hy_jit_code_free(NULL, c);
        }
        files++;
        hy_func_free(fn);
    }
    closedir(d);
}

/* JQ-9: REX bits our encoder never sets are refused (default deny, exactly
 * our forms); the canonical encodings of the same instructions (checked
 * with objdump by hand: same mnemonic and operands) are accepted. */
static void x86_rex_strict(void) {
    static const struct {
        const char *bad, *good, *what;
    } t[] = {
        {"4c d3 e2", "48 d3 e2", "rex.WR shl rdx, cl (REX.R on a /digit form)"},
        {"4c f7 d8", "48 f7 d8", "rex.WR neg rax"},
        {"40 01 c8", "01 c8", "empty REX on add eax, ecx"},
        {"40 0f af c1", "0f af c1", "empty REX on imul eax, ecx"},
        {"f2 40 0f 58 c1", "f2 0f 58 c1", "empty REX on addsd xmm0, xmm1"},
        {"40 0f b6 c1", "0f b6 c1", "empty REX on movzx eax, cl"},
        {"4a 89 d2", "48 89 d2", "rex.WX mov rdx, rdx (REX.X without SIB)"},
        {"42 8b 00", "8b 00", "rex.X mov eax, [rax] (REX.X without SIB)"},
        {"4f 89 c0", "4d 89 c0", "rex.WRXB mov r8, r8"},
        {"47 89 c0", "45 89 c0", "rex.RXB mov r8d, r8d"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        struct bytes v;
        v.n = 0;
        put(&v, "55 48 89 e5");
        put(&v, t[i].bad);
        put(&v, "5d c3");
        X86_EXPECT(0, v, t[i].what);
        v.n = 0;
        put(&v, "55 48 89 e5");
        put(&v, t[i].good);
        put(&v, "5d c3");
        X86_EXPECT(1, v, t[i].good);
    }
    struct bytes v;
    v.n = 0;
    put(&v, "55 48 89 e5 40 0f b6 f6 5d c3"); /* movzx esi, sil: the empty REX is needed */
    X86_EXPECT(1, v, "movzx esi, sil");
}

/* The backend filters' own patch-range rule (defence in depth beside
 * hy_patch_check): a "patch" whose changed range is outside every registered
 * site must be refused by the filter itself, on both ISAs (JQ-5 fixed). */
static void filter_range_rule(void) {
    struct bytes v;
    v.n = 0;
    put(&v, "55 48 89 e5 48 85 c0 74 02 5d c3 5d c3");
    struct hy_patch_site s;
    memset(&s, 0, sizeof s);
    s.off = 7;
    s.len = 2;
    s.orig[0] = 0x74;
    s.orig[1] = 0x02;
    s.alt[0] = 0x66;
    s.alt[1] = 0x90;
    struct hy_filter_in in;
    struct hy_filter_out o;
    memset(&in, 0, sizeof in);
    in.code = v.b;
    in.len = v.n;
    in.base = BASE;
    in.sites = &s;
    in.nsites = 1;
    in.range_off = 7;
    in.range_len = 2;
    JQ_CHECK(&Q, hy_backend_x86_64()->filter(&in, &o) == 0, "x86: patch of the site itself refused: %s", o.reason);
    v.b[7] = 0x66;
    v.b[8] = 0x90;
    JQ_CHECK(&Q, hy_backend_x86_64()->filter(&in, &o) == 0, "x86: site holding its NOP refused: %s", o.reason);
    in.range_off = 4;
    in.range_len = 3;
    JQ_CHECK(&Q, hy_backend_x86_64()->filter(&in, &o) != 0, "x86: patch range outside the site accepted");
    in.range_off = 7;
    in.range_len = 2;
    v.b[7] = 0x75; /* jne: neither orig nor alt */
    v.b[8] = 0x02;
    JQ_CHECK(&Q, hy_backend_x86_64()->filter(&in, &o) != 0, "x86: site holding a different branch accepted");

    /* ARM64: cbz x0, +12; nop; nop; ret -- site at +0 */
    static const uint32_t w[4] = {0xB4000060u, 0xD503201Fu, 0xD503201Fu, 0xD65F03C0u};
    uint8_t b[16];
    for (int i = 0; i < 4; i++)
        for (int k = 0; k < 4; k++) b[4 * i + k] = (uint8_t)(w[i] >> (8 * k));
    memset(&s, 0, sizeof s);
    s.off = 0;
    s.len = 4;
    memcpy(s.orig, b, 4);
    for (int k = 0; k < 4; k++) s.alt[k] = (uint8_t)(0xD503201Fu >> (8 * k));
    memset(&in, 0, sizeof in);
    in.code = b;
    in.len = sizeof b;
    in.base = BASE;
    in.sites = &s;
    in.nsites = 1;
    in.range_off = 0;
    in.range_len = 4;
    JQ_CHECK(&Q, hy_backend_arm64()->filter(&in, &o) == 0, "arm64: patch of the site itself refused: %s", o.reason);
    memcpy(b, s.alt, 4);
    JQ_CHECK(&Q, hy_backend_arm64()->filter(&in, &o) == 0, "arm64: site holding its NOP refused: %s", o.reason);
    for (size_t off = 1; off < sizeof b; off++) {
        in.range_off = off;
        in.range_len = off < 12 ? 4 : 1;
        JQ_CHECK(&Q, hy_backend_arm64()->filter(&in, &o) != 0, "arm64: patch range [%zu,+%zu) outside the site accepted",
                 in.range_off, in.range_len);
    }
    in.range_off = 12;
    in.range_len = 8; /* past the end */
    JQ_CHECK(&Q, hy_backend_arm64()->filter(&in, &o) != 0, "arm64: patch range past the end accepted");
}

int main(int argc, char **argv) {
    jq_init(&Q);
    if (argc < 2) {
        fprintf(stderr, "usage: jq_filter HIRDIR\n");
        return 2;
    }
    /* helper addresses: ours, plus the tool helper table's real addresses */
    HA[NHA++] = HELPER;
    for (uint32_t i = 0; i < jq_helpers()->n && NHA < 16; i++) HA[NHA++] = (uint64_t)(uintptr_t)jq_helpers()->v[i].addr;
    x86_handmade();
    a64_handmade();
    filter_range_rule();
    x86_rex_strict();
    long nx = 0, na = 0;
    real_code(argv[1], &nx, &na);
    a64_sweeps();
    printf("jq_filter: %zu x86 and %zu arm64 forbidden forms; %ld x86 and %ld arm64 insertions into real code\n",
           (size_t)NX86BAD, (size_t)NA64BAD, nx, na);
    if (Q.failures) {
        printf("jq_filter: %d failure(s)\n", Q.failures);
        return 1;
    }
    printf("jq_filter: OK\n");
    return 0;
}
