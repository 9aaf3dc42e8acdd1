# SPDX-License-Identifier: MIT
"""The Partner API listener: /api/v1/..., every endpoint of the contract."""
import hashlib
import json
import mimetypes
import os
import re
import threading
import time
import urllib.parse
import urllib.request
import ssl

import emu_faults
from emu_http import Handler, Abort
from emu_state import (EICAR, ApiError, UUID_RE, field_error, file_has_eicar, new_id, not_found,
                       now_iso, render_422, rule_error)

PREFIX = "/api/v1"
ROUTES = []


def route(method, pattern, scopes=(), bucket=None):
    def deco(fn):
        ROUTES.append((method, re.compile("^" + pattern + "$"), fn, tuple(scopes), bucket))
        return fn
    return deco


# ---- validation helpers --------------------------------------------------------

def check_uuid(value, loc):
    if not isinstance(value, str) or not UUID_RE.match(value):
        raise field_error(loc, "value is not a valid uuid", "type_error.uuid")
    return value


def opt_uuid(body, name):
    v = body.get(name)
    return None if v is None else check_uuid(v, name)


def check_name(value, loc="name", folder=False):
    if not isinstance(value, str):
        raise field_error(loc, "str type expected", "type_error.str")
    if not 1 <= len(value) <= 200:
        raise field_error(loc, "name must be 1 to 200 characters")
    if folder and ("/" in value or "\\" in value or ".." in value):
        raise field_error(loc, "name must not contain '/', '\\\\' or '..'")
    return value


def check_int(value, loc, lo=None, hi=None):
    if isinstance(value, bool) or not isinstance(value, int):
        raise field_error(loc, "value is not a valid integer", "type_error.integer")
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise field_error(loc, "value out of range", "value_error.number")
    return value


def q_uuid(q, name, required=False):
    v = q.get(name)
    if v is None:
        if required:
            raise field_error(["query", name], "field required", "value_error.missing")
        return None
    return check_uuid(v, ["query", name])


def q_bool(q, name):
    v = q.get(name)
    if v is None:
        return False
    if v.lower() in ("true", "1"):
        return True
    if v.lower() in ("false", "0"):
        return False
    raise field_error(["query", name], "value could not be parsed to a boolean")


# ---- object views --------------------------------------------------------------

def pub(rec):
    return {k: v for k, v in rec.items() if not k.startswith("_")}


def paginate(h, items, context):
    q = h.query
    limit = q.get("limit", "50")
    if not limit.isdigit() or not 1 <= int(limit) <= 200:
        raise field_error(["query", "limit"], "limit must be 1..200")
    limit = int(limit)
    offset = h.state.cursor_decode(q["cursor"], context) if q.get("cursor") else 0
    page = items[offset:offset + limit]
    nxt = h.state.cursor_encode(offset + limit, context) if offset + limit < len(items) else None
    return 200, {"items": [pub(x) for x in page], "next_cursor": nxt}


