# SPDX-License-Identifier: MIT
"""The storage listener (presigned PUT and GET) and the raw-link listener.

Neither accepts the API key: a request carrying X-API-Key or Authorization
is refused (400) and counted, so tests can assert the key never leaves the
API host.
"""
import hashlib
import hmac
import os
import time
import urllib.parse

from emu_http import Handler, Abort


class _KeylessHandler(Handler):
    def drain_body(self):
        """Skip the request body; with an unparseable Content-Length the
        connection is closed after the answer instead (nothing to skip)."""
        try:
            self.drain(self.body_length() or 0)
        except ValueError:
            self.close_connection = True

    def refuse_keys(self):
        if self.headers.get("X-API-Key") is not None or \
                self.headers.get("Authorization") is not None:
            with self.server.state.lock:
                self.server.state.leaked_keys += 1
            self.drain_body()
            self.respond(400, {"detail": "credentials must not be sent to this host"})
            return True
        return False

    def begin(self):
        self.fault = None
        if self.refuse_keys():
            return False
        self.take_fault()
        return not self.fault_before()

    def serve_file(self, path, mime, extra_headers):
        """200 or 206 (Range: bytes=a-b | a- | -n), streamed from disk."""
        size = os.path.getsize(path)
        start, end = 0, size - 1
        status = 200
        rng = self.headers.get("Range")
        headers = dict(extra_headers)
        headers["Content-Type"] = mime
        headers["Accept-Ranges"] = "bytes"
        action = self.fault["action"] if self.fault else None
        if rng and action == "range_ignore":
            rng = None  # a server that ignores Range: 200 and the whole object
        if rng and action == "range_whole":
            # A broken server or cache: 206, but the whole object (and a
            # Content-Range that says so), not the range asked for.
            headers["Content-Range"] = "bytes 0-%d/%d" % (size - 1, size)
            with open(path, "rb") as fh:
                return self.respond(206, None, headers, stream=fh, length=size)
        if rng:
            parsed = _parse_range(rng, size)
            if parsed is None:
                self.respond(416, {"detail": "range not satisfiable"},
                             {"Content-Range": "bytes */%d" % size})
                return
            start, end = parsed
            status = 206
            headers["Content-Range"] = "bytes %d-%d/%d" % (start, end, size)
        with open(path, "rb") as fh:
            fh.seek(start)
            self.respond(status, None, headers, stream=fh, length=end - start + 1)


def _parse_range(value, size):
    if not value.startswith("bytes=") or "," in value:
        return None
    a, _, b = value[6:].strip().partition("-")
    try:
        if a == "":
            n = int(b)
            if n <= 0:
                return None
            return max(0, size - n), size - 1
        start = int(a)
        end = int(b) if b else size - 1
    except ValueError:
        return None
    if start >= size or end < start:
        return None
    return start, min(end, size - 1)


