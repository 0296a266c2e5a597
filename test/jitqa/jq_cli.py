#!/usr/bin/env python3
"""jitqa_cli: `hyperion-jit` must never crash on bad input.

  * eval / run / dump [--arch] on mutated .hir text (truncations, byte flips,
    huge numbers, undefined vregs/blocks, type errors, ...) and on bad command
    lines: every run ends with exit 0/1/2, a message on stderr when it fails,
    and never a signal or a sanitizer report; `run` never reports MISMATCH.
    `run` is tried on every mutant with the same arguments (`mem` for ptr
    parameters): after a failed `eval` it must fail with the same evaluator
    error without running native code (JQ-1/2/3), else agree (JQ-8).
  * The JQ-1/2/3/8 reproducers in repro/ give their clear errors / results.
  * verify --arch x86-64|arm64 on random and mutated binaries (mutations of
    real `dump --bin` output): accept/reject, never a crash. Every ACCEPTED
    buffer is disassembled with an independent disassembler (objdump): only
    allowed mnemonics, no undecodable bytes, every direct branch inside the
    buffer on an instruction boundary (objdump's boundaries, not ours).
  * W^X seen from outside: while `hyperion-jit run/dump` processes run, their
    /proc/PID/maps never shows a mapping with both w and x (native only).

Usage: jq_cli.py --emu "<prefix>" HYPERION_JIT HIRDIR   (HY_SOAK=1: longer)
"""
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

FAIL = []


def check(cond, msg):
    if not cond:
        FAIL.append(msg)
        print("FAIL: " + msg, file=sys.stderr)
    return cond


def run(cmd, timeout=60):
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return None, "", "timeout"


def sane(tag, rc, out, err, allow=(0, 1, 2)):
    if rc is None:
        return check(False, "%s: timed out" % tag)
    ok = check(rc in allow, "%s: exit status %d (signal or unexpected)\n%s" % (tag, rc, err[-600:]))
    ok &= check("Sanitizer" not in err and "runtime error:" not in err,
                "%s: sanitizer report\n%s" % (tag, err[-1500:]))
    if rc != 0:
        ok &= check(err.strip() != "" or out.strip() != "", "%s: failed without any message" % tag)
    return ok


# --------------------------------------------------------------- .hir mutation

INTERESTING = ["99999999999999999999", "-9223372036854775809", "18446744073709551616", "4294967296",
               "%4294967295", "%99999", "bb99999", "%", "->", ":i65", ":void", "@nosuch", "\n", "\x00",
               "\xff", "[", "]", "(", ")", "{", "}", ",", "guard.nosuch", "1e400", "nan", "store.f64",
               "*3", "+ -2147483649", "icmp.foo", "id=4294967296", "ret", "}"]


def mutate(rng, text):
    b = bytearray(text.encode("latin-1", "replace"))
    for _ in range(1 if rng.random() < 0.6 else rng.randint(2, 3)):
        n = len(b)
        pos = rng.randrange(n) if n else 0
        k = rng.randrange(8)
        if k == 0:
            del b[pos:]
        elif k == 1 and n:
            b[pos] ^= 1 << rng.randrange(8)
        elif k == 2 and n:
            b[pos] = rng.randrange(256)
        elif k == 3:
            b[pos:pos] = rng.choice(INTERESTING).encode("latin-1")
        elif k == 4:
            s = b.decode("latin-1")
            nums = [m.span() for m in re.finditer(r"\d+", s)]
            if nums:
                a, e = rng.choice(nums)
                s = s[:a] + rng.choice(["99999999999999999999", "4294967296", "0", "65536", "100000"]) + s[e:]
                b = bytearray(s.encode("latin-1"))
        elif k == 5:
            lines = b.split(b"\n")
            if len(lines) > 1:
                i = rng.randrange(len(lines))
                if rng.random() < 0.5:
                    del lines[i]
                else:
                    lines.insert(rng.randrange(len(lines)), lines[i])
                b = bytearray(b"\n".join(lines))
        elif k == 6:
            s = b.decode("latin-1")
            words = ["i32", "i64", "f64", "ptr", "add", "sdiv", "fadd", "udiv", "icmp.eq", "mov", "ret", "br"]
            w = rng.choice(words)
            i = s.find(w)
            if i >= 0:
                s = s[:i] + rng.choice(words) + s[i + len(w):]
            b = bytearray(s.encode("latin-1"))
        else:
            s = b.decode("latin-1")
            s = re.sub(r"%\d+", lambda m: "%%%d" % rng.randrange(20) if rng.random() < 0.2 else m.group(0), s)
            b = bytearray(s.encode("latin-1"))
    return bytes(b)


