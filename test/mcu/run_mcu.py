#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The core on a Cortex-M in QEMU (issue 13.4).

    run_mcu.py --recorder MCU_RECORD --out DIR \\
               --firmware mps2-an386=M4_FIRMWARE.elf --firmware mps2-an385=M3_FIRMWARE.elf

1. Starts the emulator (plain HTTP, loopback, 300 ms scan delay) and runs
   the host recorder against it: DIR/script.txt is the conversation of one
   upload flow (test/mcu/mcu_script.h).
2. Runs every firmware on its QEMU machine twice - "straight" and
   "wouldblock" (FC_AGAIN before every connect poll, send and recv) - with
   -icount shift=0, so the virtual clock counts instructions, and semihosting
   to read the script and print the results.
3. Fails unless every run prints PASS and exits 0 (the firmware checks the
   requests, the link and its 1 KiB stack budget itself), then prints the
   per-phase table of each run.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
WITH_EMULATOR = os.path.join(HERE, "..", "emulator", "with_emulator.py")
RUN_TIMEOUT_S = 120


def record(recorder, script):
    cmd = [sys.executable, WITH_EMULATOR, "--plain", "--scan-delay-ms", "300", "--",
           recorder, script]
    r = subprocess.run(cmd, timeout=RUN_TIMEOUT_S, capture_output=True, text=True)
    sys.stdout.write(r.stdout)
    sys.stderr.write(r.stderr)
    if r.returncode != 0:
        sys.exit("FAIL: recording the flow against the emulator (exit %d)" % r.returncode)


def run_firmware(machine, elf, script, mode):
    cmd = ["qemu-system-arm", "-M", machine, "-nographic", "-monitor", "none",
           "-icount", "shift=0",
           "-semihosting-config", "enable=on,target=native,arg=fw,arg=%s,arg=%s" % (script, mode),
           "-kernel", elf]
    print("$ " + " ".join(cmd), flush=True)
    try:
        # QEMU writes the semihosting console to stderr.
        r = subprocess.run(cmd, timeout=RUN_TIMEOUT_S, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
    except subprocess.TimeoutExpired:
        print("FAIL: %s (%s) did not finish in %d s" % (machine, mode, RUN_TIMEOUT_S))
        return False
    sys.stdout.write(r.stdout)
    ok = r.returncode == 0 and re.search(r"^PASS\s*$", r.stdout, re.M) is not None
    if not ok:
        print("FAIL: %s %s (%s): exit %d" % (machine, os.path.basename(elf), mode, r.returncode))
    return ok


def corrupted(script, out, old, new):
    """A copy of script with the first `old` replaced by `new` (same length)."""
    with open(script, "rb") as f:
        data = f.read()
    assert len(old) == len(new) and old in data, (old, new)
    with open(out, "wb") as f:
        f.write(data.replace(old, new, 1))
    return out


def must_fail(machine, elf, script, why):
    """The firmware's checks must catch a recording that does not match."""
    cmd = ["qemu-system-arm", "-M", machine, "-nographic", "-monitor", "none", "-icount", "shift=0",
           "-semihosting-config", "enable=on,target=native,arg=fw,arg=%s,arg=straight" % script,
           "-kernel", elf]
    r = subprocess.run(cmd, timeout=RUN_TIMEOUT_S, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    caught = r.returncode != 0 and why in r.stdout
    print("%s: %s" % ("caught" if caught else "FAIL: not caught", why))
    if not caught:
        sys.stdout.write(r.stdout)
    return caught


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--recorder", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--firmware", action="append", required=True, metavar="MACHINE=ELF")
    args = ap.parse_args()
    if shutil.which("qemu-system-arm") is None:
        sys.exit("FAIL: qemu-system-arm is missing (Debian package qemu-system-arm)")
    os.makedirs(args.out, exist_ok=True)
    script = os.path.join(os.path.abspath(args.out), "script.txt")
    record(args.recorder, script)
    failed = 0
    for item in args.firmware:
        machine, elf = item.split("=", 1)
        for mode in ("straight", "wouldblock"):
            if not run_firmware(machine, os.path.abspath(elf), script, mode):
                failed += 1
    # The checks can fail: a request the client would not send, and a link
    # that is not the one the flow gets.
    machine, elf = args.firmware[-1].split("=", 1)
    bad_request = corrupted(script, script + ".bad-request", b"Accept: application/json",
                            b"Accept: application/jsoN")
    with open(script, "rb") as f:
        link = f.read().split(b"\nlink ", 1)[1].split(b"\n", 1)[0]
    bad_link = corrupted(script, script + ".bad-link", b"link " + link,
                         b"link " + link[:-1] + (b"A" if link[-1:] != b"A" else b"B"))
    for path, why in ((bad_request, "request differs from the recording"),
                      (bad_link, "is not the recorded link")):
        if not must_fail(machine, os.path.abspath(elf), path, why):
            failed += 1
    print("MCU test: %s" % ("FAILED (%d runs)" % failed if failed else "all runs passed"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
