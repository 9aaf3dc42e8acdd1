#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The TLS session cache: runs of the tool resume the sessions of the runs
before them (10 uploads, 2 full handshakes: one per host), the cache file is
private, and a cache that is not private is ignored. Counted by the
emulator's own handshake counters (GET /admin/tls)."""
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


if __name__ == "__main__":
    clitest.main()
