#!/usr/bin/env python3
"""Run the lwIP host test inside a private network namespace.

    run_in_netns.py TEST_BINARY          (ctest runs this, as root)
    run_in_netns.py --serve ADDR PORT    (internal: the HTTP server)

Creates namespace fclwip<pid> with a TAP device fctap0 (10.201.0.1/24, the
kernel side), starts an HTTP server on 10.201.0.1 inside it, and runs the
test binary in it: lwIP takes 10.201.0.2 on the same TAP device. These
addresses exist only inside the namespace, which is deleted afterwards;
nothing is sent anywhere else.

Exit status: the test's, or 77 (ctest SKIP_RETURN_CODE) with a message when
the namespace cannot be made (not root, no /dev/net/tun, no CAP_NET_ADMIN).
"""
import http.server
import os
import shutil
import subprocess
import sys

SKIP = 77
TAP = "fctap0"
HOST_IP = "10.201.0.1"   # kernel side of the TAP link: the server
LWIP_IP = "10.201.0.2"   # lwIP's address on the same link
PORT = 8080
TAP_MTU = 576
BIG_LEN = 200000
TEST_TIMEOUT_S = 180


def pattern(n):
    """Bytes 0..n-1 of the test pattern (same rule as lwip_test_body.c)."""
    return bytes(ord("a") + (i * 7 + i // 251) % 26 for i in range(n))


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def reply(self, body, extra=()):
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True

    def do_GET(self):
        if self.path == "/hello":
            self.reply(b"hello from the namespace\n")
        elif self.path == "/big":
            self.reply(pattern(BIG_LEN))
        else:
            self.send_error(404)

    def do_PUT(self):
        n = int(self.headers.get("Content-Length", "0"))
        data = self.rfile.read(n)
        ok = len(data) == n and data == pattern(n)
        self.reply(b"", [("X-Count", "%d %s" % (len(data), "ok" if ok else "bad"))])

    def log_message(self, fmt, *args):
        sys.stderr.write("server: " + fmt % args + "\n")


def serve(addr, port):
    srv = http.server.ThreadingHTTPServer((addr, port), Handler)
    print("ready", flush=True)
    srv.serve_forever()


def ip(*args, ns=None, check=True):
    cmd = ["ip"] + (["netns", "exec", ns, "ip"] if ns else []) + list(args)
    return subprocess.run(cmd, check=check, capture_output=True, text=True)


def skip(why):
    print("SKIP: lwIP TAP test: %s" % why)
    sys.exit(SKIP)


def make_namespace(ns):
    if os.geteuid() != 0:
        skip("needs root to create a network namespace and a TAP device")
    if shutil.which("ip") is None:
        skip("the ip command (iproute2) is missing")
    if not os.path.exists("/dev/net/tun"):
        skip("/dev/net/tun is missing")
    r = ip("netns", "add", ns, check=False)
    if r.returncode != 0:
        skip("cannot create a network namespace: " + r.stderr.strip())
    try:
        ip("link", "set", "lo", "up", ns=ns)
        ip("tuntap", "add", "dev", TAP, "mode", "tap", ns=ns)
        ip("addr", "add", HOST_IP + "/24", "dev", TAP, ns=ns)
        # Debian's liblwip.so (tapif) copies each received frame into one
        # 616-byte pool pbuf: a full 1514-byte frame overruns the heap.
        # A small MTU keeps the kernel's frames (and its MSS) within it.
        ip("link", "set", TAP, "mtu", str(TAP_MTU), ns=ns)
        ip("link", "set", TAP, "up", ns=ns)
    except subprocess.CalledProcessError as e:
        ip("netns", "del", ns, check=False)
        skip("cannot set up the TAP device: " + (e.stderr or "").strip())


def start_server(ns):
    srv = subprocess.Popen(["ip", "netns", "exec", ns, sys.executable, os.path.abspath(__file__),
                            "--serve", HOST_IP, str(PORT)], stdout=subprocess.PIPE, text=True)
    if srv.stdout.readline().strip() != "ready":
        srv.kill()
        raise RuntimeError("test server did not start")
    return srv


def run_test(ns, binary):
    env = dict(os.environ, PRECONFIGURED_TAPIF=TAP)
    cmd = ["ip", "netns", "exec", ns, binary, LWIP_IP, HOST_IP, HOST_IP, str(PORT)]
    try:
        return subprocess.run(cmd, env=env, timeout=TEST_TIMEOUT_S).returncode
    except subprocess.TimeoutExpired:
        print("FAIL: lwIP test did not finish in %d s" % TEST_TIMEOUT_S)
        return 1


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--serve":
        serve(sys.argv[2], int(sys.argv[3]))
        return 0
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    ns = "fclwip%d" % os.getpid()
    make_namespace(ns)
    srv = None
    try:
        srv = start_server(ns)
        return run_test(ns, os.path.abspath(sys.argv[1]))
    finally:
        if srv is not None:
            srv.kill()
            srv.wait()
        ip("netns", "del", ns, check=False)


if __name__ == "__main__":
    sys.exit(main())
