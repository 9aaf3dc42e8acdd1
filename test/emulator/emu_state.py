# SPDX-License-Identifier: MIT
"""The emulator's state: tenants, keys, spaces, folders, files, uploads,
shares, quotas, rate limits, faults, and the request log.

One lock guards everything; stored bytes live in files under the state
directory so large uploads never sit in memory.
"""
import base64
import hashlib
import hmac
import os
import re
import secrets
import socket
import struct
import threading
import time
import uuid

ALL_SCOPES = ["spaces:read", "spaces:write", "folders:read", "folders:write",
              "files:read", "files:write", "shares:read", "shares:write", "quota:read"]
# Well-formed as the docs put it ("fck_live_..." / "fck_test_..."): no length, no alphabet
# beyond a token's. The emulator issues fck_<mode>_<32 hex>; admin may register any key.
KEY_RE = re.compile(r"^fck_(live|test)_[A-Za-z0-9_.~-]+$")
TOKEN_RE = re.compile(r"^[\x21-\x7e]+$")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
REQUEST_LOG_MAX = 20000   # entries kept (an 80 MiB upload in 64 KiB parts is ~1,300)
CONN_LOG_MAX = 5000
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def now_iso(t=None):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() if t is None else t))


def new_id():
    return str(uuid.uuid4())


class ApiError(Exception):
    """An error answer: status, detail, extra headers."""

    def __init__(self, status, detail, headers=None):
        super().__init__(status, detail)
        self.form = None
        self.status = status
        self.detail = detail
        self.headers = headers or {}


def not_found(what="Not found"):
    return ApiError(404, what)


def field_error(loc, msg, typ="value_error"):
    """A 422 on the request's shape (type, format, range, missing): the
    FastAPI list form by nature."""
    e = ApiError(422, [{"loc": ["body", loc] if isinstance(loc, str) else loc,
                        "msg": msg, "type": typ}])
    e.form = "list"
    return e


def rule_error(loc, msg, typ="value_error"):
    """A 422 from the service's own checks (stored size, hash, parts, moves,
    cursors): a string by nature, "most 422 bodies are a string" [docs].
    The message must name what is wrong on its own."""
    e = field_error(loc, msg, typ)
    e.form = "string"
    return e


def render_422(e, mode):
    """The detail of a 422 in the form validation_detail asks for: "auto"
    (each error's own form), "list" or "string"."""
    form = e.form if mode == "auto" else mode
    if form == "list" or not isinstance(e.detail, list):
        return e.detail
    if e.form == "string":
        return "; ".join(item["msg"] for item in e.detail)
    return "; ".join("%s: %s" % (item["loc"][-1], item["msg"]) for item in e.detail)


