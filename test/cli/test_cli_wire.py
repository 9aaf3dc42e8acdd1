#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""What the tool costs on the wire. The TLS session cache: runs of the tool
resume the sessions of the runs before them (10 uploads, 2 full handshakes:
one per host), the cache file is private, kept per CA file, and ignored when
others can read it; counted by the emulator's own handshake counters (GET
/admin/tls). And --stats: the wire statistics the tool reports equal what the
emulator's request log saw (GET /admin/requests/summary)."""
import os
import stat

import clitest
from clitest import CliTest, admin


def cache_file():
    return os.path.join(clitest.ENV["XDG_CACHE_HOME"], "fluidcloud", "tls-sessions")


def handshakes():
    h = admin("GET", "/admin/tls")["handshakes"]
    return (h["api"]["full"] + h["storage"]["full"],
            h["api"]["resumed"] + h["storage"]["resumed"])


class SessionCache(CliTest):
    def setUp(self):
        super().setUp()
        if os.path.exists(cache_file()):
            os.unlink(cache_file())
        admin("DELETE", "/admin/tls")
        self.src = clitest.write_file(self.path("s.bin"), b"s" * 2000)

    def test_ten_uploads_two_full_handshakes(self):
        for _ in range(10):
            self.ok("upload", self.src)
        full, resumed = handshakes()
        self.assertEqual(full, 2)          # API host and storage host, once each
        self.assertGreaterEqual(resumed, 18)
        self.assertEqual(stat.S_IMODE(os.stat(cache_file()).st_mode), 0o600)
        self.assertEqual(stat.S_IMODE(os.stat(os.path.dirname(cache_file())).st_mode), 0o700)
        with open(cache_file(), "rb") as f:
            self.assertNotIn(clitest.KEY.encode(), f.read())

    def test_a_cache_others_can_read_is_ignored(self):
        self.ok("me")
        self.assertEqual(handshakes(), (1, 0))
        os.chmod(cache_file(), 0o644)
        self.ok("me")
        self.assertEqual(handshakes(), (2, 0))
        self.ok("me")  # the second run wrote a private cache again
        self.assertEqual(handshakes(), (2, 1))

    def test_sessions_are_kept_per_trust(self):
        # A resumed session skips the certificate check, so a session made
        # under one CA file is never offered under another.
        self.ok("me")
        self.assertEqual(handshakes(), (1, 0))
        r = self.fails(9, "me", "--ca-file", os.environ["FC_EMU_WRONG_CA_FILE"])
        self.assertIn("not trusted", r.err)
        self.assertEqual(handshakes(), (1, 0))  # not resumed: refused at the certificate
        # The cache made under the right CA is still there for it.
        self.ok("me")
        self.assertEqual(handshakes(), (1, 1))

    def test_garbage_cache_means_full_handshakes(self):
        os.makedirs(os.path.dirname(cache_file()), mode=0o700, exist_ok=True)
        fd = os.open(cache_file(), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.write(fd, b"FCTLSC02" + os.urandom(500))
        os.close(fd)
        self.ok("me")
        self.assertEqual(handshakes(), (1, 0))


class Stats(CliTest):
    def summary(self, since):
        return admin("GET", f"/admin/requests/summary?since={since}")

    def check_against_log(self, stats, since):
        log = self.summary(since)
        self.assertEqual(stats["requests"], log["requests"])
        self.assertEqual(stats["bytes_sent"], log["request_bytes"])
        self.assertEqual(stats["bytes_received"], log["response_bytes"])
        self.assertEqual(stats["connects"], log["new_connections"])
        self.assertEqual(stats["tls_full"] + stats["tls_resumed"],
                         log["tls_full"] + log["tls_resumed"])

    def test_upload_download_list_error(self):
        src = clitest.write_file(self.path("w.bin"), os.urandom(200000))
        mark = self.summary(0)["last_seq"]
        up = self.ok("--json", "--stats", "upload", src, "--public").json()
        st = up["stats"]
        self.assertGreaterEqual(st["bytes_sent"], 200000)
        self.assertGreaterEqual(st["requests"], 4)  # initiate, put, complete, scan, share
        self.check_against_log(st, mark)
        mark = self.summary(0)["last_seq"]
        dl = self.ok("--json", "--stats", "download", up["file"]["id"], "-o",
                     self.path("back.bin")).json()
        self.assertGreaterEqual(dl["stats"]["bytes_received"], 200000)
        self.check_against_log(dl["stats"], mark)
        mark = self.summary(0)["last_seq"]
        lst = self.ok("--json", "--stats", "files", "list", "--all").json()
        self.check_against_log(lst["stats"], mark)
        mark = self.summary(0)["last_seq"]
        err = self.fails(5, "--json", "--stats", "files", "get",
                         "00000000-0000-4000-8000-000000000000").json()
        self.assertEqual(err["stats"]["requests"], 1)
        self.check_against_log(err["stats"], mark)
        # Without --json: two lines on stderr, none on stdout.
        r = self.ok("--stats", "me")
        self.assertRegex(r.err, r"(?m)^wire: [\d.]+ (B|KiB) sent, [\d.]+ (B|KiB) received; "
                                r"1 requests \(0 retries\), 1 connections")
        self.assertRegex(r.err, r"(?m)^time: connect \d+ ms, TLS \d+ ms")
        self.assertNotIn("wire:", r.out)
        self.assertNotIn("stats", self.ok("--json", "me").json())


if __name__ == "__main__":
    clitest.main()
