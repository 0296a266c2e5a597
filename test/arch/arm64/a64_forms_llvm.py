#!/usr/bin/env python3
"""Test (1)+(2): every listed ARM64 form decodes with llvm-mc-14 as exactly that
one instruction, the listed text re-assembles to the same word, the filter
accepts it, and our own disassembler prints what llvm-mc prints.
Also cross-checks validity with GNU objdump when available."""
import argparse
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import a64_common as C  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--emu", default="")
    ap.add_argument("--tool", required=True)
    ap.add_argument("--min-forms", type=int, default=200)
    ap.add_argument("--hyperion-jit", default=None,
                    help="also check that `hyperion-jit encodings --arch arm64` prints this list")
    a = ap.parse_args()
    emu = shlex.split(a.emu)
    if not C.LLVM_MC:
        print("llvm-mc-14 not found: install llvm-14 (scripts/install-deps.sh)")
        return 1
    p = subprocess.run(emu + [a.tool, "encodings"], capture_output=True, text=True)
    if p.returncode:
        print("encodings failed:", p.stderr)
        return 1
    if a.hyperion_jit:
        hj = subprocess.run(emu + [a.hyperion_jit, "encodings", "--arch", "arm64"],
                            capture_output=True, text=True)
        if hj.returncode or hj.stdout != p.stdout:
            print("FAIL hyperion-jit encodings --arch arm64 differs from the backend's list (rc %d)"
                  % hj.returncode)
            return 1
    entries = []
    for line in p.stdout.splitlines():
        hexpart, text = line.split("\t")
        if " " in hexpart.strip():
            bs = [int(b, 16) for b in hexpart.split()]
        else:
            bs = [int(hexpart[i:i + 2], 16) for i in range(0, len(hexpart.strip()), 2)]
        assert len(bs) == 4, line
        entries.append((bs[0] | bs[1] << 8 | bs[2] << 16 | bs[3] << 24, text))
    fails = []
    print("forms listed: %d" % len(entries))
    if len(entries) < a.min_forms:
        fails.append("only %d forms listed (< %d)" % (len(entries), a.min_forms))

    # (1a) llvm-mc disassembles each word as exactly the listed instruction
    dis = C.llvm_disassemble([w for w, _ in entries])
    for w, text in entries:
        got = dis.get(w)
        if got is None:
            fails.append("%08x %-32s llvm-mc: invalid encoding" % (w, text))
        elif C.normalize(got) != C.normalize(text):
            fails.append("%08x listed %-32r llvm-mc %r" % (w, text, got))
        elif "brk" != C.normalize(got).split()[0] and not C.mnemonic_allowed(C.normalize(got).split()[0]):
            fails.append("%08x %r: mnemonic outside the allowed set" % (w, got))

    # (1b) the listed text assembles back to the same word
    encs, err = C.llvm_assemble([t for _, t in entries])
    if len(encs) != len(entries):
        fails.append("llvm-mc assembled %d of %d lines: %s" % (len(encs), len(entries), err[:2000]))
    else:
        for (w, text), e in zip(entries, encs):
            if w != e:
                fails.append("%08x %r assembles to %08x" % (w, text, e))

    # (2) every listed word is a valid form (checkenc); the filter's body
    # verdict (check) is exactly the independent policy C.body_policy; our
    # disassembler agrees with llvm-mc
    words_in = "".join("%08x\n" % w for w, _ in entries)
    enc = subprocess.run(emu + [a.tool, "checkenc"], input=words_in, capture_output=True, text=True)
    chk = subprocess.run(emu + [a.tool, "check"], input=words_in, capture_output=True, text=True)
    ours = subprocess.run(emu + [a.tool, "disasm"], input=words_in, capture_output=True, text=True)
    enc_lines, chk_lines, our_lines = enc.stdout.splitlines(), chk.stdout.splitlines(), ours.stdout.splitlines()
    nrefused = 0
    if len(chk_lines) != len(entries) or len(our_lines) != len(entries) or len(enc_lines) != len(entries):
        fails.append("tool check/checkenc/disasm gave wrong line counts")
    else:
        for (w, text), e, v, d in zip(entries, enc_lines, chk_lines, our_lines):
            if not e.startswith("ok "):
                fails.append("%08x %r: not a valid form: %s" % (w, text, e))
            want = C.body_policy(dis.get(w) or text)
            if want is None and not v.startswith("ok "):
                fails.append("%08x %r: filter refuses an allowed body form: %s" % (w, text, v))
            if want is not None:
                nrefused += 1
                if v.startswith("ok "):
                    fails.append("%08x %r: filter accepts it in a body (policy: %s)" % (w, text, want))
            got = dis.get(w)
            if got is not None and C.squash(d) != C.squash(got):
                fails.append("%08x ours %r llvm-mc %r" % (w, d, got))

    print("listed forms the body policy refuses (encode-only / x30 / sp writes): %d" % nrefused)
    if nrefused < 20:
        fails.append("too few encode-only forms refused (%d): the policy check is not biting" % nrefused)

    # Second oracle: GNU objdump must decode every word (no .inst/undefined).
    objdump = shutil.which("aarch64-linux-gnu-objdump")
    if objdump:
        with tempfile.NamedTemporaryFile(suffix=".bin", delete=False) as f:
            for w, _ in entries:
                f.write(w.to_bytes(4, "little"))
            path = f.name
        try:
            od = subprocess.run([objdump, "-D", "-b", "binary", "-m", "aarch64", path],
                                capture_output=True, text=True).stdout
        finally:
            os.unlink(path)
        seen = 0
        for line in od.splitlines():
            parts = line.split("\t")
            if len(parts) >= 3 and parts[0].strip().endswith(":"):
                seen += 1
                if parts[2].startswith(".inst") or "undefined" in line:
                    fails.append("objdump cannot decode: %s" % line.strip())
        if seen != len(entries):
            fails.append("objdump decoded %d of %d words" % (seen, len(entries)))
        else:
            print("objdump decodes all %d words" % seen)

    for f in fails[:200]:
        print("FAIL", f)
    print("%d failures" % len(fails))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
