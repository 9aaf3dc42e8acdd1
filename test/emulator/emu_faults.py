# SPDX-License-Identifier: MIT
"""Fault injection: which faults exist, how a fault is checked when the admin
API adds it, and the bodies some of them send (HTML error pages, S3-style
XML errors, rewritten JSON). Where each fault acts is in emu_http (the wire),
emu_storage (ranges) and emu_api (JSON answers, tickets, records)."""
import email.utils
import os

from emu_state import ApiError

LISTENERS = ("api", "storage", "raw", "storage_plain")

# action -> listeners it makes sense on (None: every listener)
ACTIONS = {
    "status": None, "delay": None, "stall": None, "close_after_response_bytes": None,
    "close_after_request_bytes": None, "one_byte": None, "chunked": None,
    "close_delimited": None, "garbage": None,
    "range_whole": ("storage", "raw", "storage_plain"),
    "range_ignore": ("storage", "raw", "storage_plain"),
    "draft_record": ("api",), "rewrite_json": ("api",), "plain_storage_url": ("api",),
}
BODY_KINDS = ("html", "s3_xml")


def check_fault(f):
    """Refuse a fault the emulator could not apply as asked (400)."""
    if f.get("listener") not in LISTENERS:
        raise ApiError(400, "listener must be one of %s" % list(LISTENERS))
    action = f.get("action")
    if action not in ACTIONS:
        raise ApiError(400, "action must be one of %s" % sorted(ACTIONS))
    where = ACTIONS[action]
    if where is not None and f["listener"] not in where:
        raise ApiError(400, "%s applies to the %s listener(s) only" % (action, "/".join(where)))
    for name in ("count", "skip", "bytes", "delay_ms", "interval_ms", "body_size",
                 "retry_after_date_s", "status", "max_s"):
        if name in f and (isinstance(f[name], bool) or not isinstance(f[name], int)
                          or f[name] < 0):
            raise ApiError(400, "%s must be an integer >= 0" % name)
    if "body_kind" in f and f["body_kind"] not in BODY_KINDS:
        raise ApiError(400, "body_kind must be one of %s" % list(BODY_KINDS))
    for name, typ in (("set", dict), ("merge", dict), ("drop", list)):
        if name in f and not isinstance(f[name], typ):
            raise ApiError(400, "%s must be a JSON %s" % (name, typ.__name__))
    if "merge" in f and not all(isinstance(v, dict) for v in f["merge"].values()):
        raise ApiError(400, "merge maps member names to objects to merge into them")


def http_date(t):
    return email.utils.formatdate(t, usegmt=True)


def error_page(kind, size, status):
    """(body of exactly `size` bytes, Content-Type): an HTML error page as a
    proxy or load balancer sends, or an S3-style XML error document."""
    if kind == "html":
        head = ("<!DOCTYPE html>\n<html><head><title>%d Error</title></head>\n<body>\n"
                "<h1>%d Error</h1>\n<p>The server could not handle the request.</p>\n<!-- "
                % (status, status))
        tail = " -->\n</body></html>\n"
        ctype = "text/html; charset=utf-8"
    else:
        code = {403: "SignatureDoesNotMatch", 404: "NoSuchKey", 400: "BadDigest",
                503: "SlowDown"}.get(status, "InternalError")
        head = ('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>%s</Code><Message>The '
                'request signature we calculated does not match the signature you provided. '
                'Check your key and signing method.</Message><RequestId>%s</RequestId>'
                '<StringToSignBytes>' % (code, os.urandom(8).hex().upper()))
        tail = "</StringToSignBytes></Error>\n"
        ctype = "application/xml"
    pad = size - len(head) - len(tail)
    if pad < 0:  # smaller than a whole document: its start
        return (head + tail).encode()[:size], ctype
    filler = ("50 55 54 0a " * (pad // 12 + 1))[:pad]  # like S3's hex dump of what it signed
    return (head + filler + tail).encode(), ctype


def rewrite_json(body, f):
    """A JSON object answer changed as the fault says: "set" members,
    "drop" members, "merge" objects into member objects (one level)."""
    if not isinstance(body, dict):
        return body
    out = dict(body)
    for k, v in f.get("merge", {}).items():
        out[k] = dict(out.get(k) or {}, **v)
    out.update(f.get("set", {}))
    for k in f.get("drop", []):
        out.pop(k, None)
    return out
