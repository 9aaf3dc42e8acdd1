#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Build the Zephyr sample (examples/zephyr_upload) and run it in QEMU.

    run_zephyr.py --out DIR [--board BOARD ...] [--extra-conf FILE ...]

Needs a Zephyr 3.7 tree and its modules, given by the environment:

    ZEPHYR_BASE       the Zephyr tree (v3.7.1)
    ZEPHYR_MODULES    ';'-separated module directories: cmsis and mbedtls for
                      mps2/an385, plus hal_nordic for nrf52840dk/nrf52840

and Debian's arm-none-eabi-gcc (Zephyr's "cross-compile" toolchain
variant), /usr/bin/python3 with pyelftools, yaml, pykwalify, jsonschema and
packaging, dtc, and qemu-system-arm. Without ZEPHYR_BASE it prints
"SKIPPED: ..." and exits 0.

For every board it builds the sample and prints its flash and RAM. For
mps2/an385 it then:
  1. makes a network namespace fcz<pid> with a TAP device (192.0.2.2/24 on
     the kernel side), starts the emulator there (TLS, fixed ports 8443-8445)
     and registers the key of test/zephyr/qemu_test.conf;
  2. builds the sample with that configuration and the emulator's CA;
  3. runs it in qemu-system-arm -M mps2-an385 with the LAN9118 on the TAP
     link (the sample is 192.0.2.1): it uploads a synthetic capture over TLS
     through Zephyr's network stack;
  4. checks the sample's report (uploaded, 0 retries: no connect stall, no
     second TLS handshake failure) and, through the admin API, that the
     stored object has exactly the CSV's size and SHA-256, and that the key
     never reached storage (leaked_key_count 0).
Without root (no namespace) the run is SKIPPED after the builds.
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
SAMPLE = os.path.join(ROOT, "examples", "zephyr_upload")
EMULATOR = os.path.join(ROOT, "test", "emulator", "fluidcloud_emulator.py")
TEST_CONF = os.path.join(HERE, "qemu_test.conf")
HOST_IP = "192.0.2.2"      # kernel side of the TAP link: the emulator
PORTS = {"api": 8443, "storage": 8444, "raw": 8445}
SAMPLES = 600              # src/main.c
RUN_TIMEOUT_S = 240


def skip(why):
    print("SKIPPED: Zephyr sample test: %s" % why)
    sys.exit(0)


def conf_value(name):
    with open(TEST_CONF) as f:
        for line in f:
            if line.startswith(name + "="):
                return json.loads(line.split("=", 1)[1])
    raise KeyError(name)


def expected_csv():
    """The bytes capture_synthetic() + the CSV source produce (capture_upload.c)."""
    return "".join("%d,%d\n" % (i, 21000 + (i * 37) % 1000) for i in range(SAMPLES)).encode()


def build(board, out, ca_file, extra_conf=None):
    env = dict(os.environ, ZEPHYR_TOOLCHAIN_VARIANT="cross-compile",
               CROSS_COMPILE="/usr/bin/arm-none-eabi-")
    cmd = ["cmake", "-S", SAMPLE, "-B", out, "-G", "Ninja", "-DBOARD=" + board,
           "-DPython3_EXECUTABLE=/usr/bin/python3",
           "-DZEPHYR_MODULES=" + os.environ["ZEPHYR_MODULES"], "-DFC_SAMPLE_CA_PEM=" + ca_file,
           "-DEXTRA_CONF_FILE=" + (extra_conf or "")]
    print("$ " + " ".join(cmd), flush=True)
    r = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if r.returncode != 0:
        sys.stdout.write(r.stdout[-4000:] + r.stderr[-4000:])
        sys.exit("FAIL: configuring the sample for %s" % board)
    r = subprocess.run(["nice", "ninja", "-C", out, "-j2"], env=env, capture_output=True, text=True)
    if r.returncode != 0:
        sys.stdout.write(r.stdout[-6000:] + r.stderr[-2000:])
        sys.exit("FAIL: building the sample for %s" % board)
    regions = dict(re.findall(r"^\s*(FLASH|RAM):\s+(\d+) B", r.stdout, re.M))
    print("%s: flash %s B, RAM %s B (static, from the link map)" %
          (board, regions.get("FLASH", "?"), regions.get("RAM", "?")), flush=True)
    return os.path.join(out, "zephyr", "zephyr.elf")