class ApiHandler(Handler):
    def do_GET(self):
        self.dispatch()

    def do_POST(self):
        self.dispatch()

    def do_PATCH(self):
        self.dispatch()

    def do_DELETE(self):
        self.dispatch()

    def do_PUT(self):
        self.dispatch()

    @property
    def state(self):
        return self.server.state

    def storage_base(self):
        """Where presigned URLs point: the storage listener, or with the
        plain_storage_url fault its plain-HTTP twin (a downgrade an API
        server could hand out under an https base)."""
        pub_ = self.state.public
        if self.fault and self.fault["action"] == "plain_storage_url" and \
                pub_.get("storage_plain_base"):
            return pub_["storage_plain_base"]
        return pub_["storage_base"]

    def dispatch(self):
        self.fault = None
        self.raw_body = b""
        try:
            self.take_fault()
            if self.fault_before():
                return
            if self.headers.get("Transfer-Encoding"):
                self.close_connection = True  # the body cannot be skipped reliably
                raise ApiError(400, "Transfer-Encoding is not supported on the API; "
                                    "send Content-Length")
            try:
                n = self.body_length() or 0
            except ValueError:
                self.close_connection = True
                raise ApiError(400, "Invalid Content-Length")
            # Always read the whole body before answering, whatever the answer
            # (401, 404, 429...), so the next request on this keep-alive
            # connection starts where it should.
            limit = self.state.config["max_body_size"]
            if n > limit:
                if n <= 64 * 1024 * 1024:
                    self.drain(n)  # so the client reads the 413 instead of a reset
                else:
                    self.close_connection = True  # never wait for a body that big
                raise ApiError(413, "Payload too large: %d bytes (at most %d)" % (n, limit))
            self.raw_body = self.rfile.read(n) if n else b""
            if len(self.raw_body) != n:
                raise Abort()
            status, body, headers = self.route()
        except Abort:
            raise
        except ApiError as e:
            detail = render_422(e, self.state.config["validation_detail"]) if e.status == 422 \
                else e.detail
            status, body, headers = e.status, {"detail": detail}, e.headers
        except (ValueError, KeyError, TypeError) as e:
            status, body, headers = 400, {"detail": "Bad request: %s" % e}, {}
        except Exception as e:  # a bug here must not kill the listener
            status, body, headers = 500, {"detail": "Internal error: %r" % (e,)}, {}
        if status == 204:
            body = None
        if self.fault and self.fault["action"] == "rewrite_json":
            body = emu_faults.rewrite_json(body, self.fault)
        self.respond(status, body, headers)

    def route(self):
        url = urllib.parse.urlsplit(self.path)
        path = url.path
        try:
            self.query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True,
                                                     strict_parsing=False))
        except ValueError:
            raise ApiError(400, "Malformed query string")
        if not path.startswith(PREFIX + "/"):
            raise not_found()
        path = path[len(PREFIX):]
        allowed = False
        for method, rx, fn, scopes, bucket in ROUTES:
            m = rx.match(path)
            if not m:
                continue
            allowed = True
            if method != self.command:
                continue
            key = self.headers.get("X-API-Key")
            scheme, _, credential = self.headers.get("Authorization", "").strip().partition(" ")
            if not key and scheme.lower() == "bearer":  # auth schemes are case-insensitive
                key = credential.strip()
            self.key = self.state.authenticate(key)
            self.state.rate_check(self.key["key"], bucket(self) if callable(bucket) else bucket)
            self.state.require(self.key, scopes)
            self.tenant = self.key["tenant_id"]
            self.body = self.json_body() if self.command in ("POST", "PATCH", "PUT") else None
            result = fn(self, *m.groups())
            status, body = result[0], result[1]
            return status, body, (result[2] if len(result) > 2 else {})
        if allowed:
            raise ApiError(405, "Method not allowed")
        raise not_found()

    def json_body(self):
        raw = self.raw_body
        if not raw.strip():
            return {}
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype != "application/json" and not ctype.endswith("+json"):
            raise field_error(["body"], "send the JSON body with Content-Type: application/json",
                              "value_error.content_type")
        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise ApiError(400, "Malformed JSON body")
        if not isinstance(body, dict):
            raise field_error("body", "a JSON object is required", "type_error.dict")
        return body

    # ---- lookups scoped to the tenant (other tenants' ids are 404) -----------
    def own(self, table, ident, what):
        rec = table.get(ident) if isinstance(ident, str) else None
        if rec is None or rec["tenant_id"] != self.tenant:
            raise not_found("%s not found" % what)
        return rec

    def own_space(self, ident):
        check_uuid(ident, ["path", "space_id"])
        s = self.own(self.state.spaces, ident, "Space")
        return s

    def own_folder(self, ident, loc="folder_id"):
        check_uuid(ident, loc)
        return self.own(self.state.folders, ident, "Folder")

    def own_file(self, ident):
        check_uuid(ident, ["path", "file_id"])
        return self.state.scan_state(self.own(self.state.files, ident, "File"))


# ---- me, quota -------------------------------------------------------------------

@route("GET", "/me")
def me(h):
    k = h.key
    return 200, {"tenant_id": k["tenant_id"], "key_id": k["id"], "mode": k["mode"],
                 "scopes": k["scopes"]}


@route("GET", "/quota", ["quota:read"])
def quota(h):
    st = h.state
    with st.lock:
        t = st.tenants[h.tenant]
        by_app = {}
        for f in st.files.values():
            if f["tenant_id"] == h.tenant:
                a = by_app.setdefault(f["source_app"], {"app": f["source_app"], "bytes": 0,
                                                        "files": 0})
                a["bytes"] += f["size"]
                a["files"] += 1
        return 200, {"bytes_used": st.bytes_used(h.tenant), "bytes_limit": t["bytes_limit"],
                     "links_used": st.link_count(h.tenant), "links_limit": t["links_limit"],
                     "by_app": sorted(by_app.values(), key=lambda a: a["app"])}


# ---- spaces ------------------------------------------------------------------------

def new_space(h, name, app="fluidcloud"):
    st = h.state
    t = now_iso()
    s = {"id": new_id(), "tenant_id": h.tenant, "name": name, "app": app, "created_at": t,
         "updated_at": t, "_seq": st.next_seq()}
    st.spaces[s["id"]] = s
    return s


@route("GET", "/spaces", ["spaces:read"])
def spaces_list(h):
    st = h.state
    with st.lock:
        mine = [s for s in st.spaces.values() if s["tenant_id"] == h.tenant]
        if not mine:
            mine = [new_space(h, "My files")]
        mine.sort(key=lambda s: s["_seq"])
        return paginate(h, mine, "spaces:" + h.tenant)


