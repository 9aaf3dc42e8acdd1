#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""upload and download: round trips, the --json shape, standard input,
--no-wait, links; downloads that never damage an existing file (temporary
file + rename), FILE_ID downloads checked against size and SHA-256, -o -,
names from the server; and uploads interrupted by SIGINT or a failure that
resume with --resume at the first unconfirmed part."""
import hashlib
import os
import signal
import subprocess
import time

import clitest
from clitest import CliTest, admin, clear_faults, fault, run, set_config


def listing(d):
    return sorted(os.listdir(d))


class Upload(CliTest):
    def test_round_trip_file_and_stdin(self):
        data = os.urandom(150000)
        src = clitest.write_file(self.path("capture.jpg"), data)
        up = self.ok("--json", "upload", src, "--client-key", "cli/capture-1", "--public").json()
        self.assertEqual(set(up), {"file", "share", "url"})
        f = up["file"]
        self.assertEqual((f["scan_status"], f["size"], f["mime"], f["name"]),
                         ("clean", len(data), "image/jpeg", "capture.jpg"))
        self.assertEqual(f["sha256"], hashlib.sha256(data).hexdigest())
        self.assertTrue(up["url"].startswith("https://"))
        self.assertEqual(up["share"]["url"], up["url"])
        self.assertIsNone(up["share"]["expires_at"])
        back = self.path("back.jpg")
        self.ok("download", up["url"], "-o", back)
        with open(back, "rb") as fh:
            self.assertEqual(fh.read(), data)
        # The expiring link is at the same key.
        r = run("--json", "upload", "-", "--name", "piped.bin", "--expires", "3", "--view",
                input=b"piped bytes", binary=True)
        self.assertEqual(r.code, 0, r)
        import json
        piped = json.loads(r.out)
        self.assertEqual(piped["file"]["size"], 11)
        self.assertTrue(piped["url"])
        self.assertEqual(piped["share"]["permission"], "view")
        self.assertTrue(piped["share"]["expires_at"])
        resolved = self.ok("--json", "files", "resolve", "cli/capture-1").json()
        self.assertEqual(resolved["id"], f["id"])

    def test_no_wait_and_human_output(self):
        set_config(scan_delay_ms=60000)
        try:
            src = clitest.write_file(self.path("n.txt"), b"no wait")
            up = self.ok("--json", "upload", src, "--no-wait").json()
            self.assertEqual(up["file"]["scan_status"], "pending")
            self.assertIsNone(up["url"])
        finally:
            set_config(scan_delay_ms=200)
        self.fails(2, "upload", src, "--no-wait", "--public")
        self.fails(2, "upload", src, "--public", "--expires", "3")
        self.fails(2, "upload", src, "--view")
        out = self.ok("upload", src, "--public").out
        self.assertRegex(out, r"(?m)^size\s+7 B$")
        self.assertRegex(out, r"(?m)^link\s+https://")
        self.assertRegex(self.ok("upload", src, "--bytes").out, r"(?m)^size\s+7$")


class Download(CliTest):
    def setUp(self):
        super().setUp()
        self.data = os.urandom(300000)
        src = clitest.write_file(self.path("orig.bin"), self.data)
        self.up = self.ok("--json", "upload", src, "--public").json()

    def test_failed_download_keeps_the_old_file(self):
        keep = clitest.write_file(self.path("keep.txt"), b"precious\n")
        before = listing(self.tmp)
        raw = os.environ["FC_EMU_RAW"]
        r = self.fails(5, "download", raw + "/s/NOPE", "-o", keep)
        self.assertIn("404", r.err)
        with open(keep, "rb") as f:
            self.assertEqual(f.read(), b"precious\n")
        self.assertEqual(listing(self.tmp), before)  # no temporary file left
        # Cut mid-body, again and again: every resume fails too.
        fault("raw", "close_after_response_bytes", bytes=20000, count=50)
        self.fails(9, "download", self.up["url"], "-o", keep)
        with open(keep, "rb") as f:
            self.assertEqual(f.read(), b"precious\n")
        self.assertEqual(listing(self.tmp), before)
        clear_faults()
        # And a good one replaces it, keeping its mode.
        os.chmod(keep, 0o640)
        self.ok("download", self.up["url"], "-o", keep)
        with open(keep, "rb") as f:
            self.assertEqual(f.read(), self.data)
        self.assertEqual(os.stat(keep).st_mode & 0o777, 0o640)
        self.assertEqual(listing(self.tmp), before)

    def test_resumed_after_a_cut(self):
        fault("raw", "close_after_response_bytes", bytes=100000, count=1)
        out = self.path("cut.bin")
        self.ok("download", self.up["url"], "-o", out)
        with open(out, "rb") as f:
            self.assertEqual(f.read(), self.data)

    def test_by_file_id(self):
        fid = self.up["file"]["id"]
        r = self.ok("--json", "download", fid, "-o", self.path("by-id.bin")).json()
        self.assertEqual(r["bytes"], len(self.data))
        self.assertEqual(r["file_id"], fid)
        self.assertTrue(r["sha256_verified"])
        with open(self.path("by-id.bin"), "rb") as f:
            self.assertEqual(f.read(), self.data)
        self.fails(5, "download", "00000000-0000-4000-8000-000000000000", "-o", self.path("x"))
        self.assertNotIn("x", listing(self.tmp))

    def test_stdout_and_names(self):
        r = run("download", self.up["url"], "-o", "-", binary=True)
        self.assertEqual(r.code, 0, r)
        self.assertEqual(r.out, self.data)
        self.fails(2, "--json", "download", self.up["url"], "-o", "-")
        # Without -o: the file's name (FILE_ID); never over an existing file.
        d = os.path.join(self.tmp, "named")
        os.mkdir(d)
        self.ok("download", self.up["file"]["id"], cwd=d)
        self.assertEqual(listing(d), ["orig.bin"])
        r = self.fails(1, "download", self.up["file"]["id"], cwd=d)
        self.assertIn("exists already", r.err)
        self.assertEqual(listing(d), ["orig.bin"])  # no temporary file left

    def test_name_from_the_answer_or_the_url(self):
        # A link: the name in its Content-Disposition (filename*=UTF-8''...,
        # percent-decoded), as curl -OJ takes it; the token is not a name.
        name = "caf\u00e9 photo.jpg"
        src = clitest.write_file(self.path("local.jpg"), b"photo bytes")
        up = self.ok("--json", "upload", src, "--name", name, "--public").json()
        d = os.path.join(self.tmp, "links")
        os.mkdir(d)
        r = self.ok("-v", "download", up["url"], cwd=d)
        self.assertIn("Content-Disposition", r.err)
        self.assertEqual(listing(d), [name])
        with open(os.path.join(d, name), "rb") as f:
            self.assertEqual(f.read(), b"photo bytes")
        # Known only from the answer, and still never over an existing file:
        # the old one stays as it was, and no temporary file is left.
        clitest.write_file(os.path.join(d, name), b"mine")
        r = self.fails(1, "download", up["url"], cwd=d)
        self.assertIn(f"{name} exists already", r.err)
        self.assertEqual(listing(d), [name])
        with open(os.path.join(d, name), "rb") as f:
            self.assertEqual(f.read(), b"mine")
        # A name that tries to leave the directory or hide lands as a plain
        # name inside it.
        up = self.ok("--json", "upload", src, "--name", "..\\.hidden", "--public").json()
        r = self.ok("download", up["url"], cwd=d)
        self.assertEqual(listing(d), sorted([name, "hidden"]), r)
        # A presigned URL has no Content-Disposition: its last path segment.
        url = self.ok("--json", "files", "download-url", self.up["file"]["id"],
                      "--reveal").json()["url"]
        clitest.OUTPUTS.pop()  # the capability was asked for
        segment = url.split("?", 1)[0].rsplit("/", 1)[1]
        e = os.path.join(self.tmp, "presigned")
        os.mkdir(e)
        self.ok("download", url, cwd=e)  # its output must not show the query
        self.assertEqual(listing(e), [segment])
        with open(os.path.join(e, segment), "rb") as f:
            self.assertEqual(f.read(), self.data)


class Resume(CliTest):
    PART = 131072

    def setUp(self):
        super().setUp()
        set_config(multipart_threshold=200000, part_size=self.PART)
        self.data = os.urandom(8 * self.PART)
        self.src = clitest.write_file(self.path("big.bin"), self.data)

    def tearDown(self):
        super().tearDown()
        set_config(multipart_threshold=100000000, part_size=16777216)

    def etags(self):
        """ETags storage holds for the upload this test started."""
        ups = [u for u in admin("GET", "/admin/state")["uploads"]
               if u["upload_id"] not in self.old_uploads]
        return len(ups[-1]["etags"]) if ups else 0

    def start_slow_upload(self):
        self.old_uploads = {u["upload_id"] for u in admin("GET", "/admin/state")["uploads"]}
        fault("storage", "delay", method="PUT", delay_ms=300, count=100)
        p = subprocess.Popen([clitest.CLI, "upload", self.src], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=clitest.ENV)
        deadline = time.monotonic() + 60
        while self.etags() < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertGreaterEqual(self.etags(), 3)
        return p

    def resume_and_check(self, first_part_expected):
        clear_faults()
        admin("DELETE", "/admin/requests")
        up = self.ok("--json", "upload", self.src, "--resume").json()
        f = up["file"]
        self.assertEqual((f["size"], f["scan_status"]), (len(self.data), "clean"))
        self.assertEqual(f["sha256"], hashlib.sha256(self.data).hexdigest())
        puts = [q["path"] + "?" + (q.get("query") or "")
                for q in admin("GET", "/admin/requests?listener=storage")["requests"]
                if q["method"] == "PUT"]
        parts = sorted(int(p.split("partNumber=")[1].split("&")[0]) for p in puts)
        # Only what storage had not confirmed was sent again.
        self.assertGreaterEqual(parts[0], first_part_expected)
        self.assertEqual(parts[-1], 8)
        self.assertEqual(admin("GET", f"/admin/objects/{f['id']}")["sha256"],
                         hashlib.sha256(self.data).hexdigest())
        return up

    def test_sigint_then_resume(self):
        p = self.start_slow_upload()
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=60)
        err = err.decode()
        clitest.OUTPUTS.append((["upload"], out.decode(), err))
        self.assertEqual(p.returncode, 130, err)
        self.assertIn("interrupted", err)
        self.assertIn(f"fluidcloud upload {self.src} --resume", err)
        confirmed = self.etags()
        self.resume_and_check(first_part_expected=confirmed)
        # Done: nothing left to resume.
        r = self.ok("upload", self.src, "--resume")
        self.assertIn("no interrupted upload", r.err)

    def test_failure_then_resume(self):
        p = self.start_slow_upload()
        clear_faults()
        fault("storage", "status", status=403, method="PUT", count=1)
        out, err = p.communicate(timeout=60)
        err = err.decode()
        clitest.OUTPUTS.append((["upload"], out.decode(), err))
        self.assertEqual(p.returncode, 4, err)
        self.assertIn("--resume", err)
        self.resume_and_check(first_part_expected=3)

    def test_changed_file_starts_over(self):
        p = self.start_slow_upload()
        p.send_signal(signal.SIGTERM)
        _, err = p.communicate(timeout=60)
        self.assertEqual(p.returncode, 130, err)
        clear_faults()
        self.data = os.urandom(len(self.data))
        clitest.write_file(self.src, self.data)
        r = self.ok("--json", "upload", self.src, "--resume")
        self.assertIn("changed since", r.err)
        self.assertEqual(r.json()["file"]["sha256"], hashlib.sha256(self.data).hexdigest())


if __name__ == "__main__":
    clitest.main()