def ip(*args, ns=None, check=True):
    cmd = ["ip"] + (["netns", "exec", ns, "ip"] if ns else []) + list(args)
    return subprocess.run(cmd, check=check, capture_output=True, text=True)


def make_namespace(ns, tap):
    if os.geteuid() != 0:
        return "needs root to create a network namespace and a TAP device"
    if shutil.which("ip") is None or not os.path.exists("/dev/net/tun"):
        return "no ip command or no /dev/net/tun"
    r = ip("netns", "add", ns, check=False)
    if r.returncode != 0:
        return "cannot create a network namespace: " + r.stderr.strip()
    ip("link", "set", "lo", "up", ns=ns)
    ip("tuntap", "add", "dev", tap, "mode", "tap", ns=ns)
    ip("addr", "add", HOST_IP + "/24", "dev", tap, ns=ns)
    ip("link", "set", tap, "up", ns=ns)
    return None


def admin(base, method, path, body=None):
    req = urllib.request.Request(base + path, method=method,
                                 data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read() or b"{}")


def in_namespace(ns, fn):
    """Run fn() with this process inside ns (setns), for the admin calls to
    the emulator's loopback there."""
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    own = os.open("/proc/self/ns/net", os.O_RDONLY)
    target = os.open("/run/netns/" + ns, os.O_RDONLY)
    try:
        if libc.setns(target, 0x40000000) != 0:  # CLONE_NEWNET
            raise OSError(ctypes.get_errno(), "setns")
        return fn()
    finally:
        libc.setns(own, 0x40000000)
        os.close(own)
        os.close(target)


def start_emulator(ns, state_dir):
    cmd = ["ip", "netns", "exec", ns, sys.executable, EMULATOR, "--bind", HOST_IP,
           "--state-dir", state_dir, "--exit-on-stdin-eof",
           "--api-port", str(PORTS["api"]), "--storage-port", str(PORTS["storage"]),
           "--raw-port", str(PORTS["raw"])]
    emu = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    line = emu.stdout.readline()
    try:
        return emu, json.loads(line)
    except ValueError:
        emu.kill()
        emu.wait()
        sys.exit("FAIL: the emulator did not start: %r" % line)


def run_qemu(ns, tap, elf):
    """The sample in QEMU until it reports 'done' (or the timeout); its output."""
    cmd = ["ip", "netns", "exec", ns, "qemu-system-arm", "-M", "mps2-an385", "-cpu", "cortex-m3",
           "-nographic", "-monitor", "none", "-vga", "none",
           "-nic", "tap,ifname=%s,script=no,downscript=no,model=lan9118" % tap, "-kernel", elf]
    print("$ " + " ".join(cmd), flush=True)
    q = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = []
    deadline = time.monotonic() + RUN_TIMEOUT_S
    try:
        for line in q.stdout:
            sys.stdout.write("  | " + line)
            out.append(line)
            if "fluidcloud: done" in line or time.monotonic() > deadline:
                break
    finally:
        q.kill()
        q.wait()
    return "".join(out)


def check_run(output, emu, admin_call):
    failed = []
    # FC_OK means the server's record has the client's size and SHA-256;
    # the stored object is checked against the capture below.
    m = re.search(r"fluidcloud: uploaded (\d+) samples \((\d+) bytes\) as file (\S+) "
                  r"\(size and sha256 confirmed\) in (\d+) ms, (\d+) retries", output)
    if not m:
        return ["the sample did not report an upload"]
    want = expected_csv()
    size, file_id, ms, retries = int(m.group(2)), m.group(3), m.group(4), int(m.group(5))
    print("uploaded %d bytes in %s ms (Zephyr uptime), %d retries" % (size, ms, retries))
    if size != len(want):
        failed.append("declared size %d, the CSV has %d bytes" % (size, len(want)))
    if retries != 0:
        failed.append("%d retries (a connect stall or a failed TLS handshake)" % retries)
    obj = admin_call("GET", "/admin/objects/" + file_id)
    digest = hashlib.sha256(want).hexdigest()
    print("stored: %s bytes, sha256 %s (expected %d, %s)" % (obj.get("size"), obj.get("sha256"),
                                                             len(want), digest))
    if obj.get("size") != len(want) or obj.get("sha256") != digest:
        failed.append("the stored object is not the capture's CSV")
    leaked = admin_call("GET", "/admin/state").get("leaked_key_count")
    print("leaked_key_count: %s" % leaked)
    if leaked != 0:
        failed.append("the API key reached a storage host")
    return failed


