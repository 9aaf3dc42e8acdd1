#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Record the emulator's answers and write them as seed corpora.

    python3 test/emulator/with_emulator.py --plain --scan-delay-ms 0 \\
        --multipart-threshold 1000 --part-size 400 -- \\
        python3 test/fuzz/record_seeds.py test/fuzz/corpus

Every seed is a real answer of the emulator (test/emulator), put into the
input format of the target it seeds (see each fuzz_*.c):

  fuzz_http    set-up bytes, then the answer as data steps, a would-block
               for the keep-alive probe, and a second call's answer
  fuzz_decode  the call, the status, sizes, then the JSON body
  fuzz_ticket  sizes, then an initiate ticket (storage URLs rewritten to
               https://storage.test, the host the target serves)

Re-run it when the API contract changes; the seeds are small on purpose.
"""
import hashlib
import json
import os
import re
import socket
import struct
import sys
import urllib.parse

# Call indices of fz_calls.h (keep in order with its enum).
CALLS = ["ME", "QUOTA", "SPACES_LIST", "SPACES_CREATE", "SPACES_GET", "FOLDERS_LIST",
         "FOLDERS_GET", "FOLDERS_STATS", "FILES_LIST", "FILES_GET", "FILES_DELETE",
         "FILES_DOWNLOAD", "SHARES_CREATE", "SHARES_LIST", "FILES_RESTORE", "IMPORT",
         "LIST_ON_ITEM", "DOWNLOAD"]
STATUSES = [200, 201, 400, 401, 402, 403, 404, 409, 422, 429]  # fuzz_decode.c


def raw(base, method, path, key=None, body=None, headers=()):
    """One request on a fresh connection; the whole raw answer, without
    the Connection: close line this asked for."""
    u = urllib.parse.urlsplit(base)
    s = socket.create_connection((u.hostname, u.port))
    data = json.dumps(body).encode() if body is not None else b""
    lines = ["%s %s HTTP/1.1" % (method, path), "Host: %s" % u.netloc, "Connection: close"]
    if key:
        lines.append("X-API-Key: " + key)
    if body is not None:
        lines += ["Content-Type: application/json", "Content-Length: %d" % len(data)]
    lines += list(headers)
    s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + data)
    out = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        out += chunk
    s.close()
    return re.sub(rb"(?i)\r\nconnection: close", b"", out, count=1)


def body_of(answer):
    return answer.split(b"\r\n\r\n", 1)[1]


def status_of(answer):
    return int(answer.split(b" ", 2)[1])


def admin(method, path, body=None):
    a = raw(os.environ["FC_EMU_ADMIN"], method, path, body=body)
    return json.loads(body_of(a) or b"null")


def write(out, target, name, data):
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def http_steps(answer):
    """The answer as data steps of fuzz_http (op 0, length - 1, bytes)."""
    steps = b""
    for i in range(0, len(answer), 256):
        piece = answer[i:i + 256]
        steps += bytes([0, len(piece) - 1]) + piece
    return steps


def main(out):
    api = os.environ["FLUIDCLOUD_BASE_URL"]
    u = urllib.parse.urlsplit(api)
    root = "%s://%s" % (u.scheme, u.netloc)
    prefix = u.path.rstrip("/")
    key = os.environ["FLUIDCLOUD_API_KEY"]

    def call(method, path, body=None, k=key, headers=()):
        return raw(root, method, prefix + path, k, body, headers)

    answers = {}
    answers["SPACES_LIST"] = call("GET", "/spaces")
    space = json.loads(body_of(answers["SPACES_LIST"]))["items"][0]["id"]
    answers["ME"] = call("GET", "/me")
    answers["QUOTA"] = call("GET", "/quota")
    answers["SPACES_CREATE"] = call("POST", "/spaces", {"name": "Cam 1"})
    answers["SPACES_GET"] = call("GET", "/spaces/" + space)
    folder = json.loads(body_of(call("POST", "/folders", {"space_id": space, "name": "a"})))
    answers["FOLDERS_GET"] = call("GET", "/folders/" + folder["id"])
    answers["FOLDERS_LIST"] = call("GET", "/folders?space_id=" + space)
    answers["LIST_ON_ITEM"] = answers["FOLDERS_LIST"]

    # A single upload, completed and shared.
    data = b"frame bytes " * 8
    ticket_single = call("POST", "/uploads/initiate",
                         {"space_id": space, "name": "frame.jpg", "size": len(data),
                          "content_type": "image/jpeg"})
    t = json.loads(body_of(ticket_single))
    su = urllib.parse.urlsplit(t["url"])
    s = socket.create_connection((su.hostname, su.port))
    s.sendall(("PUT %s?%s HTTP/1.1\r\nHost: %s\r\nContent-Type: image/jpeg\r\n"
               "Content-Length: %d\r\nConnection: close\r\n\r\n"
               % (su.path, su.query, su.netloc, len(data))).encode() + data)
    put = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        put += chunk
    s.close()
    complete = call("POST", "/uploads/complete",
                    {"upload_id": t["upload_id"], "file_id": t["file_id"], "key": t["key"],
                     "sha256": hashlib.sha256(data).hexdigest()})
    fid = t["file_id"]
    answers["FILES_GET"] = call("GET", "/files/" + fid)
    answers["FILES_LIST"] = call("GET", "/files?space_id=%s&limit=2" % space)
    answers["FILES_DOWNLOAD"] = call("GET", "/files/%s/download" % fid)
    answers["SHARES_CREATE"] = call("POST", "/shares", {"file_id": fid})
    answers["SHARES_LIST"] = call("GET", "/shares?file_id=" + fid)
    answers["FILES_DELETE"] = call("DELETE", "/files/" + fid)
    answers["FILES_RESTORE"] = call("POST", "/files/%s/restore" % fid)
    answers["FOLDERS_STATS"] = call("GET", "/folders/%s/stats" % folder["id"])
    link = json.loads(body_of(answers["SHARES_CREATE"]))["url"]
    lu = urllib.parse.urlsplit(link)
    answers["DOWNLOAD"] = raw("%s://%s" % (lu.scheme, lu.netloc), "GET", lu.path)
    answers["IMPORT"] = call("POST", "/uploads/import-url",
                             {"url": link, "space_id": space})

    # A multipart ticket (threshold 1000, parts of 400 bytes).
    ticket_multi = call("POST", "/uploads/initiate",
                        {"space_id": space, "name": "big.bin", "size": 1100})

    # Error answers.
    errors = {
        "401": call("GET", "/me", k="fck_live_" + "0" * 32),
        "404": call("GET", "/files/" + "0" * 8 + "-0000-4000-8000-" + "0" * 12),
        "422": call("GET", "/files/not-a-uuid"),
        "409": None,
    }
    few = admin("POST", "/admin/keys", {"tenant_id": os.environ["FC_EMU_TENANT_ID"],
                                        "scopes": ["files:read"]})
    errors["403"] = call("GET", "/spaces", k=few["key"])
    tenant = admin("POST", "/admin/tenants", {"bytes_limit": 10})
    small = admin("POST", "/admin/keys", {"tenant_id": tenant["tenant_id"]})
    sp2 = json.loads(body_of(call("GET", "/spaces", k=small["key"])))["items"][0]["id"]
    errors["402"] = call("POST", "/uploads/initiate",
                         {"space_id": sp2, "name": "x", "size": 100}, k=small["key"])
    pend = json.loads(body_of(call("POST", "/uploads/initiate",
                                   {"space_id": space, "name": "p", "size": 1})))
    errors["409"] = call("POST", "/shares", {"file_id": pend["file_id"]})
    admin("POST", "/admin/faults", {"listener": "api", "action": "status", "status": 503,
                                    "retry_after": 999999})
    errors["503"] = call("GET", "/me")
    admin("POST", "/admin/faults", {"listener": "api", "action": "status", "status": 429,
                                    "retry_after": 2})
    errors["429"] = call("GET", "/me")
    admin("POST", "/admin/faults", {"listener": "api", "action": "chunked"})
    chunked_me = call("GET", "/me")
    admin("POST", "/admin/faults", {"listener": "api", "action": "close_delimited"})
    closed_me = call("GET", "/me")

    # ---- fuzz_decode: call, status index, token size index, cap, body.
    for name, a in answers.items():
        if name == "DOWNLOAD":
            continue
        st = status_of(a)
        idx = STATUSES.index(st) if st in STATUSES else 0
        write(out, "fuzz_decode", name.lower(),
              bytes([CALLS.index(name), idx, 4, 2]) + body_of(a))
    for code, a in errors.items():
        st = status_of(a)
        if st in STATUSES:
            write(out, "fuzz_decode", "error_" + code,
                  bytes([CALLS.index("FILES_GET"), STATUSES.index(st), 4, 1]) + body_of(a))

    # ---- fuzz_http: io 4096, 256 tokens, 4 attempts, whole sends, calls, cap 2.
    def http_seed(first, second, first_answers, second_answer):
        steps = b"".join(http_steps(a) for a in first_answers)
        return (bytes([4, 3, 3, 0, CALLS.index(first), CALLS.index(second), 1]) + steps +
                bytes([3]) + http_steps(second_answer))
    for name, a in answers.items():
        write(out, "fuzz_http", name.lower(), http_seed(name, "ME", [a], answers["ME"]))
    write(out, "fuzz_http", "retry_503_long",
          http_seed("FILES_GET", "ME", [errors["503"], answers["FILES_GET"]], answers["ME"]))
    write(out, "fuzz_http", "retry_429",
          http_seed("ME", "QUOTA", [errors["429"], answers["ME"]], answers["QUOTA"]))
    write(out, "fuzz_http", "chunked", http_seed("ME", "ME", [chunked_me], answers["ME"]))
    write(out, "fuzz_http", "close_delimited",
          http_seed("ME", "ME", [closed_me], answers["ME"]))
    for code in ("401", "403", "404", "422", "402", "409"):
        write(out, "fuzz_http", "error_" + code,
              http_seed("FILES_GET", "ME", [errors[code]], answers["ME"]))

    # ---- fuzz_ticket: io 4096, the declared size (u16), the ticket.
    storage = os.environ["FC_EMU_STORAGE"].encode()
    for name, a, size in (("single", ticket_single, len(data)),
                          ("multipart", ticket_multi, 1100)):
        body = body_of(a).replace(storage, b"https://storage.test")
        write(out, "fuzz_ticket", name, bytes([2]) + struct.pack(">H", size) + body)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
