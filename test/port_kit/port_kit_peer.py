#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The loopback peer of the port conformance kit (fc_port_kit.h).

    port_kit_peer.py [--bind ADDR] [--cert-host NAME]... --run CMD ARGS...
        start the peer, run CMD with FC_KIT_* in its environment (below),
        stop the peer and exit with CMD's status
    port_kit_peer.py [--bind ADDR] [--cert-host NAME]... --serve
        print the ports as one JSON line and serve until stdin closes or
        Ctrl-C (for a device on the network: --bind 0.0.0.0 --cert-host
        <the address the device connects to>)

Ports (all on ADDR, default 127.0.0.1, ephemeral):
    plain_port       commands over plain TCP
    tls_port         commands over TLS (certificate for ADDR, localhost and
                     every --cert-host, signed by ca_file)
    untrusted_port   TLS with a certificate from a CA nobody trusts
    wrong_name_port  TLS with a certificate from ca_file for another name
    refused_port     a bound socket that never listens: connects are refused

Environment given to CMD: FC_KIT_HOST, FC_KIT_PLAIN_PORT, FC_KIT_TLS_PORT,
FC_KIT_UNTRUSTED_PORT, FC_KIT_WRONG_NAME_PORT, FC_KIT_REFUSED_PORT,
FC_KIT_CA_FILE.

Commands, one line each (ASCII, ending in \\n); the data is the kit's
pattern stream (fc_port_kit_pattern), starting at byte 0:
    ECHO n             read n bytes, send them back
    SEND n             send n pattern bytes, keep the connection open
    SENDCLOSE n        send n pattern bytes, then close cleanly
                       (TLS: close_notify, then FIN)
    CLOSE              close cleanly at once
    RESET              close with a TCP reset (SO_LINGER 0)
    TRUNCATE n         send n bytes, then FIN without close_notify
    HOLD token         stop reading this connection until RELEASE token
                       comes on another one; then read total bytes and
                       answer "GOT total OK" or "GOT count BAD at offset"
    RELEASE token total  answer "OK" (before or after the HOLD arrived)
A plain port that receives a TLS record answers with a line of text and
closes (the kit checks that a TLS handshake with it fails).

Certificates are made with the openssl command (as the emulator's are).
"""
import argparse
import json
import os
import shutil
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading

PERIOD = 65521          # as KIT_PATTERN_PERIOD in fc_port_kit.c
PEER_RCVBUF = 8192      # small, so that a HOLD pushes back soon
IO_TIMEOUT_S = 60       # a stuck kit never keeps a peer thread forever
HOLD_TIMEOUT_S = 60


def _period():
    return bytes(((j * 167) ^ (j >> 8)) & 0xFF for j in range(PERIOD))


PATTERN = _period() * 2  # any window of up to PERIOD bytes is one slice


def pattern(offset, n):
    """Pattern bytes [offset, offset + n)."""
    out = bytearray()
    while n > 0:
        start = offset % PERIOD
        take = min(n, PERIOD)
        out += PATTERN[start:start + take]
        offset += take
        n -= take
    return bytes(out)


class Holds:
    """HOLD tokens and their RELEASE from another connection. Either may come
    first: the kit sends RELEASE once its held sends push back, which can be
    before this peer's thread for the held connection has read its HOLD."""

    def __init__(self):
        self.lock = threading.Lock()
        self.slots = {}

    def _slot(self, token):
        with self.lock:
            return self.slots.setdefault(token, {"event": threading.Event(), "total": 0})

    def wait(self, token, timeout):
        """The total RELEASE announced for token, or None after timeout."""
        slot = self._slot(token)
        if not slot["event"].wait(timeout):
            return None
        with self.lock:
            self.slots.pop(token, None)
        return slot["total"]

    def release(self, token, total):
        slot = self._slot(token)
        slot["total"] = total
        slot["event"].set()


def read_line(sock):
    """One command line, or None at EOF. A TLS record on a plain port
    comes back as the string "<tls>"."""
    line = bytearray()
    while len(line) < 128:
        b = sock.recv(1)
        if not b:
            return None
        if not line and b == b"\x16" and not isinstance(sock, ssl.SSLSocket):
            return "<tls>"
        if b == b"\n":
            return line.decode("ascii", "replace")
        line += b
    return line.decode("ascii", "replace")


def read_exact(sock, n):
    data = bytearray()
    while len(data) < n:
        chunk = sock.recv(min(65536, n - len(data)))
        if not chunk:
            break
        data += chunk
    return bytes(data)


def first_difference(data, offset=0):
    want = pattern(offset, len(data))
    for i in range(len(data)):
        if data[i] != want[i]:
            return i
    return -1


def reset(sock):
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def close_cleanly(sock):
    if isinstance(sock, ssl.SSLSocket):
        try:
            sock = sock.unwrap()  # sends close_notify (and reads the kit's, if it sends one)
        except (OSError, ssl.SSLError):
            pass
    try:
        sock.shutdown(socket.SHUT_WR)
    except OSError:
        pass
    sock.close()


def truncate(sock):
    """FIN without close_notify: shut the TCP stream under the TLS layer."""
    raw = socket.socket(fileno=os.dup(sock.fileno()))
    raw.shutdown(socket.SHUT_RDWR)
    raw.close()
    sock.close()


def serve_hold(sock, holds, token):
    total = holds.wait(token, HOLD_TIMEOUT_S)
    if total is None:
        return False
    data = read_exact(sock, total)
    bad = first_difference(data)
    if len(data) == total and bad < 0:
        sock.sendall(b"GOT %d OK\n" % total)
    else:
        sock.sendall(b"GOT %d BAD at %d\n" % (len(data), bad if bad >= 0 else len(data)))
    return True


def serve_connection(sock, holds):
    """Runs the commands of one connection; returns when it is closed."""
    sock.settimeout(IO_TIMEOUT_S)
    while True:
        line = read_line(sock)
        if line is None:
            sock.close()
            return
        if line == "<tls>":
            sock.sendall(b"ERR this port is not TLS\n")
            close_cleanly(sock)
            return
        words = line.split()
        cmd, args = (words[0], words[1:]) if words else ("", [])
        if cmd == "ECHO" and len(args) == 1:
            sock.sendall(read_exact(sock, int(args[0])))
        elif cmd == "SEND" and len(args) == 1:
            sock.sendall(pattern(0, int(args[0])))
        elif cmd == "SENDCLOSE" and len(args) == 1:
            sock.sendall(pattern(0, int(args[0])))
            close_cleanly(sock)
            return
        elif cmd == "CLOSE":
            close_cleanly(sock)
            return
        elif cmd == "RESET":
            reset(sock)
            return
        elif cmd == "TRUNCATE" and len(args) == 1:
            sock.sendall(pattern(0, int(args[0])))
            truncate(sock)
            return
        elif cmd == "HOLD" and len(args) == 1:
            if not serve_hold(sock, holds, args[0]):
                sock.close()
                return
        elif cmd == "RELEASE" and len(args) == 2:
            holds.release(args[0], int(args[1]))
            sock.sendall(b"OK\n")
        else:
            sock.sendall(b"ERR unknown command\n")
            sock.close()
            return


def handle(conn, ctx, holds):
    try:
        if ctx is not None:
            conn.settimeout(IO_TIMEOUT_S)
            conn = ctx.wrap_socket(conn, server_side=True)
        serve_connection(conn, holds)
    except (OSError, ssl.SSLError, ValueError):
        pass  # the kit cut the connection (close during connect, failed handshake...)
    finally:
        try:
            conn.close()
        except OSError:
            pass


def listener(addr):
    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Inherited by accepted sockets: a held connection fills up soon.
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, PEER_RCVBUF)
    s.bind((addr, 0))
    s.listen(16)
    return s


