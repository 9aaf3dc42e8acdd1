# SPDX-License-Identifier: MIT
"""The admin API (plain HTTP, its own port): tenants, keys, configuration,
state, the request log, and fault injection."""
import json
import os
import re
import urllib.parse

import emu_faults
from emu_http import Handler
from emu_state import ALL_SCOPES, ApiError

# Settings that are not integers: the values each may take (None = any
# non-empty string).
CHOICES = {"ticket_shape": ("full", "minimal"), "delete_response": ("record", "empty"),
           "validation_detail": ("auto", "list", "string"), "scan_result": None,
           "scan_interim": None}


class AdminHandler(Handler):
    def do_GET(self):
        self.dispatch()

    def do_POST(self):
        self.dispatch()

    def do_PATCH(self):
        self.dispatch()

    def do_DELETE(self):
        self.dispatch()

    def dispatch(self):
        self.fault = None
        try:
            raw = self.read_body(64 * 1024 * 1024) or b""
            body = json.loads(raw.decode()) if raw.strip() else {}
            if not isinstance(body, dict):
                raise ApiError(400, "a JSON object is required")
            status, out = self.route(urllib.parse.urlsplit(self.path), body)
        except ApiError as e:
            status, out = e.status, {"detail": e.detail}
        except (ValueError, KeyError, TypeError) as e:
            status, out = 400, {"detail": "bad admin request: %s" % e}
        self.respond(status, out)

    def route(self, url, b):
        st = self.server.state
        p, m = url.path, self.command
        q = dict(urllib.parse.parse_qsl(url.query))
        if (m, p) == ("POST", "/admin/tenants"):
            t = st.create_tenant(b.get("name", "tenant"), b.get("plan", "pro"),
                                 int(b.get("bytes_limit", -1)), int(b.get("links_limit", -1)))
            return 201, {"tenant_id": t["id"]}
        mt = re.match(r"^/admin/tenants/([^/]+)$", p)
        if m == "PATCH" and mt:
            with st.lock:
                t = st.tenants.get(mt.group(1))
                if t is None:
                    raise ApiError(404, "unknown tenant")
                for k in ("bytes_limit", "links_limit"):
                    if k in b:
                        t[k] = int(b[k])
                if "plan" in b:
                    t["plan"] = str(b["plan"])
                return 200, dict(t)
        if (m, p) == ("POST", "/admin/keys"):
            scopes = b.get("scopes")
            if scopes is not None and not all(s in ALL_SCOPES for s in scopes):
                raise ApiError(400, "unknown scope")
            k = st.create_key(b["tenant_id"], scopes, b.get("mode", "live"), b.get("key"))
            return 201, {"key": k["key"], "key_id": k["id"], "tenant_id": k["tenant_id"]}
        mk = re.match(r"^/admin/keys/([^/]+)/revoke$", p)
        if m == "POST" and (mk or p == "/admin/keys/revoke"):
            with st.lock:
                key = st.key_ids.get(mk.group(1)) if mk else b.get("key")
                if key not in st.keys:
                    key = None
                if key is None:
                    raise ApiError(404, "unknown key")
                st.keys[key]["revoked"] = True
            return 200, {"revoked": True}
        if p == "/admin/config":
            return self.config(m, b)
        if (m, p) == ("GET", "/admin/state"):
            return 200, self.snapshot()
        ms = re.match(r"^/admin/files/([^/]+)/scan$", p)
        if m == "POST" and ms:
            return self.set_scan(ms.group(1), b)
        mo = re.match(r"^/admin/objects/([^/]+)$", p)
        if m == "GET" and mo:
            return self.object(mo.group(1))
        if p == "/admin/requests":
            with st.lock:
                if m == "DELETE":
                    st.requests.clear()
                    return 200, {"cleared": True}
                return 200, {"requests": [dict(r) for r in self.log_query(q)]}
        if (m, p) == ("GET", "/admin/requests/summary"):
            with st.lock:
                return 200, self.log_summary(self.log_query(q))
        if p == "/admin/connections":
            if m == "DELETE":
                st.forget_closed_conns()
                return 200, {"cleared": True}
            return 200, {"connections": st.conn_views(q.get("listener"))}
        if p == "/admin/tls":
            with st.lock:
                if m == "DELETE":
                    st.handshakes.clear()
                    return 200, {"cleared": True}
                return 200, {"handshakes": self.handshakes()}
        if (m, p) == ("POST", "/admin/tls/rotate"):
            for srv in st.servers.values():
                srv.rotate_tls()
            return 200, {"rotated": True}
        if p == "/admin/faults":
            return self.faults(m, b)
        if (m, p) == ("POST", "/admin/reset"):
            with st.lock:
                st.faults.clear()
                st.rate.clear()
                st.leaked_keys = 0
                st.requests.clear()
                st.handshakes.clear()
            st.forget_closed_conns()
            return 200, {"reset": True}
        raise ApiError(404, "no such admin endpoint")

    def config(self, m, b):
        """GET, or PATCH any subset; a PATCH with one bad value changes nothing."""
        st = self.server.state
        with st.lock:
            if m == "PATCH":
                cfg = json.loads(json.dumps(st.config))
                for k, v in b.items():
                    cfg[k] = self.setting(cfg, k, v)
                if cfg["part_size"] <= 0:
                    raise ApiError(400, "part_size must be positive")
                if "rate_limits" in b or "rate_window_s" in b:
                    st.rate.clear()  # new limits start with fresh windows
                st.config.clear()
                st.config.update(cfg)
            elif m != "GET":
                raise ApiError(405, "GET or PATCH")
            return 200, json.loads(json.dumps(st.config))

    def snapshot(self):
        st = self.server.state
        with st.lock:
            objects = []
            files = sorted(st.files.values(), key=lambda f: f["_seq"])
            for f in files:
                path = st.object_path(f["id"])
                if os.path.exists(path):
                    objects.append({"key": st.object_key(f["id"]), "file_id": f["id"],
                                    "size": os.path.getsize(path), "sha256": f["sha256"]})
            # leaked_key_count first: small clients read it from the head of the body
            return {"leaked_key_count": st.leaked_keys, "objects": objects,
                    "files": [{k: v for k, v in st.scan_state(f).items()
                               if not k.startswith("_")} for f in files],
                    "shares": [{"id": s["id"], "file_id": s["file_id"],
                                "permission": s["permission"], "expires_at": s["expires_at"],
                                "revoked": s["_revoked"], "token": s["_token"]}
                               for s in sorted(st.shares.values(), key=lambda s: s["_seq"])],
                    "uploads": [{"upload_id": u["upload_id"], "file_id": u["file_id"],
                                 "key": u["key"], "mode": u["mode"], "size": u["size"],
                                 "parts": u["parts"], "part_size": u["part_size"],
                                 "etags": {str(n): e for n, e in u["etags"].items()},
                                 "completed": u["completed"]} for u in st.uploads.values()],
                    "tenants": [dict(t) for t in st.tenants.values()],
                    "faults": list(st.faults), "request_count": len(st.requests),
                    "tls_handshakes": self.handshakes(),
                    "config": json.loads(json.dumps(st.config))}

    @staticmethod
    def setting(cfg, k, v):
        """One setting's new value, checked."""
        if k == "rate_limits":
            unknown = [kk for kk in v if kk not in cfg["rate_limits"]]
            if unknown:
                raise ApiError(400, "unknown rate limit %s" % unknown[0])
            return dict(cfg["rate_limits"], **{kk: int(vv) for kk, vv in v.items()})
        if k in CHOICES:
            allowed = CHOICES[k]
            ok = isinstance(v, str) and (v in allowed if allowed else bool(v) or k == "scan_interim")
            if not ok:
                raise ApiError(400, "%s must be one of %s" % (
                    k, list(allowed) if allowed else "a non-empty string"))
            return v
        if k in cfg:
            return int(v)
        raise ApiError(400, "unknown setting %s" % k)

    def set_scan(self, file_id, b):
        """Give one file a scan_status now (any string), whatever its plan."""
        st = self.server.state
        value = b.get("scan_status")
        if not isinstance(value, str) or not value:
            raise ApiError(400, "scan_status must be a non-empty string")
        with st.lock:
            f = st.files.get(file_id)
            if f is None:
                raise ApiError(404, "unknown file")
            f["_scan_plan"] = []
            st.set_scan(f, value)
            return 200, {k: v for k, v in f.items() if not k.startswith("_")}

    def log_query(self, q):
        """The request-log entries the query selects: listener, conn_id, and
        since (entries after that seq)."""
        st = self.server.state
        conn = int(q["conn_id"]) if "conn_id" in q else None
        since = int(q.get("since", 0))
        return [r for r in st.requests if q.get("listener") in (None, r["listener"])
                and conn in (None, r["conn_id"]) and r["seq"] > since]

    def log_summary(self, entries):
        """Totals of log entries, the figures a client's wire statistics
        should match, small enough for a firmware test's buffer."""
        statuses = {}
        for r in entries:
            statuses[str(r["status"])] = statuses.get(str(r["status"]), 0) + 1
        new = [r for r in entries if not r["conn_reused"]]
        return {"requests": len(entries),
                "request_bytes": sum(r["request_bytes"] for r in entries),
                "response_bytes": sum(r["response_bytes"] for r in entries),
                "connections": len({r["conn_id"] for r in entries}),
                "new_connections": len(new),
                "tls_full": sum(1 for r in new if r["tls"] == "full"),
                "tls_resumed": sum(1 for r in new if r["tls"] == "resumed"),
                "statuses": statuses,
                "last_seq": self.server.state.request_seq}  # the mark for a later since=

    def handshakes(self):
        """Full, resumed and failed TLS handshakes per TLS listener."""
        st = self.server.state
        return {name: dict(st.handshakes.get(name, {"full": 0, "resumed": 0, "failed": 0}))
                for name, srv in st.servers.items() if srv.tls_factory is not None}

    def object(self, file_id):
        import hashlib
        st = self.server.state
        path = st.object_path(file_id)
        if not os.path.exists(path):
            raise ApiError(404, "no stored object for that file")
        sha = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                sha.update(chunk)
        return 200, {"file_id": file_id, "size": os.path.getsize(path),
                     "sha256": sha.hexdigest()}

    def faults(self, m, b):
        st = self.server.state
        if m == "POST":
            emu_faults.check_fault(b)
            return 201, {"fault_id": st.add_fault(dict(b))}
        with st.lock:
            if m == "DELETE":
                st.faults.clear()
                return 200, {"cleared": True}
            return 200, {"faults": list(st.faults)}
