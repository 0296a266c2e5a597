"""Shared helpers for the ARM64 encoder/filter tests: run llvm-mc-14 as an
independent oracle and normalize its text for comparison."""
import re
import shutil
import subprocess

LLVM_MC = shutil.which("llvm-mc-14") or shutil.which("llvm-mc")

# Mnemonics the filter may ever accept (written independently of our tables:
# this is the policy, the filter must stay inside it).
ALLOWED_MNEMONICS = set("""
add adds sub subs cmp cmn neg negs mov mvn and ands orr orn eor bic tst
movz movn movk lsl lsr asr sxtb sxth sxtw uxtb uxth
udiv sdiv mul madd msub mneg smull smaddl umull umaddl smulh umulh
csel csinc csinv csneg cset csetm cinc cinv cneg
ldr str ldrb strb ldrh strh ldrsb ldrsh ldrsw
ldur stur ldurb sturb ldurh sturh ldursb ldursh ldursw
ldp stp b bl cbz cbnz tbz tbnz br blr ret nop brk dmb dsb isb dc ic mrs msr
fadd fsub fmul fdiv fmax fmin fmaxnm fminnm fmov fabs fneg fsqrt
frintn frintp frintm frintz frinta fcmp fcsel scvtf ucvtf fcvtzs fcvtzu
""".split())
BCOND = {"b." + c for c in "eq ne hs lo mi pl vs vc hi ls ge lt gt le al".split()}


# Function-body policy of the filter (review R1/R2), written from the
# architecture text llvm-mc prints, independently of our tables: forms the
# encoder can produce but the lowering never emits are refused, and so is any
# write to x30 or sp other than the frame's own instructions.
ENCODE_ONLY_MNEMONICS = set("br dmb dsb isb dc ic mrs msr".split())
_NO_DEST = set("cmp cmn tst b bl cbz cbnz tbz tbnz blr ret nop brk fcmp".split())
_STORES = {"str": None, "stur": None, "strb": 1, "sturb": 1, "strh": 2, "sturh": 2, "stp": None}


def _operands(t):
    out, depth, cur = [], 0, ""
    for ch in t:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur.strip())
    return out


def _imm(s):
    return int(s.strip().lstrip("#"), 0)


def body_policy(text):
    """None if an instruction with this (llvm-mc) text may appear in a JIT
    function body, else a short reason."""
    t = normalize(text)
    m, _, rest = t.partition(" ")
    ops = _operands(rest)
    if m in ENCODE_ONLY_MNEMONICS:
        return "not emitted by the lowering"
    frame_pair = len(ops) >= 3 and ops[0] == "x29" and ops[1] == "x30" and ops[2].startswith("[sp")
    pre = t.endswith("]!")
    post = len(ops) >= 4 and ops[-2].endswith("]") and ops[-1].startswith("#")
    if pre or post:
        if m == "stp" and frame_pair and pre:
            off = _imm(ops[2][1:-2].split(",")[1])
            return None if off < 0 else "writeback"
        if m == "ldp" and frame_pair and post:
            return None if _imm(ops[-1]) > 0 else "writeback"
        return "writeback form"
    if m in _STORES:
        mem = [o for o in ops if o.startswith("[")][0]
        parts = [p.strip() for p in mem.strip("[]").split(",")]
        base = parts[0]
        if base not in ("sp", "x29"):
            return None
        if len(parts) > 1 and not parts[1].startswith("#"):
            return "register-offset store through sp/x29"
        off = _imm(parts[1]) if len(parts) > 1 else 0
        size = _STORES[m]
        if size is None:
            size = 8 if ops[0][0] in "xd" else 4
            if m == "stp":
                size *= 2
        if off < 16 and off + size > 8 and not (m == "stp" and frame_pair and off == 0):
            return "store over the saved-lr slot"
        return None
    if m in _NO_DEST or m.startswith("b."):
        return None
    if m == "mov" and ops == ["sp", "sp"]:
        return None  # add sp, sp, #0
    dests = ops[:2] if m == "ldp" else ops[:1]
    if any(d in ("x30", "w30") for d in dests):
        if m == "ldp" and frame_pair and len(ops) == 3 and ops[2] == "[sp]":
            return None
        return "writes x30"
    if any(d in ("sp", "wsp") for d in dests):
        if m in ("add", "sub") and len(ops) >= 3 and ops[1] == "sp" and ops[2].startswith("#"):
            v = _imm(ops[2])
            if len(ops) == 4 and ops[3] == "lsl #12":
                v <<= 12
            return None if v % 16 == 0 else "sp misaligned"
        return "writes sp"
    return None


