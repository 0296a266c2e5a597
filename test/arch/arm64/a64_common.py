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