@route("POST", "/spaces", ["spaces:write"])
def spaces_create(h):
    b = h.body
    name = check_name(b.get("name"))
    app = b.get("app", "fluidcloud")
    if not isinstance(app, str) or not app:
        raise field_error("app", "str type expected", "type_error.str")
    with h.state.lock:
        return 201, pub(new_space(h, name, app))


@route("GET", "/spaces/([^/]+)", ["spaces:read"])
def spaces_get(h, sid):
    with h.state.lock:
        return 200, pub(h.own_space(sid))


@route("PATCH", "/spaces/([^/]+)", ["spaces:write"])
def spaces_rename(h, sid):
    name = check_name(h.body.get("name"))
    with h.state.lock:
        s = h.own_space(sid)
        s["name"] = name
        s["updated_at"] = now_iso()
        return 200, pub(s)


@route("DELETE", "/spaces/([^/]+)", ["spaces:write"])
def spaces_delete(h, sid):
    check_uuid(sid, ["path", "space_id"])
    st = h.state
    with st.lock:
        s = st.spaces.get(sid)
        if s is not None and s["tenant_id"] == h.tenant:
            for f in [f for f in st.files.values() if f["space_id"] == sid]:
                st.purge_file(f)
            for d in [d for d in st.folders.values() if d["space_id"] == sid]:
                st.folders.pop(d["id"], None)
            st.spaces.pop(sid, None)
        return 204, None


# ---- folders ----------------------------------------------------------------------

def folder_subtree(st, root_id):
    ids = {root_id}
    grew = True
    while grew:
        grew = False
        for d in st.folders.values():
            if d["parent_id"] in ids and d["id"] not in ids:
                ids.add(d["id"])
                grew = True
    return ids


@route("GET", "/folders", ["folders:read"])
def folders_list(h):
    q = h.query
    space = q_uuid(q, "space_id")
    parent = q_uuid(q, "parent_id")
    trashed = q_bool(q, "trashed")
    st = h.state
    with st.lock:
        if space:
            h.own_space(space)
        items = [d for d in st.folders.values() if d["tenant_id"] == h.tenant
                 and (space is None or d["space_id"] == space)
                 and (d["deleted_at"] is not None) == trashed]
        if parent is not None:
            items = [d for d in items if d["parent_id"] == parent]
        elif not trashed:
            items = [d for d in items if d["parent_id"] is None]  # the space root
        items.sort(key=lambda d: d["_seq"])
        return paginate(h, items, "folders:%s:%s:%s:%s" % (h.tenant, space, parent, trashed))


@route("POST", "/folders", ["folders:write"])
def folders_create(h):
    b = h.body
    space = check_uuid(b.get("space_id"), "space_id")
    name = check_name(b.get("name"), folder=True)
    parent = opt_uuid(b, "parent_id")
    st = h.state
    with st.lock:
        h.own_space(space)
        if parent is not None:
            p = h.own_folder(parent, "parent_id")
            if p["space_id"] != space:
                raise rule_error("parent_id", "the parent folder (parent_id) is in another space")
        t = now_iso()
        d = {"id": new_id(), "tenant_id": h.tenant, "space_id": space, "parent_id": parent,
             "name": name, "created_at": t, "updated_at": t, "deleted_at": None,
             "_seq": st.next_seq()}
        st.folders[d["id"]] = d
        return 201, pub(d)


@route("GET", "/folders/([^/]+)", ["folders:read"])
def folders_get(h, fid):
    with h.state.lock:
        return 200, pub(h.own_folder(fid, ["path", "folder_id"]))


@route("PATCH", "/folders/([^/]+)", ["folders:write"])
def folders_patch(h, fid):
    b = h.body
    st = h.state
    with st.lock:
        d = h.own_folder(fid, ["path", "folder_id"])
        if "name" in b:
            d["name"] = check_name(b["name"], folder=True)
        if "parent_id" in b:
            parent = opt_uuid(b, "parent_id")
            if parent is not None:
                p = h.own_folder(parent, "parent_id")
                if p["space_id"] != d["space_id"]:
                    raise rule_error("parent_id", "cannot move a folder to another space (parent_id)")
                if parent in folder_subtree(st, d["id"]):
                    raise rule_error("parent_id", "cannot move a folder into itself (parent_id)")
            d["parent_id"] = parent
        d["updated_at"] = now_iso()
        return 200, pub(d)