PTYPES = re.compile(rb"func\s+@[A-Za-z0-9_]*\s*\(([^)]*)\)")


def args_for(rng, data):
    m = PTYPES.search(data)
    if not m:
        return ["1"]
    out = []
    for p in m.group(1).split(b","):
        p = p.strip()
        if not p:
            continue
        t = p.split(b":")[-1].strip()
        if t == b"f64":
            out.append(rng.choice(["1.5", "-0", "nan", "inf", "1e308", "3"]))
        elif t == b"ptr":
            out.append("mem")
        else:
            out.append(rng.choice(["0", "1", "-1", "7", "100", "-9223372036854775808", "9223372036854775807",
                                   "2147483647", "0x10"]))
    return out


def fuzz_hir(emu, tool, hirs, count, tmp, rng):
    # mutants may loop forever: keep the evaluator's step limit short
    os.environ["HYPERION_JIT_MAX_STEPS"] = "2000000"
    stats = {"eval_ok": 0, "run": 0, "dump_ok": 0}
    for i in range(count):
        src = open(rng.choice(hirs), "rb").read()
        data = mutate(rng, src.decode("latin-1"))
        path = os.path.join(tmp, "m.hir")
        with open(path, "wb") as f:
            f.write(data)
        keep = os.path.join(tmp, "mutant_%d.hir" % i)
        a = args_for(rng, data)
        tag = "mutant %d (%s)" % (i, keep)
        rc, out, err = run(emu + [tool, "eval", path] + a)
        bad = not sane(tag + " eval", rc, out, err)
        if rc == 0:
            stats["eval_ok"] += 1
        arch = rng.choice([[], ["--arch", "x86-64"], ["--arch", "arm64"]])
        rc2, out2, err2 = run(emu + [tool, "dump"] + arch + [path])
        bad |= not sane(tag + " dump " + " ".join(arch), rc2, out2, err2)
        if rc2 == 0:
            stats["dump_ok"] += 1
            check(".byte (unknown)" not in out2, tag + ": dump of accepted code shows undecodable bytes")
        # `run` on everything (JQ-1/2/3/8 fixed): when the evaluator failed
        # (UB, step limit, access outside `mem`) run reports the same error
        # and exits 1 without entering native code; otherwise it succeeds and
        # agrees with the evaluator (`mem` is one shared buffer).
        rc3, out3, err3 = run(emu + [tool, "run", path] + a)
        stats["run"] += 1
        bad |= not sane(tag + " run", rc3, out3, err3, allow=(0,) if rc == 0 else (1, 2))
        check("MISMATCH" not in err3, tag + ": run MISMATCH\n" + err3)
        if rc == 1 and "eval " in err:
            bad |= not check(err.strip().splitlines()[0] in err3 and "not running native code" in err3,
                             tag + ": run after a failed eval:\n" + err3)
        if bad:
            shutil.copy(path, keep)
    return stats


