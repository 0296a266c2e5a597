#!/usr/bin/env python3
"""Test (4): the filter's verdict on >= 10^7 random 32-bit words is consistent
with an independent decoder (llvm-mc-14). Every word the filter accepts (from
the random sample, plus single-bit flips of accepted and listed words) must be
a valid instruction for llvm-mc, with a mnemonic in the allowed set; our
disassembler must print exactly what llvm-mc prints (checked on every 8th
accepted word and on every accepted bit flip).

The sampling runs in C (under the emulator in the ARM64 build); llvm-mc runs
natively on the host in batches. HY_SOAK=1 samples 10^8 words."""
import argparse
import os
import random
import shlex
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import a64_common as C  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--emu", default="")
    ap.add_argument("--tool", required=True)
    ap.add_argument("--words", type=int, default=10_000_000)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args()
    emu = shlex.split(a.emu)
    if not C.LLVM_MC:
        print("llvm-mc-14 not found")
        return 1
    n = a.words * (10 if os.environ.get("HY_SOAK") == "1" else 1)
    seed = a.seed if a.seed is not None else int(os.environ.get("HY_SEED", "0") or 0) or 0x5EED
    t0 = time.time()
    p = subprocess.run(emu + [a.tool, "sample", str(n), str(seed), "20000", "4000"],
                       capture_output=True, text=True)
    if p.returncode:
        print("sample failed:", p.stderr)
        return 1
    acc, rej, stats = [], [], ""
    for line in p.stdout.splitlines():
        if line.startswith("A\t"):
            parts = line.split("\t", 2)
            acc.append((int(parts[1], 16), parts[2] if len(parts) > 2 else None))
        elif line.startswith("R\t"):
            rej.append(int(line.split("\t")[1], 16))
        elif line.startswith("#stats"):
            stats = line
    t1 = time.time()
    print("seed=%d %s (sampling+listing %.1fs)" % (seed, stats, t1 - t0))

    # llvm-mc over all accepted words (in parallel chunks) and the rejected sample
    words = [w for w, _ in acc]
    chunks = [words[i:i + 100000] for i in range(0, len(words), 100000)] + [rej]
    with ThreadPoolExecutor(max_workers=max(1, a.jobs)) as ex:
        parts = list(ex.map(C.llvm_disassemble, chunks))
    dis = {}
    for part in parts:
        dis.update(part)
    t2 = time.time()

    fails = []
    squash = C.squash
    for w, ours in acc:
        got = dis.get(w)
        if got is None:
            fails.append("%08x accepted (ours: %r) but llvm-mc: invalid encoding" % (w, ours))
            continue
        # fast exact comparison first (llvm-mc: "mnemonic<TAB>operands  // comment")
        g = got.split("//", 1)[0].rstrip().replace("\t", " ")
        if not C.mnemonic_allowed(g.split(" ", 1)[0].lower()):
            fails.append("%08x accepted but llvm-mc says %r (not an allowed mnemonic)" % (w, got))
        elif C.body_policy(got) is not None:
            fails.append("%08x accepted but llvm-mc says %r (%s)" % (w, got, C.body_policy(got)))
        elif ours is not None and g != ours and squash(got) != squash(ours):
            fails.append("%08x ours %r llvm-mc %r" % (w, ours, got))
    # Informational: rejected words llvm-mc decodes with an allowed mnemonic
    # (the filter is stricter than the ISA by design: only our forms).
    strict = sum(1 for w in rej if dis.get(w) and C.mnemonic_allowed(C.squash(dis[w]).split()[0]))
    print("our disassembly compared with llvm-mc on %d of them" % sum(1 for _, d in acc if d is not None))
    print("accepted words checked with llvm-mc: %d; rejected sample: %d "
          "(of which %d decode to an allowed mnemonic but are not our forms); llvm %.1fs"
          % (len(acc), len(rej), strict, t2 - t1))
    if len(acc) < 1000:
        fails.append("suspiciously few accepted words: %d" % len(acc))
    rnd = random.Random(seed)
    rnd.shuffle(fails)
    for f in fails[:100]:
        print("FAIL", f)
    print("%d failures" % len(fails))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