def mnemonic_allowed(m):
    return m in ALLOWED_MNEMONICS or m in BCOND


_HEX = ["0x%02x" % i for i in range(256)]


def word_bytes(w):
    return "%s %s %s %s" % (_HEX[w & 255], _HEX[(w >> 8) & 255], _HEX[(w >> 16) & 255], _HEX[w >> 24])


def squash(text):
    """Whitespace and case only: used to compare our disassembly with llvm's."""
    return " ".join(text.split("//", 1)[0].split()).lower()


def normalize(text):
    """Also canonicalize number radix (#0x10 == #16): used for the hand-written
    list text, which may use either radix."""
    t = squash(text)

    def num(m):
        return "#" + str(int(m.group(1), 0))

    t = re.sub(r"#(-?0x[0-9a-f]+|-?[0-9]+)\b", num, t)
    return t


def _llvm_dis_mapped(part):
    """Slow path: map output lines back to words via -show-encoding."""
    out = {}
    src = "\n".join(word_bytes(w) for w in part) + "\n"
    p = subprocess.run([LLVM_MC, "--disassemble", "-triple=aarch64", "-show-encoding"],
                       input=src, capture_output=True, text=True)
    for line in p.stdout.splitlines():
        m = re.match(r"\s*(\S.*?)\s*// encoding: \[(.*)\]", line)
        if not m or line.lstrip().startswith("//"):
            continue
        bs = [int(b, 16) for b in m.group(2).split(",")]
        out[bs[0] | bs[1] << 8 | bs[2] << 16 | bs[3] << 24] = m.group(1)
    for w in part:
        out.setdefault(w, None)
    return out


def llvm_disassemble(words, chunk=250000):
    """Return {word: llvm-mc text, or None if llvm-mc calls it invalid}.
    Fast path: when llvm-mc decodes every word of a chunk, its output lines are
    in input order; otherwise fall back to -show-encoding for that chunk."""
    out = {}
    uniq = sorted(set(words))
    for k in range(0, len(uniq), chunk):
        part = uniq[k:k + chunk]
        src = "\n".join(map(word_bytes, part)) + "\n"
        p = subprocess.run([LLVM_MC, "--disassemble", "-triple=aarch64"],
                           input=src, capture_output=True, text=True)
        lines = [ln.strip() for ln in p.stdout.splitlines()]
        lines = [ln for ln in lines if ln and ln != ".text" and not ln.startswith("//")]
        if "warning" not in p.stderr and len(lines) == len(part):
            out.update(zip(part, lines))
        else:
            out.update(_llvm_dis_mapped(part))
    return out


def llvm_assemble(lines):
    """Assemble each line separately with llvm-mc; return list of (word or None, err)."""
    src = "\n".join(lines) + "\n"
    p = subprocess.run([LLVM_MC, "-triple=aarch64", "-show-encoding"],
                       input=src, capture_output=True, text=True)
    encs = []
    for line in p.stdout.splitlines():
        m = re.search(r"// encoding: \[(.*)\]", line)
        if m:
            bs = [int(b, 16) for b in m.group(1).split(",")]
            encs.append(bs[0] | bs[1] << 8 | bs[2] << 16 | bs[3] << 24)
    return encs, p.stderr