def run_mps2(out, extra_confs):
    ns, tap = "fcz%d" % os.getpid(), "fcztap0"
    why = make_namespace(ns, tap)
    if why:
        skip("QEMU run: " + why)
    tmp = tempfile.mkdtemp(prefix="fczephyr")
    emu = None
    try:
        emu, info = start_emulator(ns, os.path.join(tmp, "emulator"))

        def admin_call(method, path, body=None):
            return in_namespace(ns, lambda: admin(info["admin_base"], method, path, body))
        admin_call("POST", "/admin/keys", {"tenant_id": info["tenant_id"],
                                           "key": conf_value("CONFIG_SAMPLE_FC_API_KEY")})
        elf = build("mps2/an385", os.path.join(out, "mps2_an385-qemu"), info["ca_file"],
                    ";".join([TEST_CONF] + extra_confs))
        output = run_qemu(ns, tap, elf)
        heap = re.search(r"TLS heap peak (\d+) bytes in (\d+) blocks", output)
        if heap:
            print("TLS heap peak: %s bytes in %s blocks" % heap.groups())
        failed = check_run(output, emu, admin_call)
        for f in failed:
            print("FAIL: " + f)
        print("Zephyr sample test: %s" % ("FAILED" if failed else "passed"))
        return 1 if failed else 0
    finally:
        if emu is not None:
            emu.stdin.close()
            try:
                emu.wait(timeout=10)
            except subprocess.TimeoutExpired:
                emu.kill()
                emu.wait()
        shutil.rmtree(tmp, ignore_errors=True)
        ip("netns", "del", ns, check=False)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--board", action="append",
                    help="build only this board (default: nrf52840dk/nrf52840 when hal_nordic "
                         "is among the modules, and mps2/an385, which also runs)")
    ap.add_argument("--extra-conf", action="append", default=[],
                    help="a Kconfig fragment added to the QEMU run's build (e.g. another heap size)")
    args = ap.parse_args()
    args.out = os.path.abspath(args.out)
    zb = os.environ.get("ZEPHYR_BASE")
    if not zb or not os.path.isfile(os.path.join(zb, "VERSION")):
        skip("ZEPHYR_BASE is not set to a Zephyr tree (and ZEPHYR_MODULES to its modules)")
    if not os.environ.get("ZEPHYR_MODULES"):
        skip("ZEPHYR_MODULES is not set (cmsis;mbedtls[;hal_nordic])")
    for tool in ("arm-none-eabi-gcc", "ninja", "dtc", "qemu-system-arm"):
        if shutil.which(tool) is None:
            sys.exit("FAIL: %s is missing" % tool)
    os.makedirs(args.out, exist_ok=True)
    boards = args.board or (["nrf52840dk/nrf52840"] if "nordic" in os.environ["ZEPHYR_MODULES"]
                            else []) + ["mps2/an385"]
    # A placeholder CA for the build-only boards (the real one is the server's).
    ca = os.path.join(args.out, "placeholder_ca.pem")
    if not os.path.exists(ca):
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=placeholder",
                        "-keyout", os.path.join(args.out, "placeholder_key.pem"), "-out", ca],
                       check=True, capture_output=True)
    for board in boards:
        if board != "mps2/an385":
            build(board, os.path.join(args.out, board.replace("/", "_")), ca)
    if "mps2/an385" in boards:
        return run_mps2(args.out, [os.path.abspath(c) for c in args.extra_conf])
    return 0


if __name__ == "__main__":
    # SIGTERM (a timeout, a killed job) unwinds like Ctrl-C, so the
    # namespace and the emulator are removed by the finally blocks.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.exit(main())
