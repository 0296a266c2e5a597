/* x86-64 decoder for the forms of x86_tab.h: a table-driven matcher, shared
 * by the disassembler and the Safe Opcode Filter.  Anything the table does
 * not describe is refused (returns 0): no other legacy prefixes (lock, rep,
 * segment overrides), no RIP-relative or absolute addressing, no ah..bh byte
 * registers, no REX outside its place, no REX bit the encoder would not set. */
#include "arch/x86_64/x86_dec.h"

#include <pthread.h>
#include <string.h>

static int is_pfx(uint8_t b) { return b == 0x66 || b == 0xF2 || b == 0xF3; }

/* Opcode index: for each (map, opcode byte) the chain of rows that can
 * match, in table order.  Derived once from the constant table and never
 * changed afterwards (a cache of constants, not state). */
struct opindex {
  uint8_t head[2][256]; /* first row + 1, 0 = none */
  uint8_t next[X86_NFORMS]; /* next row + 1 */
};
_Static_assert(X86_NFORMS < 255, "row numbers must fit in uint8_t");

static struct opindex opidx;
static pthread_once_t opidx_once = PTHREAD_ONCE_INIT;

static void opidx_build(void) {
  uint8_t *tail[2][256];
  for (int m = 0; m < 2; m++)
    for (int o = 0; o < 256; o++) tail[m][o] = &opidx.head[m][o];
  for (int i = 0; i < X86_NFORMS; i++) {
    const struct x86_form *f = &x86_forms[i];
    uint8_t mask = x86_form_opmask(f);
    for (int o = 0; o < 256; o++) {
      if ((o & mask) != f->opc) continue;
      *tail[f->map][o] = (uint8_t)(i + 1);
      tail[f->map][o] = &opidx.next[i];
    }
  }
}

/* Find the row for (prefix, REX, map, opcode, ModRM.reg). */
static int match_form(uint8_t pfx, uint8_t rex, uint8_t map, uint8_t opc, int have_modrm,
                      uint8_t modrm) {
  for (int i = opidx.head[map][opc] - 1; i >= 0; i = opidx.next[i] - 1) {
    const struct x86_form *f = &x86_forms[i];
    if (f->pfx != pfx) continue;
    if (f->wrule == X86_NR && rex) continue;
    if (f->wrule == X86_W0 && (rex & 8)) continue;
    if (f->wrule == X86_W1 && !(rex & 8)) continue;
    if (f->ext >= 0 && (!have_modrm || ((modrm >> 3) & 7) != f->ext)) continue;
    return i;
  }
  return -1;
}

static int imm_size(int shape) {
  switch (shape) {
  case X86_S_MI8: case X86_S_RMI8: case X86_S_D8: return 1;
  case X86_S_MI32: case X86_S_RMI32: case X86_S_OI32: case X86_S_D32: return 4;
  case X86_S_OI64: return 8;
  default: return 0;
  }
}