def regressions(emu, tool, hirdir, tmp):
    """JQ-1/2/3/8: `run` after an evaluator error is a clear error (exit 1,
    no native code), never a signal or a hang; `mem` results agree."""
    repro = os.path.join(os.path.dirname(os.path.abspath(__file__)), "repro")
    env_steps = {"HYPERION_JIT_MAX_STEPS": "100000"}
    cases = []
    for op in ("sdiv", "srem", "udiv", "urem"):
        for t in ("i64", "i32"):
            p = os.path.join(tmp, "div_%s_%s.hir" % (op, t))
            with open(p, "w") as f:
                f.write("func @d(%%0:%s, %%1:%s) -> %s {\nbb0:\n  %%2:%s = %s %%0, %%1\n  ret %%2\n}\n"
                        % (t, t, t, t, op))
            cases.append(([p, "7", "0"], "division by zero"))
    cases += [
        ([os.path.join(repro, "jq1_div0.hir"), "1", "0"], "division by zero"),
        ([os.path.join(repro, "jq2_loop.hir"), "1"], "step limit (100000) exceeded"),
        ([os.path.join(repro, "jq3_load_oob.hir"), "mem"], "outside every known buffer"),
        ([os.path.join(repro, "jq3_load_oob.hir"), "0"], "load of 8 bytes at 0x186a0 is outside"),
    ]
    oob = os.path.join(tmp, "oob_store.hir")
    with open(oob, "w") as f:  # one byte past the 4 KiB buffer; and a wild numeric pointer
        f.write("func @s(%0:ptr, %1:i64) {\nbb0:\n  store.i8 [%0 + %1*1 + 0], %1\n  ret\n}\n")
    cases += [([oob, "mem", "4096"], "store of 1 bytes at"), ([oob, "4096", "1"], "store of 1 bytes at 0x1001")]
    env = dict(os.environ, **env_steps)
    for args, want in cases:
        for cmd in ("eval", "run"):
            try:
                p = subprocess.run(emu + [tool, cmd] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   timeout=60, env=env)
                rc, out, err = p.returncode, p.stdout.decode(), p.stderr.decode()
            except subprocess.TimeoutExpired:
                rc, out, err = None, "", "timeout"
            tag = "%s %s" % (cmd, " ".join(os.path.basename(x) for x in args))
            sane(tag, rc, out, err, allow=(1,))
            check(want in err, "%s: want %r in stderr, got %r" % (tag, want, err[-300:]))
            if cmd == "run":
                check("not running native code" in err and out == "", "%s: native code ran: %r %r" % (tag, out, err))
    # in range: the last byte of the buffer is fine, and it is the same buffer for both runs
    rc, out, err = run(emu + [tool, "run", oob, "mem", "4095"])
    check(rc == 0 and "MISMATCH" not in err, "run oob_store mem 4095: rc %s %s" % (rc, err))
    # JQ-8: a ptr-derived result: native and evaluator see the same `mem` address
    rc, out, err = run(emu + [tool, "run", os.path.join(hirdir, "guards.hir"), "mem", "5"])
    check(rc == 0 and "MISMATCH" not in err and out.strip() != "",
          "run guards.hir mem 5 (JQ-8): rc %s %r %r" % (rc, out, err))
    rc1, out1, err1 = run(emu + [tool, "eval", os.path.join(hirdir, "guards.hir"), "mem", "5"])
    check(rc1 == 0 and out1.strip() != "" and out1.strip() != "0", "eval guards.hir mem 5: %s %r" % (rc1, out1))
    # a MISMATCH message carries the evaluator's value on stderr: not triggerable
    # from correct code, so only the format of an agreeing run is checked above.


