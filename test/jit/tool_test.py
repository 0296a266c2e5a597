#!/usr/bin/env python3
"""hyperion-jit end to end: run/eval reproduce the hand-worked expectations of
the .hir files, dump disassembles every byte on both ISAs with patch sites
marked, verify accepts our own code and rejects forbidden instructions,
encodings lists >= 150 forms per ISA, and bad input always gives a clear
error and a non-zero exit, never a crash (no death by signal)."""
import argparse
import os
import re
import shlex
import struct
import subprocess
import sys
import tempfile

failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL:", msg, file=sys.stderr)


def run(cmd, emu, timeout=120):
    p = subprocess.run(shlex.split(emu) + cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def expects(path):
    out = []
    for line in open(path):
        m = re.match(r"\s*; expect:(.*)->(.*)$", line)
        if m:
            out.append((m.group(1).split(), m.group(2).strip()))
    return out


def ret_type(path):
    m = re.search(r"\)\s*->\s*(\w+)", open(path).read())
    return m.group(1) if m else "void"


def same(rtype, got, want):
    if rtype == "f64":
        g, w = float(got), float(want)
        return (g != g and w != w) or g == w
    if rtype == "i32":
        return (int(got, 0) - int(want, 0)) % (1 << 32) == 0
    return int(got, 0) == int(want, 0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--emu", default="")
    ap.add_argument("tool")
    ap.add_argument("hirdir")
    a = ap.parse_args()
    tool, emu = a.tool, a.emu
    files = sorted(os.path.join(a.hirdir, f) for f in os.listdir(a.hirdir) if f.endswith(".hir"))
    check(len(files) >= 10, "hand-written .hir files missing")
    tmp = tempfile.mkdtemp(prefix="hyjit-tool-")

    for f in files:
        rt = ret_type(f)
        for args, want in expects(f):
            for cmd in ("run", "eval"):
                rc, out, err = run([tool, cmd, f] + args, emu)
                got = out.strip().splitlines()[-1] if out.strip() else ""
                check(rc == 0 and got and same(rt, got, want),
                      f"{cmd} {os.path.basename(f)} {args}: rc {rc} got {got!r} want {want} {err.strip()}")

    for arch in ("x86-64", "arm64"):
        for f in files:
            binf = os.path.join(tmp, "out.bin")
            rc, out, err = run([tool, "dump", "--arch", arch, "--bin", binf, f], emu)
            check(rc == 0, f"dump --arch {arch} {f}: rc {rc} {err}")
            check("(unknown)" not in out, f"dump --arch {arch} {f}: undecodable bytes\n{out}")
            src = open(f).read()
            if "guard." in src or "addo" in src or "mulo" in src:
                check("<== patch site" in out, f"dump --arch {arch} {f}: no patch site marked")
            m = re.search(r"base 0x([0-9a-f]+)", out)
            check(m is not None, f"dump {f}: no base address")
            if not m or rc:
                continue
            base = "0x" + m.group(1)
            if "call @" not in src:
                rc, out2, err2 = run([tool, "verify", "--arch", arch, "--base", base, binf], emu)
                check(rc == 0 and out2.startswith("accept"), f"verify {arch} own code of {f}: rc {rc} {out2}{err2}")
            else:
                # helper addresses are per process: unregistered targets must be refused
                rc, out2, err2 = run([tool, "verify", "--arch", arch, "--base", base, binf], emu)
                check(rc == 1 and "reject" in out2, f"verify {arch} {f} without helpers: rc {rc} {out2}")
            # a forbidden instruction at the very start
            data = open(binf, "rb").read()
            bad = bytes([0x0F, 0x05]) if arch == "x86-64" else struct.pack("<I", 0xD4000001)
            badf = os.path.join(tmp, "bad.bin")
            open(badf, "wb").write(bad + data[len(bad):])
            rc, out2, err2 = run([tool, "verify", "--arch", arch, "--base", base, badf], emu)
            check(rc == 1 and re.search(r"offset 0x0\b", out2), f"verify {arch} with syscall/svc at 0: rc {rc} {out2}")

        rc, out, err = run([tool, "encodings", "--arch", arch], emu)
        lines = [l for l in out.splitlines() if l.strip()]
        check(rc == 0 and len(lines) >= 150, f"encodings --arch {arch}: rc {rc}, {len(lines)} forms")
        check(all(re.match(r"^[0-9a-fA-F]+\t\S", l) for l in lines), f"encodings --arch {arch}: bad line format")

    # bad input: clear error, non-zero exit, never a signal
    garbage = os.path.join(tmp, "garbage.hir")
    open(garbage, "wb").write(bytes(range(256)) * 4)
    badir = os.path.join(tmp, "bad.hir")
    open(badir, "w").write("func @f(%0:i64) -> i64 {\nbb0:\n  %1:i64 = add %0\n  ret %1\n}\n")
    invalid = os.path.join(tmp, "invalid.hir")
    open(invalid, "w").write("func @f(%0:i64) -> f64 {\nbb0:\n  ret %0\n}\n")
    rnd = os.path.join(tmp, "random.bin")
    open(rnd, "wb").write(os.urandom(4096))
    empty = os.path.join(tmp, "empty.bin")
    open(empty, "wb").close()
    one = files[0]
    cases = [
        ([], 2, "usage"),
        (["frobnicate"], 2, "unknown command"),
        (["run"], 2, "usage"),
        (["run", os.path.join(tmp, "nope.hir")], 1, "cannot open"),
        (["run", garbage], 1, ""),
        (["run", badir], 1, "3:18"),
        (["run", invalid], 1, "invalid IR"),
        (["eval", badir], 1, "3:18"),
        (["run", one, "1", "2", "3", "4", "5", "6", "7"], 2, "argument"),
        (["dump", "--arch", "sparc", one], 2, "unknown arch"),
        (["dump", garbage], 1, ""),
        (["verify", rnd], 2, "usage"),
        (["verify", "--arch", "x86-64", rnd], 1, "reject"),
        (["verify", "--arch", "arm64", rnd], 1, "reject"),
        (["verify", "--arch", "arm64", empty], 1, "reject"),
        (["verify", "--arch", "x86-64", "--base", "zz", rnd], 2, "bad address"),
        (["encodings"], 2, "usage"),
        (["encodings", "--arch", "mips"], 2, "unknown arch"),
    ]
    for args, want_rc, needle in cases:
        rc, out, err = run([tool] + args, emu)
        check(rc == want_rc, f"{args}: exit {rc}, want {want_rc} ({err.strip()[:200]})")
        check(needle in (out + err), f"{args}: output lacks {needle!r}: {out}{err}")
    # wrong argument values
    for bad in (["x"], ["1.5"], ["99999999999999999999999"]):
        rc, out, err = run([tool, "run", os.path.join(a.hirdir, "sum_loop.hir")] + bad, emu)
        check(rc == 2 and "not a valid" in err, f"run sum_loop {bad}: rc {rc} {err}")

    rc, out, err = run([tool, "throughput", "--count", "200"], emu, timeout=600)
    check(rc == 0 and "IR instructions per us" in out, f"throughput: rc {rc} {out}{err}")
    print(out.strip())

    if failures:
        print(f"tool_test: {len(failures)} failure(s)", file=sys.stderr)
        return 1
    print("tool_test: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
