#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Chaos test: full uploads against the emulator with random faults.

    with_emulator.py --scan-delay-ms 100 -- \\
        python3 test/chaos/chaos.py --driver build/.../chaos_upload [--runs 200] [--seed N]

Each run resets the emulator's faults, injects one to three random faults
through its admin API (status 5xx/429 with Retry-After, delays, stalls,
close after K request or response bytes, one byte at a time, chunked,
close-delimited, garbage, and the issue-10 faults the emulator offers),
then uploads a random-sized file with random options (multipart or not,
wait for the scan, public or expiring link, a source that cannot rewind)
through chaos_upload, and classifies the run:

  success        exit 0, and the stored object's SHA-256 and size are the
                 source's, the file is ready and clean, an asked-for link
                 is the share's
  clean_error    exit 1 with the error printed
  hang           ran past the library's bound for the bytes it moved, or
                 not finished within the bound of 4 bodies (see below)
  false_success  exit 0 but any of the success checks fails
  key_leak       storage or raw links saw the API key
  downgrade      the file went to storage over plain HTTP (an https API
                 named an http storage URL)
  injection      a PUT carried a header a hostile ticket smuggled in
                 (framing headers, names that are no HTTP token, control
                 bytes)
  crash          anything else (a signal, no result line)

A hang, a false success, a key leak, a downgrade, an injection or a crash
fails the test (exit 1). "hang" means: past the upper bound the library
documents for the driver's settings (its total deadline, grown by the
bytes moved, plus the scan wait), with a margin. The table of outcomes
per fault kind is printed at the end.

Draws with a fault kind in OPEN (below: the ones whose fix has not landed
yet) are not run, so the test passes in CI; --all runs them too.

Long runs go in shards, one emulator each (tools/chaos.sh RUNS JOBS): each
shard writes its counts with --summary FILE, and

    chaos.py --merge FILE...