def bad_command_lines(emu, tool, hirdir, tmp):
    g = os.path.join(hirdir, "guards.hir")
    f = os.path.join(hirdir, "float.hir")
    empty = os.path.join(tmp, "empty.hir")
    open(empty, "w").close()
    cases = [
        [], ["nosuch"], ["run"], ["eval"], ["dump"], ["verify"], ["encodings"], ["verify", "--arch", "x86-64"],
        ["verify", "--arch", "mips", g], ["dump", "--arch", "mips", g], ["dump", "--arch"], ["dump", "--bin"],
        ["run", "/nonexistent.hir"], ["eval", hirdir], ["eval", empty], ["run", g], ["run", g, "1", "2", "3"],
        ["eval", g, "mem", "1x"], ["eval", g, "mem", "99999999999999999999"], ["eval", g, "nan", "1"],
        ["eval", f, "x", "y"], ["verify", "--arch", "arm64", "--base", "zz", g],
        ["verify", "--arch", "arm64", "--helper", "-", g], ["verify", "--arch", "x86-64", "/nonexistent"],
        ["verify", "--arch", "x86-64", empty], ["encodings", "--arch", "vax"], ["throughput", "--arch", "vax"],
        ["dump", "--bin", "/nonexistent/dir/x.bin", g], ["eval", g, "", ""],
    ]
    for c in cases:
        rc, out, err = run(emu + [tool] + c)
        sane("command line %r" % c, rc, out, err)
        check(rc != 0, "command line %r: exit 0 for bad usage" % c)


# --------------------------------------------------------------- verify + independent disassembly

X86_OK = re.compile(r"^(mov|movabs|movzx|movsx|movsxd|lea|add|or|and|sub|xor|cmp|test|imul|not|neg|div|idiv|"
                    r"shl|shr|sar|cdq|cqo|set[a-z]+|cmov[a-z]+|j[a-z]+|call|ret|push|pop|int3|nop|xchg|"
                    r"movsd|movapd|movq|addsd|mulsd|subsd|minsd|divsd|maxsd|sqrtsd|ucomisd|comisd|cvtsi2sd|"
                    r"cvttsd2si|andpd|andnpd|orpd|xorpd|data16|cs)$")
A64_BAD = re.compile(r"^(svc|hvc|smc|hlt|dcps\d|eret|drps|sys|sysl|udf|\.inst|ldxr|stxr|ldaxr|stlxr|"
                     r"braa|brab|blraa|blrab|retaa|retab|wfe|wfi|sev|tlbi|at)$")


def objdump_lines(objdump, march, path, extra):
    rc, out, err = run([objdump, "-D", "-b", "binary", "-m", march] + extra + [path])
    if rc != 0:
        return None
    insns = []
    for line in out.splitlines():
        m = re.match(r"^\s*([0-9a-f]+):\s+((?:[0-9a-f]{2} )+)\s*(.*)$", line)
        if m:
            insns.append((int(m.group(1), 16), len(m.group(2).split()), m.group(3).strip()))
    return insns


def independent_x86(objdump, path, n):
    insns = objdump_lines(objdump, "i386:x86-64", path, ["-M", "intel"])
    if insns is None:
        return "objdump failed"
    # objdump splits long byte runs over continuation lines (no mnemonic)
    merged = []
    for off, ln, text in insns:
        if not text and merged:
            merged[-1] = (merged[-1][0], merged[-1][1] + ln, merged[-1][2])
        else:
            merged.append((off, ln, text))
    starts = set(o for o, _, _ in merged)
    for off, ln, text in merged:
        if "(bad)" in text:
            return "objdump: (bad) at +%#x" % off
        # redundant REX bits (empty REX, REX.X without SIB, REX.R on /digit
        # forms) show up as a "rex..." prefix: the filter refuses them since
        # JQ-9 was fixed, so they count as a stray prefix here.
        if re.match(r"^rex(\.[WRXB]+)?\s", text):
            return "objdump: redundant REX prefix '%s' at +%#x" % (text, off)
        mn = text.split()[0] if text else ""
        if mn in ("rex", "rex.w", "rex.b", "rex.wb", "rex.r", "rex.x", "lock", "rep", "repz", "repnz", "fs", "gs",
                  "ds", "ss", "es", "addr32", "bnd", "notrack"):
            return "objdump: prefix/stray '%s' at +%#x" % (text, off)
        if not X86_OK.match(mn):
            return "objdump: '%s' at +%#x is not one of our forms" % (text, off)
        if mn.startswith("j") or mn == "call":
            m = re.search(r"\b0x([0-9a-f]+)\b", text)
            if mn != "call" and m:
                t = int(m.group(1), 16)
                if t >= n or t not in starts:
                    return "objdump: branch at +%#x to %#x (outside or not a boundary)" % (off, t)
            if mn in ("jmp", "call") and ("PTR" in text or re.search(r"\b(r|e)[a-z0-9]+$", text)):
                return "objdump: indirect '%s' at +%#x" % (text, off)
    return None