@route("DELETE", "/folders/([^/]+)", ["folders:write"])
def folders_delete(h, fid):
    check_uuid(fid, ["path", "folder_id"])
    st = h.state
    with st.lock:
        d = st.folders.get(fid)
        if d is None or d["tenant_id"] != h.tenant:
            return 204, None
        ids = folder_subtree(st, fid)
        t = now_iso()
        for i in ids:
            if st.folders[i]["deleted_at"] is None:
                st.folders[i]["deleted_at"] = t
        for f in st.files.values():
            if f["folder_id"] in ids and f["deleted_at"] is None:
                f["deleted_at"] = t
        return deleted(h, d)


@route("POST", "/folders/([^/]+)/restore", ["folders:write"])
def folders_restore(h, fid):
    st = h.state
    with st.lock:
        d = h.own_folder(fid, ["path", "folder_id"])
        ids = folder_subtree(st, fid)
        for i in ids:
            st.folders[i]["deleted_at"] = None
        for f in st.files.values():
            if f["folder_id"] in ids:
                f["deleted_at"] = None
        return 200, pub(d)


@route("GET", "/folders/([^/]+)/stats", ["folders:read"])
def folders_stats(h, fid):
    st = h.state
    with st.lock:
        h.own_folder(fid, ["path", "folder_id"])
        ids = folder_subtree(st, fid)
        files = [f for f in st.files.values() if f["folder_id"] in ids and f["deleted_at"] is None]
        return 200, {"folder_id": fid, "file_count": len(files),
                     "total_bytes": sum(f["size"] for f in files)}


# ---- files --------------------------------------------------------------------------

@route("GET", "/files", ["files:read"])
def files_list(h):
    q = h.query
    space = q_uuid(q, "space_id")
    folder = q_uuid(q, "folder_id")
    trashed = q_bool(q, "trashed")
    st = h.state
    with st.lock:
        items = [st.scan_state(f) for f in st.files.values() if f["tenant_id"] == h.tenant
                 and (space is None or f["space_id"] == space)
                 and (folder is None or f["folder_id"] == folder)
                 and (f["deleted_at"] is not None) == trashed]
        items.sort(key=lambda f: f["_seq"])
        return paginate(h, items, "files:%s:%s:%s:%s" % (h.tenant, space, folder, trashed))


@route("GET", "/files/resolve", ["files:read"])
def files_resolve(h):
    q = h.query
    key = q.get("client_key")
    if not key:
        raise field_error(["query", "client_key"], "field required", "value_error.missing")
    space = q_uuid(q, "space_id")
    st = h.state
    with st.lock:
        for f in sorted(st.files.values(), key=lambda x: -x["_seq"]):
            if f["tenant_id"] == h.tenant and f["client_key"] == key and \
                    (space is None or f["space_id"] == space) and f["deleted_at"] is None:
                return 200, pub(st.scan_state(f))
        raise not_found("No file with that client_key")


@route("GET", "/files/([^/]+)", ["files:read"])
def files_get(h, fid):
    with h.state.lock:
        if h.fault and h.fault["action"] == "draft_record":
            return draft_record(h, fid)
        return 200, pub(h.own_file(fid))


def draft_record(h, fid):
    """The draft_record fault: the file as it was before a complete went
    through (status draft, scan pending, no sha256), also for an upload
    whose complete never reached the server."""
    check_uuid(fid, ["path", "file_id"])
    st = h.state
    f = st.files.get(fid)
    if f is not None and f["tenant_id"] == h.tenant:
        rec = pub(f)
    else:
        u = next((u for u in st.uploads.values() if u["file_id"] == fid and
                  u["tenant_id"] == h.tenant), None)
        if u is None:
            raise not_found("File not found")
        t = now_iso()
        rec = {"id": fid, "tenant_id": h.tenant, "space_id": u["space_id"],
               "folder_id": u["folder_id"], "source_app": "fluidcloud",
               "client_key": u["client_key"], "original_name": u["name"], "name": u["name"],
               "mime": u["content_type"], "size": u["size"], "created_by": h.key["id"],
               "created_at": t, "updated_at": t, "deleted_at": None}
    rec.update({"status": "draft", "scan_status": "pending", "sha256": None})
    return 200, rec


@route("PATCH", "/files/([^/]+)", ["files:write"])
def files_patch(h, fid):
    b = h.body
    st = h.state
    with st.lock:
        f = h.own_file(fid)
        if "name" in b:
            f["name"] = check_name(b["name"])
        if "folder_id" in b:
            folder = opt_uuid(b, "folder_id")
            if folder is not None:
                d = h.own_folder(folder)
                if d["space_id"] != f["space_id"]:
                    raise rule_error("folder_id", "files move within their space only (folder_id)")
            f["folder_id"] = folder
        f["updated_at"] = now_iso()
        return 200, pub(f)


def deleted(h, rec):
    """[docs] The soft delete of a file or folder answers the updated record
    (deleted_at set) by default; delete_response "empty" answers 204, the
    conventions page's general rule. A repeat answers the same."""
    if h.state.config["delete_response"] == "record":
        return 200, pub(rec)
    return 204, None