prints the table of all of them and fails as a single run would.
"""
import argparse
import collections
import hashlib
import json
import os
import random
import subprocess
import sys
import time
import urllib.request

# Fault kinds that still end in a false success or a hang until their fix
# lands (reported in /work/coord/requests.md). Remove a kind when fixed.
OPEN = set()

# The driver's settings (chaos_upload.c) that bound a run: total deadline,
# bytes per second it grows by, scan wait. A run longer than the bound plus
# RUN_MARGIN_S is a hang.
DRIVER_TOTAL_S = 30
DRIVER_MIN_BYTES_PER_S = 1024
DRIVER_SCAN_S = 15
RUN_MARGIN_S = 30
# The bound grows with the bytes moved, retries included (the driver prints
# them). A PUT is tried at most 4 times (FC_CONFIG_RETRY_MAX_ATTEMPTS), so
# a driver still running past the bound of 4 bodies and some heads is
# stopped and counted a hang.
MAX_BODIES = 4
HEADS_BYTES = 65536

# Header names a hostile ticket adds (the rewrite_json fault below): none of
# them may reach storage.
HOSTILE_HEADERS = {"Content-Length : 0": "", "Transfer-Encoding": "chunked",
                   "Host\t": "evil", "X-C": "a\u0001b"}


def admin(method, path, body=None):
    base = os.environ["FC_EMU_ADMIN"]
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        text = r.read()
    return json.loads(text) if text else None


def pattern_sha256(size, seed):
    h = hashlib.sha256()
    chunk = 1 << 16
    for start in range(0, size, chunk):
        n = min(chunk, size - start)
        h.update(bytes((((i * 131 + seed) ^ (i >> 8)) & 0xFF)
                       for i in range(start, start + n)))
    return h.hexdigest()


# Where a fault can hit: (listener, method, path_prefix).
TARGETS = [
    ("api", "GET", "/api/v1/spaces"),
    ("api", "POST", "/api/v1/uploads/initiate"),
    ("storage", "PUT", "/o/"),
    ("api", "POST", "/api/v1/uploads/complete"),
    ("api", "GET", "/api/v1/files/"),
    ("api", "POST", "/api/v1/shares"),
]


def plain_fault(rng, action):
    """A transport fault of the first chaos set on a random target."""
    listener, method, prefix = rng.choice(TARGETS)
    f = {"listener": listener, "method": method, "path_prefix": prefix,
         "count": rng.choice([1, 1, 1, 2, 3]), "action": action}
    if action == "status":
        f["status"] = rng.choice([500, 502, 503, 503, 429, 429])
        if rng.random() < 0.7:
            f["retry_after"] = rng.choice([0, 1, 2])
    elif action == "delay":
        f["delay_ms"] = rng.choice([50, 300, 1200, 2500])
    elif action == "stall":
        f["max_s"] = 8
    elif action in ("close_after_response_bytes", "close_after_request_bytes"):
        f["bytes"] = rng.choice([0, 1, 10, 40, 100, 200, 400, 1000, 5000])
    return f


def issue10_fault(rng, kind):
    """One of the emulator's issue-10 faults (test/emulator/README.md)."""
    listener, method, prefix = rng.choice(TARGETS)
    f = {"listener": listener, "method": method, "path_prefix": prefix,
         "count": rng.choice([1, 1, 2]), "action": "status"}
    if kind == "retry_after_huge":
        f.update(status=rng.choice([503, 429]), retry_after=rng.choice(["999999", "3600"]))
    elif kind == "retry_after_date":
        f.update(status=rng.choice([503, 429]), retry_after_date_s=rng.choice([0, 1, 2]))
    elif kind == "error_page":
        f.update(status=rng.choice([500, 502, 503, 403]),
                 body_kind=rng.choice(["html", "s3_xml"]),
                 body_size=rng.choice([200, 1500, 5000, 20000]),
                 early=rng.random() < 0.3)
    elif kind == "status_after":
        f.update(status=rng.choice([500, 502, 503]), after=True)
    elif kind == "drip":
        f = {"listener": "api", "method": method if listener == "api" else "GET",
             "path_prefix": prefix if listener == "api" else "/api/v1/spaces",
             "action": "one_byte", "interval_ms": rng.choice([20, 100, 100, 1500])}
    elif kind == "truncate_no_notify":
        f["action"] = rng.choice(["close_delimited", "close_after_response_bytes"])
        f["bytes"] = rng.choice([10, 100, 300, 1000])
        f["close_notify"] = False
    elif kind == "draft_record":
        f = {"listener": "api", "method": "GET", "path_prefix": "/api/v1/files/",
             "count": rng.choice([1, 3, 20]), "action": "draft_record"}
    elif kind in ("scan_other_id", "scan_empty_id"):
        fid = "" if kind == "scan_empty_id" else "0b0b0b0b-0000-4000-8000-000000000000"
        f = {"listener": "api", "method": "GET", "path_prefix": "/api/v1/files/",
             "count": rng.choice([1, 3, 20]), "action": "rewrite_json",
             "set": {"id": fid, "scan_status": "clean", "status": "ready"}}
    elif kind == "share_no_url":
        f = {"listener": "api", "method": "POST", "path": "/api/v1/shares",
             "action": "rewrite_json", "drop": ["url"]}
    elif kind == "ticket_headers":
        f = {"listener": "api", "method": "POST", "path": "/api/v1/uploads/initiate",
             "action": "rewrite_json",
             "merge": {"headers": dict([rng.choice(sorted(HOSTILE_HEADERS.items()))])}}
    elif kind == "plain_storage_url":
        f = {"listener": "api", "method": "POST", "path": "/api/v1/uploads/initiate",
             "action": "plain_storage_url"}
    else:
        raise ValueError(kind)
    return f


# Fault kinds and how often each is drawn.
PLAIN_KINDS = ["status", "status", "delay", "stall", "close_after_response_bytes",
               "close_after_request_bytes", "one_byte", "chunked", "close_delimited",
               "garbage"]
ISSUE10_KINDS = ["retry_after_huge", "retry_after_date", "error_page", "status_after", "drip",
                 "truncate_no_notify", "draft_record", "scan_other_id", "scan_empty_id",
                 "share_no_url", "ticket_headers", "plain_storage_url"]


def random_fault(rng, only=None):
    """(kind, fault): kind names the draw for OPEN and the table. only: a
    list of kinds to draw from instead of all of them."""
    if only:
        kind = rng.choice(only)
    elif rng.random() < 0.6:
        kind = rng.choice(PLAIN_KINDS)
    else:
        kind = rng.choice(ISSUE10_KINDS)
    if kind in PLAIN_KINDS:
        return kind, plain_fault(rng, kind)
    return kind, issue10_fault(rng, kind)


def kind_of(kind, f):
    if kind == "status":
        kind = "status_%d" % f["status"]
    where = f.get("path") or f.get("path_prefix") or ""
    return "%s@%s" % (kind, where.strip("/").split("/")[-1] or "o")


def open_kinds(draws, flags):
    """The OPEN fault kinds this draw would exercise."""
    hit = set(k for k, _ in draws if k in OPEN)
    for k, f in draws:
        if (k == "status" and f["status"] != 429 and
                f["path_prefix"].endswith("complete") and "w" not in flags and
                "p" not in flags and "e" not in flags):
            hit.add("complete_500_no_wait")
    return hit & OPEN


