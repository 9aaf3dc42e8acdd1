#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Issue 12, done-when: `fluidcloud upload` of a 300 MiB file against the
emulator's defaults (multipart above 100,000,000 bytes, 16 MiB parts: 19
parts, more than the 8 the old client could hold) completes, and the file
downloads back identical. Written by the transfer helper; it only drives the
CLI (the tool is the cli helper's)."""
import hashlib
import os
import shutil
import time

import clitest
from clitest import CliTest, admin

SIZE = 300 * 1024 * 1024


def write_pattern(path, size):
    """size bytes that differ in every 1 MiB block; returns their SHA-256."""
    sha = hashlib.sha256()
    block = os.urandom(1 << 20)
    with open(path, "wb") as f:
        left, n = size, 0
        while left > 0:
            piece = (n.to_bytes(8, "big") + block[8:])[:min(left, len(block))]
            f.write(piece)
            sha.update(piece)
            left -= len(piece)
            n += 1
    return sha.hexdigest()


def sha256_of(path):
    sha = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            sha.update(chunk)
    return sha.hexdigest()


class LargeUpload(CliTest):
    def tearDown(self):
        super().tearDown()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_300_mib_with_the_emulators_defaults(self):
        config = admin("GET", "/admin/config")
        self.assertEqual((config["multipart_threshold"], config["part_size"]),
                         (100000000, 16 * 1024 * 1024))
        src = self.path("big300.bin")
        digest = write_pattern(src, SIZE)
        started = time.monotonic()
        up = self.ok("--json", "upload", src, "--public", timeout=900).json()
        took = time.monotonic() - started
        self.assertEqual((up["file"]["size"], up["file"]["sha256"], up["file"]["scan_status"]),
                         (SIZE, digest, "clean"))
        back = self.path("back.bin")
        self.ok("download", up["url"], "-o", back, timeout=900)
        self.assertEqual(os.path.getsize(back), SIZE)
        self.assertEqual(sha256_of(back), digest)
        print("300 MiB: upload %.1f s (19 parts of 16 MiB), downloaded back identical" % took)


if __name__ == "__main__":
    clitest.main()