int x86_decode(const uint8_t *p, size_t n, struct x86_insn *d) {
  size_t i = 0;
  uint8_t pfx = 0, rex = 0, map = 0;
  d->form = 0;
  d->len = d->cc = d->has_mem = d->rex = 0;
  d->reg = d->rm = -1;
  d->mem.base = d->mem.index = X86_NOREG;
  d->mem.scale = 1;
  d->mem.disp = 0;
  d->imm = 0;
  if (n > 15) n = 15;
  pthread_once(&opidx_once, opidx_build);
  if (i < n && is_pfx(p[i])) pfx = p[i++];
  if (i < n && (p[i] & 0xF0) == 0x40) rex = p[i++];
  if (i >= n) return 0;
  if (p[i] == 0x0F) {
    map = 1;
    if (++i >= n) return 0;
  }
  uint8_t opc = p[i++];
  int have_modrm = i < n;
  int fi = match_form(pfx, rex, map, opc, have_modrm, have_modrm ? p[i] : 0);
  if (fi < 0) return 0;
  const struct x86_form *f = &x86_forms[fi];
  d->form = (uint16_t)fi;
  d->rex = rex;
  if (f->flags & X86_F_CC) d->cc = opc & 15;
  if (f->flags & X86_F_OREG) d->reg = (int8_t)((opc & 7) | ((rex & 1) << 3));
  if (f->ext != X86_EXT_NONE) {
    if (i >= n) return 0;
    uint8_t modrm = p[i++];
    int mod = modrm >> 6, r = (modrm >> 3) & 7, rm = modrm & 7;
    if (f->modc == X86_MD_REG && mod != 3) return 0;
    if (f->modc == X86_MD_MEM && mod == 3) return 0;
    if (f->ext == X86_EXT_REG) d->reg = (int8_t)(r | ((rex & 4) << 1));
    if (mod == 3) {
      d->rm = (int8_t)(rm | ((rex & 1) << 3));
    } else {
      d->has_mem = 1;
      d->mem.scale = 1;
      if (rm == 4) {
        if (i >= n) return 0;
        uint8_t sib = p[i++];
        int ss = sib >> 6, idx = ((sib >> 3) & 7) | ((rex & 2) << 2), base = sib & 7;
        if (base == 5 && mod == 0) return 0; /* no base register: never emitted */
        d->mem.base = (int8_t)(base | ((rex & 1) << 3));
        if (idx == 4) {
          /* no index: only the rsp/r12 base needs a SIB; "riz" forms are never emitted */
          if (ss != 0 || base != 4) return 0;
        } else {
          d->mem.index = (int8_t)idx;
          d->mem.scale = (uint8_t)(1 << ss);
        }
      } else {
        if (mod == 0 && rm == 5) return 0; /* RIP-relative: never emitted */
        d->mem.base = (int8_t)(rm | ((rex & 1) << 3));
      }
      if (mod == 1) {
        if (i + 1 > n) return 0;
        d->mem.disp = (int8_t)p[i];
        i += 1;
      } else if (mod == 2) {
        if (i + 4 > n) return 0;
        d->mem.disp = (int32_t)((uint32_t)p[i] | (uint32_t)p[i + 1] << 8 |
                                (uint32_t)p[i + 2] << 16 | (uint32_t)p[i + 3] << 24);
        i += 4;
      }
    }
  }
  /* Without REX, byte registers 4..7 are ah..bh: we never emit those. */
  if (!rex && f->regc == X86_C_G8 && d->reg >= 4 && d->reg <= 7) return 0;
  if (!rex && f->rmc == X86_C_G8 && d->rm >= 4 && d->rm <= 7) return 0;
  /* The REX byte must be exactly the one the encoder emits (JQ-9): W as the
   * form requires, R only for a ModRM.reg register >= 8 (never for an opcode
   * extension), X only for a SIB index >= 8, B only for an r/m, base or
   * opcode register >= 8, and an empty REX (0x40) only where a byte
   * register spl..dil needs it. */
  if (rex) {
    int want = f->wrule == X86_W1 ? 8 : 0, need = 0;
    if (f->flags & X86_F_OREG) {
      if (d->reg & 8) want |= 1;
    } else if (f->ext == X86_EXT_REG && d->reg >= 0 && (d->reg & 8)) {
      want |= 4;
    }
    if (f->ext != X86_EXT_NONE) {
      if (d->rm >= 0) {
        if (d->rm & 8) want |= 1;
      } else if (d->has_mem) {
        if (d->mem.base != X86_NOREG && (d->mem.base & 8)) want |= 1;
        if (d->mem.index != X86_NOREG && (d->mem.index & 8)) want |= 2;
      }
    }
    if (f->regc == X86_C_G8 && d->reg >= 4 && d->reg <= 7) need = 1;
    if (f->rmc == X86_C_G8 && d->rm >= 4 && d->rm <= 7) need = 1;
    if (rex != ((want || need) ? (0x40 | want) : 0)) return 0;
  }
  int isz = imm_size(f->shape);
  if (i + (size_t)isz > n) return 0;
  uint64_t v = 0;
  for (int k = 0; k < isz; k++) v |= (uint64_t)p[i + k] << (8 * k);
  if (isz == 1) d->imm = (int8_t)v;
  else if (isz == 4) d->imm = (int32_t)(uint32_t)v;
  else d->imm = (int64_t)v;
  i += (size_t)isz;
  if ((f->flags & X86_F_COUNT) && (v >= (f->rmc == X86_C_G64 ? 64u : 32u))) return 0;
  d->len = (uint8_t)i;
  return (int)i;
}