class StorageHandler(_KeylessHandler):
    def do_PUT(self):
        if not self.begin():
            return
        st = self.server.state
        url = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(url.query))
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            return self.respond(501, {"detail": "Transfer-Encoding is not implemented"})
        try:
            length = self.body_length()
        except ValueError:
            self.close_connection = True
            return self.respond(400, {"detail": "bad Content-Length"})
        if length is None:
            self.close_connection = True
            return self.respond(411, {"detail": "Content-Length required"})
        err = self.check_put(url.path, q, length)
        if err is None:
            with st.lock:
                u = st.uploads[q["uploadId"]]
                want_ct = u["content_type"] if u["mode"] == "single" else None
            got_ct = self.headers.get("Content-Type")
            if want_ct is not None and (got_ct or "").strip().lower() != want_ct.lower():
                # The single ticket's headers are signed: S3 answers 403 too.
                err = 403, {"detail": "Content-Type %r differs from the ticket's %r"
                            % (got_ct, want_ct)}
        if err is not None:
            self.drain(length)
            return self.respond(*err)
        u = st.uploads[q["uploadId"]]
        n = int(q["partNumber"])
        with st.lock:
            # Until this part's bytes are all in, it counts as never uploaded.
            u["etags"].pop(n, None)
        etag = self.store_part(st.staging_path(u["upload_id"]), (n - 1) * u["part_size"], length)
        with st.lock:
            u["etags"][n] = etag
        self.respond(200, b"", {"ETag": etag})

    def store_part(self, path, offset, length):
        """Write the body straight to its place in the upload's one staging
        file (every part has a fixed offset), so the upload is on disk once
        and complete only hashes it. Returns the quoted MD5 ETag."""
        md5 = hashlib.md5()
        got = 0
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            while got < length:
                chunk = self.rfile.read(min(length - got, 1 << 20))
                if not chunk:
                    break
                md5.update(chunk)
                os.pwrite(fd, chunk, offset + got)
                got += len(chunk)
        finally:
            os.close(fd)
        if got != length:
            raise Abort()  # the client went away mid-body: the part is not stored
        return '"%s"' % md5.hexdigest()

    def check_put(self, path, q, length):
        st = self.server.state
        try:
            uid, n, exp, sig = q["uploadId"], int(q["partNumber"]), int(q["X-Fc-Expires"]), \
                q["X-Fc-Signature"]
        except (KeyError, ValueError):
            return 403, {"detail": "missing or malformed signature"}
        want = st.sign("PUT\n%s\n%d\n%s\n%d" % (path, n, uid, exp))
        if not hmac.compare_digest(want, sig):
            return 403, {"detail": "signature does not match"}
        if time.time() > exp:
            return 403, {"detail": "request has expired"}
        with st.lock:
            u = st.uploads.get(uid)
            if u is None or u["completed"]:
                return 404, {"detail": "no such upload"}
            if not 1 <= n <= u["parts"]:
                return 400, {"detail": "bad part number"}
            if u["mode"] == "multipart":
                want_len = u["part_size"] if n < u["parts"] else \
                    u["size"] - u["part_size"] * (u["parts"] - 1)
            else:
                want_len = u["size"]
        if length != want_len:
            return 400, {"detail": "part %d must be %d bytes, not %d" % (n, want_len, length)}
        return None

    def do_GET(self):
        if not self.begin():
            return
        st = self.server.state
        url = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(url.query))
        try:
            exp, sig = int(q["X-Fc-Expires"]), q["X-Fc-Signature"]
        except (KeyError, ValueError):
            return self.respond(403, {"detail": "missing signature"})
        if not hmac.compare_digest(st.sign("GET\n%s\n%d" % (url.path, exp)), sig) or \
                time.time() > exp or not url.path.startswith("/d/"):
            return self.respond(403, {"detail": "bad or expired signature"})
        with st.lock:
            f = st.files.get(url.path[3:])
            ok = f is not None and os.path.exists(st.object_path(f["id"]))
            mime = f["mime"] if f else ""
        if not ok:
            return self.respond(404, {"detail": "no such object"})
        self.serve_file(st.object_path(f["id"]), mime, {})

    def do_POST(self):
        if self.begin():
            self.drain_body()
            self.respond(405, {"detail": "method not allowed"})

    do_DELETE = do_POST
    do_PATCH = do_POST
    do_HEAD = do_GET


class RawHandler(_KeylessHandler):
    def do_GET(self):
        if not self.begin():
            return
        st = self.server.state
        path = urllib.parse.urlsplit(self.path).path
        token = path[3:] if path.startswith("/s/") else ""
        now = time.time()
        with st.lock:
            s = st.shares.get(st.tokens.get(token, ""))
            f = st.files.get(s["file_id"]) if s else None
            if f is not None:
                st.scan_state(f)
            there = f is not None and f["deleted_at"] is None  # not purged, not trashed
            live = there and not s["_revoked"] and (s["_expires"] is None or s["_expires"] > now)
            clean = there and f["scan_status"] == "clean"
            permanent = s is not None and s["_expires"] is None
            cached_at = self.edge_cache(token, now) if permanent and clean else None
            hit = cached_at is not None  # a revoked link is served from the cache only
            if live and clean and permanent and not hit and st.config["edge_cache"]:
                st.edge[token] = now  # a miss: the edge fetches it (again) now
        if (not live and not hit) or not os.path.exists(st.object_path(f["id"])):
            return self.respond(404, {"detail": "Not found"})
        if not clean:
            return self.respond(409, {"detail": "File is not ready"})
        inline = permanent or s["permission"] == "view"
        name = urllib.parse.quote(f["name"], safe="")
        headers = {"Content-Disposition": "%s; filename*=UTF-8''%s" %
                   ("inline" if inline else "attachment", name),
                   "Cache-Control": "public, max-age=%d" % st.config["edge_cache_s"]
                   if permanent else "no-store"}
        if permanent and st.config["edge_cache"]:
            headers["X-Cache"] = "HIT" if hit else "MISS"
            if hit:
                headers["Age"] = str(int(now - cached_at))
        self.serve_file(st.object_path(f["id"]), f["mime"], headers)

    def edge_cache(self, token, now):
        """[docs] "a previously fetched permanent raw link can still serve
        from edge cache until its max-age lapses": the time this link was
        fetched into the (emulated) edge, if that is still within max-age."""
        st = self.server.state
        at = st.edge.get(token)
        if not st.config["edge_cache"] or at is None or now - at >= st.config["edge_cache_s"]:
            return None
        return at

    def do_POST(self):
        if self.begin():
            self.drain_body()
            self.respond(405, {"detail": "method not allowed"})

    do_PUT = do_POST
    do_DELETE = do_POST
    do_PATCH = do_POST
    do_HEAD = do_GET