@route("DELETE", "/files/([^/]+)", ["files:write"])
def files_delete(h, fid):
    check_uuid(fid, ["path", "file_id"])
    st = h.state
    with st.lock:
        f = st.files.get(fid)
        if f is None or f["tenant_id"] != h.tenant:
            return 204, None  # already gone (or never ours): nothing to return
        if f["deleted_at"] is None:
            f["deleted_at"] = now_iso()
        return deleted(h, st.scan_state(f))


@route("POST", "/files/([^/]+)/restore", ["files:write"])
def files_restore(h, fid):
    with h.state.lock:
        f = h.own_file(fid)
        f["deleted_at"] = None
        return 200, pub(f)


def signed_get(h, f):
    if f["scan_status"] != "clean":
        raise ApiError(409, "File is not ready (scan_status=%r); must be 'clean'."
                       % f["scan_status"])
    exp = int(time.time()) + h.state.config["url_expiry_s"]
    path = "/d/%s" % f["id"]
    sig = h.state.sign("GET\n%s\n%d" % (path, exp))
    return 200, {"url": "%s%s?X-Fc-Expires=%d&X-Fc-Signature=%s" % (
        h.storage_base(), path, exp, sig), "expires_at": h_iso(exp)}


def h_iso(t):
    return now_iso(t)


@route("GET", "/files/([^/]+)/download", ["files:read"])
def files_download(h, fid):
    with h.state.lock:
        return signed_get(h, h.own_file(fid))


@route("GET", "/files/([^/]+)/preview", ["files:read"])
def files_preview(h, fid):
    with h.state.lock:
        return signed_get(h, h.own_file(fid))


# ---- uploads ---------------------------------------------------------------------

def presign(h, upload, n):
    st = h.state
    exp = int(time.time()) + st.config["url_expiry_s"]
    path = "/o/%s" % upload["key"]
    cred = "FCEMU%s/%s/storage/fc_request" % (upload["upload_id"].replace("-", "")[:20].upper(),
                                              time.strftime("%Y%m%d", time.gmtime()))
    sig = st.sign("PUT\n%s\n%d\n%s\n%d" % (path, n, upload["upload_id"], exp))
    return ("%s%s?partNumber=%d&uploadId=%s&X-Fc-Algorithm=FC-HMAC-SHA256&X-Fc-Credential=%s"
            "&X-Fc-Date=%s&X-Fc-Expires=%d&X-Fc-SignedHeaders=host&X-Fc-Signature=%s" % (
                h.storage_base(), path, n, upload["upload_id"],
                urllib.parse.quote(cred, safe=""), time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()),
                exp, sig))


def part_window(b, u):
    """[contract] The ticket's part window: part_from (1-based, default 1) and
    part_limit (default: all) from the initiate body, checked against the
    upload's part count. Returns the part numbers to sign."""
    first = b.get("part_from", 1)
    check_int(first, "part_from", 1)
    limit = b.get("part_limit")
    if limit is not None:
        check_int(limit, "part_limit", 1)
    if first > u["parts"]:
        raise rule_error("part_from", "part_from %d is past the last part (%d)"
                          % (first, u["parts"]), "value_error.number")
    last = u["parts"] if limit is None else min(u["parts"], first + limit - 1)
    return range(first, last + 1)


def ticket(h, u, b):
    if h.state.config["ticket_shape"] == "minimal":
        return minimal_ticket(h, u)
    st = h.state
    base = {"upload_id": u["upload_id"], "file_id": u["file_id"], "key": u["key"],
            "expires_at": now_iso(time.time() + st.config["url_expiry_s"])}
    if u["mode"] == "single":
        headers = {"Content-Type": u["content_type"]}
        if st.config["ticket_headers_first"]:
            base["headers"] = headers  # clients must take any key order
        base.update({"mode": "single", "method": "PUT", "url": presign(h, u, 1),
                     "headers": headers})
        return base
    if st.config["part_window"]:
        numbers = part_window(b, u)
        base.update({"mode": "multipart", "part_count": u["parts"], "part_size": u["part_size"]})
    else:  # a server that ignores the window fields: every part, no part_count
        numbers = range(1, u["parts"] + 1)
        base.update({"mode": "multipart", "part_size": u["part_size"]})
    base["parts"] = [{"part_number": n, "url": presign(h, u, n)} for n in numbers]
    return base


def minimal_ticket(h, u):
    """[contract] ticket_shape "minimal" (issue 15.9): only what the docs name
    for the initiate answer, file_id and key, plus what a PUT needs: url and
    headers, or part_size and every part (part boundaries cannot be derived
    from the part count alone). No mode, upload_id, method, expires_at,
    part_count, and no part window: a server that knows none of that."""
    if u["mode"] == "single":
        return {"file_id": u["file_id"], "key": u["key"], "url": presign(h, u, 1),
                "headers": {"Content-Type": u["content_type"]}}
    return {"file_id": u["file_id"], "key": u["key"], "part_size": u["part_size"],
            "parts": [{"part_number": n, "url": presign(h, u, n)}
                      for n in range(1, u["parts"] + 1)]}


