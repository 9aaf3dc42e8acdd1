#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run one Frama-C EVA proof harness and judge its alarms.

    run_eva.py ROOT HARNESS.c SOURCE.c... [-- EXTRA FRAMA-C OPTIONS]

SOURCE names are file names found anywhere under ROOT/core (so the proofs
survive moves inside core/src); every directory under core/src and
core/include is on the include path. A harness names the EVA options it
needs (state splitting that keeps the analysis precise enough) in a
comment line `eva-options: ...`. Passes when EVA reports no alarm
other than those listed for this harness in open_alarms.txt (real
findings reported to their owner, not fixed yet, or precision losses
argued in README.md) and analyses the whole
harness (no degeneration, no missing function). The harness's own ACSL
assertions (`/*@ assert name: ...; */`, what a proof states beyond the
absence of runtime errors) must each be reached and proven valid: EVA
prints an unproven one as a warning, not as an alarm, and leaves an
unreached one out of its count, so both are checked here. Prints the
alarms and the time it took.
"""
import os
import re
import subprocess
import sys
import time


def find(root, name):
    for d, _, files in os.walk(os.path.join(root, "core")):
        if name in files:
            return os.path.join(d, name)
    sys.exit("run_eva: %s not found under %s/core" % (name, root))


def assertion_problems(out, harness_text):
    """Why the harness's assertions are not all proven, as a list."""
    problems = ["assertion %s (line %s) got status %s" % (n, line, st) for line, n, st in
                re.findall(r":(\d+): Warning: assertion '([^']*)' got (?:final )?status (\w+)", out)]
    wanted = len(re.findall(r"/\*@\s*assert\b", harness_text))
    m = re.search(r"Assertions\s+(\d+) valid\s+(\d+) unknown\s+(\d+) invalid\s+(\d+) total", out)
    valid = int(m.group(1)) if m else 0
    if valid != wanted:
        problems.append("%d of the harness's %d assertions reached and proven valid" % (valid, wanted))
    return problems


def main(argv):
    extra = []
    if "--" in argv:
        extra = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    root, harness, sources = argv[1], argv[2], argv[3:]
    name = os.path.splitext(os.path.basename(harness))[0]
    incs = ["-I" + d for base in ("core/src", "core/include")
            for d, _, _ in os.walk(os.path.join(root, base))]
    incs += ["-I/usr/share/include/llhttp", "-I/usr/include"]
    with open(harness) as f:
        harness_text = f.read()
    own = re.findall(r"eva-options:(.*)", harness_text)
    opts = [o for line in own for o in line.replace("*/", "").split()]
    cmd = (["frama-c", "-cpp-extra-args=" + " ".join(incs), harness] +
           [find(root, s) for s in sources] +
           ["-eva", "-eva-precision", "3", "-eva-no-show-progress"] + opts + extra)
    t0 = time.time()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    dt = time.time() - t0
    out = p.stdout
    alarms = re.findall(r"\[eva:alarm\] (\S+?):(\d+): Warning: \n\s+(.*?)\n", out)
    allowed = []
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "open_alarms.txt")) as f:
        for line in f:
            parts = line.split()
            if parts and not line.startswith("#") and parts[0] == name:
                allowed.append((parts[1], parts[2]))
    bad = []  # the reasons to fail: new alarms first
    for path, line, what in alarms:
        ok = any(os.path.basename(path) == a_file and a_kind in what for a_file, a_kind in allowed)
        print("%s alarm %s:%s %s" % ("open" if ok else "NEW", os.path.basename(path), line, what))
        if not ok:
            bad.append(what)
    if p.returncode != 0 or "eva:summary" not in out:
        print(out[-3000:])
        print("%s: FAILED (frama-c exit %d) in %.0f s" % (name, p.returncode, dt))
        return 1
    if re.search(r"degenerat|non-terminating|missing specification|NON TERMINATING", out):
        print(out[-3000:])
        print("%s: FAILED: the analysis did not cover the harness" % name)
        return 1
    new_alarms = len(bad)
    summary = re.search(r"(\d+) alarms? generated", out)
    problems = assertion_problems(out, harness_text)
    if summary and int(summary.group(1)) > len(alarms):
        problems.append("%s, %d of them read" % (summary.group(0), len(alarms)))
    for problem in problems:
        print("NEW %s" % problem)
    bad += problems
    print("%s: %s, %d open (open_alarms.txt), %d new, %.0f s" % (
        name, summary.group(0) if summary else "0 alarms generated",
        len(alarms) - new_alarms, len(bad), dt))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
