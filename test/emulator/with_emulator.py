#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run a command against a freshly started emulator.

    with_emulator.py [emulator options] -- CMD [ARGS...]

Starts fluidcloud_emulator.py (with the given options), waits for its
start-up line, then runs CMD with the environment extended by

    FLUIDCLOUD_BASE_URL   api_base            FC_EMU_ADMIN          admin_base
    FLUIDCLOUD_API_KEY    api_key             FC_EMU_STORAGE        storage_base
    FLUIDCLOUD_CA_FILE    ca_file (TLS only)  FC_EMU_RAW            raw_base
    FC_EMU_WRONG_CA_FILE  wrong_ca_file       FC_EMU_TENANT_ID      tenant_id
    FC_EMU_STATE_DIR      state_dir           FC_EMU_KEY_ID         key_id

stops the emulator (SIGTERM) and exits with CMD's status: 128+N when CMD
died of signal N, 3 when the emulator did not start, 4 when CMD passed but
the emulator crashed or did not exit cleanly.

No process is left behind: the emulator and CMD both get SIGKILL from the
kernel if this wrapper dies (PR_SET_PDEATHSIG on Linux), the emulator also
stops when its stdin (a pipe from here) closes, and SIGTERM/SIGINT/SIGHUP
sent to the wrapper are forwarded before everything is reaped.
"""
import atexit
import json
import os
import select
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
START_TIMEOUT_S = 60


def _pdeathsig():
    """preexec_fn: have the kernel kill the child when this process dies."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except Exception:
        pass


def _kill_group(p, sig):
    if p is not None and p.poll() is None:
        try:
            os.killpg(p.pid, sig)
        except OSError:
            try:
                p.send_signal(sig)
            except OSError:
                pass


def main(argv):
    if "--" not in argv or argv.index("--") == len(argv) - 1:
        sys.stderr.write(__doc__)
        return 2
    i = argv.index("--")
    emu_args, cmd = argv[:i], argv[i + 1:]
    linux = sys.platform.startswith("linux")
    emu = subprocess.Popen(
        [sys.executable, os.path.join(HERE, "fluidcloud_emulator.py"), "--exit-on-stdin-eof"]
        + emu_args,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, start_new_session=True,
        preexec_fn=_pdeathsig if linux else None)
    procs = {"emu": emu, "child": None}
    stopped = {"done": False}

    def stop_emulator():
        if stopped["done"]:
            return
        stopped["done"] = True
        _kill_group(procs["child"], signal.SIGTERM)
        if emu.poll() is None:
            _kill_group(emu, signal.SIGTERM)
            try:
                emu.wait(timeout=10)
            except subprocess.TimeoutExpired:
                _kill_group(emu, signal.SIGKILL)
                emu.wait()
        child = procs["child"]
        if child is not None and child.poll() is None:
            try:
                child.wait(timeout=5)
            except subprocess.TimeoutExpired:
                _kill_group(child, signal.SIGKILL)
                child.wait()
        try:
            emu.stdin.close()
        except OSError:
            pass

    atexit.register(stop_emulator)

    got = {"sig": None, "at": 0.0}

    def on_signal(signum, frame):
        # Only forward and record here: waiting on a child inside a handler
        # can deadlock with the main thread's own wait.
        if got["sig"] is None:
            got["sig"], got["at"] = signum, time.monotonic()
        child = procs["child"]
        if child is not None and child.poll() is None:
            try:
                child.send_signal(signum)
            except OSError:
                pass

    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(s, on_signal)

    # The start-up line, with a deadline (the emulator may hang or die).
    line = b""
    deadline = time.monotonic() + START_TIMEOUT_S
    fd = emu.stdout.fileno()
    while not line.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0:
            break
        r, _, _ = select.select([fd], [], [], left)
        if not r:
            continue
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        line += chunk
    if got["sig"] is not None:
        stop_emulator()
        return 128 + got["sig"]
    try:
        info = json.loads(line.decode())
    except ValueError:
        sys.stderr.write("with_emulator: the emulator did not start (got %r)\n" % line[:200])
        return 3

    env = dict(os.environ)
    env.update({
        "FLUIDCLOUD_BASE_URL": info["api_base"],
        "FLUIDCLOUD_API_KEY": info["api_key"],
        "FC_EMU_ADMIN": info["admin_base"],
        "FC_EMU_STORAGE": info["storage_base"],
        "FC_EMU_RAW": info["raw_base"],
        "FC_EMU_TENANT_ID": info["tenant_id"],
        "FC_EMU_KEY_ID": info.get("key_id") or "",
        "FC_EMU_STATE_DIR": info["state_dir"],
    })
    if info.get("ca_file"):
        env["FLUIDCLOUD_CA_FILE"] = info["ca_file"]
        env["FC_EMU_WRONG_CA_FILE"] = info.get("wrong_ca_file") or ""
    else:  # --plain: no CA at all
        env.pop("FLUIDCLOUD_CA_FILE", None)
        env.pop("FC_EMU_WRONG_CA_FILE", None)
    try:
        # CMD stays in our process group, so a terminal's Ctrl-C or ctest's
        # kill of the group reaches it directly.
        procs["child"] = subprocess.Popen(cmd, env=env,
                                          preexec_fn=_pdeathsig if linux else None)
    except OSError as e:
        sys.stderr.write("with_emulator: cannot run %s: %s\n" % (cmd[0], e))
        return 127
    child = procs["child"]
    while child.poll() is None:
        if got["sig"] is not None and time.monotonic() - got["at"] > 5:
            try:
                child.kill()  # it ignored the forwarded signal
            except OSError:
                pass
        time.sleep(0.05)
    rc = child.returncode
    if got["sig"] is not None:
        stop_emulator()
        return 128 + got["sig"]
    if rc < 0:
        rc = 128 - rc
    crashed = emu.poll() is not None
    stop_emulator()
    if crashed:
        sys.stderr.write("with_emulator: the emulator died during the run (exit %s)\n"
                         % emu.returncode)
        return rc or 4
    if emu.returncode != 0 and rc == 0:
        sys.stderr.write("with_emulator: the emulator exited with %s\n" % emu.returncode)
        return 4
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
