# SPDX-License-Identifier: MIT
"""Throwaway certificates for the emulator, made with the openssl CLI.

A CA, a server certificate valid for localhost and 127.0.0.1 (plus any
extra host given), and an unrelated second CA so tests can check that a
wrong CA is rejected. Everything lives in the state directory.
"""
import os
import ssl
import subprocess


def _run(args, cwd):
    subprocess.run(["openssl"] + args, cwd=cwd, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _make_ca(d, name, cn):
    _run(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", name + ".key"], d)
    _run(["req", "-x509", "-new", "-key", name + ".key", "-sha256", "-days", "30",
          "-subj", "/CN=" + cn, "-out", name + ".pem",
          "-addext", "basicConstraints=critical,CA:TRUE",
          "-addext", "keyUsage=critical,keyCertSign,cRLSign"], d)


def make_certs(state_dir, extra_hosts=()):
    """Returns (ca_file, wrong_ca_file, cert_file, key_file)."""
    d = os.path.join(state_dir, "tls")
    os.makedirs(d, exist_ok=True)
    _make_ca(d, "ca", "FluidCloud emulator test CA")
    _make_ca(d, "wrong_ca", "Unrelated CA")
    sans = ["DNS:localhost", "IP:127.0.0.1", "IP:::1"]
    for h in extra_hosts:
        sans.append(("IP:" if h.replace(".", "").isdigit() or ":" in h else "DNS:") + h)
    with open(os.path.join(d, "server.ext"), "w") as f:
        f.write("basicConstraints=CA:FALSE\n"
                "keyUsage=critical,digitalSignature,keyEncipherment\n"
                "extendedKeyUsage=serverAuth\n"
                "subjectAltName=" + ",".join(sans) + "\n")
    _run(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "server.key"], d)
    _run(["req", "-new", "-key", "server.key", "-subj", "/CN=localhost", "-out", "server.csr"], d)
    _run(["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
          "-CAcreateserial", "-days", "30", "-sha256", "-extfile", "server.ext",
          "-out", "server.pem"], d)
    return (os.path.join(d, "ca.pem"), os.path.join(d, "wrong_ca.pem"),
            os.path.join(d, "server.pem"), os.path.join(d, "server.key"))


def server_context(cert_file, key_file):
    """TLS 1.2+ with suites mbedTLS 2.28 speaks; session tickets stay on."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(cert_file, key_file)
    ctx.set_ciphers("ECDHE+AESGCM:ECDHE+CHACHA20:ECDHE+AES")
    return ctx
