#!/usr/bin/env python3
"""Run the lwIP host test inside a private network namespace.

    run_in_netns.py TEST_BINARY          (ctest runs this, as root;
                                          FC_LWIP_TEST_WRAPPER="valgrind ..."
                                          runs the binary under that tool)
    run_in_netns.py --serve ADDR PORT    (internal: the HTTP server)

Creates namespace fclwip<pid> with a TAP device fctap0 (10.201.0.1/24, the
kernel side), starts an HTTP server on 10.201.0.1:8080 inside it (and
HTTPS on :8443 with a throw-away self-signed certificate for that IP, made
with the openssl command), and runs the
test binary in it: lwIP takes 10.201.0.2 on the same TAP device. These
addresses exist only inside the namespace, which is deleted afterwards;
nothing is sent anywhere else.

It also starts the local FluidCloud emulator in the namespace
(test/emulator/fluidcloud_emulator.py --bind 10.201.0.1: API, storage and
links over TLS on that address, admin on the namespace's 127.0.0.1) and
hands its start-up line to the binary as FC_LWIP_EMU_* variables: the
binary then runs the full upload flow through lwIP against it.

Exit status: the test's, or 77 (ctest SKIP_RETURN_CODE) with a message when
the namespace cannot be made (not root, no /dev/net/tun, no CAP_NET_ADMIN).
"""
import http.server
import json
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import threading

SKIP = 77
TAP = "fctap0"
HOST_IP = "10.201.0.1"   # kernel side of the TAP link: the server
LWIP_IP = "10.201.0.2"   # lwIP's address on the same link
PORT = 8080
TLS_PORT = 8443
TAP_MTU = 576
BIG_LEN = 200000
TEST_TIMEOUT_S = 240
EMULATOR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "emulator",
                        "fluidcloud_emulator.py")


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


def serve(addr, port, cert=None):
    """Plain HTTP on port; with cert (PEM with key) also HTTPS on TLS_PORT."""
    servers = [http.server.ThreadingHTTPServer((addr, port), Handler)]
    if cert:
        tls = http.server.ThreadingHTTPServer((addr, TLS_PORT), Handler)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert)
        tls.socket = ctx.wrap_socket(tls.socket, server_side=True)
        servers.append(tls)
    for srv in servers[1:]:
        threading.Thread(target=srv.serve_forever, daemon=True).start()
    print("ready", flush=True)
    servers[0].serve_forever()


def make_cert(tmp):
    """A throw-away self-signed certificate for HOST_IP (iPAddress SAN), or
    None without the openssl command (the TLS part is then skipped)."""
    if shutil.which("openssl") is None:
        return None
    pem = os.path.join(tmp, "server.pem")
    r = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-subj", "/CN=fluidcloud lwIP test", "-addext", "subjectAltName=IP:" + HOST_IP,
                        "-keyout", pem, "-out", os.path.join(tmp, "cert.pem")],
                       capture_output=True)
    if r.returncode != 0:
        return None
    with open(os.path.join(tmp, "cert.pem")) as src, open(pem, "a") as dst:
        dst.write(src.read())
    return pem


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


def start_server(ns, cert):
    cmd = ["ip", "netns", "exec", ns, sys.executable, os.path.abspath(__file__),
           "--serve", HOST_IP, str(PORT)] + ([cert] if cert else [])
    srv = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    if srv.stdout.readline().strip() != "ready":
        srv.kill()
        raise RuntimeError("test server did not start")
    return srv


def start_emulator(ns, state_dir):
    """The emulator on HOST_IP inside the namespace; (process, its JSON line).
    It stops when its stdin closes (or is killed at the end)."""
    cmd = ["ip", "netns", "exec", ns, sys.executable, os.path.abspath(EMULATOR),
           "--bind", HOST_IP, "--state-dir", state_dir, "--exit-on-stdin-eof"]
    emu = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    line = emu.stdout.readline()
    try:
        info = json.loads(line)
    except ValueError:
        emu.kill()
        emu.wait()
        raise RuntimeError("the emulator did not start: %r" % line)
    return emu, info


def run_test(ns, binary, ca, emu):
    env = dict(os.environ, PRECONFIGURED_TAPIF=TAP)
    if emu:
        env.update(FC_LWIP_EMU_API=emu["api_base"], FC_LWIP_EMU_RAW=emu["raw_base"],
                   FC_LWIP_EMU_ADMIN=emu["admin_base"], FC_LWIP_EMU_KEY=emu["api_key"],
                   FC_LWIP_EMU_CA=emu["ca_file"])
    else:
        print("NOTE: no openssl command: the emulator (TLS only here) and the upload flow are skipped")
    # FC_LWIP_TEST_WRAPPER="valgrind --error-exitcode=99 ..." runs the binary under a tool.
    wrapper = os.environ.get("FC_LWIP_TEST_WRAPPER", "").split()
    cmd = ["ip", "netns", "exec", ns] + wrapper + [binary, LWIP_IP, HOST_IP, HOST_IP, str(PORT)]
    if ca:
        cmd += [str(TLS_PORT), ca]
    else:
        print("NOTE: no openssl command: the TLS part of the test is skipped")
    try:
        return subprocess.run(cmd, env=env, timeout=TEST_TIMEOUT_S).returncode
    except subprocess.TimeoutExpired:
        print("FAIL: lwIP test did not finish in %d s" % TEST_TIMEOUT_S)
        return 1


def main():
    if len(sys.argv) in (4, 5) and sys.argv[1] == "--serve":
        serve(sys.argv[2], int(sys.argv[3]), sys.argv[4] if len(sys.argv) == 5 else None)
        return 0
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    ns = "fclwip%d" % os.getpid()
    make_namespace(ns)
    srv = emu = None
    tmp = tempfile.mkdtemp(prefix="fclwip")
    try:
        cert = make_cert(tmp)
        srv = start_server(ns, cert)
        info = None
        if cert:
            emu, info = start_emulator(ns, os.path.join(tmp, "emulator"))
        # The self-signed certificate is its own CA.
        return run_test(ns, os.path.abspath(sys.argv[1]), os.path.join(tmp, "cert.pem") if cert else None,
                        info)
    finally:
        if emu is not None:
            emu.stdin.close()  # --exit-on-stdin-eof
            try:
                emu.wait(timeout=10)
            except subprocess.TimeoutExpired:
                emu.kill()
                emu.wait()
        if srv is not None:
            srv.kill()
            srv.wait()
        shutil.rmtree(tmp, ignore_errors=True)
        ip("netns", "del", ns, check=False)


if __name__ == "__main__":
    sys.exit(main())
