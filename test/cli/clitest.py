# SPDX-License-Identifier: MIT
"""clitest.py - shared helpers of the fluidcloud CLI suites.

Each suite is a unittest module run by ctest as

    with_emulator.py -- python3 test/cli/<suite>.py <path to fluidcloud>

so it talks to a fresh emulator through FLUIDCLOUD_* and FC_EMU_*.
Every run of the tool is recorded: OUTPUTS collects all stdout and stderr, so
the masking test can check that no secret ever appeared in any of them.
"""
import json
import os
import pty
import select
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

CLI = None
OUTPUTS = []          # (args, stdout, stderr) of every run, for the secret checks
ENV = dict(os.environ)
HOME = tempfile.mkdtemp(prefix="fc-cli-home-")
# The suites never read the tester's own settings or leave files in them.
ENV["HOME"] = HOME
ENV["XDG_CONFIG_HOME"] = os.path.join(HOME, "config")
ENV["XDG_STATE_HOME"] = os.path.join(HOME, "state")
ENV.pop("XDG_CACHE_HOME", None)
ENV["XDG_CACHE_HOME"] = os.path.join(HOME, "cache")

KEY = os.environ.get("FLUIDCLOUD_API_KEY", "")
ADMIN = os.environ.get("FC_EMU_ADMIN", "")

# Signs that a presigned URL's query (a capability) leaked.
PRESIGNED_MARKERS = ("X-Fc-Signature", "X-Fc-Credential", "uploadId=", "X-Fc-Expires")


class Result:
    def __init__(self, args, code, out, err):
        self.args, self.code, self.out, self.err = args, code, out, err

    def json(self):
        try:
            return json.loads(self.out)
        except ValueError:
            raise AssertionError(f"fluidcloud {' '.join(self.args)} printed no JSON: "
                                 f"{self.out!r} (stderr {self.err!r})")

    def __repr__(self):
        return (f"fluidcloud {' '.join(self.args)} -> {self.code}\n"
                f"stdout: {self.out!r}\nstderr: {self.err!r}")


def run(*args, input=None, env=None, timeout=120, cwd=None, binary=False):
    """Run the tool with pipes (no terminal anywhere)."""
    e = dict(ENV)
    if env:
        for k, v in env.items():
            if v is None:
                e.pop(k, None)
            else:
                e[k] = v
    p = subprocess.run([CLI, *args], input=input if binary or input is None else input.encode(),
                       capture_output=True, env=e, timeout=timeout, cwd=cwd,
                       stdin=None if input is not None else subprocess.DEVNULL)
    out = p.stdout if binary else p.stdout.decode("utf-8", "replace")
    err = p.stderr.decode("utf-8", "replace")
    OUTPUTS.append((args, out if not binary else "", err))
    return Result(args, p.returncode, out, err)


def run_pty(*args, answer=None, env=None, timeout=120, on_output=None, stdin_tty=False):
    """Run the tool with stderr (and stdin when stdin_tty) on a pseudo-terminal
    and stdout on a pipe. Returns (Result, raw terminal bytes). answer, when
    given, is typed once the terminal shows a '[y/N]' prompt. on_output(text, proc)
    is called with the terminal text so far, e.g. to send a signal at a moment."""
    e = dict(ENV)
    if env:
        e.update(env)
    master, slave = pty.openpty()
    p = subprocess.Popen([CLI, *args], stdin=slave if stdin_tty else subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=slave, env=e)
    os.close(slave)
    term = b""
    out = b""
    answered = False
    deadline = time.monotonic() + timeout
    fds = [master, p.stdout.fileno()]
    while fds and time.monotonic() < deadline:
        ready, _, _ = select.select(fds, [], [], 0.1)
        for fd in ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                fds.remove(fd)
                continue
            if fd == master:
                term += chunk
            else:
                out += chunk
        text = term.decode("utf-8", "replace")
        if answer is not None and not answered and "[y/N]" in text:
            os.write(master, answer.encode() + b"\n")
            answered = True
        if on_output is not None:
            on_output(text, p)
        if p.poll() is not None and not ready:
            break
    try:
        p.wait(timeout=max(1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
        raise
    os.close(master)
    p.stdout.close()
    r = Result(args, p.returncode, out.decode("utf-8", "replace"),
               term.decode("utf-8", "replace"))
    OUTPUTS.append((args, r.out, r.err))
    return r, term


# ---- the emulator's admin API ---------------------------------------------------

def admin(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(ADMIN + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        text = r.read()
        return json.loads(text) if text else None


def fault(listener, action, **kw):
    kw.update({"listener": listener, "action": action})
    return admin("POST", "/admin/faults", kw)


def clear_faults():
    admin("DELETE", "/admin/faults")


def set_config(**kw):
    return admin("PATCH", "/admin/config", kw)


def new_key(scopes=None, plan=None, bytes_limit=None, links_limit=None):
    """A fresh tenant and key: {"key", "tenant_id", ...}."""
    t = {}
    if plan:
        t["plan"] = plan
    if bytes_limit is not None:
        t["bytes_limit"] = bytes_limit
    if links_limit is not None:
        t["links_limit"] = links_limit
    tenant = admin("POST", "/admin/tenants", t)["tenant_id"]
    k = {"tenant_id": tenant}
    if scopes is not None:
        k["scopes"] = scopes
    return admin("POST", "/admin/keys", k)


def write_file(path, data):
    with open(path, "wb") as f:
        f.write(data)
    return path


class CliTest(unittest.TestCase):
    """Base: a scratch directory per test."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="fc-cli-")

    def tearDown(self):
        clear_faults()

    def path(self, name):
        return os.path.join(self.tmp, name)

    def ok(self, *args, **kw):
        r = run(*args, **kw)
        self.assertEqual(r.code, 0, r)
        return r

    def fails(self, code, *args, **kw):
        r = run(*args, **kw)
        self.assertEqual(r.code, code, r)
        return r


def main():
    global CLI
    CLI = os.path.abspath(sys.argv.pop(1))
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    unittest.main(verbosity=2)