class State:
    def __init__(self, state_dir, verbose=False):
        self.dir = state_dir
        self.verbose = verbose
        self.lock = threading.RLock()
        self.secret = secrets.token_bytes(32)
        self.seq = 0
        self.tenants = {}
        self.keys = {}          # key string -> key record
        self.key_ids = {}       # key id -> key string
        self.spaces = {}
        self.folders = {}
        self.files = {}
        self.uploads = {}
        self.shares = {}
        self.tokens = {}        # raw-link token -> share id
        self.edge = {}          # raw-link token -> when the edge cache fetched it
        self.faults = []
        self.requests = []
        self.request_seq = 0
        self.conns = {}         # connection id -> record (insertion order = age)
        self.conn_seq = 0
        self.handshakes = {}    # listener -> {"full", "resumed", "failed"}
        self.leaked_keys = 0
        self.rate = {}          # (key, bucket) -> [window_start, count]
        self.config = {
            "scan_delay_ms": 200, "multipart_threshold": 100000000,  # "100 MB" (issue 15.11)
            "part_size": 16 * 1024 * 1024, "max_upload_size": 5 * 1024 ** 4,
            "max_body_size": 1024 * 1024, "url_expiry_s": 3600, "rate_window_s": 60,
            "ticket_headers_first": 0,  # 1: a single ticket's "headers" before "url"
            "tls_resumption": 1,        # 0: no TLS session is ever resumed
            "part_window": 1,           # 0: ignore part_from/part_limit, no part_count
            "ticket_shape": "full",     # "minimal": only file_id, key, url/headers or parts
            "delete_response": "record",  # soft deletes: "record" (200 + record) or "empty" (204)
            "edge_cache": 1,            # revoked permanent links fetched before keep serving
            "edge_cache_s": 3600,       # ... for this long after the fetch (max-age)
            "scan_result": "auto",      # auto (EICAR -> infected, else clean) or the value to give
            "scan_interim": "",         # a value shown between pending and the result, e.g. scanning
            "validation_detail": "auto",  # 422 detail: auto, list or string
            "rate_limits": {"overall": 600, "shares": 120, "uploads": 300, "imports": 30},
        }
        self.public = {}        # api_base, storage_base, raw_base
        self.servers = {}       # listener name -> emu_http.Server
        os.makedirs(os.path.join(state_dir, "objects"), exist_ok=True)
        os.makedirs(os.path.join(state_dir, "parts"), exist_ok=True)

    def next_seq(self):
        self.seq += 1
        return self.seq

    # ---- tenants and keys ------------------------------------------------
    def create_tenant(self, name="tenant", plan="pro", bytes_limit=-1, links_limit=-1):
        with self.lock:
            t = {"id": new_id(), "name": name, "plan": plan, "bytes_limit": bytes_limit,
                 "links_limit": links_limit}
            self.tenants[t["id"]] = t
            return t

    def create_key(self, tenant_id, scopes=None, mode="live", key=None):
        with self.lock:
            if tenant_id not in self.tenants:
                raise not_found("unknown tenant")
            if key is None:
                key = "fck_%s_%s" % (mode, secrets.token_hex(16))
            elif not isinstance(key, str) or not TOKEN_RE.match(key) or key in self.keys:
                raise ApiError(400, "key must be a new token of visible ASCII characters")
            elif KEY_RE.match(key):
                mode = key.split("_")[1]
            rec = {"id": new_id(), "key": key, "tenant_id": tenant_id, "mode": mode,
                   "scopes": list(ALL_SCOPES if scopes is None else scopes), "revoked": False}
            self.keys[key] = rec
            self.key_ids[rec["id"]] = key
            return rec

    def authenticate(self, key):
        if not key:
            raise ApiError(401, "Missing API key")
        with self.lock:
            rec = self.keys.get(key)
            if rec is None and not KEY_RE.match(key):
                raise ApiError(401, "Malformed API key")
            if rec is None or rec["revoked"]:
                raise ApiError(401, "Invalid or revoked API key")
            if self.tenants[rec["tenant_id"]]["plan"] == "no_api":
                raise ApiError(403, {"error": "feature_not_in_plan"})
            return rec

    def require(self, key_rec, scopes):
        missing = [s for s in scopes if s not in key_rec["scopes"]]
        if missing:
            raise ApiError(403, {"error": "insufficient_scope", "required": list(scopes),
                                 "missing": missing})

    # ---- rate limits ---------------------------------------------------------
    def rate_check(self, key, bucket):
        with self.lock:
            window = max(1, int(self.config["rate_window_s"]))
            now = time.time()
            for b in ("overall", bucket) if bucket else ("overall",):
                limit = self.config["rate_limits"].get(b, 0)
                start, count = self.rate.get((key, b), (now, 0))
                if now - start >= window:
                    start, count = now, 0
                if count >= limit:
                    retry = max(1, min(60, int(window - (now - start) + 0.999)))
                    raise ApiError(429, "Too many requests \u2014 please slow down and try "
                                        "again shortly.", {"Retry-After": str(retry)})
                self.rate[(key, b)] = (start, count)
            for b in ("overall", bucket) if bucket else ("overall",):
                start, count = self.rate[(key, b)]
                self.rate[(key, b)] = (start, count + 1)

    # ---- faults and the request log -------------------------------------------
    def add_fault(self, f):
        with self.lock:
            f["id"] = new_id()
            f.setdefault("count", 1)
            self.faults.append(f)
            return f["id"]

    def take_fault(self, listener, method, path):
        with self.lock:
            for f in self.faults:
                if f["listener"] != listener:
                    continue
                if f.get("method") and f["method"].upper() != method:
                    continue
                if f.get("path_prefix") and not path.startswith(f["path_prefix"]):
                    continue
                if f.get("path") is not None and path.split("?", 1)[0] != f["path"]:
                    continue
                if f.get("skip", 0) > 0:  # let the first `skip` matches through
                    f["skip"] -= 1
                    continue
                f["count"] -= 1
                if f["count"] <= 0:
                    self.faults.remove(f)
                return dict(f)
            return None

    def log_request(self, conn, method, target, header_names, request_bytes):
        """Append one exchange to the request log and return its entry; the
        caller fills in status and response_bytes (planned before the write,
        so a client that reads the log right after its answer finds it)."""
        with self.lock:
            self.request_seq += 1
            split = target.split("?", 1) if target else [None]
            entry = {"seq": self.request_seq, "listener": conn["listener"], "method": method,
                     "path": split[0], "query": split[1] if len(split) > 1 else "",
                     "status": None, "request_bytes": request_bytes, "response_bytes": 0,
                     "conn_id": conn["id"], "conn_reused": conn["requests"] > 0,
                     "tls": conn["tls"], "headers": header_names, "time": now_iso()}
            conn["requests"] += 1
            self.requests.append(entry)
            del self.requests[:-REQUEST_LOG_MAX]
            return entry

    # ---- connections and TLS handshakes ----------------------------------------
    def count_handshake(self, listener, kind):
        with self.lock:
            counts = self.handshakes.setdefault(listener, {"full": 0, "resumed": 0, "failed": 0})
            counts[kind] += 1

    def open_conn(self, listener, tls, sock):
        with self.lock:
            self.conn_seq += 1
            rec = {"id": self.conn_seq, "listener": listener, "tls": tls, "requests": 0,
                   "open": True, "opened_at": now_iso(), "closed_at": None, "tcp": None,
                   "_sock": sock}
            self.conns[rec["id"]] = rec
            while len(self.conns) > CONN_LOG_MAX:
                oldest = next(iter(self.conns))
                self.conns.pop(oldest)
            return rec

    def close_conn(self, rec):
        tcp = tcp_info(rec["_sock"])
        with self.lock:
            rec.update({"open": False, "closed_at": now_iso(), "tcp": tcp, "_sock": None})

    def conn_views(self, listener=None):
        with self.lock:
            recs = [r for r in self.conns.values() if listener in (None, r["listener"])]
        out = []
        for r in recs:
            v = {k: val for k, val in r.items() if not k.startswith("_")}
            sock = r["_sock"]
            if sock is not None:
                v["tcp"] = tcp_info(sock)  # live figures of an open connection
            out.append(v)
        return out

    def forget_closed_conns(self):
        with self.lock:
            for cid in [c for c, r in self.conns.items() if not r["open"]]:
                self.conns.pop(cid)

    # ---- signing --------------------------------------------------------------
    def sign(self, text):
        return hmac.new(self.secret, text.encode(), hashlib.sha256).hexdigest()

    def cursor_encode(self, offset, context):
        raw = "%d:%s" % (offset, self.sign("cursor:%d:%s" % (offset, context))[:16])
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    def cursor_decode(self, cursor, context):
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
            offset, mac = raw.split(":", 1)
            offset = int(offset)
        except (ValueError, UnicodeDecodeError):
            raise rule_error(["query", "cursor"], "Invalid cursor")
        if offset < 0 or not hmac.compare_digest(
                mac, self.sign("cursor:%d:%s" % (offset, context))[:16]):
            raise rule_error(["query", "cursor"], "Invalid cursor")
        return offset

    # ---- stored objects -----------------------------------------------------
    def object_path(self, file_id):
        return os.path.join(self.dir, "objects", file_id)

    def object_key(self, file_id):
        """The storage key of a file's bytes (the upload's key, if any)."""
        for u in self.uploads.values():
            if u["file_id"] == file_id:
                return u["key"]
        return "imports/%s" % file_id

    def staging_path(self, upload_id):
        """An unfinished upload's bytes: one file, each part at its offset."""
        return os.path.join(self.dir, "parts", upload_id)

    def scan_plan(self, infected):
        """The scan_status values a new file will pass through after pending,
        each with the time it takes effect: the optional interim value, then
        the result (scan_result; auto = infected for EICAR, else clean)."""
        step = self.config["scan_delay_ms"] / 1000.0
        t = time.time()
        result = self.config["scan_result"]
        if result == "auto":
            result = "infected" if infected else "clean"
        plan = []
        if self.config["scan_interim"]:
            t += step
            plan.append((t, self.config["scan_interim"]))
        plan.append((t + step, result))
        return plan

    def set_scan(self, f, value):
        """[contract] status is "ready" once clean; while pending, on any
        interim value and on a result that did not pass it stays "draft"."""
        f["scan_status"] = value
        f["status"] = "ready" if value == "clean" else "draft"
        f["updated_at"] = now_iso()

    def scan_state(self, f):
        """Settle the steps of a file's scan whose time has come."""
        plan = f.get("_scan_plan")
        while plan and plan[0][0] <= time.time():
            self.set_scan(f, plan.pop(0)[1])
        return f

    def link_count(self, tenant_id):
        now = time.time()
        return sum(1 for s in self.shares.values()
                   if s["tenant_id"] == tenant_id and not s["_revoked"]
                   and s["_expires"] is not None and s["_expires"] > now)

    def bytes_used(self, tenant_id):
        return sum(f["size"] for f in self.files.values() if f["tenant_id"] == tenant_id)

    def purge_file(self, f):
        self.files.pop(f["id"], None)
        for s in list(self.shares.values()):
            if s["file_id"] == f["id"]:
                self.shares.pop(s["id"], None)
                self.tokens.pop(s["_token"], None)
        try:
            os.unlink(self.object_path(f["id"]))
        except OSError:
            pass


def tcp_info(sock):
    """The kernel's TCP counters of a connection (Linux struct tcp_info):
    payload bytes and segments each way, as seen by the emulator. None where
    the platform has no TCP_INFO or the socket is gone."""
    try:
        raw = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 160)
    except (OSError, AttributeError, ValueError):
        return None

    def field(fmt, offset):
        size = struct.calcsize(fmt)
        return struct.unpack_from(fmt, raw, offset)[0] if len(raw) >= offset + size else None

    return {"bytes_in": field("Q", 128), "bytes_out": field("Q", 120),
            "segs_in": field("I", 140), "segs_out": field("I", 136),
            "data_segs_in": field("I", 152), "data_segs_out": field("I", 156)}


def file_has_eicar(path):
    """Look for the EICAR string without reading the file whole."""
    tail = b""
    with open(path, "rb") as fh:
        while True:
            chunk = fh.read(1 << 20)
            if not chunk:
                return False
            if EICAR in tail + chunk:
                return True
            tail = chunk[-len(EICAR):]