def run_bound_s(moved):
    """The documented upper bound of a run that moved this many bytes, plus
    a margin."""
    return (DRIVER_TOTAL_S + moved / DRIVER_MIN_BYTES_PER_S + DRIVER_SCAN_S +
            RUN_MARGIN_S)


def result_line(out):
    """The driver's result (its last line, a JSON object), or None."""
    try:
        res = json.loads(out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None
    return res if isinstance(res, dict) else None


def past_bound(res, seconds):
    """Why a finished run took longer than its bound, or None."""
    if res is None or "bytes_moved" not in res:
        return None  # no result line: classify() calls it a crash
    moved = res["bytes_moved"]
    if seconds <= run_bound_s(moved):
        return None
    return "ran %.0f s, past the bound %.0f s for %d bytes moved" % (
        seconds, run_bound_s(moved), moved)


def wire_problem():
    """downgrade/injection seen in the emulator's request log, or None."""
    plain = admin("GET", "/admin/requests?listener=storage_plain")["requests"]
    if plain:
        return "downgrade", "%d request(s) to storage over plain HTTP" % len(plain)
    for r in admin("GET", "/admin/requests?listener=storage")["requests"]:
        for name in r.get("headers") or []:
            bad = (name in HOSTILE_HEADERS or name.lower() == "transfer-encoding" or
                   any(c in name for c in " \t\r\n:") or
                   any(ord(c) < 0x21 or ord(c) > 0x7E for c in name))
            if bad:
                return "injection", "%s %s carried header %r" % (r["method"], r["path"], name)
    return None


def classify(res, code, size, seed, flags):
    """The run's class and why, from the driver's result line and exit code."""
    if res is None:
        return "crash", "no result line (exit %s)" % code
    want_sha = pattern_sha256(size, seed)
    if res["sha256"] != want_sha:
        return "crash", "driver's source hash differs from the pattern's"
    if code == 1:
        return "clean_error", "%s [%s] %s" % (res["result"], res["step"], res["http_status"])
    if code != 0:
        return "crash", "exit %s" % code
    fid = res["file_id"]
    try:
        obj = admin("GET", "/admin/objects/" + fid)
    except Exception as e:  # 404: nothing stored
        return "false_success", "FC_OK, no stored object for %s (%s)" % (fid, e)
    if obj["sha256"] != want_sha or obj["size"] != size:
        return "false_success", "FC_OK, stored %s/%s, source %s/%s" % (
            obj["sha256"][:12], obj["size"], want_sha[:12], size)
    state = admin("GET", "/admin/state")
    files = [f for f in state["files"] if f["id"] == fid]
    uploads = [u for u in state["uploads"] if u["file_id"] == fid]
    if not files or not uploads or not uploads[0].get("completed"):
        return "false_success", "FC_OK, upload of %s not completed on the server" % fid
    if res["result_file_id"] != fid:
        return "false_success", "FC_OK with another file %s" % res["result_file_id"]
    if ("w" in flags or "p" in flags or "e" in flags) and files[0].get("scan_status") != "clean":
        return "false_success", "FC_OK, scan %s" % files[0].get("scan_status")
    if "p" in flags or "e" in flags:
        shares = [s for s in state["shares"] if s["file_id"] == fid and not s.get("revoked")]
        if not res["link"] or not any(res["link"].endswith(s["token"]) for s in shares):
            return "false_success", "FC_OK, link '%s' is no share of the file" % res["link"]
    return "success", ""


BAD = ["hang", "false_success", "key_leak", "downgrade", "injection", "crash"]


def report(runs, seconds, seeds, by_kind, totals, bad, skipped):
    """Print the table of outcomes per fault kind; 1 if any run was bad."""
    classes = ["success", "clean_error"] + BAD
    print("\nchaos: %d runs in %.0f s (seed %s%s)" % (
        runs, seconds, ", ".join(str(s) for s in seeds),
        "; draws not run, by open kind: %s" % (
            ", ".join("%s %d" % (k, skipped[k]) for k in sorted(skipped)) or "none")))
    print("%-40s %s" % ("fault kind", " ".join("%8s" % c[:8] for c in classes)))
    for k in sorted(by_kind):
        print("%-40s %s" % (k, " ".join("%8d" % by_kind[k][c] for c in classes)))
    print("%-40s %s" % ("ALL RUNS", " ".join("%8d" % totals[c] for c in classes)))
    print("(columns: %s)" % ", ".join(classes))
    for line in bad:
        print("FAILED " + line)
    failed = sum(totals[c] for c in BAD)
    print("%d passed, %d failed" % (runs - failed, failed))
    return 1 if failed else 0


def merge(paths):
    """Report the shards' summaries (--summary) as one table."""
    runs, seconds, seeds, bad = 0, 0.0, [], []
    totals, skipped = collections.Counter(), collections.Counter()
    by_kind = collections.defaultdict(collections.Counter)
    for path in paths:
        with open(path) as f:
            s = json.load(f)
        runs += s["runs"]
        seconds = max(seconds, s["seconds"])  # the shards ran side by side
        seeds.append(s["seed"])
        totals.update(s["totals"])
        skipped.update(s["skipped"])
        for k, counts in s["by_kind"].items():
            by_kind[k].update(counts)
        bad += s["bad"]
    return report(runs, seconds, seeds, by_kind, totals, bad, skipped)


def main():
    ap = argparse.ArgumentParser()
    if len(sys.argv) > 1 and sys.argv[1] == "--merge":
        return merge(sys.argv[2:])
    ap.add_argument("--driver", required=True)
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--all", action="store_true",
                    help="also run draws with fault kinds in OPEN")
    ap.add_argument("--only", default="",
                    help="comma-separated fault kinds: draw only these (implies --all)")
    ap.add_argument("--max-size", type=int, default=300000)
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--summary", default="",
                    help="also write the counts to this JSON file (for --merge)")
    a = ap.parse_args()
    only = [k for k in a.only.split(",") if k]
    unknown = set(only) - set(PLAIN_KINDS) - set(ISSUE10_KINDS)
    if unknown:
        ap.error("unknown fault kinds %s" % sorted(unknown))
    a.all = a.all or bool(only)
    seed = a.seed if a.seed is not None else int(time.time())
    rng = random.Random(seed)
    print("chaos: %d runs, seed %d (re-run with --seed %d)" % (a.runs, seed, seed), flush=True)

    # Small parts so that multipart runs stay small; a fast scan.
    admin("PATCH", "/admin/config", {"multipart_threshold": 150000, "part_size": 65536,
                                     "scan_delay_ms": 100})
    totals = collections.Counter()
    by_kind = collections.defaultdict(collections.Counter)
    bad = []
    skipped = collections.Counter()
    started = time.time()
    run = 0
    while run < a.runs:
        draws = [random_fault(rng, only) for _ in range(rng.choice([1, 1, 2, 3]))]
        faults = [f for _, f in draws]
        size = rng.choice([0, 1, 100, 4096, rng.randrange(1, a.max_size)])
        useed = rng.randrange(256)
        flags = rng.choice(["", "w", "p", "e", "wp", "p", "pn", "n"])
        held = open_kinds(draws, flags)
        if held and not a.all:
            skipped.update(held)
            continue
        run += 1
        admin("POST", "/admin/reset")
        for f in faults:
            admin("POST", "/admin/faults", f)
        t0 = time.time()
        bound = run_bound_s(MAX_BODIES * size + HEADS_BYTES)
        try:
            p = subprocess.run([a.driver, str(size), str(useed), flags or "-"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               timeout=bound, text=True)
            res = result_line(p.stdout)
            cls, why = classify(res, p.returncode, size, useed, flags)
            late = past_bound(res, time.time() - t0)
            if late is not None:
                cls, why = "hang", late
        except subprocess.TimeoutExpired:
            cls, why = "hang", "not done after %.0f s (the bound)" % bound
        if admin("GET", "/admin/state")["leaked_key_count"] > 0:
            cls, why = "key_leak", "storage or raw links saw the key"
        wire = wire_problem()
        if wire is not None:
            cls, why = wire
        dt = time.time() - t0
        totals[cls] += 1
        for k, f in draws:
            by_kind[kind_of(k, f)][cls] += 1
        line = "run %d: %s %.1fs size %d flags '%s' faults %s %s" % (
            run, cls, dt, size, flags, [kind_of(k, f) for k, f in draws], why)
        if cls in BAD:
            bad.append(line + "\n    faults: " + json.dumps(faults))
        if a.verbose or cls not in ("success", "clean_error"):
            print(line, flush=True)

    seconds = time.time() - started
    if a.summary:
        with open(a.summary, "w") as f:
            json.dump({"runs": a.runs, "seconds": seconds, "seed": seed, "totals": totals,
                       "by_kind": by_kind, "bad": bad, "skipped": skipped}, f)
    return report(a.runs, seconds, [seed], by_kind, totals, bad, skipped)


if __name__ == "__main__":
    sys.exit(main())