def resumed_upload(h, b):
    """The unfinished upload of this tenant that the body's upload_id names,
    or None (then the initiate starts a new upload)."""
    resume = b.get("upload_id")
    if resume is None:
        return None
    check_uuid(resume, "upload_id")
    u = h.state.uploads.get(resume)
    if u is not None and u["tenant_id"] == h.tenant and not u["completed"]:
        return u
    return None


def initiate_bucket(h):
    """[contract] Only upload starts count against the 300/min initiate limit;
    a resume (fresh URLs or the next part window of an unfinished upload)
    counts against the overall limit only."""
    try:
        b = json.loads(h.raw_body.decode("utf-8")) if h.raw_body.strip() else {}
    except (UnicodeDecodeError, ValueError):
        return "uploads"
    if isinstance(b, dict) and isinstance(b.get("upload_id"), str) and \
            UUID_RE.match(b["upload_id"]):
        with h.state.lock:
            h.tenant = h.key["tenant_id"]
            if resumed_upload(h, b) is not None:
                return None
    return "uploads"


@route("POST", "/uploads/initiate", ["files:write"], initiate_bucket)
def uploads_initiate(h):
    b = h.body
    st = h.state
    with st.lock:
        u = resumed_upload(h, b)
        if u is not None:
            return 201, ticket(h, u, b)  # [contract] resume: fresh URLs, same upload
    space = check_uuid(b.get("space_id"), "space_id")
    folder = opt_uuid(b, "folder_id")
    name = check_name(b.get("name"))
    size = check_int(b.get("size"), "size", 0)
    ctype = b.get("content_type") or \
        (mimetypes.guess_type(name)[0] if isinstance(name, str) else None) or \
        "application/octet-stream"
    ckey = b.get("client_key")
    if not isinstance(ctype, str) or (ckey is not None and not isinstance(ckey, str)):
        raise field_error("content_type", "str type expected", "type_error.str")
    if size > st.config["max_upload_size"]:
        raise ApiError(413, "File too large")
    with st.lock:
        h.own_space(space)
        if folder is not None and h.own_folder(folder)["space_id"] != space:
            raise rule_error("folder_id", "the folder (folder_id) is in another space")
        t = st.tenants[h.tenant]
        if t["bytes_limit"] >= 0 and st.bytes_used(h.tenant) + size > t["bytes_limit"]:
            raise ApiError(402, {"error": "quota_exceeded", "message": "storage quota exceeded"})
        multipart = size > st.config["multipart_threshold"]
        part_size = st.config["part_size"]
        u = {"upload_id": new_id(), "file_id": new_id(), "tenant_id": h.tenant,
             "space_id": space, "folder_id": folder, "name": name, "size": size,
             "content_type": ctype, "client_key": ckey, "completed": False,
             "mode": "multipart" if multipart else "single", "part_size": part_size,
             "parts": max(1, -(-size // part_size)) if multipart else 1, "etags": {}}
        u["key"] = "tenants/%s/%s/%s" % (h.tenant[:8], u["file_id"],
                                         urllib.parse.quote(name, safe=""))
        window = ticket(h, u, b)  # (a bad window is refused before the upload exists)
        st.uploads[u["upload_id"]] = u
        return 201, window


def hash_staged(st, u):
    """Size, SHA-256 and EICAR verdict of an upload's staged bytes, in one
    pass of 1 MiB reads."""
    sha = hashlib.sha256()
    size = 0
    infected = False
    tail = b""
    try:
        with open(st.staging_path(u["upload_id"]), "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                sha.update(chunk)
                size += len(chunk)
                infected = infected or EICAR in tail + chunk
                tail = chunk[-len(EICAR):]
    except FileNotFoundError:
        pass  # (a zero-byte single upload may never have been PUT)
    return size, sha.hexdigest(), infected


@route("POST", "/uploads/complete", ["files:write"])
def uploads_complete(h):
    b = h.body
    st = h.state
    uid = opt_uuid(b, "upload_id")
    fid = check_uuid(b.get("file_id"), "file_id")
    key = b.get("key")
    sha = b.get("sha256")
    if not isinstance(sha, str) or not re.match("^[0-9a-fA-F]{64}$", sha):
        raise field_error("sha256", "sha256 must be 64 hex digits")
    with st.lock:
        if uid is None:
            # [contract] upload_id is optional: file_id (and key) name the
            # upload, as a minimal ticket has nothing else (issue 15.9).
            uid = next((u["upload_id"] for u in st.uploads.values() if u["file_id"] == fid), None)
        u = st.uploads.get(uid)
        if u is None or u["tenant_id"] != h.tenant:
            raise not_found("Upload not found")
        if u["file_id"] != fid or u["key"] != key:
            raise rule_error("key", "file_id or key does not match the upload")
        if u["completed"]:
            if fid not in st.files:
                raise not_found("File not found")
            return 201, pub(st.scan_state(st.files[fid]))  # idempotent
        parts = b.get("parts")
        if u["mode"] == "multipart":
            if not isinstance(parts, list) or len(parts) != u["parts"]:
                raise rule_error("parts", "parts: every part with its etag is required")
            for i, p in enumerate(parts):
                if not isinstance(p, dict) or p.get("part_number") != i + 1 or \
                        p.get("etag") != u["etags"].get(i + 1):
                    raise rule_error(["body", "parts", i], "parts: part %d missing or etag mismatch"
                                      % (i + 1))
        for n in range(1, u["parts"] + 1):
            if n not in u["etags"]:
                raise rule_error("parts", "parts: part %d was never uploaded" % n)
        ulock = u.setdefault("_lock", threading.Lock())
    # Assembling and scanning a large object happens outside the global lock,
    # so other clients are served meanwhile; the upload's own lock keeps two
    # completes of the same upload (a client retry) from racing.
    with ulock:
        with st.lock:
            if u["completed"]:
                if fid not in st.files:
                    raise not_found("File not found")
                return 201, pub(st.scan_state(st.files[fid]))  # idempotent
        # A failed complete keeps the staged bytes, so the client can PUT a
        # part again and complete again.
        size, digest, infected = hash_staged(st, u)
        if size != u["size"]:
            raise rule_error("size", "size: stored size %d differs from declared size %d"
                              % (size, u["size"]))
        if digest != sha.lower():
            raise rule_error("sha256", "sha256: the stored bytes have sha256 %s, not %s" % (digest, sha))
        staged = st.staging_path(u["upload_id"])
        if os.path.exists(staged):
            os.replace(staged, st.object_path(fid))
        else:
            open(st.object_path(fid), "wb").close()
        with st.lock:
            t = now_iso()
            f = {"id": fid, "tenant_id": h.tenant, "space_id": u["space_id"],
                 "folder_id": u["folder_id"],
                 "source_app": st.spaces[u["space_id"]]["app"] if u["space_id"] in st.spaces
                 else "fluidcloud",
                 "client_key": u["client_key"], "original_name": u["name"], "name": u["name"],
                 "mime": u["content_type"], "size": size, "sha256": digest,
                 "scan_status": "pending", "status": "draft", "created_by": h.key["id"],
                 "created_at": t, "updated_at": t, "deleted_at": None, "_seq": st.next_seq(),
                 "_scan_plan": st.scan_plan(infected)}
            st.files[fid] = f
            u["completed"] = True
            return 201, pub(f)


@route("POST", "/uploads/import-url", ["files:write"], "imports")
def uploads_import(h):
    b = h.body
    st = h.state
    url = b.get("url")
    space = check_uuid(b.get("space_id"), "space_id")
    folder = opt_uuid(b, "folder_id")
    if not isinstance(url, str):
        raise field_error("url", "str type expected", "type_error.str")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.hostname not in ("localhost", "127.0.0.1",
                                                                      "::1"):
        raise rule_error("url", "only loopback http(s) URLs can be imported here (url)")
    name = b.get("name") or os.path.basename(parts.path) or "import"
    check_name(name)
    with st.lock:
        h.own_space(space)
        if folder is not None:
            h.own_folder(folder)
    ctx = ssl.create_default_context(cafile=st.public.get("ca_file")) if \
        parts.scheme == "https" else None
    fid = new_id()
    sha = hashlib.sha256()
    size = 0
    try:
        with urllib.request.urlopen(url, timeout=30, context=ctx) as r, \
                open(st.object_path(fid), "wb") as out:
            ctype = r.headers.get("Content-Type", "application/octet-stream")
            while True:
                chunk = r.read(1 << 20)
                if not chunk:
                    break
                sha.update(chunk)
                size += len(chunk)
                out.write(chunk)
    except Exception as e:
        raise rule_error("url", "could not fetch the url: %s" % e)
    with st.lock:
        tn = st.tenants[h.tenant]
        if tn["bytes_limit"] >= 0 and st.bytes_used(h.tenant) + size > tn["bytes_limit"]:
            try:
                os.unlink(st.object_path(fid))
            except OSError:
                pass
            raise ApiError(402, {"error": "quota_exceeded", "message": "storage quota exceeded"})
        t = now_iso()
        f = {"id": fid, "tenant_id": h.tenant, "space_id": space, "folder_id": folder,
             "source_app": st.spaces[space]["app"] if space in st.spaces else "fluidcloud",
             "client_key": b.get("client_key"),
             "original_name": name, "name": name, "mime": ctype, "size": size,
             "sha256": sha.hexdigest(), "scan_status": "pending", "status": "draft",
             "created_by": h.key["id"], "created_at": t, "updated_at": t, "deleted_at": None,
             "_seq": st.next_seq(),
             "_scan_plan": st.scan_plan(file_has_eicar(st.object_path(fid)))}
        st.files[fid] = f
        return 202, pub(f)


# ---- shares ------------------------------------------------------------------------

def share_view(s, with_url=False, raw_base=""):
    v = pub(s)
    v.pop("tenant_id", None)  # a Share is id, file_id, permission, expires_at, created_at (+url)
    if with_url:
        v["url"] = "%s/s/%s" % (raw_base, s["_token"])
    return v


@route("POST", "/shares", ["shares:write"], "shares")
def shares_create(h):
    import secrets
    b = h.body
    st = h.state
    fid = check_uuid(b.get("file_id"), "file_id")
    days = b.get("expires_in_days")
    if days is not None:
        check_int(days, "expires_in_days", 1, 365)
    # [docs] expiring links are a download unless permission is "view";
    # permanent links are served inline.
    perm = b.get("permission")
    if perm is None:
        perm = "view" if days is None else "download"
    if perm not in ("view", "download"):
        raise field_error("permission", "permission must be 'view' or 'download'")
    with st.lock:
        f = h.own_file(fid)
        if f["scan_status"] != "clean":
            raise ApiError(409, "File is not shareable yet (scan_status='%s'); must be 'clean'."
                           % f["scan_status"])
        t = st.tenants[h.tenant]
        if days is not None and t["links_limit"] >= 0 and \
                st.link_count(h.tenant) >= t["links_limit"]:
            raise ApiError(402, "quota_exceeded")
        now = time.time()
        s = {"id": new_id(), "file_id": fid, "tenant_id": h.tenant, "permission": perm,
             "expires_at": None if days is None else now_iso(now + days * 86400),
             "created_at": now_iso(now), "_token": secrets.token_urlsafe(24),
             "_expires": None if days is None else now + days * 86400, "_revoked": False,
             "_seq": st.next_seq()}
        st.shares[s["id"]] = s
        st.tokens[s["_token"]] = s["id"]
        return 201, share_view(s, True, st.public["raw_base"])


@route("GET", "/shares", ["shares:read"])
def shares_list(h):
    fid = q_uuid(h.query, "file_id")
    st = h.state
    with st.lock:
        items = [s for s in st.shares.values() if s["tenant_id"] == h.tenant and
                 not s["_revoked"] and (fid is None or s["file_id"] == fid)]
        items.sort(key=lambda s: s["_seq"])
        return paginate(h, items, "shares:%s:%s" % (h.tenant, fid))


@route("GET", "/shares/([^/]+)", ["shares:read"])
def shares_get(h, sid):
    check_uuid(sid, ["path", "share_id"])
    with h.state.lock:
        s = h.own(h.state.shares, sid, "Share")
        if s["_revoked"]:
            raise not_found("Share not found")
        return 200, share_view(s)


@route("DELETE", "/shares/([^/]+)", ["shares:write"])
def shares_revoke(h, sid):
    check_uuid(sid, ["path", "share_id"])
    st = h.state
    with st.lock:
        s = st.shares.get(sid)
        if s is not None and s["tenant_id"] == h.tenant:
            s["_revoked"] = True
        return 204, None


# ---- GDPR ----------------------------------------------------------------------------

@route("DELETE", "/gdpr/files/([^/]+)", ["files:write"])
def gdpr_file(h, fid):
    check_uuid(fid, ["path", "file_id"])
    st = h.state
    with st.lock:
        f = st.files.get(fid)
        if f is not None and f["tenant_id"] == h.tenant:
            st.purge_file(f)
        return 204, None


@route("DELETE", "/gdpr/trash", ["files:write"])
def gdpr_trash(h):
    """[docs] "Permanently empty the whole Trash (or one space's)": without
    space_id, every space of the tenant."""
    space = q_uuid(h.query, "space_id")
    st = h.state
    with st.lock:
        if space is not None:
            h.own_space(space)
        mine = lambda r: r["tenant_id"] == h.tenant and r["deleted_at"] is not None and \
            space in (None, r["space_id"])  # noqa: E731
        for f in [f for f in st.files.values() if mine(f)]:
            st.purge_file(f)
        for d in [d for d in st.folders.values() if mine(d)]:
            st.folders.pop(d["id"], None)
        return 202, {"detail": "Trash purge accepted", "space_id": space}
