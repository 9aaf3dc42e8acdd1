#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""What a terminal shows: the progress line on stderr whenever stderr is a
terminal (under a pseudo-terminal here) and never otherwise; its phases, human
sizes, rate and time left, for uploads and downloads; --quiet; and the
confirmation asked before what cannot be undone (spaces delete, purge, purge
--trash), refused without a terminal unless --yes."""
import os
import re
import signal

import clitest
from clitest import CliTest, fault, run, run_pty, set_config

PART = 524288


class Progress(CliTest):
    def setUp(self):
        super().setUp()
        # Slow parts and a scan that takes a while, so every phase is seen.
        set_config(multipart_threshold=PART, part_size=PART, scan_delay_ms=1500)
        fault("storage", "delay", method="PUT", delay_ms=400, count=100)
        self.data = os.urandom(8 * PART)
        self.src = clitest.write_file(self.path("slow.bin"), self.data)

    def tearDown(self):
        super().tearDown()
        set_config(multipart_threshold=100000000, part_size=16777216, scan_delay_ms=200)

    def test_upload_progress_under_a_terminal(self):
        # stdout is a pipe, as in `upload x > out.json`: the line still shows.
        r, term = run_pty("--json", "upload", self.src, "--public")
        self.assertEqual(r.code, 0, r)
        self.assertTrue(r.json()["url"])
        text = term.decode("utf-8", "replace")
        self.assertIn("\r", text)
        for phase in ("connecting", "uploading", "completing", "waiting for the virus scan",
                      "making the link"):
            self.assertIn(phase, text)
        self.assertRegex(text, r"uploading +\d+%  [\d.]+ (KiB|MiB) of 4\.0 MiB")
        self.assertRegex(text, r"[\d.]+ (B|KiB|MiB)/s  \d+:\d\d left")
        self.assertRegex(text, r"uploading 100%")
        # The last line ends before the shell prompt comes back.
        self.assertTrue(text.endswith("\n"), repr(text[-80:]))

    def test_no_progress_without_a_terminal(self):
        r = run("upload", self.src)
        self.assertEqual(r.code, 0, r)
        self.assertNotIn("\r", r.err)
        self.assertNotIn("uploading", r.err)
        self.assertNotIn("\033[", r.err)

    def test_quiet(self):
        r, term = run_pty("--quiet", "upload", self.src)
        self.assertEqual(r.code, 0, r)
        self.assertNotIn(b"uploading", term)
        self.assertNotIn(b"\r", term)

    def test_download_progress(self):
        up = self.ok("--json", "upload", self.src, "--public").json()
        r, term = run_pty("download", up["file"]["id"], "-o", self.path("d.bin"))
        self.assertEqual(r.code, 0, r)
        text = term.decode("utf-8", "replace")
        self.assertRegex(text, r"downloading +\d+%")
        self.assertIn("downloading 100%  4.0 MiB of 4.0 MiB", text)
        self.assertIn("SHA-256 verified", text)
        # A link: the size comes from the answer's head, so the line has a
        # percentage and a total too.
        r, term = run_pty("download", up["url"], "-o", self.path("l.bin"))
        self.assertEqual(r.code, 0, r)
        self.assertIn("downloading 100%  4.0 MiB of 4.0 MiB", term.decode("utf-8", "replace"))


class Confirm(CliTest):
    def space(self, name):
        return self.ok("--json", "spaces", "create", name).json()["id"]

    def test_spaces_delete_asks(self):
        sid = self.space("asked")
        r = self.fails(2, "spaces", "delete", sid)  # stdin is no terminal
        self.assertIn("--yes", r.err)
        self.ok("spaces", "get", sid)
        r, term = run_pty("spaces", "delete", sid, answer="n", stdin_tty=True)
        self.assertEqual(r.code, 1, r)
        self.assertIn("Delete space 'asked'", r.err)
        self.assertIn("nothing was changed", r.err)
        self.ok("spaces", "get", sid)
        r, term = run_pty("spaces", "delete", sid, answer="y", stdin_tty=True)
        self.assertEqual(r.code, 0, r)
        self.fails(5, "spaces", "get", sid)
        sid = self.space("yes")
        self.ok("spaces", "delete", sid, "--yes")
        self.fails(5, "spaces", "get", sid)

    def test_ctrl_c_at_the_prompt(self):
        sid = self.space("interrupted")
        sent = []

        def interrupt(text, proc):
            if "[y/N]" in text and not sent:
                proc.send_signal(signal.SIGINT)
                sent.append(1)
        r, _ = run_pty("spaces", "delete", sid, stdin_tty=True, on_output=interrupt)
        self.assertEqual(r.code, 130, r)
        self.assertIn("nothing was changed", r.err)
        self.ok("spaces", "delete", sid, "--yes")

    def test_purge_file_and_trash_ask(self):
        src = clitest.write_file(self.path("gone.txt"), b"gone")
        fid = self.ok("--json", "upload", src).json()["file"]["id"]
        self.fails(2, "purge", fid)
        r, _ = run_pty("purge", fid, answer="n", stdin_tty=True)
        self.assertEqual(r.code, 1, r)
        self.assertIn("gone.txt", r.err)
        self.ok("files", "get", fid)
        self.ok("purge", fid, "-y")
        self.fails(5, "files", "get", fid)
        # The trash of every space, when no --space is given.
        sid = self.space("trash2")
        a = self.ok("--json", "upload", src, "--space", sid).json()["file"]["id"]
        b = self.ok("--json", "upload", src).json()["file"]["id"]
        self.ok("files", "delete", a)
        self.ok("files", "delete", b)
        self.fails(2, "purge", "--trash")
        r, _ = run_pty("purge", "--trash", answer="y", stdin_tty=True)
        self.assertEqual(r.code, 0, r)
        self.assertRegex(r.err, r"whole trash \(of all \d+ spaces\)")
        self.fails(5, "files", "get", a)
        self.fails(5, "files", "get", b)
        self.ok("spaces", "delete", sid, "--yes")


if __name__ == "__main__":
    clitest.main()
