#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run the lwIP host test inside a private network namespace.

    run_in_netns.py [--nosys] TEST_BINARY   (ctest runs this, as root;
                                          FC_LWIP_TEST_WRAPPER="valgrind ..."
                                          runs the binary under that tool)
    run_in_netns.py --exec -- CMD ARGS...  (the same namespace and TAP device
                                          for another test: CMD runs inside
                                          with PRECONFIGURED_TAPIF,
                                          FC_NETNS_HOST_IP, FC_NETNS_LWIP_IP,
                                          FC_NETNS_GW set; its exit status)
    run_in_netns.py --serve ADDR PORT    (internal: the HTTP server)

--nosys: the binary is lwIP built from source with NO_SYS=1 and LWIP_DNS=1
(test/lwip/CMakeLists.txt, FC_LWIP_SRC_DIR). Then the TAP link has the
full 1500-byte MTU, a DNS server the test runs answers on HOST_IP:53 for
API_NAME, the emulator's API base URL uses that name (so the client resolves
it through lwIP's DNS client), and the run fails unless lwIP asked for it.

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
import signal
import socket
import ssl
import struct
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
TAP_MTU = 576            # Debian's liblwip.so, see make_namespace()
FULL_MTU = 1500          # lwIP built here (--nosys): pool pbufs chain
API_NAME = "api.fluidcloud.test"   # resolved through lwIP's DNS (--nosys)
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

    def finish(self):
        """TLS connections end with close_notify: port/mbedtls reads a bare
        TCP FIN as a truncation, not as the end of the stream (issue 10)."""
        super().finish()
        if isinstance(self.connection, ssl.SSLSocket):
            try:
                self.connection.unwrap()
            except (OSError, ValueError):
                pass


def dns_answer(query, addr):
    """The answer to one DNS query (RFC 1035): API_NAME's A record is addr,
    any other name does not exist, other types of API_NAME have no records.
    Returns (reply bytes, asked name, query type)."""
    qid, flags, qdcount = struct.unpack("!HHH", query[:6])
    pos, labels = 12, []
    while query[pos] != 0:
        labels.append(query[pos + 1:pos + 1 + query[pos]].decode("ascii", "replace"))
        pos += 1 + query[pos]
    qtype, = struct.unpack("!H", query[pos + 1:pos + 3])
    question = query[12:pos + 5]
    name = ".".join(labels).lower()
    rcode = 0 if name == API_NAME else 3
    answers = b""
    if name == API_NAME and qtype == 1:
        answers = (b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) +
                   bytes(int(x) for x in addr.split(".")))
    head = struct.pack("!HHHHHH", qid, 0x8180 | (flags & 0x0100) | rcode, qdcount,
                       1 if answers else 0, 0, 0)
    return head + question + answers, name, qtype


def serve_dns(addr, log_path):
    """DNS on addr:53 (UDP); each answered query is a line in log_path."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((addr, 53))
    while True:
        query, peer = sock.recvfrom(512)
        try:
            reply, name, qtype = dns_answer(query, addr)
        except (IndexError, struct.error):
            continue
        sock.sendto(reply, peer)
        with open(log_path, "a") as log:
            log.write("%s type %d from %s\n" % (name, qtype, peer[0]))


def serve(addr, port, cert=None, dns_log=None):
    """Plain HTTP on port; with cert (PEM with key) also HTTPS on TLS_PORT;
    with dns_log also DNS (serve_dns)."""
    if dns_log:
        threading.Thread(target=serve_dns, args=(addr, dns_log), daemon=True).start()
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


def make_namespace(ns, mtu=TAP_MTU):
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
        ip("link", "set", TAP, "mtu", str(mtu), ns=ns)
        ip("link", "set", TAP, "up", ns=ns)
    except subprocess.CalledProcessError as e:
        ip("netns", "del", ns, check=False)
        skip("cannot set up the TAP device: " + (e.stderr or "").strip())


def start_server(ns, cert, dns_log=None):
    cmd = ["ip", "netns", "exec", ns, sys.executable, os.path.abspath(__file__),
           "--serve", HOST_IP, str(PORT), cert or "-"] + ([dns_log] if dns_log else [])
    srv = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    if srv.stdout.readline().strip() != "ready":
        srv.kill()
        raise RuntimeError("test server did not start")
    return srv


def start_emulator(ns, state_dir, api_host=None):
    """The emulator on HOST_IP inside the namespace; (process, its JSON line).
    It stops when its stdin closes (or is killed at the end). api_host: the
    name its API base URL uses (default HOST_IP)."""
    cmd = ["ip", "netns", "exec", ns, sys.executable, os.path.abspath(EMULATOR),
           "--bind", HOST_IP, "--state-dir", state_dir, "--exit-on-stdin-eof"]
    if api_host:
        cmd += ["--api-host", api_host]
    emu = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    line = emu.stdout.readline()
    try:
        info = json.loads(line)
    except ValueError:
        emu.kill()
        emu.wait()
        raise RuntimeError("the emulator did not start: %r" % line)
    return emu, info


def run_test(ns, binary, ca, emu, dns):
    env = dict(os.environ, PRECONFIGURED_TAPIF=TAP)
    if dns:
        env["FC_LWIP_DNS"] = HOST_IP
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


def run_exec(cmd):
    """--exec: CMD inside a fresh namespace with the TAP device."""
    ns = "fclwip%d" % os.getpid()
    make_namespace(ns)
    try:
        env = dict(os.environ, PRECONFIGURED_TAPIF=TAP, FC_NETNS_HOST_IP=HOST_IP,
                   FC_NETNS_LWIP_IP=LWIP_IP, FC_NETNS_GW=HOST_IP)
        return subprocess.run(["ip", "netns", "exec", ns] + cmd, env=env).returncode
    finally:
        ip("netns", "del", ns, check=False)


def dns_queries(log_path):
    try:
        with open(log_path) as log:
            return [line.strip() for line in log if line.startswith(API_NAME + " type 1 ")]
    except OSError:
        return []


def main():
    args = sys.argv[1:]
    if len(args) in (4, 5) and args[0] == "--serve":
        serve(args[1], int(args[2]), None if args[3] == "-" else args[3],
              args[4] if len(args) == 5 else None)
        return 0
    if len(args) >= 3 and args[:2] == ["--exec", "--"]:
        return run_exec(args[2:])
    nosys = bool(args) and args[0] == "--nosys"
    if nosys:
        args = args[1:]
    if len(args) != 1:
        sys.exit(__doc__)
    ns = "fclwip%d" % os.getpid()
    make_namespace(ns, FULL_MTU if nosys else TAP_MTU)
    srv = emu = None
    tmp = tempfile.mkdtemp(prefix="fclwip")
    dns_log = os.path.join(tmp, "dns.log") if nosys else None
    try:
        cert = make_cert(tmp)
        srv = start_server(ns, cert, dns_log)
        info = None
        if cert:
            emu, info = start_emulator(ns, os.path.join(tmp, "emulator"), API_NAME if nosys else None)
        # The self-signed certificate is its own CA.
        rc = run_test(ns, os.path.abspath(args[0]), os.path.join(tmp, "cert.pem") if cert else None,
                      info, nosys)
        if nosys and info:
            asked = dns_queries(dns_log)
            print("DNS: lwIP asked the test's resolver for %s %d time(s)" % (API_NAME, len(asked)))
            if not asked and rc == 0:
                print("FAIL: the API host name was never resolved through lwIP's DNS")
                rc = 1
        return rc
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
    # SIGTERM (a timeout, a killed job) unwinds like Ctrl-C, so the
    # namespace and the emulator are removed by the finally blocks.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.exit(main())
