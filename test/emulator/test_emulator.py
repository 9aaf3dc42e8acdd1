#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Self-tests of the FluidCloud emulator (stdlib unittest, no network beyond loopback).

Each test class starts its own emulator through the start-up contract
(python3 fluidcloud_emulator.py ... -> one JSON line on stdout) and drives it
with http.client / ssl / raw sockets: every endpoint of the contract, every
error the contract names, every admin call and every fault mode.

    python3 -m unittest -v test_emulator        (from test/emulator/)
"""
import hashlib
import http.client
import inspect
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse
import uuid
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
EMULATOR = os.path.join(HERE, "fluidcloud_emulator.py")
WRAPPER = os.path.join(HERE, "with_emulator.py")
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
RATE_DETAIL = "Too many requests \u2014 please slow down and try again shortly."
NOBODY = "00000000-0000-4000-8000-000000000000"


class Resp:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    @property
    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def __repr__(self):
        return "<Resp %d %r>" % (self.status, self.body[:300])


class Emu:
    """A running emulator started through its start-up contract."""

    def __init__(self, *args):
        # stderr goes to a file (a pipe nobody reads could fill up and block
        # the emulator); stderr_text() reads it, e.g. to look for crashes.
        self.stderr_file = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([sys.executable, EMULATOR] + list(args),
                                     stdout=subprocess.PIPE, stderr=self.stderr_file)
        line = self.proc.stdout.readline()
        if not line:
            self.proc.wait(timeout=15)
            self.proc.stdout.close()
            err = self.stderr_text()
            self.stderr_file.close()
            raise RuntimeError("emulator did not start: %s" % err)
        self.startup_line = line
        self.info = json.loads(line)
        self.tls = self.info["api_base"].startswith("https")
        self.ctx = None
        if self.tls:
            self.ctx = ssl.create_default_context(cafile=self.info["ca_file"])
        self.key = self.info["api_key"]
        self._conns = {}

    def close_conns(self):
        for c in self._conns.values():
            c.close()
        self._conns = {}

    def stop(self):
        self.close_conns()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        self.proc.stdout.close()
        self.stderr_final = self.stderr_text()
        self.stderr_file.close()
        return rc

    def stderr_text(self):
        if self.stderr_file.closed:
            return self.stderr_final
        self.stderr_file.seek(0)
        return self.stderr_file.read().decode("utf-8", "replace")

    # ---- plumbing ----------------------------------------------------------------------
    def base(self, listener):
        return {"api": self.info["api_base"], "storage": self.info["storage_base"],
                "raw": self.info["raw_base"], "admin": self.info["admin_base"]}[listener]

    def conn_for(self, url, fresh=False, timeout=10):
        u = urllib.parse.urlsplit(url)
        k = (u.scheme, u.hostname, u.port)
        c = None if fresh else self._conns.get(k)
        if c is None:
            if u.scheme == "https":
                c = http.client.HTTPSConnection(u.hostname, u.port, timeout=timeout, context=self.ctx)
            else:
                c = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
            if not fresh:
                self._conns[k] = c
        return c

    def request(self, method, url, body=None, headers=None, fresh=False, timeout=10):
        """One request on a kept-alive connection per (scheme, host, port)."""
        headers = dict(headers or {})
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            headers.setdefault("Content-Type", "application/json")
        u = urllib.parse.urlsplit(url)
        target = u.path + ("?" + u.query if u.query else "")
        k = (u.scheme, u.hostname, u.port)
        for attempt in range(2):
            c = self.conn_for(url, fresh, timeout)
            try:
                c.request(method, target, body=body, headers=headers)
                r = c.getresponse()
                data = r.read()
                res = Resp(r.status, r.getheaders(), data)
                if r.will_close or fresh:
                    c.close()
                    if not fresh:
                        self._conns.pop(k, None)
                return res
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                c.close()
                if not fresh:
                    self._conns.pop(k, None)
                if attempt == 1 or fresh:  # only a stale kept-alive connection is retried
                    raise
            except BaseException:
                c.close()
                if not fresh:
                    self._conns.pop(k, None)
                raise

    def api(self, method, path, body=None, key=None, headers=None, **kw):
        h = {"X-API-Key": key or self.key} if key != "" else {}
        h.update(headers or {})
        return self.request(method, self.info["api_base"] + path, body, h, **kw)

    def admin(self, method, path, body=None):
        r = self.request(method, self.info["admin_base"] + path, body)
        return r

    def ok(self, method, path, body=None, status=200, **kw):
        r = self.api(method, path, body, **kw)
        if r.status != status:
            raise AssertionError("%s %s -> %d (want %d): %r" % (method, path, r.status, status, r.body))
        return r.json if r.body else None

    def raw_exchange(self, listener, data, timeout=3.0, shut_write=False):
        """Send raw bytes on a fresh connection; return (bytes received, timed_out)."""
        u = urllib.parse.urlsplit(self.base(listener))
        s = socket.create_connection((u.hostname, u.port), timeout=timeout)
        if u.scheme == "https":
            s = self.ctx.wrap_socket(s, server_hostname=u.hostname)
        out = []
        timed_out = False
        try:
            s.sendall(data)
            if shut_write and u.scheme != "https":  # (SSLSocket.shutdown drops TLS)
                s.shutdown(socket.SHUT_WR)
            while True:
                b = s.recv(65536)
                if not b:
                    break
                out.append(b)
        except socket.timeout:
            timed_out = True
        except (ssl.SSLError, ConnectionResetError):
            pass
        finally:
            s.close()
        self.last_pieces = [len(b) for b in out]  # recv() sizes, for one_byte
        return b"".join(out), timed_out

    def raw_socket(self, listener, timeout):
        u = urllib.parse.urlsplit(self.base(listener))
        s = socket.create_connection((u.hostname, u.port), timeout=timeout)
        if u.scheme == "https":
            s = self.ctx.wrap_socket(s, server_hostname=u.hostname)
        return s

    def host_header(self, listener):
        return urllib.parse.urlsplit(self.base(listener)).netloc

    # ---- flows --------------------------------------------------------------------------
    def default_space(self, key=None):
        return self.ok("GET", "/spaces", key=key)["items"][0]["id"]

    def initiate(self, space_id, name, size, key=None, **extra):
        body = {"space_id": space_id, "name": name, "size": size}
        body.update(extra)
        return self.api("POST", "/uploads/initiate", body, key=key)

    def put(self, url, data, headers=None, **kw):
        h = dict(headers or {})
        return self.request("PUT", url, data, h, **kw)

    def upload(self, data, name="f.bin", space_id=None, key=None, wait_clean=True, **extra):
        space_id = space_id or self.default_space(key)
        r = self.initiate(space_id, name, len(data), key=key, **extra)
        assert r.status == 201, r
        t = r.json
        parts = []
        if t["mode"] == "single":
            pr = self.put(t["url"], data, t["headers"])
            assert pr.status == 200, pr
        else:
            ps = t["part_size"]
            for p in t["parts"]:
                n = p["part_number"]
                pr = self.put(p["url"], data[(n - 1) * ps:n * ps])
                assert pr.status == 200, pr
                parts.append({"part_number": n, "etag": pr.header("ETag")})
        body = {"upload_id": t["upload_id"], "file_id": t["file_id"], "key": t["key"],
                "sha256": hashlib.sha256(data).hexdigest()}
        if parts:
            body["parts"] = parts
        f = self.ok("POST", "/uploads/complete", body, 201, key=key)
        if wait_clean:
            f = self.wait_scan(f["id"], key=key)
        return f

    def wait_scan(self, file_id, key=None, timeout=10):
        end = time.time() + timeout
        while time.time() < end:
            f = self.ok("GET", "/files/%s" % file_id, key=key)
            if f["scan_status"] != "pending":
                return f
            time.sleep(0.02)
        raise AssertionError("scan never finished")

    def new_key(self, tenant_id=None, scopes=None, plan=None):
        if tenant_id is None:
            body = {"name": "t-%s" % uuid.uuid4().hex[:6]}
            if plan:
                body["plan"] = plan
            r = self.admin("POST", "/admin/tenants", body)
            assert r.status == 201, r
            tenant_id = r.json["tenant_id"]
        body = {"tenant_id": tenant_id}
        if scopes is not None:
            body["scopes"] = scopes
        r = self.admin("POST", "/admin/keys", body)
        assert r.status == 201, r
        return r.json["key"], r.json["key_id"], tenant_id

    def fault(self, **f):
        r = self.admin("POST", "/admin/faults", f)
        assert r.status == 201, r
        return r.json["fault_id"]

    def leaked(self):
        return self.admin("GET", "/admin/state").json["leaked_key_count"]


class EmuTestCase(unittest.TestCase):
    ARGS = ("--scan-delay-ms", "30")
    emu = None

    @classmethod
    def setUpClass(cls):
        cls.emu = Emu(*cls.ARGS)

    @classmethod
    def tearDownClass(cls):
        if cls.emu is not None:
            rc = cls.emu.stop()
            err = cls.emu.stderr_text()
            assert rc == 0, "emulator exit status %r" % rc
            # no request, however malformed, may crash a handler
            assert "handler crashed" not in err and "Traceback" not in err, err[-3000:]

    def setUp(self):
        self.e = self.emu
        self.e.admin("DELETE", "/admin/faults")

    def assertStatus(self, r, status):
        self.assertEqual(r.status, status, r)

    def assert422(self, r):
        self.assertStatus(r, 422)
        self.assertIn("detail", r.json)


# ==========================================================================================
class TestStartupAndTLS(EmuTestCase):
    def test_startup_line(self):
        i = self.e.info
        for k in ("api_base", "storage_base", "raw_base", "admin_base", "api_key", "tenant_id",
                  "ca_file", "wrong_ca_file", "state_dir"):
            self.assertIn(k, i)
        self.assertTrue(i["api_base"].startswith("https://localhost:"))
        self.assertTrue(i["api_base"].endswith("/api/v1"))
        self.assertTrue(i["storage_base"].startswith("https://127.0.0.1:"))
        self.assertTrue(i["raw_base"].startswith("https://127.0.0.1:"))
        self.assertTrue(i["admin_base"].startswith("http://127.0.0.1:"))
        self.assertRegex(i["api_key"], r"^fck_(live|test)_[0-9a-f]{32}$")
        self.assertTrue(os.path.isfile(i["ca_file"]))
        self.assertTrue(os.path.isfile(i["wrong_ca_file"]))
        self.assertTrue(self.e.startup_line.endswith(b"\n"))
        ports = {urllib.parse.urlsplit(i[k]).port for k in ("api_base", "storage_base", "raw_base",
                                                             "admin_base")}
        self.assertEqual(len(ports), 4)

    def test_admin_not_on_api_port(self):
        r = self.e.request("GET", self.e.info["api_base"].replace("/api/v1", "") + "/admin/state")
        self.assertStatus(r, 404)

    def test_tls_verifies_with_ca_and_rejects_wrong_ca(self):
        u = urllib.parse.urlsplit(self.e.info["api_base"])
        good = ssl.create_default_context(cafile=self.e.info["ca_file"])
        with socket.create_connection((u.hostname, u.port), timeout=5) as s:
            with good.wrap_socket(s, server_hostname="localhost") as t:
                self.assertIn(t.version(), ("TLSv1.2", "TLSv1.3"))
        for listener in ("storage", "raw"):
            v = urllib.parse.urlsplit(self.e.base(listener))
            with socket.create_connection((v.hostname, v.port), timeout=5) as s:
                with good.wrap_socket(s, server_hostname="127.0.0.1"):
                    pass
        bad = ssl.create_default_context(cafile=self.e.info["wrong_ca_file"])
        with socket.create_connection((u.hostname, u.port), timeout=5) as s:
            with self.assertRaises(ssl.SSLError):
                bad.wrap_socket(s, server_hostname="localhost")
        # and the emulator keeps serving afterwards
        self.assertStatus(self.e.api("GET", "/me"), 200)

    def test_tls12_with_mbedtls_suites(self):
        u = urllib.parse.urlsplit(self.e.info["api_base"])
        for suite in ("ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384"):
            ctx = ssl.create_default_context(cafile=self.e.info["ca_file"])
            ctx.maximum_version = ssl.TLSVersion.TLSv1_2
            ctx.set_ciphers(suite)
            with socket.create_connection((u.hostname, u.port), timeout=5) as s:
                with ctx.wrap_socket(s, server_hostname="localhost") as t:
                    self.assertEqual(t.version(), "TLSv1.2")
                    self.assertEqual(t.cipher()[0], suite)
        ctx = ssl.create_default_context(cafile=self.e.info["ca_file"])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            ctx.minimum_version = ctx.maximum_version = ssl.TLSVersion.TLSv1_1
        with socket.create_connection((u.hostname, u.port), timeout=5) as s:
            with self.assertRaises(ssl.SSLError):
                ctx.wrap_socket(s, server_hostname="localhost")

    def test_openssl_and_curl(self):
        u = urllib.parse.urlsplit(self.e.info["api_base"])
        try:
            p = subprocess.run(["openssl", "s_client", "-connect", "localhost:%d" % u.port,
                                "-CAfile", self.e.info["ca_file"], "-servername", "localhost",
                                "-tls1_2"], input=b"", stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=20)
            self.assertIn(b"Verify return code: 0 (ok)", p.stdout)
        except FileNotFoundError:
            self.skipTest("no openssl")
        try:
            p = subprocess.run(["curl", "-sS", "--cacert", self.e.info["ca_file"],
                                "-H", "X-API-Key: " + self.e.key, self.e.info["api_base"] + "/me"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=20)
        except FileNotFoundError:
            return
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(json.loads(p.stdout)["tenant_id"], self.e.info["tenant_id"])


# ==========================================================================================
class TestAuth(EmuTestCase):
    def test_me(self):
        me = self.e.ok("GET", "/me")
        self.assertEqual(set(me), {"tenant_id", "key_id", "mode", "scopes"})
        self.assertEqual(me["tenant_id"], self.e.info["tenant_id"])
        self.assertEqual(me["mode"], "live")
        self.assertEqual(len(me["scopes"]), 9)

    def test_bearer_equivalent(self):
        r = self.e.api("GET", "/me", key="", headers={"Authorization": "Bearer " + self.e.key})
        self.assertStatus(r, 200)

    def test_401_missing_malformed_unknown_revoked(self):
        for key in ("", "nonsense", "fck_live_123", "fck_live_" + "0" * 32):
            r = self.e.api("GET", "/me", key=key)
            self.assertStatus(r, 401)
            self.assertIsInstance(r.json["detail"], str)
        k, kid, _ = self.e.new_key(self.e.info["tenant_id"])
        self.assertStatus(self.e.api("GET", "/me", key=k), 200)
        self.assertStatus(self.e.admin("POST", "/admin/keys/%s/revoke" % kid), 200)
        r = self.e.api("GET", "/me", key=k)
        self.assertStatus(r, 401)
        k2, _, _ = self.e.new_key(self.e.info["tenant_id"])
        self.assertStatus(self.e.admin("POST", "/admin/keys/revoke", {"key": k2}), 200)
        self.assertStatus(self.e.api("GET", "/me", key=k2), 401)

    def test_test_mode_key(self):
        r = self.e.admin("POST", "/admin/keys", {"tenant_id": self.e.info["tenant_id"], "mode": "test"})
        self.assertTrue(r.json["key"].startswith("fck_test_"))
        self.assertEqual(self.e.ok("GET", "/me", key=r.json["key"])["mode"], "test")

    def test_403_insufficient_scope(self):
        k, _, _ = self.e.new_key(self.e.info["tenant_id"], scopes=["spaces:read"])
        self.assertStatus(self.e.api("GET", "/spaces", key=k), 200)
        r = self.e.api("POST", "/spaces", {"name": "x"}, key=k)
        self.assertStatus(r, 403)
        d = r.json["detail"]
        self.assertEqual(d["error"], "insufficient_scope")
        self.assertEqual(d["required"], ["spaces:write"])
        self.assertEqual(d["missing"], ["spaces:write"])
        r = self.e.api("GET", "/quota", key=k)
        self.assertEqual(r.json["detail"]["missing"], ["quota:read"])

    def test_403_feature_not_in_plan(self):
        k, _, tid = self.e.new_key(plan="no_api")
        r = self.e.api("GET", "/me", key=k)
        self.assertStatus(r, 403)
        self.assertEqual(r.json["detail"], {"error": "feature_not_in_plan"})
        self.assertStatus(self.e.admin("PATCH", "/admin/tenants/" + tid, {"plan": "pro"}), 200)
        self.assertStatus(self.e.api("GET", "/me", key=k), 200)

    def test_cross_tenant_is_404(self):
        f = self.e.upload(b"mine", name="mine.txt")
        folder = self.e.ok("POST", "/folders", {"space_id": f["space_id"], "name": "mine"}, 201)
        share = self.e.ok("POST", "/shares", {"file_id": f["id"]}, 201)
        k, _, _ = self.e.new_key()
        for m, p in (("GET", "/files/" + f["id"]), ("GET", "/spaces/" + f["space_id"]),
                     ("GET", "/folders/" + folder["id"]), ("GET", "/shares/" + share["id"]),
                     ("GET", "/files/%s/download" % f["id"]), ("POST", "/files/%s/restore" % f["id"]),
                     ("GET", "/folders/%s/stats" % folder["id"])):
            self.assertStatus(self.e.api(m, p, key=k), 404)
        self.assertStatus(self.e.api("PATCH", "/files/" + f["id"], {"name": "stolen"}, key=k), 404)
        self.assertStatus(self.e.api("POST", "/shares", {"file_id": f["id"]}, key=k), 404)
        # deletes by another tenant are no-ops (idempotent 204) and change nothing
        self.assertStatus(self.e.api("DELETE", "/files/" + f["id"], key=k), 204)
        self.assertIsNone(self.e.ok("GET", "/files/" + f["id"])["deleted_at"])
        self.assertEqual(self.e.ok("GET", "/files/" + f["id"])["name"], "mine.txt")


# ==========================================================================================
class TestSpacesFolders(EmuTestCase):
    def test_spaces(self):
        k, _, tid = self.e.new_key()
        spaces = self.e.ok("GET", "/spaces", key=k)
        self.assertEqual([s["name"] for s in spaces["items"]], ["My files"])
        self.assertIsNone(spaces["next_cursor"])
        s0 = spaces["items"][0]
        self.assertEqual(set(s0), {"id", "tenant_id", "name", "app", "created_at", "updated_at"})
        self.assertEqual(s0["app"], "fluidcloud")
        self.assertEqual(s0["tenant_id"], tid)
        self.assertRegex(s0["created_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        s1 = self.e.ok("POST", "/spaces", {"name": "Second", "app": "camera"}, 201, key=k)
        self.assertEqual(s1["app"], "camera")
        self.assertEqual(self.e.ok("GET", "/spaces/" + s1["id"], key=k), s1)
        s1b = self.e.ok("PATCH", "/spaces/" + s1["id"], {"name": "Renamed"}, key=k)
        self.assertEqual(s1b["name"], "Renamed")
        ids = [s["id"] for s in self.e.ok("GET", "/spaces", key=k)["items"]]
        self.assertEqual(ids, [s0["id"], s1["id"]])  # oldest first
        self.assertStatus(self.e.api("DELETE", "/spaces/" + s1["id"], key=k), 204)
        self.assertStatus(self.e.api("DELETE", "/spaces/" + s1["id"], key=k), 204)
        self.assertStatus(self.e.api("GET", "/spaces/" + s1["id"], key=k), 404)

    def test_space_validation(self):
        for body in ({"name": ""}, {"name": "x" * 201}, {"name": 5}, {}, {"name": "ok", "app": 3}):
            self.assert422(self.e.api("POST", "/spaces", body))
        self.assertStatus(self.e.api("POST", "/spaces", {"name": "x" * 200}), 201)

    def test_pagination(self):
        k, _, _ = self.e.new_key()
        self.e.ok("GET", "/spaces", key=k)
        for i in range(6):
            self.e.ok("POST", "/spaces", {"name": "s%d" % i}, 201, key=k)
        seen = []
        cursor = None
        pages = 0
        while True:
            q = "?limit=3" + ("&cursor=" + urllib.parse.quote(cursor) if cursor else "")
            page = self.e.ok("GET", "/spaces" + q, key=k)
            seen += [s["name"] for s in page["items"]]
            pages += 1
            cursor = page["next_cursor"]
            if not cursor:
                break
        self.assertEqual(pages, 3)
        self.assertEqual(seen, ["My files"] + ["s%d" % i for i in range(6)])
        first = self.e.ok("GET", "/spaces?limit=2", key=k)
        bad = first["next_cursor"][:-2] + ("AA" if not first["next_cursor"].endswith("AA") else "BB")
        self.assert422(self.e.api("GET", "/spaces?limit=2&cursor=" + bad, key=k))
        self.assert422(self.e.api("GET", "/spaces?cursor=%%%%%%", key=k))
        for lim in ("0", "201", "abc", "-1"):
            self.assert422(self.e.api("GET", "/spaces?limit=" + lim, key=k))
        self.assertStatus(self.e.api("GET", "/spaces?limit=200", key=k), 200)

    def test_folders_tree_trash_restore_stats(self):
        sp = self.e.default_space()
        a = self.e.ok("POST", "/folders", {"space_id": sp, "name": "A"}, 201)
        self.assertEqual(set(a), {"id", "tenant_id", "space_id", "parent_id", "name", "created_at",
                                  "updated_at", "deleted_at"})
        self.assertIsNone(a["parent_id"])
        b = self.e.ok("POST", "/folders", {"space_id": sp, "name": "B", "parent_id": a["id"]}, 201)
        c = self.e.ok("POST", "/folders", {"space_id": sp, "name": "C", "parent_id": b["id"]}, 201)
        self.assertEqual(self.e.ok("GET", "/folders/" + c["id"])["parent_id"], b["id"])
        kids = self.e.ok("GET", "/folders?space_id=%s&parent_id=%s" % (sp, a["id"]))["items"]
        self.assertEqual([x["id"] for x in kids], [b["id"]])
        f1 = self.e.upload(b"x" * 100, name="one.bin", folder_id=b["id"])
        f2 = self.e.upload(b"y" * 50, name="two.bin", folder_id=c["id"])
        st = self.e.ok("GET", "/folders/%s/stats" % a["id"])
        self.assertEqual(st, {"folder_id": a["id"], "file_count": 2, "total_bytes": 150})
        # rename and move
        self.assertEqual(self.e.ok("PATCH", "/folders/" + c["id"], {"name": "C2"})["name"], "C2")
        moved = self.e.ok("PATCH", "/folders/" + c["id"], {"parent_id": a["id"]})
        self.assertEqual(moved["parent_id"], a["id"])
        self.assert422(self.e.api("PATCH", "/folders/" + a["id"], {"parent_id": c["id"]}))  # cycle
        self.assert422(self.e.api("PATCH", "/folders/" + a["id"], {"parent_id": a["id"]}))
        other = self.e.ok("POST", "/spaces", {"name": "other"}, 201)
        od = self.e.ok("POST", "/folders", {"space_id": other["id"], "name": "od"}, 201)
        self.assert422(self.e.api("PATCH", "/folders/" + c["id"], {"parent_id": od["id"]}))
        self.assert422(self.e.api("PATCH", "/files/" + f1["id"], {"folder_id": od["id"]}))
        # recursive trash
        self.assertStatus(self.e.api("DELETE", "/folders/" + a["id"]), 200)  # the record (delete_response "record")
        self.assertStatus(self.e.api("DELETE", "/folders/" + a["id"]), 200)  # the record (delete_response "record")
        for x in (a, b, c):
            self.assertIsNotNone(self.e.ok("GET", "/folders/" + x["id"])["deleted_at"])
        for f in (f1, f2):
            self.assertIsNotNone(self.e.ok("GET", "/files/" + f["id"])["deleted_at"])
        trashed = self.e.ok("GET", "/folders?space_id=%s&trashed=true" % sp)["items"]
        self.assertTrue({a["id"], b["id"], c["id"]} <= {x["id"] for x in trashed})
        live = self.e.ok("GET", "/folders?space_id=%s" % sp)["items"]
        self.assertNotIn(a["id"], [x["id"] for x in live])
        tf = self.e.ok("GET", "/files?space_id=%s&trashed=true" % sp)["items"]
        self.assertTrue({f1["id"], f2["id"]} <= {x["id"] for x in tf})
        # restore
        r = self.e.ok("POST", "/folders/%s/restore" % a["id"])
        self.assertIsNone(r["deleted_at"])
        for x in (a, b, c):
            self.assertIsNone(self.e.ok("GET", "/folders/" + x["id"])["deleted_at"])
        self.assertIsNone(self.e.ok("GET", "/files/" + f2["id"])["deleted_at"])
        self.assertStatus(self.e.api("GET", "/folders?trashed=maybe"), 422)

    def test_folder_names(self):
        sp = self.e.default_space()
        for name in ("a/b", "a\\b", "..", "x..y", "", 7):
            r = self.e.api("POST", "/folders", {"space_id": sp, "name": name})
            self.assertIn(r.status, (400, 422), (name, r))
        self.assert422(self.e.api("POST", "/folders", {"name": "n"}))
        self.assert422(self.e.api("POST", "/folders", {"space_id": "not-a-uuid", "name": "n"}))
        self.assertStatus(self.e.api("POST", "/folders", {"space_id": NOBODY, "name": "n"}), 404)
        d = self.e.ok("POST", "/folders", {"space_id": sp, "name": "ok name.v2"}, 201)
        self.assert422(self.e.api("PATCH", "/folders/" + d["id"], {"name": "a/b"}))

    def test_delete_unknown_is_204(self):
        for p in ("/spaces/", "/folders/", "/files/", "/shares/", "/gdpr/files/"):
            self.assertStatus(self.e.api("DELETE", p + NOBODY), 204)


# ==========================================================================================
class TestFilesUploads(EmuTestCase):
    WEIGHT = 2  # relative cost, to balance the ctest shards
    def test_single_upload_file_object(self):
        data = os.urandom(5000)
        sp = self.e.default_space()
        r = self.e.initiate(sp, "photo.jpg", len(data), content_type="image/jpeg", client_key="job/1/photo")
        self.assertStatus(r, 201)
        t = r.json
        self.assertEqual(t["mode"], "single")
        self.assertEqual(t["method"], "PUT")
        self.assertEqual(t["headers"], {"Content-Type": "image/jpeg"})
        for k in ("upload_id", "file_id", "key", "url", "expires_at"):
            self.assertIn(k, t)
        self.assertTrue(t["url"].startswith(self.e.info["storage_base"] + "/"))
        self.assertIn("X-Fc-Signature=", t["url"])
        self.assertGreater(len(t["url"]), 200)
        pr = self.e.put(t["url"], data, t["headers"])
        self.assertStatus(pr, 200)
        self.assertEqual(pr.header("ETag"), '"%s"' % hashlib.md5(data).hexdigest())
        body = {"upload_id": t["upload_id"], "file_id": t["file_id"], "key": t["key"],
                "sha256": hashlib.sha256(data).hexdigest()}
        f = self.e.ok("POST", "/uploads/complete", body, 201)
        self.assertEqual(set(f), {"id", "tenant_id", "space_id", "folder_id", "source_app", "client_key",
                                  "original_name", "name", "mime", "size", "sha256", "scan_status",
                                  "status", "created_by", "created_at", "updated_at", "deleted_at"})
        self.assertEqual((f["status"], f["scan_status"]), ("draft", "pending"))
        self.assertEqual(f["id"], t["file_id"])
        self.assertEqual(f["size"], 5000)
        self.assertEqual(f["mime"], "image/jpeg")
        self.assertEqual(f["sha256"], hashlib.sha256(data).hexdigest())
        # complete again: the same file (idempotent)
        again = self.e.ok("POST", "/uploads/complete", body, 201)
        self.assertEqual(again["id"], f["id"])
        f = self.e.wait_scan(f["id"])
        self.assertEqual((f["scan_status"], f["status"]), ("clean", "ready"))
        obj = self.e.admin("GET", "/admin/objects/" + f["id"]).json
        self.assertEqual(obj["size"], 5000)
        self.assertEqual(obj["sha256"], hashlib.sha256(data).hexdigest())
        st = self.e.admin("GET", "/admin/state").json
        self.assertIn(f["id"], [o["file_id"] for o in st["objects"]])
        # resolve by client_key
        self.assertEqual(self.e.ok("GET", "/files/resolve?client_key=job/1/photo")["id"], f["id"])
        self.assertEqual(self.e.ok("GET", "/files/resolve?client_key=job%%2F1%%2Fphoto&space_id=%s"
                                   % sp)["id"], f["id"])
        self.assertStatus(self.e.api("GET", "/files/resolve?client_key=nope"), 404)
        self.assert422(self.e.api("GET", "/files/resolve"))
        self.assertStatus(self.e.api("GET", "/admin/objects/" + NOBODY), 404)

    def test_multipart_upload(self):
        self.e.admin("PATCH", "/admin/config", {"multipart_threshold": 10000, "part_size": 4096})
        try:
            data = os.urandom(4096 * 3 + 1000)
            sp = self.e.default_space()
            t = self.e.initiate(sp, "big.bin", len(data)).json
            self.assertEqual(t["mode"], "multipart")
            self.assertEqual(t["part_size"], 4096)
            self.assertEqual([p["part_number"] for p in t["parts"]], [1, 2, 3, 4])
            etags = {}
            for p in reversed(t["parts"]):  # any order
                n = p["part_number"]
                chunk = data[(n - 1) * 4096:n * 4096]
                r = self.e.put(p["url"], chunk)
                self.assertStatus(r, 200)
                etags[n] = r.header("ETag")
                self.assertEqual(etags[n], '"%s"' % hashlib.md5(chunk).hexdigest())
            # wrong part size
            self.assertStatus(self.e.put(t["parts"][0]["url"], b"x" * 100), 400)
            sha = hashlib.sha256(data).hexdigest()
            base = {"upload_id": t["upload_id"], "file_id": t["file_id"], "key": t["key"], "sha256": sha}
            parts = [{"part_number": n, "etag": etags[n]} for n in (1, 2, 3, 4)]
            r = self.e.api("POST", "/uploads/complete", dict(base, parts=parts[:3]))
            self.assert422(r)
            bad = [dict(p) for p in parts]
            bad[1]["etag"] = '"%s"' % ("0" * 32)
            r = self.e.api("POST", "/uploads/complete", dict(base, parts=bad))
            self.assert422(r)
            self.assertIn("2", json.dumps(r.json["detail"]))
            self.assert422(self.e.api("POST", "/uploads/complete", base))  # parts missing
            r = self.e.api("POST", "/uploads/complete", dict(base, parts=parts, sha256="a" * 64))
            self.assert422(r)
            self.assertIn("sha256", json.dumps(r.json).lower())
            f = self.e.ok("POST", "/uploads/complete", dict(base, parts=parts), 201)
            self.assertEqual(f["size"], len(data))
            obj = self.e.admin("GET", "/admin/objects/" + f["id"]).json
            self.assertEqual((obj["size"], obj["sha256"]), (len(data), sha))
            # a file through the helper, unquoted etags accepted too
            g = self.e.upload(os.urandom(20000), name="g.bin")
            self.assertEqual(g["scan_status"], "clean")
        finally:
            self.e.admin("PATCH", "/admin/config", {"multipart_threshold": 100 * 1024 * 1024,
                                                    "part_size": 16 * 1024 * 1024})

    def test_complete_detects_missing_and_corrupt_bytes(self):
        sp = self.e.default_space()
        data = b"hello world" * 10
        t = self.e.initiate(sp, "c.txt", len(data)).json
        body = {"upload_id": t["upload_id"], "file_id": t["file_id"], "key": t["key"],
                "sha256": hashlib.sha256(data).hexdigest()}
        self.assert422(self.e.api("POST", "/uploads/complete", body))  # nothing uploaded yet
        corrupt = b"J" + data[1:]
        self.assertStatus(self.e.put(t["url"], corrupt, t["headers"]), 200)
        r = self.e.api("POST", "/uploads/complete", body)
        self.assert422(r)
        self.assertIn("sha256", json.dumps(r.json).lower())
        self.assertStatus(self.e.put(t["url"], data, t["headers"]), 200)  # overwrite
        self.assertStatus(self.e.api("POST", "/uploads/complete", dict(body, file_id=NOBODY)), 422)
        self.assertStatus(self.e.api("POST", "/uploads/complete", dict(body, upload_id=NOBODY)), 404)
        self.assert422(self.e.api("POST", "/uploads/complete", dict(body, sha256="xyz")))
        self.assertStatus(self.e.api("POST", "/uploads/complete", body), 201)

    def test_storage_put_rules(self):
        sp = self.e.default_space()
        data = b"z" * 1000
        t = self.e.initiate(sp, "p.bin", len(data)).json
        u = urllib.parse.urlsplit(t["url"])
        host = self.e.host_header("storage")
        target = u.path + "?" + u.query
        # no Content-Length -> 411
        out, _ = self.e.raw_exchange("storage", ("PUT %s HTTP/1.1\r\nHost: %s\r\nContent-Type: "
                                                 "application/octet-stream\r\n\r\n" % (target, host)).encode())
        self.assertTrue(out.startswith(b"HTTP/1.1 411"), out[:100])
        # chunked -> 501
        out, _ = self.e.raw_exchange("storage", ("PUT %s HTTP/1.1\r\nHost: %s\r\nTransfer-Encoding: chunked"
                                                 "\r\nContent-Type: application/octet-stream\r\n\r\n"
                                                 "5\r\nhello\r\n0\r\n\r\n" % (target, host)).encode())
        self.assertTrue(out.startswith(b"HTTP/1.1 501"), out[:100])
        # bad signature / wrong method -> 403
        tampered = t["url"].replace("X-Fc-Signature=", "X-Fc-Signature=00")
        self.assertStatus(self.e.put(tampered, data, t["headers"]), 403)
        self.assertStatus(self.e.put(t["url"].split("?")[0], data, t["headers"]), 403)
        self.assertStatus(self.e.request("GET", t["url"]), 403)
        # Content-Type other than the ticket's -> 403
        self.assertStatus(self.e.put(t["url"], data, {"Content-Type": "text/plain"}), 403)
        # the API key on storage -> 400 and counted
        before = self.e.leaked()
        r = self.e.put(t["url"], data, dict(t["headers"], **{"X-API-Key": self.e.key}))
        self.assertStatus(r, 400)
        r = self.e.put(t["url"], data, dict(t["headers"], Authorization="Bearer " + self.e.key))
        self.assertStatus(r, 400)
        self.assertEqual(self.e.leaked(), before + 2)
        # the right PUT still works on the same kept-alive connection
        self.assertStatus(self.e.put(t["url"], data, t["headers"]), 200)
        # expired URL -> 403
        self.e.admin("PATCH", "/admin/config", {"url_expiry_s": -5})
        try:
            t2 = self.e.initiate(sp, "q.bin", 10).json
            self.assertStatus(self.e.put(t2["url"], b"0123456789", t2["headers"]), 403)
        finally:
            self.e.admin("PATCH", "/admin/config", {"url_expiry_s": 3600})

    def test_initiate_validation_quota_and_413(self):
        sp = self.e.default_space()
        for body in ({"name": "a", "size": 1}, {"space_id": sp, "size": 1},
                     {"space_id": sp, "name": "a"}, {"space_id": sp, "name": "a", "size": -1},
                     {"space_id": sp, "name": "a", "size": "10"}, {"space_id": "x", "name": "a", "size": 1},
                     {"space_id": sp, "name": "", "size": 1}):
            self.assert422(self.e.api("POST", "/uploads/initiate", body))
        self.assertStatus(self.e.initiate(NOBODY, "a", 1), 404)
        self.e.admin("PATCH", "/admin/config", {"max_upload_size": 1000})
        try:
            self.assertStatus(self.e.initiate(sp, "a", 1001), 413)
        finally:
            self.e.admin("PATCH", "/admin/config", {"max_upload_size": 5 * 1024 ** 4})
        k, _, tid = self.e.new_key()
        sp2 = self.e.default_space(k)
        self.e.admin("PATCH", "/admin/tenants/" + tid, {"bytes_limit": 100})
        self.e.upload(b"x" * 60, space_id=sp2, key=k)
        r = self.e.initiate(sp2, "b", 41, key=k)
        self.assertStatus(r, 402)
        self.assertEqual(r.json["detail"]["error"], "quota_exceeded")
        self.assertStatus(self.e.initiate(sp2, "b", 40, key=k), 201)

    def test_initiate_resume_same_upload(self):
        sp = self.e.default_space()
        t = self.e.initiate(sp, "r.bin", 10).json
        r = self.e.api("POST", "/uploads/initiate", {"space_id": sp, "name": "r.bin", "size": 10,
                                                     "upload_id": t["upload_id"]})
        self.assertStatus(r, 201)
        self.assertEqual((r.json["upload_id"], r.json["file_id"]), (t["upload_id"], t["file_id"]))

    def test_files_crud(self):
        sp = self.e.ok("POST", "/spaces", {"name": "files-crud", "app": "cam"}, 201)["id"]
        d = self.e.ok("POST", "/folders", {"space_id": sp, "name": "d"}, 201)
        f = self.e.upload(b"abc", name="a.txt", space_id=sp)
        self.assertEqual(f["source_app"], "cam")
        self.assertEqual(f["mime"], "text/plain")
        self.assertIsNone(f["folder_id"])
        g = self.e.upload(b"defg", name="b.txt", space_id=sp, folder_id=d["id"])
        lst = self.e.ok("GET", "/files?space_id=" + sp)["items"]
        self.assertEqual([x["id"] for x in lst], [f["id"], g["id"]])
        lst = self.e.ok("GET", "/files?folder_id=" + d["id"])["items"]
        self.assertEqual([x["id"] for x in lst], [g["id"]])
        # pagination of files: limit 1 -> two pages; a cursor is bound to its filters
        p1 = self.e.ok("GET", "/files?space_id=%s&limit=1" % sp)
        self.assertEqual([x["id"] for x in p1["items"]], [f["id"]])
        self.assertTrue(p1["next_cursor"])
        cur = urllib.parse.quote(p1["next_cursor"])
        p2 = self.e.ok("GET", "/files?space_id=%s&limit=1&cursor=%s" % (sp, cur))
        self.assertEqual([x["id"] for x in p2["items"]], [g["id"]])
        self.assertIsNone(p2.get("next_cursor"))
        self.assert422(self.e.api("GET", "/files?folder_id=%s&limit=1&cursor=%s" % (d["id"], cur)))
        self.assert422(self.e.api("GET", "/files?space_id=%s&cursor=%s" % (sp, cur[::-1])))
        r = self.e.ok("PATCH", "/files/" + f["id"], {"name": "renamed.txt", "folder_id": d["id"]})
        self.assertEqual((r["name"], r["original_name"], r["folder_id"]), ("renamed.txt", "a.txt", d["id"]))
        r = self.e.ok("PATCH", "/files/" + f["id"], {"folder_id": None})
        self.assertIsNone(r["folder_id"])
        self.assert422(self.e.api("PATCH", "/files/" + f["id"], {"name": 5}))
        self.assertStatus(self.e.api("PATCH", "/files/" + f["id"], {"folder_id": NOBODY}), 404)
        self.assertStatus(self.e.api("DELETE", "/files/" + f["id"]), 200)  # the record
        self.assertStatus(self.e.api("DELETE", "/files/" + f["id"]), 200)  # the record
        self.assertIsNotNone(self.e.ok("GET", "/files/" + f["id"])["deleted_at"])
        self.assertEqual([x["id"] for x in self.e.ok("GET", "/files?space_id=" + sp)["items"]], [g["id"]])
        self.assertEqual([x["id"] for x in self.e.ok("GET", "/files?space_id=%s&trashed=true" % sp)["items"]],
                         [f["id"]])
        self.assertIsNone(self.e.ok("POST", "/files/%s/restore" % f["id"])["deleted_at"])
        self.assertStatus(self.e.api("GET", "/files/not-a-uuid"), 422)
        self.assertStatus(self.e.api("GET", "/files/" + NOBODY), 404)

    def test_download_and_preview(self):
        self.e.admin("PATCH", "/admin/config", {"scan_delay_ms": 60000})
        try:
            data = os.urandom(3000)
            p = self.e.upload(data, name="d.bin", wait_clean=False)
            r = self.e.api("GET", "/files/%s/download" % p["id"])
            self.assertStatus(r, 409)
            self.assertStatus(self.e.api("GET", "/files/%s/preview" % p["id"]), 409)
        finally:
            self.e.admin("PATCH", "/admin/config", {"scan_delay_ms": 30})
        f = self.e.upload(data, name="d2.bin")
        for kind in ("download", "preview"):
            u = self.e.ok("GET", "/files/%s/%s" % (f["id"], kind))
            self.assertEqual(set(u), {"url", "expires_at"})
            self.assertTrue(u["url"].startswith(self.e.info["storage_base"]))
            r = self.e.request("GET", u["url"])
            self.assertStatus(r, 200)
            self.assertEqual(r.body, data)
            r = self.e.request("GET", u["url"], headers={"Range": "bytes=10-19"})
            self.assertStatus(r, 206)
            self.assertEqual(r.body, data[10:20])
            self.assertStatus(self.e.request("GET", u["url"] + "0"), 403)

    def test_import_url(self):
        data = os.urandom(777)
        f = self.e.upload(data, name="src.bin")
        sh = self.e.ok("POST", "/shares", {"file_id": f["id"]}, 201)
        sp = self.e.default_space()
        r = self.e.api("POST", "/uploads/import-url", {"url": sh["url"], "space_id": sp,
                                                       "name": "imported.bin", "client_key": "imp-1"})
        self.assertStatus(r, 202)
        g = r.json
        self.assertEqual(g["scan_status"], "pending")
        self.assertEqual((g["size"], g["sha256"]), (777, hashlib.sha256(data).hexdigest()))
        self.assertEqual(self.e.wait_scan(g["id"])["scan_status"], "clean")
        self.assertEqual(self.e.ok("GET", "/files/resolve?client_key=imp-1")["id"], g["id"])
        for url in ("http://example.com/x", "ftp://127.0.0.1/x", "file:///etc/passwd", "http://10.0.0.1/a"):
            self.assert422(self.e.api("POST", "/uploads/import-url", {"url": url, "space_id": sp}))
        self.assert422(self.e.api("POST", "/uploads/import-url", {"space_id": sp}))

    def test_scan_pending_then_clean_after_the_delay(self):
        self.e.admin("PATCH", "/admin/config", {"scan_delay_ms": 700})
        try:
            sp = self.e.default_space()
            t0 = time.monotonic()
            f = self.e.upload(b"scan me", name="scan.txt", space_id=sp, wait_clean=False)
            self.assertEqual((f["scan_status"], f["status"]), ("pending", "draft"))
            g = self.e.ok("GET", "/files/" + f["id"])
            self.assertEqual((g["scan_status"], g["status"]), ("pending", "draft"))
            self.assertStatus(self.e.api("GET", "/files/%s/download" % f["id"]), 409)
            time.sleep(max(0.0, 0.35 - (time.monotonic() - t0)))
            self.assertEqual(self.e.ok("GET", "/files/" + f["id"])["scan_status"], "pending")
            g = self.e.wait_scan(f["id"])
            self.assertGreaterEqual(time.monotonic() - t0, 0.65)
            self.assertEqual((g["scan_status"], g["status"]), ("clean", "ready"))
            listed = [x for x in self.e.ok("GET", "/files?space_id=" + sp + "&limit=200")["items"]
                      if x["id"] == f["id"]]
            self.assertEqual(listed[0]["scan_status"], "clean")
        finally:
            self.e.admin("PATCH", "/admin/config", {"scan_delay_ms": 30})

    def test_complete_422_on_size_mismatch(self):
        # The storage PUT already refuses a wrong length, so shorten the stored
        # part behind the emulator's back (as a torn write would).
        sp = self.e.default_space()
        data = b"0123456789" * 100
        t = self.e.initiate(sp, "short.bin", len(data)).json
        self.assertStatus(self.e.put(t["url"], data, t["headers"]), 200)
        part = os.path.join(self.e.info["state_dir"], "parts", t["upload_id"])  # the staged bytes
        self.assertTrue(os.path.isfile(part))
        with open(part, "r+b") as fh:
            fh.truncate(900)
        body = {"upload_id": t["upload_id"], "file_id": t["file_id"], "key": t["key"],
                "sha256": hashlib.sha256(data).hexdigest()}
        self.e.admin("PATCH", "/admin/config", {"validation_detail": "list"})  # (the loc is checked)
        self.addCleanup(self.e.admin, "PATCH", "/admin/config", {"validation_detail": "auto"})
        r = self.e.api("POST", "/uploads/complete", body)
        self.assert422(r)
        self.assertEqual(r.json["detail"][0]["loc"][-1], "size")
        self.assertIn("900", r.json["detail"][0]["msg"])
        self.assertStatus(self.e.api("GET", "/files/" + t["file_id"]), 404)
        self.assertStatus(self.e.admin("GET", "/admin/objects/" + t["file_id"]), 404)
        # sha mismatch: loc sha256
        r = self.e.api("POST", "/uploads/complete", dict(body, sha256=hashlib.sha256(b"x").hexdigest()))
        self.assert422(r)
        self.assertEqual(r.json["detail"][0]["loc"][-1], "size")  # size is checked first
        self.assertStatus(self.e.put(t["url"], data, t["headers"]), 200)
        r = self.e.api("POST", "/uploads/complete", dict(body, sha256=hashlib.sha256(b"x").hexdigest()))
        self.assertEqual(r.json["detail"][0]["loc"][-1], "sha256")
        self.assertStatus(self.e.admin("GET", "/admin/objects/" + t["file_id"]), 404)
        self.assertStatus(self.e.api("POST", "/uploads/complete", body), 201)

    def test_eicar_is_infected(self):
        f = self.e.upload(b"prefix " + EICAR + b" suffix", name="eicar.txt")
        self.assertEqual(f["scan_status"], "infected")
        self.assertNotEqual(f["status"], "ready")
        r = self.e.api("POST", "/shares", {"file_id": f["id"]})
        self.assertStatus(r, 409)
        self.assertEqual(r.json["detail"],
                         "File is not shareable yet (scan_status='infected'); must be 'clean'.")
        self.assertStatus(self.e.api("GET", "/files/%s/download" % f["id"]), 409)

    def test_large_upload_streams(self):
        self.e.admin("PATCH", "/admin/config", {"multipart_threshold": 4 * 1024 * 1024,
                                                "part_size": 2 * 1024 * 1024})
        try:
            data = os.urandom(9 * 1024 * 1024 + 5)
            f = self.e.upload(data, name="nine.bin")
            self.assertEqual(f["size"], len(data))
            self.assertEqual(self.e.admin("GET", "/admin/objects/" + f["id"]).json["sha256"],
                             hashlib.sha256(data).hexdigest())
        finally:
            self.e.admin("PATCH", "/admin/config", {"multipart_threshold": 100 * 1024 * 1024,
                                                    "part_size": 16 * 1024 * 1024})


# ==========================================================================================
class TestPartWindow(EmuTestCase):
    """Issue 12: multipart tickets carry part_count/part_size and only the asked window;
    uploads of > 1,000 parts and of 300 MiB at the defaults, stored once on disk."""
    WEIGHT = 8  # relative cost, to balance the ctest shards

    def setUp(self):
        super().setUp()
        self.e.admin("PATCH", "/admin/config", {"multipart_threshold": 65536, "part_size": 65536,
                                                "part_window": 1})

    def tearDown(self):
        self.e.admin("PATCH", "/admin/config", {"multipart_threshold": 100000000,
                                                "part_size": 16 * 1024 * 1024, "part_window": 1})

    def test_default_threshold_is_100_mb(self):
        self.tearDown()
        sp = self.e.default_space()
        self.assertEqual(self.e.admin("GET", "/admin/config").json["multipart_threshold"], 100000000)
        self.assertEqual(self.e.initiate(sp, "a.bin", 100000000).json["mode"], "single")
        t = self.e.initiate(sp, "b.bin", 100000001).json
        self.assertEqual((t["mode"], t["part_count"], t["part_size"], len(t["parts"])),
                         ("multipart", 6, 16 * 1024 * 1024, 6))

    def test_window_first_call_and_resume(self):
        sp = self.e.default_space()
        size = 1280 * 65536
        t = self.e.initiate(sp, "w.bin", size, part_from=1, part_limit=8).json
        self.assertEqual((t["mode"], t["part_count"], t["part_size"]), ("multipart", 1280, 65536))
        self.assertEqual([p["part_number"] for p in t["parts"]], list(range(1, 9)))
        # no window asked: every part
        self.assertEqual(len(self.e.initiate(sp, "all.bin", size).json["parts"]), 1280)
        # a resume (same upload, fresh URLs) with a window, capped at part_count
        r = self.e.initiate(sp, "w.bin", size, upload_id=t["upload_id"], part_from=1277, part_limit=8)
        self.assertStatus(r, 201)
        self.assertEqual((r.json["upload_id"], r.json["file_id"], r.json["key"], r.json["part_count"]),
                         (t["upload_id"], t["file_id"], t["key"], 1280))
        self.assertEqual([p["part_number"] for p in r.json["parts"]], [1277, 1278, 1279, 1280])
        r = self.e.initiate(sp, "w.bin", size, upload_id=t["upload_id"], part_from=640)
        self.assertEqual([p["part_number"] for p in r.json["parts"]], list(range(640, 1281)))
        for bad in ({"part_from": 0}, {"part_from": 1281}, {"part_limit": 0}, {"part_from": "2"},
                    {"part_limit": 1.5}, {"part_from": True}):
            r = self.e.initiate(sp, "w.bin", size, upload_id=t["upload_id"], **bad)
            self.assert422(r)
            self.assertIn(list(bad)[0], json.dumps(r.json))
        # a single upload has no parts: the fields are accepted and ignored
        one = self.e.initiate(sp, "one.bin", 1000, part_from=1, part_limit=4).json
        self.assertEqual(one["mode"], "single")
        self.assertNotIn("parts", one)
        # part_window 0: a server that ignores the fields (every part, no part_count)
        self.e.admin("PATCH", "/admin/config", {"part_window": 0})
        t0 = self.e.initiate(sp, "w0.bin", size, part_from=5, part_limit=2).json
        self.assertEqual(len(t0["parts"]), 1280)
        self.assertNotIn("part_count", t0)

    def test_resumes_are_not_upload_starts(self):
        # 300/min is a limit on upload *starts*: fetching windows of one upload does not count
        k, _, _ = self.e.new_key()
        sp = self.e.default_space(k)
        self.e.admin("PATCH", "/admin/config", {"rate_limits": {"uploads": 2}})
        try:
            t = self.e.initiate(sp, "r.bin", 1280 * 65536, key=k, part_limit=4).json
            for i in range(5):
                r = self.e.initiate(sp, "r.bin", 1280 * 65536, key=k, upload_id=t["upload_id"],
                                    part_from=1 + 4 * i, part_limit=4)
                self.assertStatus(r, 201)
            self.assertStatus(self.e.initiate(sp, "s.bin", 10, key=k), 201)
            self.assertStatus(self.e.initiate(sp, "t.bin", 10, key=k), 429)
        finally:
            self.e.admin("PATCH", "/admin/config", {"rate_limits": {"uploads": 300}})

    def upload_in_windows(self, size, part_size, window, name, data_of):
        """Initiate with a window, PUT each window's parts, fetch the next window
        by resuming, complete with every ETag; returns (file, sha256)."""
        sp = self.e.default_space()
        t = self.e.initiate(sp, name, size, part_from=1, part_limit=window).json
        count = t["part_count"]
        self.assertEqual(count, -(-size // part_size))
        sha = hashlib.sha256()
        etags = []
        first = 1
        while first <= count:
            if first > 1:
                t = self.e.initiate(sp, name, size, upload_id=t["upload_id"], part_from=first,
                                    part_limit=window).json
            self.assertEqual(t["parts"][0]["part_number"], first)
            for p in t["parts"]:
                chunk = data_of(p["part_number"], min(part_size, size - (p["part_number"] - 1) * part_size))
                sha.update(chunk)
                r = self.e.put(p["url"], chunk)
                self.assertStatus(r, 200)
                etags.append({"part_number": p["part_number"], "etag": r.header("ETag")})
            first += len(t["parts"])
        f = self.e.ok("POST", "/uploads/complete", {"upload_id": t["upload_id"], "file_id": t["file_id"],
                                                    "key": t["key"], "sha256": sha.hexdigest(),
                                                    "parts": etags}, 201)
        return f, sha.hexdigest()

    def stored_bytes(self):
        total = 0
        for root, _, names in os.walk(self.e.info["state_dir"]):
            for n in names:
                total += os.stat(os.path.join(root, n)).st_blocks * 512
        return total

    def test_1280_parts_of_64_kib(self):
        block = os.urandom(65536)
        data_of = lambda n, length: (n.to_bytes(4, "big") + block)[:length]  # noqa: E731
        before = self.stored_bytes()
        f, sha = self.upload_in_windows(1280 * 65536, 65536, 100, "eighty.bin", data_of)
        obj = self.e.admin("GET", "/admin/objects/" + f["id"]).json
        self.assertEqual((obj["size"], obj["sha256"]), (80 * 1024 * 1024, sha))
        # stored once: no part files left beside the object
        self.assertLess(self.stored_bytes() - before, 81 * 1024 * 1024)

    def test_300_mib_at_the_defaults_stored_once(self):
        self.tearDown()
        mib = os.urandom(1 << 20)
        data_of = lambda n, length: (mib * 16)[:length]  # noqa: E731
        before = self.stored_bytes()
        f, sha = self.upload_in_windows(300 << 20, 16 << 20, 8, "three-hundred.bin", data_of)
        self.assertEqual(f["size"], 300 << 20)
        self.assertEqual(self.e.admin("GET", "/admin/objects/" + f["id"]).json["sha256"], sha)
        self.assertLess(self.stored_bytes() - before, 301 << 20)
        # the emulator never held the file in memory
        with open("/proc/%d/status" % self.e.proc.pid) as st:
            peak_kb = [int(l.split()[1]) for l in st if l.startswith("VmHWM:")][0]
        self.assertLess(peak_kb, 150 * 1024)
        self.e.ok("DELETE", "/gdpr/files/" + f["id"], status=204)


# ==========================================================================================
class TestSharesQuotaGdpr(EmuTestCase):
    def test_share_pending_409_exact_detail(self):
        self.e.admin("PATCH", "/admin/config", {"scan_delay_ms": 60000})
        try:
            f = self.e.upload(b"pending", wait_clean=False)
        finally:
            self.e.admin("PATCH", "/admin/config", {"scan_delay_ms": 30})
        r = self.e.api("POST", "/shares", {"file_id": f["id"]})
        self.assertStatus(r, 409)
        self.assertEqual(r.json["detail"],
                         "File is not shareable yet (scan_status='pending'); must be 'clean'.")

    def test_permanent_and_expiring_links(self):
        data = b"0123456789" * 100
        f = self.e.upload(data, name="hello world.txt")
        perm = self.e.ok("POST", "/shares", {"file_id": f["id"], "expires_in_days": None}, 201)
        self.assertEqual(set(perm), {"id", "file_id", "permission", "expires_at", "created_at", "url"})
        self.assertIsNone(perm["expires_at"])
        self.assertEqual(perm["permission"], "view")
        self.assertTrue(perm["url"].startswith(self.e.info["raw_base"] + "/s/"))
        r = self.e.request("GET", perm["url"])
        self.assertStatus(r, 200)
        self.assertEqual(r.body, data)
        self.assertEqual(r.header("Content-Type"), "text/plain")
        self.assertEqual(r.header("Content-Length"), str(len(data)))
        self.assertTrue(r.header("Content-Disposition").startswith("inline"))
        self.assertEqual(r.header("Cache-Control"), "public, max-age=3600")
        view = self.e.ok("POST", "/shares", {"file_id": f["id"], "expires_in_days": 7,
                                             "permission": "view"}, 201)
        self.assertIsNotNone(view["expires_at"])
        r = self.e.request("GET", view["url"])
        self.assertTrue(r.header("Content-Disposition").startswith("inline"))
        self.assertEqual(r.header("Cache-Control"), "no-store")
        dl = self.e.ok("POST", "/shares", {"file_id": f["id"], "expires_in_days": 1,
                                           "permission": "download"}, 201)
        r = self.e.request("GET", dl["url"])
        self.assertTrue(r.header("Content-Disposition").startswith("attachment"))
        # ranges
        r = self.e.request("GET", perm["url"], headers={"Range": "bytes=5-14"})
        self.assertStatus(r, 206)
        self.assertEqual(r.body, data[5:15])
        self.assertEqual(r.header("Content-Range"), "bytes 5-14/1000")
        r = self.e.request("GET", perm["url"], headers={"Range": "bytes=990-"})
        self.assertEqual((r.status, r.body), (206, data[990:]))
        r = self.e.request("GET", perm["url"], headers={"Range": "bytes=-3"})
        self.assertEqual((r.status, r.body), (206, data[-3:]))
        r = self.e.request("GET", perm["url"], headers={"Range": "bytes=5000-"})
        self.assertStatus(r, 416)
        self.assertEqual(r.header("Content-Range"), "bytes */1000")
        r = self.e.request("HEAD", perm["url"])
        self.assertEqual((r.status, r.body, r.header("Content-Length")), (200, b"", "1000"))
        # list and get: no url
        lst = self.e.ok("GET", "/shares?file_id=" + f["id"])["items"]
        self.assertEqual([s["id"] for s in lst], [perm["id"], view["id"], dl["id"]])
        for s in lst:
            self.assertNotIn("url", s)
        got = self.e.ok("GET", "/shares/" + view["id"])
        self.assertNotIn("url", got)
        self.assertEqual(got["expires_at"], view["expires_at"])
        # revoke: 204, idempotent, then 404 on the raw host
        self.assertStatus(self.e.api("DELETE", "/shares/" + view["id"]), 204)
        self.assertStatus(self.e.api("DELETE", "/shares/" + view["id"]), 204)
        self.assertStatus(self.e.request("GET", view["url"]), 404)
        self.assertStatus(self.e.api("GET", "/shares/" + view["id"]), 404)
        self.assertStatus(self.e.request("GET", self.e.info["raw_base"] + "/s/unknowntoken"), 404)
        # the raw host refuses the key
        before = self.e.leaked()
        r = self.e.request("GET", perm["url"], headers={"X-API-Key": self.e.key})
        self.assertStatus(r, 400)
        self.assertEqual(self.e.leaked(), before + 1)

    def test_share_validation(self):
        f = self.e.upload(b"v")
        for body in ({"file_id": f["id"], "expires_in_days": 0}, {"file_id": f["id"], "expires_in_days": 366},
                     {"file_id": f["id"], "permission": "edit"}, {"file_id": "nope"}, {},
                     {"file_id": f["id"], "expires_in_days": "7"}):
            self.assert422(self.e.api("POST", "/shares", body))
        self.assertStatus(self.e.api("POST", "/shares", {"file_id": NOBODY}), 404)
        self.assertStatus(self.e.api("POST", "/shares", {"file_id": f["id"], "expires_in_days": 365}), 201)

    def test_quota_and_link_cap(self):
        k, _, tid = self.e.new_key()
        sp = self.e.default_space(k)
        q = self.e.ok("GET", "/quota", key=k)
        self.assertEqual(set(q), {"bytes_used", "bytes_limit", "links_used", "links_limit", "by_app"})
        self.assertEqual(q["bytes_used"], 0)
        f = self.e.upload(b"x" * 123, space_id=sp, key=k)
        q = self.e.ok("GET", "/quota", key=k)
        self.assertEqual(q["bytes_used"], 123)
        self.assertEqual(q["by_app"], [{"app": "fluidcloud", "bytes": 123, "files": 1}])
        self.e.admin("PATCH", "/admin/tenants/" + tid, {"links_limit": 2, "bytes_limit": 10 ** 9})
        self.e.ok("POST", "/shares", {"file_id": f["id"], "expires_in_days": 3}, 201, key=k)
        self.e.ok("POST", "/shares", {"file_id": f["id"], "expires_in_days": 3}, 201, key=k)
        r = self.e.api("POST", "/shares", {"file_id": f["id"], "expires_in_days": 3}, key=k)
        self.assertStatus(r, 402)
        self.assertIn("quota_exceeded", json.dumps(r.json))
        self.assertEqual(r.json, {"detail": "quota_exceeded"})  # [contract] string form at the link cap
        self.e.ok("POST", "/shares", {"file_id": f["id"]}, 201, key=k)  # permanent: not counted
        q = self.e.ok("GET", "/quota", key=k)
        self.assertEqual((q["links_used"], q["links_limit"], q["bytes_limit"]), (2, 2, 10 ** 9))

    def test_key_never_accepted_by_storage_or_raw(self):
        f = self.e.upload(b"leak check")
        sh = self.e.ok("POST", "/shares", {"file_id": f["id"]}, 201)
        dl = self.e.ok("GET", "/files/%s/download" % f["id"])["url"]
        # a normal upload and download never send the key to storage
        self.assertStatus(self.e.admin("DELETE", "/admin/requests"), 200)
        g = self.e.upload(b"clean flow")
        self.e.request("GET", self.e.ok("GET", "/files/%s/download" % g["id"])["url"])
        for listener in ("storage", "raw"):
            for x in self.e.admin("GET", "/admin/requests?listener=" + listener).json["requests"]:
                self.assertFalse({"x-api-key", "authorization"} & {h.lower() for h in x["headers"]}, x)
        self.assertStatus(self.e.admin("POST", "/admin/reset"), 200)
        self.assertEqual(self.e.leaked(), 0)
        cases = [(sh["url"], {"X-API-Key": self.e.key}), (sh["url"], {"Authorization": "Bearer " + self.e.key}),
                 (sh["url"], {"Authorization": "Basic Zm9vOmJhcg=="}),
                 (dl, {"X-API-Key": self.e.key}), (dl, {"Authorization": "Bearer " + self.e.key})]
        for n, (url, h) in enumerate(cases, 1):
            r = self.e.request("GET", url, headers=h)
            self.assertStatus(r, 400)
            self.assertNotIn(b"leak check", r.body)
            self.assertEqual(self.e.leaked(), n)
        # without credentials both serve
        self.assertEqual(self.e.request("GET", sh["url"]).body, b"leak check")
        self.assertEqual(self.e.request("GET", dl).body, b"leak check")
        self.assertEqual(self.e.leaked(), len(cases))

    def test_gdpr_file_purge(self):
        data = b"secret" * 10
        f = self.e.upload(data)
        sh = self.e.ok("POST", "/shares", {"file_id": f["id"]}, 201)
        self.assertStatus(self.e.request("GET", sh["url"]), 200)
        self.assertStatus(self.e.api("DELETE", "/gdpr/files/" + f["id"]), 204)
        self.assertStatus(self.e.api("DELETE", "/gdpr/files/" + f["id"]), 204)
        self.assertStatus(self.e.api("GET", "/files/" + f["id"]), 404)
        self.assertStatus(self.e.request("GET", sh["url"]), 404)
        self.assertStatus(self.e.admin("GET", "/admin/objects/" + f["id"]), 404)
        self.assertStatus(self.e.api("GET", "/shares/" + sh["id"]), 404)

    def test_gdpr_trash(self):
        sp = self.e.ok("POST", "/spaces", {"name": "trash-test"}, 201)["id"]
        d = self.e.ok("POST", "/folders", {"space_id": sp, "name": "d"}, 201)
        f = self.e.upload(b"a", space_id=sp, folder_id=d["id"])
        g = self.e.upload(b"b", space_id=sp)
        self.assertStatus(self.e.api("DELETE", "/folders/" + d["id"]), 200)
        r = self.e.api("DELETE", "/gdpr/trash?space_id=" + sp)
        self.assertStatus(r, 202)
        time.sleep(0.2)
        self.assertStatus(self.e.api("GET", "/files/" + f["id"]), 404)
        self.assertStatus(self.e.api("GET", "/folders/" + d["id"]), 404)
        self.assertStatus(self.e.api("GET", "/files/" + g["id"]), 200)
        self.assert422(self.e.api("DELETE", "/gdpr/trash?space_id=bad"))


# ==========================================================================================
class TestDocsBehaviour(EmuTestCase):
    """Issue 15: the emulator behaves like the docs say, and is lenient where they are vague."""
    WEIGHT = 2  # relative cost, to balance the ctest shards

    def setUp(self):
        super().setUp()
        self.defaults = self.e.admin("GET", "/admin/config").json

    def tearDown(self):
        cfg = {k: v for k, v in self.defaults.items() if k != "rate_limits"}
        self.assertStatus(self.e.admin("PATCH", "/admin/config", cfg), 200)

    def config(self, **kw):
        r = self.e.admin("PATCH", "/admin/config", kw)
        self.assertStatus(r, 200)
        return r.json

    # ---- 2: Authorization ----------------------------------------------------------------
    def test_bearer_scheme_is_case_insensitive(self):
        for scheme in ("Bearer", "bearer", "BEARER", "bEaReR"):
            r = self.e.api("GET", "/me", key="", headers={"Authorization": "%s %s" % (scheme, self.e.key)})
            self.assertStatus(r, 200)
        r = self.e.api("GET", "/me", key="", headers={"Authorization": "Bearer   %s  " % self.e.key})
        self.assertStatus(r, 200)
        r = self.e.api("GET", "/me", key="", headers={"Authorization": "Basic " + self.e.key})
        self.assertStatus(r, 401)

    def test_keys_of_any_length_and_bearer_tokens(self):
        tid = self.e.info["tenant_id"]
        # the docs say fck_live_... / fck_test_...: no length, no alphabet
        for key in ("fck_live_" + "Ab9" * 16, "fck_test_short", "fck_live_" + "f" * 64,
                    "partner-token.eyJhbGciOiJIUzI1NiJ9.x-y_z"):
            r = self.e.admin("POST", "/admin/keys", {"tenant_id": tid, "key": key})
            self.assertStatus(r, 201)
            self.assertEqual(r.json["key"], key)
            self.assertStatus(self.e.api("GET", "/me", key="", headers={"Authorization": "Bearer " + key}), 200)
            if key.startswith("fck_"):
                me = self.e.ok("GET", "/me", key=key)
                self.assertEqual(me["mode"], "test" if key.startswith("fck_test_") else "live")
        # an unknown key of another length is unknown, not "malformed"
        r = self.e.api("GET", "/me", key="fck_live_" + "a" * 40)
        self.assertEqual((r.status, r.json["detail"]), (401, "Invalid or revoked API key"))
        r = self.e.api("GET", "/me", key="nonsense")
        self.assertEqual((r.status, r.json["detail"]), (401, "Malformed API key"))
        self.assertStatus(self.e.admin("POST", "/admin/keys", {"tenant_id": tid, "key": "has space"}), 400)
        self.assertStatus(self.e.admin("POST", "/admin/keys", {"tenant_id": tid, "key": self.e.key}), 400)

    # ---- 3: expiring links default to a download --------------------------------------------
    def test_expiring_links_default_to_download(self):
        f = self.e.upload(b"disposition", name="d.txt")
        exp = self.e.ok("POST", "/shares", {"file_id": f["id"], "expires_in_days": 3}, 201)
        self.assertEqual(exp["permission"], "download")
        self.assertTrue(self.e.request("GET", exp["url"]).header("Content-Disposition").startswith("attachment"))
        view = self.e.ok("POST", "/shares", {"file_id": f["id"], "expires_in_days": 3,
                                             "permission": "view"}, 201)
        self.assertTrue(self.e.request("GET", view["url"]).header("Content-Disposition").startswith("inline"))
        perm = self.e.ok("POST", "/shares", {"file_id": f["id"]}, 201)
        self.assertEqual(perm["permission"], "view")
        self.assertTrue(self.e.request("GET", perm["url"]).header("Content-Disposition").startswith("inline"))

    # ---- 4: the whole trash --------------------------------------------------------------
    def test_gdpr_trash_without_space_empties_every_space(self):
        a = self.e.ok("POST", "/spaces", {"name": "trash-a"}, 201)["id"]
        b = self.e.ok("POST", "/spaces", {"name": "trash-b"}, 201)["id"]
        fa = self.e.upload(b"a", space_id=a)
        fb = self.e.upload(b"b", space_id=b)
        keep = self.e.upload(b"c", space_id=b)
        da = self.e.ok("POST", "/folders", {"space_id": a, "name": "da"}, 201)
        for path in ("/files/" + fa["id"], "/files/" + fb["id"], "/folders/" + da["id"]):
            self.assertIn(self.e.api("DELETE", path).status, (200, 204))
        other, _, _ = self.e.new_key()
        theirs = self.e.upload(b"theirs", key=other)
        self.e.api("DELETE", "/files/" + theirs["id"], key=other)
        r = self.e.api("DELETE", "/gdpr/trash")
        self.assertStatus(r, 202)
        self.assertEqual(r.json, {"detail": "Trash purge accepted", "space_id": None})
        for path in ("/files/" + fa["id"], "/files/" + fb["id"], "/folders/" + da["id"]):
            self.assertStatus(self.e.api("GET", path), 404)
        self.assertStatus(self.e.api("GET", "/files/" + keep["id"]), 200)
        self.assertStatus(self.e.api("GET", "/files/" + theirs["id"], key=other), 200)  # only our tenant

    # ---- 5: soft deletes return the record ------------------------------------------------
    def test_soft_delete_answers_record_or_204(self):
        self.assertEqual(self.defaults["delete_response"], "record")
        f = self.e.upload(b"del")
        sp = self.e.default_space()
        d = self.e.ok("POST", "/folders", {"space_id": sp, "name": "del-d"}, 201)
        for path, rec in (("/files/" + f["id"], f), ("/folders/" + d["id"], d)):
            r = self.e.api("DELETE", path)
            self.assertStatus(r, 200)
            self.assertEqual(r.json["id"], rec["id"])
            self.assertIsNotNone(r.json["deleted_at"])
            again = self.e.api("DELETE", path)  # idempotent: the same result
            self.assertEqual((again.status, again.json), (200, r.json))
            self.e.ok("POST", path + "/restore")
        self.assertStatus(self.e.api("DELETE", "/files/" + NOBODY), 204)  # nothing to return
        self.config(delete_response="empty")
        for path in ("/files/" + f["id"], "/folders/" + d["id"]):
            r = self.e.api("DELETE", path)
            self.assertEqual((r.status, r.body), (204, b""))
        self.assertStatus(self.e.admin("PATCH", "/admin/config", {"delete_response": "maybe"}), 400)

    # ---- 6: edge cache ---------------------------------------------------------------------
    def test_edge_cache_serves_revoked_permanent_links(self):
        self.assertEqual((self.defaults["edge_cache"], self.defaults["edge_cache_s"]), (1, 3600))
        self.config(edge_cache_s=1)
        data = b"cached bytes"
        f = self.e.upload(data, name="c.txt")
        fetched = self.e.ok("POST", "/shares", {"file_id": f["id"]}, 201)
        never = self.e.ok("POST", "/shares", {"file_id": f["id"]}, 201)
        expiring = self.e.ok("POST", "/shares", {"file_id": f["id"], "expires_in_days": 1,
                                                 "permission": "view"}, 201)
        r = self.e.request("GET", fetched["url"])
        self.assertEqual((r.status, r.header("X-Cache"), r.header("Cache-Control")),
                         (200, "MISS", "public, max-age=1"))
        self.assertEqual(self.e.request("GET", fetched["url"]).header("X-Cache"), "HIT")
        self.assertStatus(self.e.request("GET", expiring["url"]), 200)
        for s in (fetched, never, expiring):
            self.assertStatus(self.e.api("DELETE", "/shares/" + s["id"]), 204)
        r = self.e.request("GET", fetched["url"])  # fetched before the revoke: still served
        self.assertEqual((r.status, r.body, r.header("X-Cache")), (200, data, "HIT"))
        self.assertIsNotNone(r.header("Age"))
        self.assertStatus(self.e.request("GET", never["url"]), 404)     # never cached
        g = self.e.upload(b"trashed", name="t.txt")
        link = self.e.ok("POST", "/shares", {"file_id": g["id"]}, 201)["url"]
        self.assertStatus(self.e.request("GET", link), 200)
        self.assertIn(self.e.api("DELETE", "/files/" + g["id"]).status, (200, 204))
        self.assertStatus(self.e.request("GET", link), 404)  # a trashed file: 404, cached or not
        self.assertStatus(self.e.request("GET", expiring["url"]), 404)  # no-store: never cached
        time.sleep(1.1)
        self.assertStatus(self.e.request("GET", fetched["url"]), 404)   # max-age lapsed
        # switched off: a revoke is immediate
        self.config(edge_cache=0)
        g = self.e.ok("POST", "/shares", {"file_id": f["id"]}, 201)
        self.assertEqual(self.e.request("GET", g["url"]).header("X-Cache"), None)
        self.e.api("DELETE", "/shares/" + g["id"])
        self.assertStatus(self.e.request("GET", g["url"]), 404)

    # ---- 7: scan values ---------------------------------------------------------------------
    def test_scan_results_and_interim_value(self):
        self.config(scan_delay_ms=150, scan_interim="scanning", scan_result="clean")
        f = self.e.upload(b"interim", wait_clean=False)
        seen = [f["scan_status"]]
        end = time.time() + 5
        while seen[-1] not in ("clean",) and time.time() < end:
            g = self.e.ok("GET", "/files/" + f["id"])
            if g["scan_status"] != seen[-1]:
                seen.append(g["scan_status"])
                self.assertEqual(g["status"], "ready" if g["scan_status"] == "clean" else "draft")
            time.sleep(0.01)
        self.assertEqual(seen, ["pending", "scanning", "clean"])
        self.config(scan_delay_ms=20, scan_interim="")
        for result in ("infected", "error", "suspicious"):  # "(other): did not pass"
            self.config(scan_result=result)
            g = self.e.upload(b"any bytes", wait_clean=True)
            self.assertEqual((g["scan_status"], g["status"]), (result, "draft"))
            r = self.e.api("POST", "/shares", {"file_id": g["id"]})
            self.assertEqual(r.json["detail"],
                             "File is not shareable yet (scan_status='%s'); must be 'clean'." % result)
        self.config(scan_result="auto")
        self.assertEqual(self.e.upload(EICAR, name="e.txt")["scan_status"], "infected")
        self.assertEqual(self.e.upload(b"fine")["scan_status"], "clean")
        # one file's verdict, set by hand
        h = self.e.upload(b"by hand")
        r = self.e.admin("POST", "/admin/files/%s/scan" % h["id"], {"scan_status": "error"})
        self.assertEqual((r.status, r.json["scan_status"], r.json["status"]), (200, "error", "draft"))
        self.assertEqual(self.e.ok("GET", "/files/" + h["id"])["scan_status"], "error")
        r = self.e.admin("POST", "/admin/files/%s/scan" % h["id"], {"scan_status": "clean"})
        self.assertEqual(r.json["status"], "ready")
        self.assertStatus(self.e.admin("POST", "/admin/files/%s/scan" % NOBODY, {"scan_status": "clean"}), 404)
        self.assertStatus(self.e.admin("PATCH", "/admin/config", {"scan_result": ""}), 400)

    # ---- 8: 422 bodies in both forms ----------------------------------------------------------
    def test_422_string_and_list_forms(self):
        self.assertEqual(self.defaults["validation_detail"], "auto")
        sp = self.e.default_space()
        shape = lambda: self.e.api("POST", "/shares", {"file_id": "not-a-uuid"})  # noqa: E731
        t = self.e.initiate(sp, "v.bin", 10).json
        self.assertStatus(self.e.put(t["url"], b"0123456789", t["headers"]), 200)
        rule = lambda: self.e.api("POST", "/uploads/complete", {  # noqa: E731
            "upload_id": t["upload_id"], "file_id": t["file_id"], "key": t["key"], "sha256": "0" * 64})
        # auto: request-shape errors as FastAPI lists, the service's own checks as strings
        d = shape().json["detail"]
        self.assertEqual((d[0]["loc"], d[0]["type"]), (["body", "file_id"], "type_error.uuid"))
        r = rule()
        self.assertStatus(r, 422)
        self.assertIsInstance(r.json["detail"], str)
        self.assertIn("sha256", r.json["detail"])
        self.config(validation_detail="list")
        self.assertEqual(rule().json["detail"][0]["loc"], ["body", "sha256"])
        self.config(validation_detail="string")
        self.assertEqual(shape().json["detail"], "file_id: value is not a valid uuid")
        self.assertIsInstance(rule().json["detail"], str)
        self.assertIsInstance(self.e.api("GET", "/files?limit=0").json["detail"], str)
        self.assertStatus(self.e.admin("PATCH", "/admin/config", {"validation_detail": "xml"}), 400)

    # ---- 9: the minimal ticket ----------------------------------------------------------------
    def test_minimal_ticket_and_complete_without_upload_id(self):
        self.config(ticket_shape="minimal", multipart_threshold=65536, part_size=32768)
        sp = self.e.default_space()
        single = self.e.initiate(sp, "m.txt", 5).json
        self.assertEqual(set(single), {"file_id", "key", "url", "headers"})
        data = os.urandom(70000)
        multi = self.e.initiate(sp, "m.bin", len(data), part_from=2, part_limit=1).json
        self.assertEqual(set(multi), {"file_id", "key", "part_size", "parts"})
        self.assertEqual([p["part_number"] for p in multi["parts"]], [1, 2, 3])  # no window either
        parts = []
        for p in multi["parts"]:
            n = p["part_number"]
            r = self.e.put(p["url"], data[(n - 1) * 32768:n * 32768])
            parts.append({"part_number": n, "etag": r.header("ETag")})
        f = self.e.ok("POST", "/uploads/complete", {"file_id": multi["file_id"], "key": multi["key"],
                                                    "sha256": hashlib.sha256(data).hexdigest(),
                                                    "parts": parts}, 201)
        self.assertEqual(f["id"], multi["file_id"])
        self.assertStatus(self.e.put(single["url"], b"hello", single["headers"]), 200)
        r = self.e.api("POST", "/uploads/complete", {"file_id": single["file_id"], "key": "wrong",
                                                     "sha256": hashlib.sha256(b"hello").hexdigest()})
        self.assert422(r)
        self.e.ok("POST", "/uploads/complete", {"file_id": single["file_id"], "key": single["key"],
                                                "sha256": hashlib.sha256(b"hello").hexdigest()}, 201)
        self.assertStatus(self.e.api("POST", "/uploads/complete", {"file_id": NOBODY, "key": "k",
                                                                   "sha256": "0" * 64}), 404)
        self.assertStatus(self.e.admin("PATCH", "/admin/config", {"ticket_shape": "tiny"}), 400)


# ==========================================================================================
class TestValidationRobustness(EmuTestCase):
    def test_malformed_json_400(self):
        r = self.e.api("POST", "/spaces", headers={"Content-Type": "application/json"})
        self.assertIn(r.status, (400, 422))
        for raw in (b"{", b"{'a': 1}", b"\xff\xfe", b"[1,"):
            r = self.e.request("POST", self.e.info["api_base"] + "/spaces", raw,
                               {"X-API-Key": self.e.key, "Content-Type": "application/json"})
            self.assertStatus(r, 400)
            self.assertIn("detail", r.json)
        r = self.e.api("POST", "/spaces", [1, 2])
        self.assert422(r)

    def test_field_errors_are_fastapi_like(self):
        r = self.e.api("POST", "/shares", {"file_id": "not-a-uuid"})
        self.assertStatus(r, 422)
        d = r.json["detail"]
        self.assertIsInstance(d, list)
        self.assertEqual(set(d[0]) >= {"loc", "msg", "type"}, True)
        self.assertEqual(d[0]["loc"][-1], "file_id")
        r = self.e.api("GET", "/spaces/1234")
        self.assertStatus(r, 422)
        self.assertEqual(r.json["detail"][0]["loc"], ["path", "space_id"])
        r = self.e.api("GET", "/files?space_id=zzz")
        self.assertStatus(r, 422)
        self.assertEqual(r.json["detail"][0]["loc"], ["query", "space_id"])

    def test_413_body(self):
        self.e.admin("PATCH", "/admin/config", {"max_body_size": 1000})
        try:
            r = self.e.api("POST", "/spaces", {"name": "x" * 2000})
            self.assertStatus(r, 413)
            self.assertStatus(self.e.api("GET", "/me"), 200)  # same connection still good
        finally:
            self.e.admin("PATCH", "/admin/config", {"max_body_size": 1024 * 1024})

    def test_wrong_content_type_422(self):
        r = self.e.request("POST", self.e.info["api_base"] + "/spaces", b'{"name":"x"}',
                           {"X-API-Key": self.e.key, "Content-Type": "text/plain"})
        self.assertStatus(r, 422)

    def test_unknown_paths_and_methods(self):
        self.assertStatus(self.e.api("GET", "/nope"), 404)
        self.assertStatus(self.e.api("PUT", "/spaces"), 405)
        self.assertStatus(self.e.request("GET", self.e.info["api_base"].replace("/api/v1", "/x")), 404)

    def test_keep_alive_survives_errors_with_bodies(self):
        # A 401 / 404 / 403 answered to a request with a body must not leave
        # the body in the connection: the next request on it must work.
        c = self.e.conn_for(self.e.info["api_base"], fresh=True)
        body = json.dumps({"name": "x" * 150, "pad": "y" * 1000})
        for key, path in (("fck_live_" + "1" * 32, "/spaces"), (self.e.key, "/nothing"),
                          ("", "/spaces"), (self.e.key, "/spaces")):
            h = {"Content-Type": "application/json"}
            if key:
                h["X-API-Key"] = key
            c.request("POST", "/api/v1" + path, body=body, headers=h)
            r = c.getresponse()
            r.read()
            self.assertIn(r.status, (401, 404, 201))
        c.request("GET", "/api/v1/me", headers={"X-API-Key": self.e.key})
        r = c.getresponse()
        self.assertEqual(r.status, 200)
        r.read()
        c.close()

    def test_malformed_requests_do_not_crash(self):
        host = self.e.host_header("api")
        junk = [b"GARBAGE\r\n\r\n", b"GET\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n",
                b"\x00\x01\x02\x03\r\n\r\n", b"GET /api/v1/me HTTP/1.1\r\nConnection: close\r\nBad Header\r\n\r\n",
                ("POST /api/v1/spaces HTTP/1.1\r\nHost: %s\r\nContent-Length: abc\r\n\r\n" % host).encode(),
                ("GET /api/v1/me HTTP/1.1\r\nHost: %s\r\n" % host).encode() + b"X: " + b"a" * 70000 + b"\r\n\r\n"]
        key = self.e.key.encode()
        junk += [
            # invalid UTF-8 in the request line and in a header value
            b"GET /api/v1/m\xff\xfe HTTP/1.1\r\nHost: x\r\nX-API-Key: \xff\xff\r\nConnection: close\r\n\r\n",
            # invalid UTF-8 as the JSON body
            b"POST /api/v1/spaces HTTP/1.1\r\nHost: x\r\nX-API-Key: " + key + b"\r\nConnection: close\r\n"
            b"Content-Type: application/json\r\nContent-Length: 6\r\n\r\n{\"\xff\xfe\"}",
            # not JSON at all
            b"POST /api/v1/spaces HTTP/1.1\r\nHost: x\r\nX-API-Key: " + key + b"\r\nConnection: close\r\n"
            b"Content-Type: application/json\r\nContent-Length: 5\r\n\r\nhello",
            # negative and absurd Content-Length (no body follows)
            b"POST /api/v1/spaces HTTP/1.1\r\nHost: x\r\nX-API-Key: " + key + b"\r\nContent-Length: -5\r\n\r\n",
            b"POST /api/v1/spaces HTTP/1.1\r\nHost: x\r\nX-API-Key: " + key
            + b"\r\nContent-Length: 99999999999\r\n\r\n",
            # too many headers
            b"GET /api/v1/me HTTP/1.1\r\n" + b"".join(b"H%d: v\r\n" % i for i in range(200)) + b"\r\n",
        ]
        for j in junk:
            out, timed_out = self.e.raw_exchange("api", j, timeout=3, shut_write=True)
            self.assertTrue(out, "no answer to %r" % j[:60])
            self.assertRegex(out[:12].decode("latin-1"), r"^HTTP/1\.1 (4\d\d|505)", (j[:60], out[:80]))
            self.assertIn(b"\r\n\r\n{\"detail\": ", out)  # a JSON error body
        for listener in ("storage", "raw"):
            for j in (b"NOT HTTP AT ALL\r\n\r\n", b"GARBAGE\r\n\r\n",
                      b"PUT /o/x HTTP/1.1\r\nHost: x\r\nContent-Length: zz\r\n\r\n"):
                out, _ = self.e.raw_exchange(listener, j, timeout=3, shut_write=True)
                self.assertTrue(out, "no answer from %s to %r" % (listener, j))
                self.assertRegex(out[:12].decode("latin-1"), r"^HTTP/1\.1 4\d\d", out[:80])
        # the server is still serving, on every listener
        self.assertStatus(self.e.api("GET", "/me", fresh=True), 200)
        f = self.e.upload(b"still alive")
        sh = self.e.ok("POST", "/shares", {"file_id": f["id"]}, 201)
        self.assertEqual(self.e.request("GET", sh["url"], fresh=True).body, b"still alive")

    def test_many_concurrent_clients(self):
        errors = []
        sp = self.e.default_space()

        def worker(n):
            e = Emu.__new__(Emu)  # same emulator, own connections
            e.__dict__.update({k: v for k, v in self.e.__dict__.items() if k != "_conns"})
            e._conns = {}
            try:
                for _ in range(5):
                    r = e.api("GET", "/me")
                    if r.status != 200:
                        errors.append(r.status)
                data = ("thread %d " % n).encode() * 100
                f = e.upload(data, name="t%d.txt" % n, space_id=sp)
                sh = e.ok("POST", "/shares", {"file_id": f["id"]}, 201)
                if e.request("GET", sh["url"]).body != data:
                    errors.append("raw link %d" % n)
            except Exception as ex:  # noqa: BLE001
                errors.append(repr(ex))
            finally:
                e.close_conns()

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(20)]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        self.assertEqual(errors, [])
        self.assertLess(time.monotonic() - t0, 30)
        self.assertStatus(self.e.api("GET", "/me"), 200)

    def test_keep_alive_two_requests_one_connection(self):
        c = self.e.conn_for(self.e.info["api_base"], fresh=True)
        try:
            c.request("GET", "/api/v1/me", headers={"X-API-Key": self.e.key})
            r = c.getresponse()
            self.assertEqual(r.status, 200)
            self.assertFalse(r.will_close)
            r.read()
            sock = c.sock
            self.assertIsNotNone(sock)
            body = json.dumps({"name": "keep-alive"})
            c.request("POST", "/api/v1/spaces", body=body,
                      headers={"X-API-Key": self.e.key, "Content-Type": "application/json"})
            r = c.getresponse()
            self.assertEqual(r.status, 201)
            r.read()
            self.assertIs(c.sock, sock)  # the same TCP (and TLS) connection
        finally:
            c.close()
        # the same on the storage and raw listeners
        f = self.e.upload(b"ka")
        sh = self.e.ok("POST", "/shares", {"file_id": f["id"]}, 201)
        c = self.e.conn_for(sh["url"], fresh=True)
        try:
            socks = []
            for _ in range(2):
                c.request("GET", urllib.parse.urlsplit(sh["url"]).path)
                r = c.getresponse()
                self.assertEqual((r.status, r.read()), (200, b"ka"))
                socks.append(c.sock)
            self.assertIs(socks[0], socks[1])
        finally:
            c.close()


# ==========================================================================================
class TestRateLimits(EmuTestCase):
    WEIGHT = 2  # relative cost, to balance the ctest shards
    def tearDown(self):
        self.e.admin("PATCH", "/admin/config", {"rate_limits": {"overall": 600, "shares": 120,
                                                                 "uploads": 300, "imports": 30},
                                                 "rate_window_s": 60})

    def test_overall_limit_429_then_recovers(self):
        k, _, _ = self.e.new_key()
        self.e.admin("PATCH", "/admin/config", {"rate_limits": {"overall": 5}, "rate_window_s": 2})
        statuses = [self.e.api("GET", "/me", key=k) for _ in range(7)]
        self.assertEqual([r.status for r in statuses[:5]], [200] * 5)
        r = statuses[5]
        self.assertStatus(r, 429)
        self.assertEqual(r.json, {"detail": RATE_DETAIL})
        self.assertIn("\u2014".encode("utf-8"), r.body)
        ra = int(r.header("Retry-After"))
        self.assertTrue(1 <= ra <= 60)
        # another key is not affected
        self.assertStatus(self.e.api("GET", "/me"), 200)
        time.sleep(ra + 0.1)
        self.assertStatus(self.e.api("GET", "/me", key=k), 200)

    def assert429(self, r, window):
        self.assertStatus(r, 429)
        self.assertEqual(r.json, {"detail": RATE_DETAIL})
        self.assertIn("\u2014".encode("utf-8"), r.body)  # a real em dash, UTF-8
        ra = int(r.header("Retry-After"))
        self.assertTrue(1 <= ra <= window, ra)
        return ra

    def test_per_action_limits(self):
        k, _, _ = self.e.new_key()
        sp = self.e.default_space(k)
        f = self.e.upload(b"rl", space_id=sp, key=k)
        src = self.e.ok("POST", "/shares", {"file_id": f["id"]}, 201, key=k)  # to import from
        # (changing the rate settings starts fresh windows)
        self.e.admin("PATCH", "/admin/config", {"rate_limits": {"shares": 2, "uploads": 2, "imports": 1},
                                                "rate_window_s": 2})
        imp = {"url": src["url"], "space_id": sp}
        self.assertStatus(self.e.api("POST", "/shares", {"file_id": f["id"]}, key=k), 201)
        self.assertStatus(self.e.api("POST", "/shares", {"file_id": f["id"]}, key=k), 201)
        ra = [self.assert429(self.e.api("POST", "/shares", {"file_id": f["id"]}, key=k), 2)]
        self.assertStatus(self.e.initiate(sp, "a", 1, key=k), 201)
        self.assertStatus(self.e.initiate(sp, "a", 1, key=k), 201)
        ra.append(self.assert429(self.e.initiate(sp, "a", 1, key=k), 2))
        self.assertStatus(self.e.api("POST", "/uploads/import-url", imp, key=k), 202)
        ra.append(self.assert429(self.e.api("POST", "/uploads/import-url", imp, key=k), 2))
        # other actions of the same key are not limited by those buckets
        self.assertStatus(self.e.api("GET", "/files/" + f["id"], key=k), 200)
        self.assertStatus(self.e.api("GET", "/shares?file_id=" + f["id"], key=k), 200)
        # nor is another key
        self.assertStatus(self.e.api("POST", "/shares", {"file_id": self.e.upload(b"o")["id"]}), 201)
        time.sleep(max(ra) + 0.1)  # a new window
        self.assertStatus(self.e.api("POST", "/shares", {"file_id": f["id"]}, key=k), 201)
        self.assertStatus(self.e.initiate(sp, "a", 1, key=k), 201)
        self.assertStatus(self.e.api("POST", "/uploads/import-url", imp, key=k), 202)


# ==========================================================================================
class TestFaults(EmuTestCase):
    WEIGHT = 4  # relative cost, to balance the ctest shards
    def req_bytes(self, method="GET", path="/api/v1/me", body=b"", listener="api"):
        h = "%s %s HTTP/1.1\r\nHost: %s\r\nX-API-Key: %s\r\n" % (method, path, self.e.host_header(listener),
                                                                self.e.key)
        if body:
            h += "Content-Type: application/json\r\nContent-Length: %d\r\n" % len(body)
        return h.encode() + b"\r\n" + body

    def test_fault_admin_list_and_clear(self):
        fid = self.e.fault(listener="api", action="status", status=500, count=3, path_prefix="/api/v1/quota")
        lst = self.e.admin("GET", "/admin/faults").json
        self.assertIn(fid, json.dumps(lst))
        self.assertStatus(self.e.admin("DELETE", "/admin/faults"), 200)
        self.assertNotIn(fid, json.dumps(self.e.admin("GET", "/admin/faults").json))
        self.assertStatus(self.e.admin("POST", "/admin/faults", {"listener": "nope", "action": "status"}), 400)
        self.assertStatus(self.e.admin("POST", "/admin/faults", {"listener": "api", "action": "nope"}), 400)

    def test_status_fault_matching(self):
        self.e.fault(listener="api", method="GET", path_prefix="/api/v1/quota", action="status",
                     status=503, retry_after=2, count=2)
        self.assertStatus(self.e.api("GET", "/me"), 200)                # other path
        self.assertStatus(self.e.api("POST", "/quota"), 405)            # other method
        r = self.e.api("GET", "/quota")
        self.assertStatus(r, 503)
        self.assertEqual(r.header("Retry-After"), "2")
        self.assertStatus(self.e.api("GET", "/quota"), 503)
        self.assertStatus(self.e.api("GET", "/quota"), 200)             # count used up
        self.e.fault(listener="api", action="status", status=429, retry_after=1)
        r = self.e.api("GET", "/me")
        self.assertEqual((r.status, r.header("Retry-After")), (429, "1"))
        self.assertEqual(r.json, {"detail": RATE_DETAIL})
        self.e.fault(listener="api", action="status")  # default: 500
        r = self.e.api("GET", "/me")
        self.assertEqual((r.status, r.json), (500, {"detail": "injected fault 500"}))
        self.assertStatus(self.e.api("GET", "/me"), 200)  # connection still usable
        # a status fault is answered instead of the request: nothing is created
        name = "faulted-%s" % uuid.uuid4().hex[:6]
        self.e.fault(listener="api", method="POST", path_prefix="/api/v1/spaces", action="status",
                     status=503)
        self.assertStatus(self.e.api("POST", "/spaces", {"name": name}), 503)
        self.assertNotIn(name, [x["name"] for x in self.e.ok("GET", "/spaces?limit=200")["items"]])
        self.e.fault(listener="api", action="status", status=502, body={"detail": "bad gateway"})
        r = self.e.api("GET", "/me")
        self.assertEqual((r.status, r.json), (502, {"detail": "bad gateway"}))

    def test_delay(self):
        self.e.fault(listener="api", action="delay", delay_ms=400)
        t = time.monotonic()
        self.assertStatus(self.e.api("GET", "/me"), 200)
        self.assertGreaterEqual(time.monotonic() - t, 0.38)

    def test_stall(self):
        self.e.fault(listener="api", action="stall")
        out, timed_out = self.e.raw_exchange("api", self.req_bytes(), timeout=0.8)
        self.assertTrue(timed_out)
        self.assertEqual(out, b"")
        self.assertStatus(self.e.api("GET", "/me", fresh=True), 200)

    def test_stall_holds_connection_while_serving_others(self):
        self.e.fault(listener="api", action="stall")
        stalled = self.e.raw_socket("api", timeout=0.5)
        try:
            stalled.sendall(self.req_bytes())
            time.sleep(0.1)
            # the stalled connection stays open and silent; everyone else is served
            for _ in range(3):
                self.assertStatus(self.e.api("GET", "/me", fresh=True), 200)
            self.assertStatus(self.e.api("GET", "/quota"), 200)
            with self.assertRaises(socket.timeout):
                stalled.recv(1)
        finally:
            stalled.close()
        # http.client side: the client's own timeout fires
        self.e.fault(listener="api", action="stall")
        c = self.e.conn_for(self.e.info["api_base"], fresh=True, timeout=0.5)
        try:
            c.request("GET", "/api/v1/me", headers={"X-API-Key": self.e.key})
            with self.assertRaises(socket.timeout):
                c.getresponse()
        finally:
            c.close()
        # a stalled storage PUT: the client times out, a retry goes through
        sp = self.e.default_space()
        t = self.e.initiate(sp, "stall.bin", 100).json
        self.e.fault(listener="storage", method="PUT", action="stall")
        with self.assertRaises(socket.timeout):
            self.e.put(t["url"], b"s" * 100, t["headers"], fresh=True, timeout=0.5)
        self.assertStatus(self.e.put(t["url"], b"s" * 100, t["headers"]), 200)

    def test_close_after_response_bytes(self):
        self.e.fault(listener="api", action="close_after_response_bytes", bytes=12)
        out, timed_out = self.e.raw_exchange("api", self.req_bytes())
        self.assertFalse(timed_out)
        self.assertEqual(out, b"HTTP/1.1 200")

    def test_close_after_request_bytes_not_processed(self):
        name = "never-%s" % uuid.uuid4().hex[:6]
        self.e.fault(listener="api", method="POST", action="close_after_request_bytes", bytes=40)
        out, timed_out = self.e.raw_exchange("api", self.req_bytes("POST", "/api/v1/spaces",
                                                                   json.dumps({"name": name}).encode()))
        self.assertEqual(out, b"")
        self.assertFalse(timed_out)
        names = [s["name"] for s in self.e.ok("GET", "/spaces?limit=200")["items"]]
        self.assertNotIn(name, names)

    def test_one_byte(self):
        self.e.fault(listener="api", action="one_byte")
        req = self.req_bytes().replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n")
        out, timed_out = self.e.raw_exchange("api", req)
        self.assertFalse(timed_out)
        head, _, body = out.partition(b"\r\n\r\n")
        self.assertTrue(head.startswith(b"HTTP/1.1 200"), head)
        self.assertEqual(json.loads(body)["tenant_id"], self.e.info["tenant_id"])
        if self.e.tls:
            # one write per byte = one TLS record per byte: every recv() gets one byte
            self.assertEqual(set(self.e.last_pieces), {1})
        else:
            self.assertGreater(len(self.e.last_pieces), 1)
        self.e.fault(listener="api", action="one_byte")
        r = self.e.api("GET", "/me", fresh=True)
        self.assertStatus(r, 200)
        self.assertEqual(r.json["tenant_id"], self.e.info["tenant_id"])

    def test_chunked(self):
        self.e.fault(listener="api", action="chunked")
        out, _ = self.e.raw_exchange("api", self.req_bytes().replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n"))
        head, _, body = out.partition(b"\r\n\r\n")
        self.assertIn(b"Transfer-Encoding: chunked", head)
        self.assertNotIn(b"Content-Length", head)
        self.e.fault(listener="api", action="chunked")
        r = self.e.api("GET", "/me")
        self.assertEqual((r.status, r.json["tenant_id"]), (200, self.e.info["tenant_id"]))
        self.assertStatus(self.e.api("GET", "/me"), 200)  # connection reusable after chunked

    def test_close_delimited(self):
        self.e.fault(listener="api", action="close_delimited")
        out, timed_out = self.e.raw_exchange("api", self.req_bytes())
        self.assertFalse(timed_out)
        head, _, body = out.partition(b"\r\n\r\n")
        self.assertNotIn(b"Content-Length", head)
        self.assertIn(b"Connection: close", head)
        self.assertEqual(json.loads(body)["tenant_id"], self.e.info["tenant_id"])

    def test_garbage(self):
        self.e.fault(listener="api", action="garbage")
        out, timed_out = self.e.raw_exchange("api", self.req_bytes())
        self.assertFalse(timed_out)
        self.assertTrue(out)
        self.assertFalse(out.startswith(b"HTTP/"))

    def test_close_after_request_bytes_on_storage_put(self):
        sp = self.e.default_space()
        data = os.urandom(50000)
        t = self.e.initiate(sp, "cut.bin", len(data)).json
        body = {"upload_id": t["upload_id"], "file_id": t["file_id"], "key": t["key"],
                "sha256": hashlib.sha256(data).hexdigest()}
        self.e.fault(listener="storage", method="PUT", action="close_after_request_bytes",
                     bytes=1000)
        with self.assertRaises((OSError, http.client.HTTPException)):
            self.e.put(t["url"], data, t["headers"], fresh=True)
        r = self.e.api("POST", "/uploads/complete", body)  # nothing was stored
        self.assert422(r)
        self.assertIn("never uploaded", json.dumps(r.json))
        self.assertStatus(self.e.put(t["url"], data, t["headers"]), 200)
        self.assertStatus(self.e.api("POST", "/uploads/complete", body), 201)

    def test_storage_and_raw_faults(self):
        data = os.urandom(2000)
        f = self.e.upload(data)
        sh = self.e.ok("POST", "/shares", {"file_id": f["id"]}, 201)
        self.e.fault(listener="raw", method="GET", path_prefix="/s/", action="status", status=500)
        self.assertStatus(self.e.request("GET", sh["url"]), 500)
        self.assertStatus(self.e.request("GET", sh["url"]), 200)
        self.e.fault(listener="raw", action="close_after_response_bytes", bytes=300)
        with self.assertRaises((http.client.IncompleteRead, http.client.RemoteDisconnected,
                                ConnectionError, ssl.SSLError)):
            self.e.request("GET", sh["url"], fresh=True)
        sp = self.e.default_space()
        t = self.e.initiate(sp, "s.bin", len(data)).json
        self.e.fault(listener="storage", method="PUT", action="status", status=503)
        self.assertStatus(self.e.put(t["url"], data, t["headers"]), 503)
        self.assertStatus(self.e.put(t["url"], data, t["headers"]), 200)

    def test_request_log(self):
        self.assertIn(self.e.admin("DELETE", "/admin/requests").status, (200, 204))
        self.e.api("GET", "/me")
        self.e.api("GET", "/quota")
        log = self.e.admin("GET", "/admin/requests?listener=api").json
        entries = log.get("requests", log.get("items"))
        self.assertEqual([x["path"].split("?")[0] for x in entries], ["/api/v1/me", "/api/v1/quota"])
        self.assertIn("X-API-Key", entries[0]["headers"])
        self.assertEqual(entries[0]["status"], 200)
        self.assertEqual(self.e.admin("GET", "/admin/requests?listener=raw").json.get("requests", []), [])

    def exchange_on(self, sock, request):
        """Send one request on an open socket, read one Content-Length answer."""
        sock.sendall(request)
        data = b""
        while b"\r\n\r\n" not in data:
            data += sock.recv(65536)
        head, _, body = data.partition(b"\r\n\r\n")
        n = int([l.split(b":")[1] for l in head.split(b"\r\n")
                 if l.lower().startswith(b"content-length:")][0])
        while len(body) < n:
            body += sock.recv(65536)
        return head + b"\r\n\r\n" + body

    def test_request_log_bytes_and_connections(self):
        self.e.admin("DELETE", "/admin/requests")
        s = self.e.raw_socket("api", 5)
        try:
            q1 = self.req_bytes(path="/api/v1/files?limit=2")
            a1 = self.exchange_on(s, q1)
            q2 = self.req_bytes("POST", "/api/v1/spaces", json.dumps({"name": "log"}).encode())
            a2 = self.exchange_on(s, q2)
        finally:
            s.close()
        log = self.e.admin("GET", "/admin/requests?listener=api").json["requests"]
        self.assertEqual(len(log), 2, log)
        first, second = log
        self.assertEqual((first["method"], first["path"], first["query"], first["status"]),
                         ("GET", "/api/v1/files", "limit=2", 200))
        self.assertEqual((second["method"], second["path"], second["query"], second["status"]),
                         ("POST", "/api/v1/spaces", "", 201))
        # exactly the bytes on the HTTP level, each way
        self.assertEqual((first["request_bytes"], first["response_bytes"]), (len(q1), len(a1)))
        self.assertEqual((second["request_bytes"], second["response_bytes"]), (len(q2), len(a2)))
        self.assertEqual(first["conn_id"], second["conn_id"])
        self.assertEqual((first["conn_reused"], second["conn_reused"]), (False, True))
        self.assertEqual(first["tls"], "full" if self.e.tls else None)
        self.assertLess(first["seq"], second["seq"])
        by_conn = self.e.admin("GET", "/admin/requests?conn_id=%d" % first["conn_id"]).json
        self.assertEqual([x["seq"] for x in by_conn["requests"]], [first["seq"], second["seq"]])
        conns = self.e.admin("GET", "/admin/connections?listener=api").json["connections"]
        c = [x for x in conns if x["id"] == first["conn_id"]][0]
        self.assertEqual((c["listener"], c["requests"], c["tls"]), ("api", 2, first["tls"]))
        if c["tcp"] is not None:  # Linux: the kernel's own counters of that connection
            self.assertGreaterEqual(c["tcp"]["bytes_in"], len(q1) + len(q2))
            self.assertGreaterEqual(c["tcp"]["bytes_out"], len(a1) + len(a2))
            self.assertGreaterEqual(c["tcp"]["data_segs_in"], 1)
        # a storage PUT counts its body; an unanswered request is logged too
        sp = self.e.default_space()
        t = self.e.initiate(sp, "log.bin", 5000).json
        self.e.admin("DELETE", "/admin/requests")
        self.assertStatus(self.e.put(t["url"], b"L" * 5000, t["headers"]), 200)
        self.e.fault(listener="api", action="garbage")
        self.e.raw_exchange("api", self.req_bytes())
        put = self.e.admin("GET", "/admin/requests?listener=storage").json["requests"][0]
        self.assertEqual((put["method"], put["path"], put["status"]), ("PUT", "/o/" + t["key"], 200))
        self.assertGreater(put["request_bytes"], 5000)
        self.assertIn("partNumber=1", put["query"])
        cut = self.e.admin("GET", "/admin/requests?listener=api").json["requests"][0]
        self.assertEqual((cut["status"], cut["fault"], cut["request_bytes"]),
                         (None, "garbage", len(self.req_bytes())))
        self.assertGreater(cut["response_bytes"], 0)
        # the admin API never logs itself; reset empties the log
        self.assertEqual(self.e.admin("GET", "/admin/requests?listener=admin").json["requests"], [])
        self.e.admin("POST", "/admin/reset")
        self.assertEqual(self.e.admin("GET", "/admin/requests").json["requests"], [])

    def test_request_log_since_and_summary(self):
        mark = self.e.admin("GET", "/admin/requests/summary").json["last_seq"]
        s = self.e.raw_socket("api", 5)
        try:
            q = [self.req_bytes(), self.req_bytes(path="/api/v1/quota")]
            a = [self.exchange_on(s, x) for x in q]
        finally:
            s.close()
        self.assertStatus(self.e.api("GET", "/nothing", fresh=True), 404)  # a second connection
        since = self.e.admin("GET", "/admin/requests?since=%d" % mark).json["requests"]
        self.assertEqual([x["path"] for x in since], ["/api/v1/me", "/api/v1/quota", "/api/v1/nothing"])
        summ = self.e.admin("GET", "/admin/requests/summary?listener=api&since=%d" % mark).json
        self.assertEqual(summ["requests"], 3)
        self.assertEqual(summ["request_bytes"], sum(x["request_bytes"] for x in since))
        self.assertEqual(summ["response_bytes"], sum(x["response_bytes"] for x in since))
        self.assertEqual(since[0]["request_bytes"] + since[1]["request_bytes"], len(q[0]) + len(q[1]))
        self.assertEqual(since[0]["response_bytes"] + since[1]["response_bytes"], len(a[0]) + len(a[1]))
        self.assertEqual((summ["connections"], summ["new_connections"]), (2, 2))
        tls = {"full": 2, "resumed": 0} if self.e.tls else {"full": 0, "resumed": 0}
        self.assertEqual((summ["tls_full"], summ["tls_resumed"]), (tls["full"], tls["resumed"]))
        self.assertEqual(summ["last_seq"], since[-1]["seq"])
        self.assertEqual(summ["statuses"], {"200": 2, "404": 1})
        self.assertEqual(self.e.admin("GET", "/admin/requests/summary?listener=raw&since=%d"
                                      % mark).json["requests"], 0)

    # ---- the faults of issue 10 ------------------------------------------------------------
    def test_skip_and_exact_path(self):
        f = self.e.upload(b"skip")
        self.e.fault(listener="api", method="GET", path="/api/v1/files/" + f["id"], skip=2,
                     action="status", status=500)
        self.assertStatus(self.e.api("GET", "/files/%s/download" % f["id"]), 200)  # not the exact path
        self.assertStatus(self.e.api("GET", "/files/" + f["id"]), 200)  # skipped 1
        self.assertStatus(self.e.api("GET", "/files/" + f["id"]), 200)  # skipped 2
        self.assertStatus(self.e.api("GET", "/files/" + f["id"]), 500)
        self.assertStatus(self.e.api("GET", "/files/" + f["id"]), 200)  # count used up

    def test_range_faults(self):
        data = bytes(range(200))
        f = self.e.upload(data)
        sh = self.e.ok("POST", "/shares", {"file_id": f["id"]}, 201)
        dl = self.e.ok("GET", "/files/%s/download" % f["id"])["url"]
        for listener, url in (("raw", sh["url"]), ("storage", dl)):
            self.e.fault(listener=listener, method="GET", action="range_whole")
            r = self.e.request("GET", url, headers={"Range": "bytes=80-"})
            self.assertEqual((r.status, r.header("Content-Range"), r.body), (206, "bytes 0-199/200", data))
            self.e.fault(listener=listener, method="GET", action="range_ignore")
            r = self.e.request("GET", url, headers={"Range": "bytes=80-"})
            self.assertEqual((r.status, r.header("Content-Range"), r.body), (200, None, data))
            r = self.e.request("GET", url, headers={"Range": "bytes=80-"})  # one-shot: normal again
            self.assertEqual((r.status, r.body), (206, data[80:]))

    def test_draft_record_after_failed_complete(self):
        sp = self.e.default_space()
        t = self.e.initiate(sp, "draft.bin", 4).json
        self.assertStatus(self.e.put(t["url"], b"abcd", t["headers"]), 200)
        self.e.fault(listener="api", method="POST", path="/api/v1/uploads/complete", action="status",
                     status=500)
        body = {"upload_id": t["upload_id"], "file_id": t["file_id"], "key": t["key"],
                "sha256": hashlib.sha256(b"abcd").hexdigest()}
        self.assertStatus(self.e.api("POST", "/uploads/complete", body), 500)
        self.assertStatus(self.e.api("GET", "/files/" + t["file_id"]), 404)  # never completed
        self.e.fault(listener="api", method="GET", path="/api/v1/files/" + t["file_id"], action="draft_record")
        d = self.e.ok("GET", "/files/" + t["file_id"])
        self.assertEqual((d["id"], d["status"], d["scan_status"], d["sha256"], d["size"]),
                         (t["file_id"], "draft", "pending", None, 4))
        f = self.e.ok("POST", "/uploads/complete", body, 201)
        self.e.fault(listener="api", method="GET", path="/api/v1/files/" + f["id"], action="draft_record")
        d = self.e.ok("GET", "/files/" + f["id"])  # a completed file's record, as a draft
        self.assertEqual((d["status"], d["sha256"], d["name"]), ("draft", None, "draft.bin"))

    def test_rewrite_json(self):
        f = self.e.upload(b"rewrite")
        other = self.e.upload(b"other")
        self.e.fault(listener="api", method="GET", path="/api/v1/files/" + f["id"], action="rewrite_json",
                     set={"id": "", "scan_status": "clean"})
        self.assertEqual(self.e.ok("GET", "/files/" + f["id"])["id"], "")
        self.e.fault(listener="api", method="GET", path="/api/v1/files/" + f["id"], action="rewrite_json",
                     set={"id": other["id"]})
        self.assertEqual(self.e.ok("GET", "/files/" + f["id"])["id"], other["id"])
        self.e.fault(listener="api", method="POST", path="/api/v1/shares", action="rewrite_json", drop=["url"])
        r = self.e.api("POST", "/shares", {"file_id": f["id"]})
        self.assertEqual(r.status, 201)
        self.assertNotIn("url", r.json)
        self.assertIn("id", r.json)
        # hostile ticket headers: framing headers in other spellings, control bytes
        evil = {"Content-Length : 0": "", "Transfer-Encoding": "chunked", "Host\t": "evil.example",
                "X-Ctl": "a\x01b\x7f"}
        self.e.fault(listener="api", path="/api/v1/uploads/initiate", action="rewrite_json",
                     merge={"headers": evil})
        t = self.e.initiate(self.e.default_space(), "evil.txt", 3).json
        self.assertEqual(t["headers"], dict(evil, **{"Content-Type": "text/plain"}))
        self.assertStatus(self.e.admin("POST", "/admin/faults", {"listener": "api", "action": "rewrite_json",
                                                                 "set": 5}), 400)

    def test_status_after_processing(self):
        # the request goes through, the answer is an error: did the complete happen?
        name = "after-%s" % uuid.uuid4().hex[:6]
        self.e.fault(listener="api", method="POST", path="/api/v1/spaces", action="status", status=503,
                     after=True, body_kind="html", body_size=5000)
        r = self.e.api("POST", "/spaces", {"name": name})
        self.assertEqual((r.status, len(r.body)), (503, 5000))
        self.assertIn(name, [x["name"] for x in self.e.ok("GET", "/spaces?limit=200")["items"]])
        sp = self.e.default_space()
        t = self.e.initiate(sp, "after.bin", 3).json
        self.assertStatus(self.e.put(t["url"], b"abc", t["headers"]), 200)
        self.e.fault(listener="api", method="POST", path="/api/v1/uploads/complete", action="status",
                     status=500, after=True)
        r = self.e.api("POST", "/uploads/complete", {"upload_id": t["upload_id"], "file_id": t["file_id"],
                                                     "key": t["key"], "sha256": hashlib.sha256(b"abc").hexdigest()})
        self.assertStatus(r, 500)
        self.assertEqual(self.e.wait_scan(t["file_id"])["sha256"], hashlib.sha256(b"abc").hexdigest())
        self.assertStatus(self.e.api("GET", "/me"), 200)  # the connection is still in step

    def test_retry_after_forms(self):
        self.e.fault(listener="api", action="status", status=503, retry_after=999999)
        self.assertEqual(self.e.api("GET", "/me").header("Retry-After"), "999999")
        self.e.fault(listener="api", action="status", status=429, retry_after_date_s=120)
        r = self.e.api("GET", "/me")
        import email.utils
        when = email.utils.parsedate_to_datetime(r.header("Retry-After")).timestamp()
        date = email.utils.parsedate_to_datetime(r.header("Date")).timestamp()
        self.assertEqual((r.status, when - date), (429, 120))
        self.e.fault(listener="api", action="status", status=503, retry_after="Wed, 21 Oct 2015 07:28:00 GMT")
        self.assertEqual(self.e.api("GET", "/me").header("Retry-After"), "Wed, 21 Oct 2015 07:28:00 GMT")

    def test_drip_one_byte_every_n_ms(self):
        self.e.fault(listener="api", action="one_byte", interval_ms=3)
        t = time.monotonic()
        r = self.e.api("GET", "/me", fresh=True)
        n = len(r.body)
        self.assertEqual(r.json["key_id"], self.e.info["key_id"])
        self.assertGreaterEqual(time.monotonic() - t, n * 0.003)  # at least N ms per byte

    def test_error_pages(self):
        self.e.fault(listener="api", action="status", status=503, body_kind="html", body_size=5000)
        r = self.e.api("GET", "/me")
        self.assertEqual((r.status, len(r.body), r.header("Content-Type")), (503, 5000, "text/html; charset=utf-8"))
        self.assertTrue(r.body.startswith(b"<!DOCTYPE html>") and r.body.rstrip().endswith(b"</html>"))
        self.assertStatus(self.e.api("GET", "/me"), 200)
        sp = self.e.default_space()
        t = self.e.initiate(sp, "xml.bin", 10).json
        self.e.fault(listener="storage", method="PUT", action="status", status=403, body_kind="s3_xml",
                     body_size=1200)
        r = self.e.put(t["url"], b"0123456789", t["headers"])
        self.assertEqual((r.status, len(r.body), r.header("Content-Type")), (403, 1200, "application/xml"))
        self.assertIn(b"<Code>SignatureDoesNotMatch</Code>", r.body)
        self.assertTrue(r.body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>'))
        self.e.fault(listener="storage", method="PUT", action="status", status=404, body_kind="html",
                     body_size=3000)
        r = self.e.put(t["url"], b"0123456789", t["headers"])
        self.assertEqual((r.status, len(r.body)), (404, 3000))
        self.assertStatus(self.e.put(t["url"], b"0123456789", t["headers"]), 200)  # same connection
        self.e.fault(listener="api", action="status", status=502, body="<h1>Bad gateway</h1>",
                     content_type="text/html")
        r = self.e.api("GET", "/me")
        self.assertEqual((r.body, r.header("Content-Type")), (b"<h1>Bad gateway</h1>", "text/html"))

    def test_early_error_without_reading_the_body(self):
        sp = self.e.default_space()
        data = os.urandom(4 << 20)
        t = self.e.initiate(sp, "early.bin", len(data)).json
        self.e.fault(listener="storage", method="PUT", action="status", status=403, body_kind="s3_xml",
                     body_size=1200, early=True)
        s = self.e.raw_socket("storage", 5)
        u = urllib.parse.urlsplit(t["url"])
        try:
            s.sendall(("PUT %s?%s HTTP/1.1\r\nHost: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n"
                       % (u.path, u.query, u.netloc, t["headers"]["Content-Type"], len(data))).encode())
            head = s.recv(65536)  # the answer comes before the body was sent
        finally:
            s.close()
        self.assertTrue(head.startswith(b"HTTP/1.1 403"), head)
        self.assertIn(b"Connection: close", head)
        self.assertStatus(self.e.put(t["url"], data, t["headers"]), 200)

    def test_plain_storage_url_under_https(self):
        sp = self.e.default_space()
        self.e.fault(listener="api", path="/api/v1/uploads/initiate", action="plain_storage_url")
        t = self.e.initiate(sp, "clear.txt", 5).json
        if not self.e.tls:
            self.assertIsNone(self.e.info["storage_plain_base"])
            self.assertTrue(t["url"].startswith(self.e.info["storage_base"]))
            return
        self.assertTrue(t["url"].startswith(self.e.info["storage_plain_base"] + "/o/"), t["url"])
        self.assertTrue(t["url"].startswith("http://127.0.0.1:"))
        self.assertStatus(self.e.put(t["url"], b"clear", t["headers"]), 200)  # it works, in the clear
        log = self.e.admin("GET", "/admin/requests?listener=storage_plain").json["requests"]
        self.assertEqual([x["method"] for x in log][-1:], ["PUT"])
        self.assertEqual(self.e.initiate(sp, "tls.txt", 5).json["url"][:8], "https://")  # one-shot


class TestFaultsPlain(TestFaults):
    """Every fault mode again, with the emulator started with --plain."""
    WEIGHT = 4  # relative cost, to balance the ctest shards
    ARGS = ("--plain", "--scan-delay-ms", "30")

    def test_plain_chunked_framing_on_the_wire(self):
        self.assertFalse(self.e.tls)
        self.e.fault(listener="api", action="chunked")
        req = self.req_bytes().replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n")
        out, _ = self.e.raw_exchange("api", req)
        head, _, body = out.partition(b"\r\n\r\n")
        self.assertIn(b"Transfer-Encoding: chunked", head)
        decoded, rest = b"", body
        while True:
            size_line, _, rest = rest.partition(b"\r\n")
            n = int(size_line, 16)
            if n == 0:
                self.assertEqual(rest, b"\r\n")
                break
            decoded += rest[:n]
            self.assertEqual(rest[n:n + 2], b"\r\n")
            rest = rest[n + 2:]
        self.assertEqual(json.loads(decoded)["tenant_id"], self.e.info["tenant_id"])


# ==========================================================================================
class TestWire(EmuTestCase):
    """How responses reach the wire: TCP_NODELAY and one write per response."""
    WEIGHT = 2  # relative cost, to balance the ctest shards

    def pieces(self, listener, request):
        """recv() sizes of one whole response; over TLS each is one TLS record,
        so a response written in one write arrives in one piece."""
        out, timed_out = self.e.raw_exchange(listener, request)
        self.assertFalse(timed_out)
        return out, self.e.last_pieces

    def get_bytes(self, listener, target, extra=""):
        return ("GET %s HTTP/1.1\r\nHost: %s\r\n%sConnection: close\r\n\r\n"
                % (target, self.e.host_header(listener), extra)).encode()

    def test_head_and_body_in_one_write(self):
        self.assertTrue(self.e.tls)
        out, pieces = self.pieces("api", self.get_bytes("api", "/api/v1/me",
                                                        "X-API-Key: %s\r\n" % self.e.key))
        self.assertTrue(out.startswith(b"HTTP/1.1 200") and out.endswith(b"}"), out)
        self.assertEqual(len(pieces), 1, pieces)
        out, pieces = self.pieces("api", self.get_bytes("api", "/api/v1/nothing"))  # an error too
        self.assertTrue(out.startswith(b"HTTP/1.1 404"), out)
        self.assertEqual(len(pieces), 1, pieces)
        data = os.urandom(3000)
        f = self.e.upload(data)
        sh = self.e.ok("POST", "/shares", {"file_id": f["id"]}, 201)
        out, pieces = self.pieces("raw", self.get_bytes("raw", urllib.parse.urlsplit(sh["url"]).path))
        self.assertTrue(out.endswith(data))
        self.assertEqual(len(pieces), 1, pieces)
        dl = urllib.parse.urlsplit(self.e.ok("GET", "/files/%s/download" % f["id"])["url"])
        out, pieces = self.pieces("storage", self.get_bytes("storage", dl.path + "?" + dl.query))
        self.assertTrue(out.endswith(data))
        self.assertEqual(len(pieces), 1, pieces)
        # chunked framing (fault) is still one write: the chunks and the last chunk
        self.e.fault(listener="api", action="chunked")
        out, pieces = self.pieces("api", self.get_bytes("api", "/api/v1/me",
                                                        "X-API-Key: %s\r\n" % self.e.key))
        self.assertTrue(out.endswith(b"\r\n0\r\n\r\n"), out)
        self.assertEqual(len(pieces), 1, pieces)

    def test_large_body_starts_in_the_head_write(self):
        data = os.urandom(300000)
        f = self.e.upload(data)
        dl = urllib.parse.urlsplit(self.e.ok("GET", "/files/%s/download" % f["id"])["url"])
        out, pieces = self.pieces("storage", self.get_bytes("storage", dl.path + "?" + dl.query))
        head, _, body = out.partition(b"\r\n\r\n")
        self.assertEqual(body, data)
        # the first TLS record holds the head and the first body bytes (a full record)
        self.assertGreater(pieces[0], len(head) + 4)

    def read_to_close(self, listener, request):
        """Everything until the server closes; raises ssl.SSLEOFError when the
        TLS connection ends without close_notify (a bare TCP FIN)."""
        u = urllib.parse.urlsplit(self.e.base(listener))
        s = self.e.ctx.wrap_socket(socket.create_connection((u.hostname, u.port), timeout=5),
                                   server_hostname=u.hostname, suppress_ragged_eofs=False)
        out = b""
        try:
            s.sendall(request)
            while True:
                b = s.recv(65536)
                if not b:
                    return out
                out += b
        finally:
            s.close()

    def test_tls_close_sends_close_notify(self):
        me = self.get_bytes("api", "/api/v1/me", "X-API-Key: %s\r\n" % self.e.key)
        self.assertTrue(self.read_to_close("api", me).startswith(b"HTTP/1.1 200"))
        # a close-delimited body ends with close_notify too: the end is authenticated
        self.e.fault(listener="api", action="close_delimited")
        out = self.read_to_close("api", me.replace(b"Connection: close\r\n", b""))
        self.assertEqual(json.loads(out.partition(b"\r\n\r\n")[2])["key_id"], self.e.info["key_id"])

    def test_truncation_without_close_notify(self):
        me = self.get_bytes("api", "/api/v1/me", "X-API-Key: %s\r\n" % self.e.key).replace(
            b"Connection: close\r\n", b"")
        # close-delimited, cut after 150 bytes of the response, TCP FIN without close_notify
        self.e.fault(listener="api", action="close_delimited", bytes=150, close_notify=False)
        with self.assertRaises(ssl.SSLEOFError):
            self.read_to_close("api", me)
        self.e.fault(listener="api", action="close_delimited", bytes=150, close_notify=False)
        out, _ = self.e.raw_exchange("api", me)  # (suppress_ragged_eofs: what arrived)
        self.assertEqual(len(out), 150)
        self.assertNotIn(b"Content-Length", out)
        # the whole body, then a bare FIN: complete bytes, but the end is not authenticated
        self.e.fault(listener="api", action="close_delimited", close_notify=False)
        with self.assertRaises(ssl.SSLEOFError):
            self.read_to_close("api", me)
        # cut after K bytes, with close_notify (the default): a clean TLS end of a short body
        self.e.fault(listener="api", action="close_delimited", bytes=150)
        self.assertEqual(len(self.read_to_close("api", me)), 150)
        # close_after_response_bytes can drop close_notify too
        self.e.fault(listener="api", action="close_after_response_bytes", bytes=40, close_notify=False)
        with self.assertRaises(ssl.SSLEOFError):
            self.read_to_close("api", me)

    def tls_connect(self, listener, session=None, ctx=None):
        """A TLS connection that does one GET; returns (reused, session)."""
        u = urllib.parse.urlsplit(self.e.base(listener))
        s = (ctx or self.e.ctx).wrap_socket(socket.create_connection((u.hostname, u.port), timeout=5),
                                            server_hostname=u.hostname, session=session)
        try:
            s.sendall(("GET /nothing HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n"
                       % u.netloc).encode())
            while s.recv(65536):
                pass  # (TLS 1.3 tickets arrive after the handshake: read to the end)
            return s.session_reused, s.session
        finally:
            s.close()

    def handshakes(self):
        return self.e.admin("GET", "/admin/tls").json["handshakes"]

    def test_tls_handshakes_full_and_resumed_per_listener(self):
        self.assertStatus(self.e.admin("DELETE", "/admin/tls"), 200)
        zero = {"full": 0, "resumed": 0, "failed": 0}
        self.assertEqual(self.handshakes(), {"api": zero, "storage": zero, "raw": zero})
        reused, sess = self.tls_connect("api")
        self.assertFalse(reused)
        for _ in range(3):
            reused, sess = self.tls_connect("api", sess)
            self.assertTrue(reused)
        # each listener has its own session cache and ticket keys, like separate hosts
        reused, raw_sess = self.tls_connect("raw", sess)
        self.assertFalse(reused)
        # TLS 1.2 (what mbedTLS 2.28 speaks): by ticket, and by session id alone
        for no_ticket in (False, True):
            ctx12 = ssl.create_default_context(cafile=self.e.info["ca_file"])
            ctx12.maximum_version = ssl.TLSVersion.TLSv1_2
            if no_ticket:
                ctx12.options |= ssl.OP_NO_TICKET
            reused, s12 = self.tls_connect("storage", ctx=ctx12)
            self.assertEqual(s12.has_ticket, not no_ticket)
            self.assertTrue(self.tls_connect("storage", s12, ctx12)[0], "no_ticket=%s" % no_ticket)
        # a handshake that fails is counted as failed
        plain = socket.create_connection(("127.0.0.1", urllib.parse.urlsplit(self.e.base("api")).port),
                                         timeout=5)
        try:
            plain.sendall(b"GET / HTTP/1.1\r\n\r\n")
            plain.recv(100)
        except OSError:
            pass  # a reset, or an alert: either way no handshake
        finally:
            plain.close()
        # (the server counts the failure after its alert went out: wait for it)
        end = time.monotonic() + 5
        while self.handshakes()["api"]["failed"] == 0 and time.monotonic() < end:
            time.sleep(0.01)
        h = self.handshakes()
        self.assertEqual(h["api"], {"full": 1, "resumed": 3, "failed": 1})
        self.assertEqual(h["raw"], {"full": 1, "resumed": 0, "failed": 0})
        self.assertEqual(h["storage"], {"full": 2, "resumed": 2, "failed": 0})
        self.assertEqual(self.e.admin("GET", "/admin/state").json["tls_handshakes"], h)
        # the request log and the connection list say which connection resumed
        log = self.e.admin("GET", "/admin/requests?listener=api").json["requests"]
        self.assertEqual([x["tls"] for x in log[-4:]], ["full", "resumed", "resumed", "resumed"])
        # rotate: every session is forgotten, as after a server restart
        self.assertStatus(self.e.admin("POST", "/admin/tls/rotate"), 200)
        self.assertFalse(self.tls_connect("api", sess)[0])
        # tls_resumption 0: never resumed
        self.e.admin("PATCH", "/admin/config", {"tls_resumption": 0})
        try:
            reused, sess = self.tls_connect("api")
            self.assertFalse(self.tls_connect("api", sess)[0])
        finally:
            self.e.admin("PATCH", "/admin/config", {"tls_resumption": 1})
        reused, sess = self.tls_connect("api")
        self.assertTrue(self.tls_connect("api", sess)[0])
        self.e.admin("POST", "/admin/reset")
        self.assertEqual(self.handshakes()["api"], zero)

    def test_tcp_nodelay_on_accepted_sockets(self):
        # In-process: every listener is an emu_http.Server; ask the accepted
        # socket itself, plain and over TLS.
        sys.path.insert(0, HERE)
        import emu_http
        import emu_state
        import emu_tls

        class Probe(emu_http.Handler):
            def do_GET(self):
                self.fault = None
                self.respond(200, {"nodelay": self.connection.getsockopt(
                    socket.IPPROTO_TCP, socket.TCP_NODELAY)})

        with tempfile.TemporaryDirectory() as d:
            state = emu_state.State(d)
            ca, _, cert, key = emu_tls.make_certs(d)
            for tls in (False, True):
                srv = emu_http.Server(("127.0.0.1", 0), Probe, "api", state,
                                      (lambda: emu_tls.server_context(cert, key)) if tls else None)
                t = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05})
                t.start()
                try:
                    port = srv.server_address[1]
                    c = http.client.HTTPSConnection(
                        "localhost", port, timeout=5,
                        context=ssl.create_default_context(cafile=ca)) if tls else \
                        http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                    c.request("GET", "/")
                    self.assertNotEqual(json.loads(c.getresponse().read())["nodelay"], 0)
                    c.close()
                finally:
                    srv.shutdown()
                    srv.server_close()
                    t.join()


class TestAdmin(EmuTestCase):
    def test_config_roundtrip(self):
        cfg = self.e.admin("GET", "/admin/config").json
        for k in ("scan_delay_ms", "multipart_threshold", "part_size", "max_upload_size", "max_body_size",
                  "rate_limits", "rate_window_s", "url_expiry_s"):
            self.assertIn(k, cfg)
        self.assertEqual(cfg["rate_limits"], {"overall": 600, "shares": 120, "uploads": 300, "imports": 30})
        r = self.e.admin("PATCH", "/admin/config", {"scan_delay_ms": 31})
        self.assertEqual(r.json["scan_delay_ms"], 31)
        self.assertStatus(self.e.admin("PATCH", "/admin/config", {"bogus": 1}), 400)
        self.e.admin("PATCH", "/admin/config", {"scan_delay_ms": 30})

    def test_state(self):
        f = self.e.upload(b"state")
        st = self.e.admin("GET", "/admin/state").json
        self.assertEqual(list(st)[0], "leaked_key_count")
        obj = [o for o in st["objects"] if o["file_id"] == f["id"]][0]
        self.assertEqual((obj["size"], obj["sha256"]), (5, hashlib.sha256(b"state").hexdigest()))
        self.assertIn("key", obj)
        self.assertIn(f["id"], [x["id"] for x in st["files"]])

    def test_reset_and_fault_counts(self):
        self.e.fault(listener="api", path_prefix="/api/v1/quota", action="status", status=500, count=2)
        self.assertStatus(self.e.api("GET", "/quota"), 500)
        remaining = self.e.admin("GET", "/admin/faults").json["faults"]
        self.assertEqual([x["count"] for x in remaining], [1])
        self.e.request("GET", self.e.info["raw_base"] + "/s/x", headers={"X-API-Key": self.e.key})
        self.assertGreaterEqual(self.e.leaked(), 1)
        self.e.admin("PATCH", "/admin/config", {"rate_limits": {"overall": 2}})
        try:
            k, _, _ = self.e.new_key()
            for _ in range(2):
                self.e.api("GET", "/me", key=k)
            self.assertStatus(self.e.api("GET", "/me", key=k), 429)
            self.assertEqual(self.e.admin("POST", "/admin/reset").json, {"reset": True})
            self.assertStatus(self.e.api("GET", "/me", key=k), 200)  # rate windows cleared
        finally:
            self.e.admin("PATCH", "/admin/config", {"rate_limits": {"overall": 600}})
        self.assertEqual(self.e.admin("GET", "/admin/faults").json["faults"], [])
        self.assertStatus(self.e.api("GET", "/quota"), 200)
        st = self.e.admin("GET", "/admin/state").json
        self.assertEqual(st["leaked_key_count"], 0)
        log = self.e.admin("GET", "/admin/requests?listener=api").json["requests"]
        self.assertEqual([x["path"] for x in log], ["/api/v1/me", "/api/v1/quota"])  # log restarted
        self.assertStatus(self.e.admin("PATCH", "/admin/config", {"rate_limits": {"bogus": 1}}), 400)

    def test_tenants_and_keys(self):
        r = self.e.admin("POST", "/admin/tenants", {"name": "acme", "plan": "pro", "bytes_limit": 10,
                                                    "links_limit": 1})
        self.assertStatus(r, 201)
        tid = r.json["tenant_id"]
        k, kid, _ = self.e.new_key(tid)
        q = self.e.ok("GET", "/quota", key=k)
        self.assertEqual((q["bytes_limit"], q["links_limit"]), (10, 1))
        self.assertStatus(self.e.admin("PATCH", "/admin/tenants/" + tid, {"bytes_limit": -1}), 200)
        self.assertEqual(self.e.ok("GET", "/quota", key=k)["bytes_limit"], -1)
        self.assertStatus(self.e.admin("PATCH", "/admin/tenants/" + NOBODY, {"bytes_limit": 1}), 404)
        self.assertStatus(self.e.admin("POST", "/admin/keys/%s/revoke" % NOBODY), 404)
        self.assertStatus(self.e.admin("GET", "/admin/nothing"), 404)


# ==========================================================================================
class TestPlain(unittest.TestCase):
    WEIGHT = 2  # relative cost, to balance the ctest shards
    def test_plain_http_end_to_end(self):
        e = Emu("--plain", "--scan-delay-ms", "10")
        try:
            i = e.info
            self.assertTrue(i["api_base"].startswith("http://localhost:"))
            self.assertTrue(i["storage_base"].startswith("http://127.0.0.1:"))
            self.assertTrue(i["raw_base"].startswith("http://127.0.0.1:"))
            self.assertIsNone(i["ca_file"])
            data = b"plain bytes"
            f = e.upload(data, name="p.txt")
            self.assertEqual(f["scan_status"], "clean")
            sh = e.ok("POST", "/shares", {"file_id": f["id"]}, 201)
            self.assertTrue(sh["url"].startswith("http://127.0.0.1:"))
            self.assertEqual(e.request("GET", sh["url"]).body, data)
            self.assertEqual(e.leaked(), 0)
        finally:
            self.assertEqual(e.stop(), 0)

    def test_fixed_ports_and_state_dir(self):
        with tempfile.TemporaryDirectory() as d:
            for attempt in range(5):
                # A port found free can be taken (e.g. as the local port of some
                # outgoing connection) before the emulator binds it: try again.
                ports = []
                for _ in range(4):
                    s = socket.socket()
                    s.bind(("127.0.0.1", 0))
                    ports.append(s.getsockname()[1])
                    s.close()
                try:
                    e = Emu("--plain", "--state-dir", d, "--api-port", str(ports[0]),
                            "--storage-port", str(ports[1]), "--raw-port", str(ports[2]),
                            "--admin-port", str(ports[3]))
                    break
                except RuntimeError as ex:
                    if "Address already in use" not in str(ex) or attempt == 4:
                        raise
            try:
                self.assertEqual(e.info["state_dir"], d)
                self.assertEqual(urllib.parse.urlsplit(e.info["api_base"]).port, ports[0])
                self.assertEqual(urllib.parse.urlsplit(e.info["admin_base"]).port, ports[3])
                f = e.upload(b"on disk")
                self.assertTrue(any(f["id"] in names for _, _, names in os.walk(d)))
            finally:
                self.assertEqual(e.stop(), 0)
            self.assertTrue(os.path.isdir(d))  # a given state dir is kept

    def test_temp_state_dir_removed_and_sigint(self):
        e = Emu("--plain")
        d = e.info["state_dir"]
        self.assertTrue(os.path.isdir(d))
        # the documented defaults
        cfg = e.admin("GET", "/admin/config").json
        self.assertEqual((cfg["scan_delay_ms"], cfg["multipart_threshold"], cfg["part_size"],
                          cfg["max_body_size"], cfg["url_expiry_s"], cfg["rate_window_s"]),
                         (200, 100000000, 16 * 1024 * 1024, 1024 * 1024, 3600, 60))
        e.close_conns()
        e.proc.send_signal(signal.SIGINT)
        self.assertEqual(e.stop(), 0)
        self.assertFalse(os.path.exists(d))


class TestWrapper(unittest.TestCase):
    WEIGHT = 2  # relative cost, to balance the ctest shards
    def test_env_and_exit_code(self):
        code = ("import os,sys,json,urllib.request as u;"
                "names=['FLUIDCLOUD_BASE_URL','FLUIDCLOUD_API_KEY','FLUIDCLOUD_CA_FILE','FC_EMU_ADMIN',"
                "'FC_EMU_STORAGE','FC_EMU_RAW','FC_EMU_WRONG_CA_FILE','FC_EMU_TENANT_ID','FC_EMU_STATE_DIR'];"
                "missing=[n for n in names if not os.environ.get(n)];"
                "s=json.load(u.urlopen(os.environ['FC_EMU_ADMIN']+'/admin/state'));"
                "sys.exit(5 if missing else (0 if s['leaked_key_count']==0 else 6))")
        p = subprocess.run([sys.executable, WRAPPER, "--", sys.executable, "-c", code], timeout=60)
        self.assertEqual(p.returncode, 0)
        p = subprocess.run([sys.executable, WRAPPER, "--plain", "--", sys.executable, "-c",
                            "import os,sys; sys.exit(9 if 'FLUIDCLOUD_CA_FILE' in os.environ else 7)"],
                           timeout=60)
        self.assertEqual(p.returncode, 7)

    def test_wrapper_killed_leaves_nothing(self):
        p = subprocess.Popen([sys.executable, WRAPPER, "--", sys.executable, "-c",
                              "import os,time; print(os.getpid(), flush=True); time.sleep(60)"],
                             stdout=subprocess.PIPE)
        child_pid = int(p.stdout.readline())
        p.send_signal(signal.SIGTERM)
        self.assertEqual(p.wait(timeout=20), 128 + signal.SIGTERM)
        p.stdout.close()
        time.sleep(0.2)
        with self.assertRaises(OSError):
            os.kill(child_pid, 0)


def load_tests(loader, tests, pattern):
    """FC_EMU_SHARD=K/N (ctest runs N shards in parallel): the K-th (1-based)
    of N groups of test classes, balanced by each class's WEIGHT (a rough
    cost, default 1: heaviest first, each to the lightest group); unset: all.
    Every class lands in exactly one group."""
    shard = os.environ.get("FC_EMU_SHARD")
    if not shard:
        return tests
    k, n = (int(x) for x in shard.split("/"))
    classes = [c for c in globals().values()
               if isinstance(c, type) and issubclass(c, unittest.TestCase) and c.__module__ == __name__
               and c is not EmuTestCase]
    classes.sort(key=lambda c: (-getattr(c, "WEIGHT", 1), inspect.getsourcelines(c)[1]))
    groups = [[] for _ in range(n)]
    for c in classes:
        min(groups, key=lambda g: sum(getattr(x, "WEIGHT", 1) for x in g)).append(c)
    out = unittest.TestSuite()
    for c in groups[k - 1]:
        out.addTests(loader.loadTestsFromTestCase(c))
    return out


if __name__ == "__main__":
    unittest.main()