def independent_a64(objdump, path, n):
    insns = objdump_lines(objdump, "aarch64", path, [])
    if insns is None:
        return "objdump failed"
    starts = set(o for o, _, _ in insns)
    for off, ln, text in insns:
        parts = text.replace(",", " ").split()
        mn = parts[0] if parts else ""
        if A64_BAD.match(mn):
            return "objdump: forbidden '%s' at +%#x" % (text, off)
        if mn == "brk" and "0x3e8" not in text:
            return "objdump: foreign brk '%s' at +%#x" % (text, off)
        if mn in ("br", "blr") and parts[1:2] != ["x16"]:
            return "objdump: '%s' at +%#x" % (text, off)
        if mn == "ret" and len(parts) > 1 and parts[1] != "x30":
            return "objdump: '%s' at +%#x" % (text, off)
        if mn in ("msr", "mrs"):
            reg = parts[1] if mn == "msr" else parts[2] if len(parts) > 2 else ""
            if reg.lower() not in ("nzcv", "fpcr", "fpsr", "tpidr_el0", "ctr_el0"):
                return "objdump: '%s' at +%#x" % (text, off)
        if mn in ("dc", "ic") and parts[1:2] not in (["cvau"], ["ivau"]):
            return "objdump: '%s' at +%#x" % (text, off)
        if mn in ("b", "cbz", "cbnz", "tbz", "tbnz") or mn.startswith("b."):
            m = re.search(r"\b0x([0-9a-f]+)\b|\s([0-9a-f]+)\s*(<|$)", text)
            tgt = None
            for p in parts[1:]:
                if re.fullmatch(r"(0x)?[0-9a-f]+", p):
                    tgt = int(p, 16)
            if tgt is not None and (tgt >= n or tgt not in starts):
                return "objdump: branch '%s' at +%#x outside" % (text, off)
    return None


def fuzz_verify(emu, tool, hirs, count, tmp, rng):
    objx = shutil.which("objdump")
    obja = shutil.which("aarch64-linux-gnu-objdump")
    real = {"x86-64": [], "arm64": []}
    for h in hirs:
        for arch in real:
            b = os.path.join(tmp, "%s.%s.bin" % (os.path.basename(h), arch))
            rc, out, err = run(emu + [tool, "dump", "--arch", arch, "--bin", b, h])
            if rc == 0 and os.path.exists(b):
                data = open(b, "rb").read()
                # keep helper-free functions (verify knows no helpers)
                if "call @" not in out:
                    real[arch].append(data)
    check(real["x86-64"] and real["arm64"], "no real code to mutate")
    stats = {"accepted": 0, "xchecked": 0, "rejected": 0}
    path = os.path.join(tmp, "v.bin")
    for i in range(count):
        arch = rng.choice(["x86-64", "arm64"])
        if real[arch] and rng.random() < 0.8:
            b = bytearray(rng.choice(real[arch]))
            for _ in range(rng.randint(1, 3)):
                k = rng.randrange(4)
                if not b:
                    break
                p = rng.randrange(len(b))
                if k == 0:
                    b[p] ^= 1 << rng.randrange(8)
                elif k == 1:
                    b[p] = rng.randrange(256)
                elif k == 2:
                    del b[p:p + rng.randint(1, 4)]
                else:
                    b[p:p] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 4)))
        else:
            b = bytearray(rng.randrange(256) for _ in range(rng.randint(0, 64)))
        with open(path, "wb") as f:
            f.write(b)
        rc, out, err = run(emu + [tool, "verify", "--arch", arch, path])
        if not sane("verify %s mutant %d" % (arch, i), rc, out, err, allow=(0, 1)):
            shutil.copy(path, os.path.join(tmp, "verify_crash_%d.bin" % i))
            continue
        if rc == 0:
            stats["accepted"] += 1
            check(out.startswith("accept"), "verify: exit 0 without 'accept'")
            od = objx if arch == "x86-64" else obja
            if od:
                why = (independent_x86 if arch == "x86-64" else independent_a64)(od, path, len(b))
                stats["xchecked"] += 1
                if not check(why is None, "verify %s accepted %s but %s" % (arch, bytes(b).hex(), why)):
                    shutil.copy(path, os.path.join(tmp, "accepted_bad_%d.bin" % i))
        else:
            stats["rejected"] += 1
            check(out.startswith("reject") and "offset" in out, "verify: rejection without offset/reason: " + out)
    return stats


