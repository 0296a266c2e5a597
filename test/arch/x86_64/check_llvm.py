#!/usr/bin/env python3
"""Check the x86-64 encoder, disassembler, decoder and forbidden corpus
against an independent disassembler (llvm-mc-14).

1. Every line of the encodings list decodes with llvm-mc as exactly one
   instruction with exactly those bytes, and llvm's text equals the listed
   text (the text is written by the list generator, not our disassembler).
2. Our disassembler's text for every form equals llvm's text.
3. Every forbidden-corpus entry is what its name says (so the filter tests
   reject the real thing).
4. At every offset of random generated code, and for one-byte mutations of
   every form, whenever our decoder accepts N bytes llvm decodes those N
   bytes as exactly one instruction with the same text: the filter never
   accepts a stream the CPU would decode differently.
5. (--lower) Every instruction of backend output for random IR functions
   decodes with llvm as exactly that instruction, with our text.
"""
import argparse
import re
import shlex
import subprocess
import sys

SENTINEL = "0xcd 0x03"  # int 3 (CD 03): never emitted nor in the corpus; separates chunks


def run(cmd, **kw):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    if p.returncode != 0:
        sys.exit("command failed (%d): %s\n%s" % (p.returncode, " ".join(cmd), p.stderr))
    return p.stdout


def norm(s):
    s = s.split("#", 1)[0].strip().lower()
    s = re.sub(r"\s+", " ", s)
    s = re.sub(r"\s*,\s*", ", ", s)
    return s


def parse_pairs(text):
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        h, t = line.split("\t", 1)
        out.append((bytes.fromhex(h), t))
    return out


def llvm_decode(llvm_mc, chunks):
    """Decode every chunk on its own ([..] groups are independent in
    llvm-mc; an "int 3" chunk separates the outputs).  Returns, per chunk, (list
    of instruction texts, warned).  One text and no warning means llvm-mc
    decodes exactly those bytes as exactly one instruction: a shorter
    decode leaves bytes for a second instruction or a warning, a longer one
    runs out of bytes and warns."""
    lines = []
    for c in chunks:
        lines.append("[" + " ".join("0x%02x" % b for b in c) + "]")
        lines.append("[" + SENTINEL + "]")
    p = subprocess.run(
        [llvm_mc, "--disassemble", "-triple=x86_64", "--output-asm-variant=1"],
        input="\n".join(lines) + "\n", stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    warned = set()
    for m in re.finditer(r"<stdin>:(\d+):\d+: warning", p.stderr):
        warned.add(int(m.group(1)))
    groups = [[]]
    for line in p.stdout.splitlines():
        text = norm(line)
        if not text or text.startswith("."):
            continue
        if text == "int 3":
            groups.append([])
        else:
            groups[-1].append(text)
    groups = groups[: len(chunks)]
    if len(groups) != len(chunks):
        sys.exit("llvm-mc output out of sync: %d groups for %d chunks" % (len(groups), len(chunks)))
    return [(groups[i], (2 * i + 1) in warned) for i in range(len(chunks))]


def check_one(label, chunk, want_text, dec, errors):
    insns, warned = dec
    if warned or len(insns) != 1:
        errors.append("%s: %s: llvm decodes as %s%s, expected exactly one instruction '%s'" % (
            label, chunk.hex(), insns, " (invalid encoding)" if warned else "", want_text))
        return False
    if norm(want_text) != insns[0]:
        errors.append("%s: %s: text '%s' but llvm says '%s'" % (label, chunk.hex(), norm(want_text), insns[0]))
        return False
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--emu", default="")
    ap.add_argument("--llvm-mc", default="llvm-mc-14")
    ap.add_argument("--bin", required=True)
    ap.add_argument("--seed", default="7")
    ap.add_argument("--functions", default="12")
    ap.add_argument("--lower", default="")
    a = ap.parse_args()
    emu = shlex.split(a.emu)
    tool = emu + [a.bin]
    errors = []

    forms = parse_pairs(run(tool + ["list"]))
    ours = parse_pairs(run(tool + ["disasm"]))
    if len(forms) < 200:
        errors.append("only %d forms listed (need >= 200)" % len(forms))
    if [f[0] for f in forms] != [o[0] for o in ours]:
        errors.append("list and disasm modes disagree on the bytes")
    dec = llvm_decode(a.llvm_mc, [f[0] for f in forms])
    ok_list = sum(check_one("list", f[0], f[1], d, errors) for f, d in zip(forms, dec))
    ok_dis = sum(check_one("disasm", o[0], o[1], d, errors) for o, d in zip(ours, dec))
    print("encodings: %d forms, %d match llvm-mc, our disassembler agrees on %d" % (len(forms), ok_list, ok_dis))

    corpus = [c for c in parse_pairs(run(tool + ["corpus"])) if c[1] != "-"]
    dec = llvm_decode(a.llvm_mc, [c[0] for c in corpus])
    ok_corpus = 0
    for (b, name), (insns, warned) in zip(corpus, dec):
        first = insns[0].split(" ")[0] if insns else "(none)"
        if warned or first != name:
            errors.append("corpus %s: llvm says %s, expected %s" % (b.hex(), insns, name))
        else:
            ok_corpus += 1
    print("forbidden corpus: %d entries confirmed by llvm-mc" % ok_corpus)

    offs = parse_pairs(run(tool + ["offsets", a.seed, a.functions]))
    dec = llvm_decode(a.llvm_mc, [o[0] for o in offs])
    ok_offs = sum(check_one("offset", o[0], o[1], d, errors) for o, d in zip(offs, dec))
    print("decoder consistency: %d accepted decodes at arbitrary offsets/mutations, %d agree with llvm-mc"
          % (len(offs), ok_offs))
    if len(offs) < 1000:
        errors.append("too few offset samples: %d" % len(offs))

    if a.lower:
        low = parse_pairs(run(emu + [a.lower, "insns", "60"]))
        dec = llvm_decode(a.llvm_mc, [o[0] for o in low])
        ok_low = sum(check_one("lowered", o[0], o[1], d, errors) for o, d in zip(low, dec))
        print("backend output: %d instructions of 60 lowered random functions, %d agree with llvm-mc"
              % (len(low), ok_low))
        if len(low) < 1000:
            errors.append("too few lowered instructions: %d" % len(low))

    for e in errors[:60]:
        print("ERROR", e)
    if errors:
        print("%d errors" % len(errors))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