def accept_loop(sock, ctx, holds):
    while True:
        try:
            conn, _ = sock.accept()
        except OSError:
            return
        threading.Thread(target=handle, args=(conn, ctx, holds), daemon=True).start()


def openssl(args, cwd):
    subprocess.run(["openssl"] + args, cwd=cwd, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def make_ca(d, name):
    openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", name + ".key"], d)
    openssl(["req", "-x509", "-new", "-key", name + ".key", "-sha256", "-days", "2",
             "-subj", "/CN=fluidcloud port kit " + name, "-out", name + ".pem",
             "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign"], d)


def make_leaf(d, name, ca, sans):
    with open(os.path.join(d, name + ".ext"), "w") as f:
        f.write("basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
                "extendedKeyUsage=serverAuth\nsubjectAltName=" + ",".join(sans) + "\n")
    openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", name + ".key"], d)
    openssl(["req", "-new", "-key", name + ".key", "-subj", "/CN=" + name, "-out", name + ".csr"], d)
    openssl(["x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key",
             "-CAcreateserial", "-days", "2", "-sha256", "-extfile", name + ".ext",
             "-out", name + ".pem"], d)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(os.path.join(d, name + ".pem"), os.path.join(d, name + ".key"))
    return ctx


def san(host):
    is_ip = host.replace(".", "").isdigit() or ":" in host
    return ("IP:" if is_ip else "DNS:") + host


def start(addr, cert_hosts, d):
    """Starts every port; returns the dict of ports and files."""
    if shutil.which("openssl") is None:
        sys.exit("port_kit_peer.py: the openssl command is needed for the TLS ports")
    make_ca(d, "ca")
    make_ca(d, "other_ca")
    hosts = ["localhost", "127.0.0.1"] + ([addr] if addr not in ("0.0.0.0", "::") else [])
    hosts += list(cert_hosts)
    good = make_leaf(d, "peer", "ca", sorted({san(h) for h in hosts}))
    untrusted = make_leaf(d, "untrusted", "other_ca", sorted({san(h) for h in hosts}))
    wrong = make_leaf(d, "wrong_name", "ca", ["DNS:wrong-name.invalid"])
    holds = Holds()
    info = {"host": addr if addr not in ("0.0.0.0", "::") else (cert_hosts or ["127.0.0.1"])[0],
            "ca_file": os.path.join(d, "ca.pem")}
    for key, ctx in (("plain_port", None), ("tls_port", good), ("untrusted_port", untrusted),
                     ("wrong_name_port", wrong)):
        s = listener(addr)
        info[key] = s.getsockname()[1]
        threading.Thread(target=accept_loop, args=(s, ctx, holds), daemon=True).start()
    refused = socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET)
    refused.bind((addr, 0))  # bound, never listening: a SYN gets a reset
    info["refused_port"] = refused.getsockname()[1]
    info["_keep"] = refused
    return info


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bind", default="127.0.0.1")
    ap.add_argument("--cert-host", action="append", default=[])
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--serve", action="store_true")
    mode.add_argument("--run", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="fc-port-kit-") as d:
        info = start(a.bind, a.cert_host, d)
        public = {k: v for k, v in info.items() if not k.startswith("_")}
        if a.serve:
            print(json.dumps(public), flush=True)
            try:
                sys.stdin.read()
            except KeyboardInterrupt:
                pass
            return 0
        if not a.run:
            ap.error("--run needs a command")
        env = dict(os.environ)
        for k, v in public.items():
            env["FC_KIT_" + k.upper()] = str(v)
        return subprocess.run(a.run, env=env).returncode


if __name__ == "__main__":
    sys.exit(main())