# --------------------------------------------------------------- W^X from outside

def wx_outside(tool, hirdir, rounds):
    sightings, scans = 0, 0
    jobs = [["run", os.path.join(hirdir, "sum_loop.hir"), "3000"], ["run", os.path.join(hirdir, "calls.hir"), "2"],
            ["dump", os.path.join(hirdir, "guards.hir")], ["run", os.path.join(hirdir, "fcalls.hir")]]
    for r in range(rounds):
        job = jobs[r % len(jobs)]
        p = subprocess.Popen([tool] + job, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        mp = "/proc/%d/maps" % p.pid
        while p.poll() is None:
            try:
                with open(mp) as f:
                    for line in f:
                        perm = line.split()[1] if len(line.split()) > 1 else ""
                        if "w" in perm and "x" in perm:
                            sightings += 1
                            check(False, "W+X mapping in hyperion-jit %s: %s" % (job[0], line.strip()))
                scans += 1
            except (FileNotFoundError, ProcessLookupError, PermissionError):
                break
        p.wait()
    return scans, sightings


def main():
    argv = sys.argv[1:]
    emu = []
    if argv and argv[0] == "--emu":
        emu = shlex.split(argv[1])
        argv = argv[2:]
    tool, hirdir = argv[0], argv[1]
    soak = os.environ.get("HY_SOAK", "0") not in ("", "0")
    slow = bool(emu)
    seed = int(os.environ.get("JQ_SEED", "20240601"))
    rng = random.Random(seed)
    hirs = sorted(os.path.join(hirdir, f) for f in os.listdir(hirdir) if f.endswith(".hir"))
    keep = os.environ.get("JQ_KEEP")
    tmp = keep or tempfile.mkdtemp(prefix="jitqa_cli_")
    os.makedirs(tmp, exist_ok=True)
    t0 = time.time()
    n_hir = 2000 if soak else (15 if slow else 30)
    n_ver = 4000 if soak else (40 if slow else 100)
    bad_command_lines(emu, tool, hirdir, tmp)
    regressions(emu, tool, hirdir, tmp)
    s1 = fuzz_hir(emu, tool, hirs, n_hir, tmp, rng)
    s2 = fuzz_verify(emu, tool, hirs, n_ver, tmp, rng)
    msg = "jitqa_cli: %d .hir mutants (eval ok %d, dump ok %d, native runs %d); %d verify inputs " \
          "(accepted %d, independently disassembled %d, rejected %d)" % (
              n_hir, s1["eval_ok"], s1["dump_ok"], s1["run"], n_ver, s2["accepted"], s2["xchecked"], s2["rejected"])
    print(msg)
    if not emu and os.path.exists("/proc/self/maps"):
        scans, sightings = wx_outside(tool, hirdir, 40 if soak else 8)
        print("jitqa_cli: W^X from outside: %d scans of running hyperion-jit processes, %d W+X sightings"
              % (scans, sightings))
    print("jitqa_cli: %.1f s, seed %d, inputs kept in %s" % (time.time() - t0, seed, tmp))
    if FAIL:
        print("jitqa_cli: %d failure(s)" % len(FAIL))
        return 1
    if not keep:
        shutil.rmtree(tmp, ignore_errors=True)
    print("jitqa_cli: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
