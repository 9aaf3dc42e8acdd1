#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The PUT path against `curl -T` on an nginx sink on loopback (issue 14.7).

    bench_put.py --build DIR [--out DIR] [--rounds N] [--quick]

DIR is a build with -DFC_BUILD_BENCH=ON (bench/put_bench, examples/cli/
fluidcloud). tools/bench.sh put runs this. Three emulator sessions
(test/emulator/with_emulator.py; this script runs again inside each with
--inner):

  plain, tls  The emulator hands out storage URLs for 127.0.0.2:PORT, where
              nginx (dav PUT into /dev/shm) listens instead of the emulator's
              storage: initiate goes to the emulator, the PUT to nginx. For
              64 KiB, 1 MiB and 256 MiB and I/O buffers of 4 and 16 KiB,
              interleaved rounds of: the library's PUT (put_bench put, CPU of
              the PUT step: connect, handshake, head, body, answer), `curl -T`
              of a file of the same size (CPU of the process minus that of a
              curl that moves nothing: its start-up), and the floor (put_bench floor: the same bytes copied
              through a buffer of the same size and hashed with the same
              SHA-256). Per round the ratios put/curl and put/(floor + curl);
              printed: min and median. The CLI (`fluidcloud upload FILE`,
              256 MiB, plain) against hashing + curl the same way.
              Instructions per byte (callgrind, plain, 4 KiB buffer): the PUT
              and the floor at 1 and 2 MiB, the difference divided by 1 MiB,
              so start-up and handshakes cancel out.
  segments    (--segments, as root) The emulator in one network namespace,
              put_bench in another, joined by a veth pair of MTU 1500: the
              TCP segments the storage connection carried per MiB of PUT
              (the emulator's TCP_INFO data_segs_in) against the minimum,
              ceil(bytes / MSS).
  flow        The emulator's own storage: 100 whole uploads on one client
              (requests per upload, handshakes per 100 uploads, from the
              emulator's request log and handshake counters), then 10 runs of
              the CLI (handshakes for 10 CLI uploads).

CPU times are getrusage user+system; they vary with the machine's load,
which is why rounds are interleaved and the ratios, not the times, count.
"""
import argparse
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
WITH_EMULATOR = os.path.join(ROOT, "test", "emulator", "with_emulator.py")
SINK_HOST = "127.0.0.2"  # loopback, but not the address the emulator binds
KIB = 1024
MIB = 1024 * 1024
SIZES = [64 * KIB, MIB, 256 * MIB]
BUFFERS = [4 * KIB, 16 * KIB]


def free_port():
    with socket.socket() as s:
        s.bind((SINK_HOST, 0))
        return s.getsockname()[1]


def child_cpu_us():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return int((r.ru_utime + r.ru_stime) * 1e6)


def run(cmd, env=None, check=True):
    """Run cmd; returns (stdout, its CPU in microseconds)."""
    before = child_cpu_us()
    p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    cpu = child_cpu_us() - before
    if check and p.returncode != 0:
        sys.exit("bench_put: %s failed (%d):\n%s%s" % (cmd[0], p.returncode, p.stdout, p.stderr))
    return p.stdout, cpu, p.returncode


def field(out, name):
    for line in out.splitlines():
        if line.startswith(name + " "):
            return int(line.split()[1])
    sys.exit("bench_put: no %r in:\n%s" % (name, out))


def admin(path, method="GET"):
    req = urllib.request.Request(os.environ["FC_EMU_ADMIN"] + path, method=method)
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read().decode() or "null")


# ---- nginx ------------------------------------------------------------------

class Nginx:
    """nginx as a PUT sink (dav, files in /dev/shm), plain or TLS."""

    def __init__(self, work, port, cert=None, key=None):
        self.work = work
        self.root = "/dev/shm/fc-bench-%d/root" % os.getpid()
        os.makedirs(self.root, exist_ok=True)
        os.makedirs(os.path.join(work, "logs"), exist_ok=True)
        tls = ""
        if cert:
            tls = "ssl_certificate %s; ssl_certificate_key %s; ssl_protocols TLSv1.2 TLSv1.3;" % (
                cert, key)
        conf = os.path.join(work, "nginx.conf")
        with open(conf, "w") as f:
            f.write("""daemon off; master_process off; worker_processes 1;
error_log %(w)s/logs/error.log warn; pid %(w)s/logs/nginx.pid;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path %(r)s/../body;
  server {
    listen %(h)s:%(p)d %(ssl)s; %(tls)s
    client_max_body_size 0; client_body_buffer_size 1m;
    location / { root %(r)s; dav_methods PUT; create_full_put_path on; }
  }
}
""" % {"w": work, "r": self.root, "h": SINK_HOST, "p": port, "ssl": "ssl" if cert else "",
                "tls": tls})
        self.proc = subprocess.Popen(["nginx", "-p", work, "-c", conf],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection((SINK_HOST, port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        sys.exit("bench_put: nginx did not start (see %s/logs/error.log)" % work)

    def clear(self):
        for name in os.listdir(self.root):
            path = os.path.join(self.root, name)
            shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)

    def stored_bytes(self):
        total = 0
        for d, _, files in os.walk(self.root):
            total += sum(os.path.getsize(os.path.join(d, f)) for f in files)
        return total

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        shutil.rmtree(os.path.dirname(self.root), ignore_errors=True)


def sink_cert(work):
    """A certificate for SINK_HOST signed by the emulator's throwaway CA."""
    tls = os.path.join(os.environ["FC_EMU_STATE_DIR"], "tls")
    key, csr, crt, ext = (os.path.join(work, n) for n in ("sink.key", "sink.csr", "sink.pem",
                                                          "sink.ext"))
    with open(ext, "w") as f:
        f.write("subjectAltName=IP:%s\nextendedKeyUsage=serverAuth\n" % SINK_HOST)
    for cmd in (["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key],
                ["req", "-new", "-key", key, "-subj", "/CN=%s" % SINK_HOST, "-out", csr],
                ["x509", "-req", "-in", csr, "-CA", os.path.join(tls, "ca.pem"), "-CAkey",
                 os.path.join(tls, "ca.key"), "-CAcreateserial", "-days", "1", "-extfile", ext,
                 "-out", crt]):
        subprocess.run(["openssl"] + cmd, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    return crt, key


# ---- the runs ---------------------------------------------------------------

def data_file(size):
    """A file of size bytes in /dev/shm (curl and the CLI read it)."""
    path = "/dev/shm/fc-bench-%d/data-%d" % (os.getpid(), size)
    if not os.path.exists(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        block = os.urandom(MIB)
        with open(path, "wb") as f:
            left = size
            while left > 0:
                f.write(block[:min(left, MIB)])
                left -= min(left, MIB)
    return path


def curl_put(path, url):
    """CPU of curl -T minus curl's own start-up (a run that moves nothing:
    loading libcurl and OpenSSL is not the PUT path), and its wall time."""
    cmd = ["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{time_total}", "-T", path, url]
    if os.environ.get("FLUIDCLOUD_CA_FILE"):
        cmd[1:1] = ["--cacert", os.environ["FLUIDCLOUD_CA_FILE"]]
    out, cpu, _ = run(cmd)
    code, secs = out.split()
    if not code.startswith("2"):
        sys.exit("bench_put: curl -T got HTTP %s" % code)
    _, idle, _ = run(["curl", "-sS", "-o", "/dev/null", "file:///dev/null"])
    return max(cpu - idle, 1), float(secs) * 1e6


def ratios_row(label, rounds):
    """rounds: list of dicts with put, curl, floor (CPU us) and put_wall,
    curl_wall. Returns the row's numbers."""
    r_curl = [x["put"] / x["curl"] for x in rounds]
    r_floor = [x["put"] / (x["floor"] + x["curl"]) for x in rounds]
    r_wall = [x["put_wall"] / x["curl_wall"] for x in rounds]
    return {"label": label, "rounds": len(rounds),
            "put_cpu_ms": statistics.median(x["put"] for x in rounds) / 1000,
            "curl_cpu_ms": statistics.median(x["curl"] for x in rounds) / 1000,
            "floor_cpu_ms": statistics.median(x["floor"] for x in rounds) / 1000,
            "put_over_curl": [min(r_curl), statistics.median(r_curl)],
            "put_over_floor_curl": [min(r_floor), statistics.median(r_floor)],
            "wall_put_over_curl": [min(r_wall), statistics.median(r_wall)]}


def inner_sink(args, tls):
    build = args.build
    put_bench = os.path.join(build, "bench", "put_bench")
    work = os.path.join(args.out, "tls" if tls else "plain")
    os.makedirs(work, exist_ok=True)
    cert = key = None
    if tls:
        cert, key = sink_cert(work)
    sink = Nginx(work, int(os.environ["FC_BENCH_SINK_PORT"]), cert, key)
    scheme = "https" if tls else "http"
    results = {"rows": []}
    try:
        for size in args.sizes:
            path = data_file(size)
            for buf in BUFFERS:
                rounds = []
                n = args.rounds if size < 64 * MIB else max(3, args.rounds // 2)
                for _ in range(n):
                    sink.clear()
                    out, _, _ = run([put_bench, "put", str(size), str(buf)])
                    if sink.stored_bytes() != size:
                        sys.exit("bench_put: nginx holds %d bytes after a %d-byte PUT"
                                 % (sink.stored_bytes(), size))
                    put, put_wall = field(out, "cpu_us"), field(out, "put_us")
                    sink.clear()
                    curl, curl_wall = curl_put(path, "%s://%s:%s/curl/%d" % (
                        scheme, SINK_HOST, os.environ["FC_BENCH_SINK_PORT"], size))
                    out, _, _ = run([put_bench, "floor", str(size), str(buf)])
                    rounds.append({"put": put, "curl": curl, "floor": field(out, "cpu_us"),
                                   "put_wall": put_wall, "curl_wall": curl_wall})
                results["rows"].append(ratios_row("%s %s, %d KiB buffer" % (
                    scheme, human(size), buf // KIB), rounds))
                results["rows"][-1].update({"size": size, "buffer": buf, "tls": tls})
        if not tls:
            results["cli"] = inner_cli(args, sink)
            results["instructions"] = inner_callgrind(args, put_bench, sink)
    finally:
        sink.stop()
    return results


def inner_cli(args, sink):
    """The CLI's upload of 256 MiB (plain) against hashing + curl -T."""
    cli = os.path.join(args.build, "examples", "cli", "fluidcloud")
    put_bench = os.path.join(args.build, "bench", "put_bench")
    size = max(args.sizes)
    path = data_file(size)
    rounds = []
    for _ in range(max(3, args.rounds // 2)):
        sink.clear()
        # The PUT goes to nginx; complete then fails (the emulator never saw
        # the bytes), which ends the run right after the PUT.
        _, cli_cpu, _ = run([cli, "upload", path, "--no-wait"], check=False)
        _, cli_idle, _ = run([cli, "--version"], check=False)
        cli_cpu = max(cli_cpu - cli_idle, 1)  # the same start-up rule as curl's
        if sink.stored_bytes() != size:
            sys.exit("bench_put: the CLI's PUT did not store %d bytes" % size)
        sink.clear()
        curl, curl_wall = curl_put(path, "http://%s:%s/curl/cli" % (
            SINK_HOST, os.environ["FC_BENCH_SINK_PORT"]))
        out, _, _ = run([put_bench, "floor", str(size), "4096"])
        rounds.append({"put": cli_cpu, "curl": curl, "floor": field(out, "cpu_us"),
                       "put_wall": 1, "curl_wall": 1})
    row = ratios_row("CLI upload %s (plain)" % human(size), rounds)
    del row["wall_put_over_curl"]
    return row


def callgrind_ir(cmd):
    out = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + cmd,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if out.returncode != 0:
        sys.exit("bench_put: callgrind %s failed:\n%s" % (cmd, out.stderr[-2000:]))
    for line in out.stderr.splitlines():
        if "Collected :" in line:
            return int(line.split()[-1])
    sys.exit("bench_put: no callgrind total for %s" % cmd)


def inner_callgrind(args, put_bench, sink):
    """Instructions per byte of the PUT and of its floor (plain, 4 KiB)."""
    if shutil.which("valgrind") is None:
        return None
    ir = {}
    for mode in ("put", "floor"):
        for size in (MIB, 2 * MIB):
            sink.clear()
            ir[(mode, size)] = callgrind_ir([put_bench, mode, str(size), "4096"])
    put = (ir[("put", 2 * MIB)] - ir[("put", MIB)]) / MIB
    floor = (ir[("floor", 2 * MIB)] - ir[("floor", MIB)]) / MIB
    return {"put_per_byte": put, "floor_per_byte": floor, "ratio": put / floor}


def inner_flow(args):
    put_bench = os.path.join(args.build, "bench", "put_bench")
    cli = os.path.join(args.build, "examples", "cli", "fluidcloud")
    admin("/admin/requests", "DELETE")
    admin("/admin/tls", "DELETE")
    count = 100
    run([put_bench, "flow", str(count), str(64 * KIB)])
    reqs = admin("/admin/requests")["requests"]
    hs = admin("/admin/tls")["handshakes"]
    by = {}
    for r in reqs:
        key = "%s %s" % (r["method"], r["listener"])
        by[key] = by.get(key, 0) + 1
    result = {"uploads": count, "requests": len(reqs), "by_kind": by,
              "handshakes": {k: v for k, v in hs.items() if v.get("full") or v.get("resumed")}}
    # The CLI, 10 runs in a row (each a new process).
    admin("/admin/tls", "DELETE")
    path = data_file(64 * KIB)
    for _ in range(10):
        run([cli, "upload", path, "--no-wait"])
    hs = admin("/admin/tls")["handshakes"]
    result["cli_handshakes"] = {k: v for k, v in hs.items() if v.get("full") or v.get("resumed")}
    return result


SEG_NET = "10.213.%d" % (os.getpid() % 250)


def inner_segments(args):
    """Inside the server namespace: PUTs from the client namespace, then
    the storage connection's counters."""
    put_bench = os.path.join(args.build, "bench", "put_bench")
    rows = []
    for buf in BUFFERS:
        for size in (4 * MIB,):
            seen = max([c["id"] for c in admin("/admin/connections")["connections"]] + [0])
            run(["ip", "netns", "exec", args.client_ns, put_bench, "put", str(size), str(buf)])
            conns = [c for c in admin("/admin/connections?listener=storage")["connections"]
                     if c["id"] > seen and c.get("tcp") and c["tcp"]["bytes_in"] >= size]
            if len(conns) != 1:
                sys.exit("bench_put: expected one storage connection, got %s" % conns)
            tcp = conns[0]["tcp"]
            mss = 1500 - 20 - 20 - 12  # IPv4, TCP, timestamps
            minimum = -(-tcp["bytes_in"] // mss)
            rows.append({"buffer": buf, "bytes": tcp["bytes_in"],
                         "segments": tcp["data_segs_in"], "minimum": minimum,
                         "per_mib": tcp["data_segs_in"] * MIB / tcp["bytes_in"],
                         "min_per_mib": minimum * MIB / tcp["bytes_in"]})
    return {"rows": rows}


def segments(args):
    """Two namespaces and a veth pair of MTU 1500 (names carry our pid)."""
    if os.geteuid() != 0 or shutil.which("ip") is None:
        print("SKIPPED: segments per MiB needs root and iproute2 (network namespaces)")
        return None
    tag = "fcperf%d" % os.getpid()
    a, b = tag + "a", tag + "b"
    sh = lambda *c: subprocess.run(list(c), check=True)
    try:
        sh("ip", "netns", "add", a)
        sh("ip", "netns", "add", b)
        sh("ip", "link", "add", tag[:11] + "x", "type", "veth", "peer", "name", tag[:11] + "y")
        sh("ip", "link", "set", tag[:11] + "x", "netns", a)
        sh("ip", "link", "set", tag[:11] + "y", "netns", b)
        for ns, dev, ip in ((a, tag[:11] + "x", SEG_NET + ".1"), (b, tag[:11] + "y", SEG_NET + ".2")):
            sh("ip", "-n", ns, "link", "set", "lo", "up")
            sh("ip", "-n", ns, "link", "set", dev, "mtu", "1500", "up")
            sh("ip", "-n", ns, "addr", "add", ip + "/24", "dev", dev)
        out = os.path.join(args.out, "result-segments.json")
        cmd = ["ip", "netns", "exec", b, sys.executable, WITH_EMULATOR, "--plain", "--bind",
               SEG_NET + ".2", "--", sys.executable, os.path.abspath(__file__), "--inner",
               "segments", "--client-ns", a, "--build", args.build, "--out", args.out,
               "--result", out]
        if subprocess.run(cmd).returncode != 0:
            sys.exit("bench_put: the segments session failed")
        with open(out) as f:
            return json.load(f)
    finally:
        subprocess.run(["ip", "netns", "del", a], stderr=subprocess.DEVNULL)
        subprocess.run(["ip", "netns", "del", b], stderr=subprocess.DEVNULL)


def human(n):
    return "%d MiB" % (n // MIB) if n >= MIB else "%d KiB" % (n // KIB)


# ---- the outer run -----------------------------------------------------------

def session(args, kind):
    """Run this script inside a fresh emulator for one kind of session."""
    out = os.path.join(args.out, "result-%s.json" % kind)
    emu = [sys.executable, WITH_EMULATOR]
    env = dict(os.environ)
    if kind == "plain":
        emu.append("--plain")
    if kind in ("plain", "tls"):
        port = free_port()
        env["FC_BENCH_SINK_PORT"] = str(port)
        emu += ["--storage-host", SINK_HOST, "--storage-port", str(port),
                "--multipart-threshold", str(2 * max(args.sizes)),
                "--max-upload-size", str(4 * max(args.sizes))]
    cmd = emu + ["--", sys.executable, os.path.abspath(__file__), "--inner", kind,
                 "--build", args.build, "--out", args.out, "--rounds", str(args.rounds),
                 "--sizes", ",".join(str(s) for s in args.sizes), "--result", out]
    p = subprocess.run(cmd, env=env)
    if p.returncode != 0:
        sys.exit("bench_put: the %s session failed (%d)" % (kind, p.returncode))
    with open(out) as f:
        return json.load(f)


def fmt_pair(p):
    return "%.3f / %.3f" % (p[0], p[1])


def report(res):
    print("\nPUT path vs curl -T, nginx sink on loopback (CPU, ratios min / median of interleaved"
          " rounds)")
    print("| case | rounds | PUT CPU ms | curl CPU ms | floor CPU ms | PUT / curl | "
          "PUT / (floor + curl) | wall PUT / curl |")
    print("|---|---|---|---|---|---|---|---|")
    for kind in ("plain", "tls"):
        for r in res[kind]["rows"]:
            print("| %s | %d | %.1f | %.1f | %.1f | %s | %s | %s |" % (
                r["label"], r["rounds"], r["put_cpu_ms"], r["curl_cpu_ms"], r["floor_cpu_ms"],
                fmt_pair(r["put_over_curl"]), fmt_pair(r["put_over_floor_curl"]),
                fmt_pair(r["wall_put_over_curl"])))
    c = res["plain"]["cli"]
    print("\nCLI vs hashing + curl -T: %s: CLI %.0f ms, hashing (floor) %.0f ms, curl %.0f ms; "
          "CLI / (hashing + curl) = %s (min / median of %d rounds)" % (
              c["label"], c["put_cpu_ms"], c["floor_cpu_ms"], c["curl_cpu_ms"],
              fmt_pair(c["put_over_floor_curl"]), c["rounds"]))
    ins = res["plain"].get("instructions")
    if ins:
        print("\nInstructions per byte (callgrind, plain, 4 KiB buffer, 2 MiB minus 1 MiB): "
              "PUT %.2f, copy+hash floor %.2f, ratio %.4f" % (
                  ins["put_per_byte"], ins["floor_per_byte"], ins["ratio"]))
    f = res["flow"]
    print("\n%d uploads of 64 KiB on one client (TLS): %d requests, %.2f per upload (%s); "
          "handshakes: %s" % (f["uploads"], f["requests"], f["requests"] / f["uploads"],
                              ", ".join("%s %d" % kv for kv in sorted(f["by_kind"].items())),
                              json.dumps(f["handshakes"])))
    print("10 CLI uploads (10 processes, TLS): handshakes %s" % json.dumps(f["cli_handshakes"]))
    report_segments(res.get("segments"))


def report_segments(seg):
    if not seg:
        return
    print("\nTCP segments per MiB of a 4 MiB PUT (plain, veth MTU 1500, emulator's TCP_INFO)")
    print("| I/O buffer | bytes | segments | per MiB | minimum per MiB | over minimum |")
    print("|---|---|---|---|---|---|")
    for r in seg["rows"]:
        print("| %d KiB | %d | %d | %.1f | %.1f | %+.1f %% |" % (
            r["buffer"] // KIB, r["bytes"], r["segments"], r["per_mib"], r["min_per_mib"],
            100.0 * (r["segments"] / r["minimum"] - 1)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--out", default=None)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    ap.add_argument("--quick", action="store_true", help="64 KiB and 1 MiB only, 3 rounds")
    ap.add_argument("--segments", action="store_true",
                    help="only the segments-per-MiB run (root: network namespaces)")
    ap.add_argument("--inner", choices=("plain", "tls", "flow", "segments"))
    ap.add_argument("--client-ns")
    ap.add_argument("--report-only", action="store_true",
                    help="print the tables of the last run's result files")
    ap.add_argument("--result")
    args = ap.parse_args()
    args.build = os.path.abspath(args.build)
    args.sizes = [int(s) for s in args.sizes.split(",")]
    if args.quick:
        args.sizes, args.rounds = [s for s in args.sizes if s <= MIB], 3
    args.out = os.path.abspath(args.out or os.path.join(args.build, "bench-put"))
    os.makedirs(args.out, exist_ok=True)
    if args.inner:
        try:
            if args.inner == "segments":
                res = inner_segments(args)
            elif args.inner == "flow":
                res = inner_flow(args)
            else:
                res = inner_sink(args, args.inner == "tls")
        finally:
            shutil.rmtree("/dev/shm/fc-bench-%d" % os.getpid(), ignore_errors=True)
        with open(args.result, "w") as f:
            json.dump(res, f, indent=1)
        return 0
    if args.segments:
        report_segments(segments(args))
        return 0
    for tool in ("nginx", "curl", "openssl"):
        if shutil.which(tool) is None:
            sys.exit("bench_put: needs %s (apt-get install %s)" % (tool, tool))
    if args.report_only:
        res = {}
        for kind in ("plain", "tls", "flow", "segments"):
            path = os.path.join(args.out, "result-%s.json" % kind)
            if os.path.exists(path):
                with open(path) as f:
                    res[kind] = json.load(f)
        report(res)
        return 0
    res = {kind: session(args, kind) for kind in ("plain", "tls", "flow")}
    res["segments"] = segments(args)
    with open(os.path.join(args.out, "result.json"), "w") as f:
        json.dump(res, f, indent=1)
    report(res)
    return 0


if __name__ == "__main__":
    sys.exit(main())
