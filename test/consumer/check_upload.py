#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs an upload_file consumer against the emulator and checks its link.

    with_emulator.py -- check_upload.py PROGRAM

Writes a file of random bytes (a size that is not a round number), runs
PROGRAM FILE, and requires: exit status 0, one line on stdout that is a
public link of the emulator's raw host (FC_EMU_RAW + /s/<token>), and that
link serving exactly the file's bytes (TLS verified with
FLUIDCLOUD_CA_FILE). Exit 0 when all hold.
"""
import os
import ssl
import subprocess
import sys
import tempfile
import urllib.request


def fail(why):
    print("FAIL: " + why)
    sys.exit(1)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    raw = os.environ.get("FC_EMU_RAW")
    ca = os.environ.get("FLUIDCLOUD_CA_FILE")
    if not raw or not ca:
        fail("FC_EMU_RAW / FLUIDCLOUD_CA_FILE not set: run under with_emulator.py")
    data = os.urandom(100_003)
    with tempfile.TemporaryDirectory(prefix="fc-consumer-") as d:
        path = os.path.join(d, "consumer.bin")
        with open(path, "wb") as f:
            f.write(data)
        r = subprocess.run([sys.argv[1], path], capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        fail("exit %d, stderr: %s" % (r.returncode, r.stderr.strip()))
    lines = r.stdout.splitlines()
    if len(lines) != 1 or not lines[0].startswith(raw.rstrip("/") + "/s/"):
        fail("stdout is not one public link of %s: %r" % (raw, r.stdout))
    ctx = ssl.create_default_context(cafile=ca)
    with urllib.request.urlopen(lines[0], context=ctx, timeout=30) as resp:
        got = resp.read()
    if got != data:
        fail("the link serves %d bytes, not the %d uploaded" % (len(got), len(data)))
    print("ok: %s serves the %d bytes uploaded" % (lines[0], len(data)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
