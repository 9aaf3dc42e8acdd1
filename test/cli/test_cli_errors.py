#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Failures: each exit code of the table, each produced for real against the
emulator; messages that name the step, host and port, errno, TLS reason, CA
file, scan value, file id and the server's detail; --json errors with stable
keys and codes; retry notices; and secrets (the API key, presigned query
strings) absent from every output of every run of every suite module."""
import os
import re

import clitest
from clitest import CliTest, fault, new_key, run, set_config

EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
NO_SUCH = "00000000-0000-4000-8000-000000000000"
ERROR_KEYS = {"code", "exit_code", "message", "step", "http_status", "api_error", "detail",
              "missing_scopes", "required_scopes", "retry_after", "host", "errno", "file_id",
              "scan_status"}


def api_port():
    return re.search(r":(\d+)/", os.environ["FLUIDCLOUD_BASE_URL"]).group(1)


class ExitCodes(CliTest):
    def json_error(self, code, *args, **kw):
        r = self.fails(code, "--json", *args, **kw)
        e = r.json()["error"]
        self.assertEqual(set(e), ERROR_KEYS)
        self.assertEqual(e["exit_code"], code)
        return r, e

    def test_1_local_failure(self):
        r = self.fails(1, "upload", self.path("missing.bin"))
        self.assertIn("missing.bin", r.err)
        self.assertIn("No such file", r.err)
        r = self.fails(1, "upload", self.tmp)
        self.assertIn("not a regular file", r.err)
        r = self.fails(1, "download", os.environ["FC_EMU_RAW"] + "/s/x", "-o",
                       self.path("no/such/dir/x"))
        self.assertIn("cannot create", r.err)

    def test_2_usage(self):
        self.fails(2, "me", "--nope")

    def test_3_auth(self):
        r, e = self.json_error(3, "me", "--api-key", "fck_live_" + "1" * 32)
        self.assertEqual((e["code"], e["http_status"]), ("auth", 401))
        self.assertIn("Invalid or revoked", r.err)

    def test_4_permission_scope_and_plan(self):
        k = new_key(scopes=["spaces:read"])
        r, e = self.json_error(4, "files", "list", "--space", NO_SUCH, "--api-key", k["key"])
        self.assertEqual(e["api_error"], "insufficient_scope")
        self.assertIn("files:read", e["missing_scopes"])
        # Said once, not "[insufficient_scope]: insufficient_scope".
        self.assertEqual(r.err.count("insufficient_scope"), 1, r.err)
        self.assertIn("missing scopes: files:read", r.err)
        k = new_key(plan="no_api")
        r, e = self.json_error(4, "me", "--api-key", k["key"])
        self.assertEqual(e["api_error"], "feature_not_in_plan")

    def test_5_not_found(self):
        r, e = self.json_error(5, "spaces", "get", NO_SUCH)
        self.assertEqual((e["code"], e["http_status"]), ("not_found", 404))
        self.assertIn("not found (HTTP 404)", r.err)

    def test_6_scan_failed_and_conflict(self):
        src = clitest.write_file(self.path("eicar.txt"), EICAR)
        r, e = self.json_error(6, "upload", src, "--public")
        self.assertEqual(e["code"], "scan_failed")
        self.assertEqual(e["scan_status"], "infected")
        self.assertTrue(e["file_id"])
        self.assertIn('scan_status "infected"', r.err)
        self.assertIn(e["file_id"], r.err)
        self.assertIn('step "scan"', r.err)
        # A link to a file whose scan has not ended: 409.
        set_config(scan_delay_ms=60000)
        try:
            up = self.ok("--json", "upload", clitest.write_file(self.path("p.bin"), b"x" * 10),
                         "--no-wait").json()
            r, e = self.json_error(6, "shares", "create", up["file"]["id"])
            self.assertEqual((e["code"], e["http_status"]), ("conflict", 409))
            self.assertEqual(e["file_id"], up["file"]["id"])
        finally:
            set_config(scan_delay_ms=200)

    def test_7_quota(self):
        k = new_key(bytes_limit=1000)
        src = clitest.write_file(self.path("big.bin"), b"q" * 5000)
        r, e = self.json_error(7, "upload", src, "--api-key", k["key"])
        self.assertEqual((e["code"], e["http_status"]), ("quota", 402))
        self.assertEqual(e["step"], "initiate")

    def test_8_rate_limited(self):
        fault("api", "status", status=429, retry_after=1, count=10, path_prefix="/api/v1/me")
        r, e = self.json_error(8, "me")
        self.assertEqual(e["code"], "rate_limited")
        self.assertRegex(r.err, r"rate limited \(HTTP 429\), retrying in [0-9.]+ s")

    def test_9_network(self):
        r, e = self.json_error(9, "me", "--base-url", "https://127.0.0.1:1/api/v1")
        self.assertEqual(e["code"], "connect")
        self.assertEqual(e["host"], "127.0.0.1:1")
        self.assertEqual(e["errno"], 111)
        self.assertIn("cannot connect to 127.0.0.1:1: Connection refused", r.err)
        # Each retry is told (4 attempts: 3 retries).
        self.assertEqual(r.err.count("connection failed (Connection refused), retrying"), 3,
                         r.err)

    def test_10_server(self):
        fault("api", "status", status=503, count=10, path_prefix="/api/v1/me")
        r, e = self.json_error(10, "me")
        self.assertEqual((e["code"], e["http_status"]), ("server", 503))
        self.assertIn("server error (HTTP 503), retrying", r.err)

    def test_11_rejected(self):
        # The 422 names its field, in both forms the service answers with
        # (its own checks: a string; request-shape errors: FastAPI's list).
        for form in ("string", "list"):
            set_config(validation_detail=form)
            try:
                r, e = self.json_error(11, "spaces", "create", "x" * 300)
            finally:
                set_config(validation_detail="auto")
            self.assertEqual(e["http_status"], 422)
            self.assertEqual(e["code"], "validation")
            self.assertRegex(e["detail"], r"^name: ", form)
            self.assertIn("(HTTP 422): name: ", r.err)

    def test_130_interrupted(self):
        # Covered with a real upload in test_cli_transfer (Resume): here the
        # plain call, stalled by the server, ended by SIGTERM.
        import signal
        import subprocess
        import time
        fault("api", "stall", path_prefix="/api/v1/me", max_s=30)
        p = subprocess.Popen([clitest.CLI, "--json", "me"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=clitest.ENV)
        time.sleep(1.0)  # the request is out and stalled; the timing is not the test
        p.send_signal(signal.SIGTERM)
        out, err = p.communicate(timeout=30)
        clitest.OUTPUTS.append((["me"], out.decode(), err.decode()))
        self.assertEqual(p.returncode, 130, err)
        self.assertIn(b'"code": "interrupted"', out)


class Messages(CliTest):
    def test_tls_untrusted_names_host_and_ca(self):
        wrong = os.environ["FC_EMU_WRONG_CA_FILE"]
        r = self.fails(9, "me", "--ca-file", wrong)
        self.assertIn(f"localhost:{api_port()}", r.err)
        self.assertIn("not trusted", r.err)
        self.assertIn("not trusted by the CAs", r.err)
        self.assertIn(wrong, r.err)

    def test_http_to_a_tls_port(self):
        base = os.environ["FLUIDCLOUD_BASE_URL"].replace("https://", "http://")
        r = self.fails(9, "me", "--base-url", base)
        self.assertIn(f"localhost:{api_port()}", r.err)
        self.assertIn("use https://", r.err)

    def test_dns(self):
        r = self.fails(9, "me", "--base-url", "https://nohost.invalid/api/v1")
        self.assertIn("cannot resolve the host of nohost.invalid:443", r.err)

    def test_failing_put_names_step(self):
        fault("storage", "status", status=403, method="PUT", count=5)
        src = clitest.write_file(self.path("p.bin"), b"p" * 1000)
        r = self.fails(4, "upload", src)
        self.assertIn('step "put"', r.err)
        self.assertIn("HTTP 403", r.err)

    def test_broken_put_names_the_storage_host(self):
        fault("storage", "close_after_request_bytes", bytes=100, method="PUT", count=10)
        src = clitest.write_file(self.path("b.bin"), b"b" * 5000)
        r = self.fails(9, "upload", src)
        storage = os.environ["FC_EMU_STORAGE"].split("://", 1)[1].rstrip("/")
        self.assertIn(f'step "put": {storage} closed the connection', r.err)

    def test_reset_mid_upload_is_not_glued(self):
        # Under a terminal the progress line must end before the error.
        src = clitest.write_file(self.path("r.bin"), os.urandom(3 << 20))
        fault("storage", "close_after_request_bytes", bytes=1 << 20, method="PUT", count=10)
        r, term = clitest.run_pty("upload", src)
        self.assertEqual(r.code, 9, r)
        text = term.decode("utf-8", "replace")
        for line in text.replace("\r\n", "\n").split("\n"):
            if "upload failed" in line:
                # The error starts its own line: nothing of the bar before it.
                self.assertTrue(line.lstrip("\r").startswith("fluidcloud: upload failed"), line)


class Secrets(CliTest):
    """Runs last (zz): checks every output recorded by this module."""

    def test_reveal_is_the_only_way_to_see_a_presigned_query(self):
        src = clitest.write_file(self.path("s.bin"), b"secret" * 100)
        up = self.ok("--json", "upload", src).json()
        masked = self.ok("files", "download-url", up["file"]["id"]).out
        self.assertIn("?<redacted>", masked)
        j = self.ok("--json", "files", "download-url", up["file"]["id"]).json()
        self.assertTrue(j["url"].endswith("?<redacted>"))
        whole = self.ok("--json", "files", "download-url", up["file"]["id"], "--reveal").json()
        self.assertIn("X-Fc-Signature", whole["url"])  # the positive control
        clitest.OUTPUTS.pop()  # that one was asked for
        # Verbose and failing runs print URLs and settings: masked.
        self.ok("-v", "files", "download-url", up["file"]["id"])
        self.ok("-v", "--json", "download", up["file"]["id"], "-o", self.path("back.bin"))
        fault("storage", "status", status=500, count=10)
        self.fails(10, "-v", "--json", "download", up["file"]["id"], "-o", self.path("b2"))
        self.fails(10, "-v", "--json", "upload", src)

    def test_zz_no_secret_in_any_output(self):
        self.assertGreater(len(clitest.OUTPUTS), 20)
        for args, out, err in clitest.OUTPUTS:
            for text in (out, err):
                self.assertNotIn(clitest.KEY, text, f"key in output of {args}")
                for m in clitest.PRESIGNED_MARKERS:
                    self.assertNotIn(m, text, f"{m} in output of {args}")


if __name__ == "__main__":
    clitest.main()
