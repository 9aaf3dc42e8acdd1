#!/usr/bin/env python3
"""Run a command against a freshly started emulator.

    with_emulator.py [emulator options] -- CMD [ARGS...]

Starts fluidcloud_emulator.py, waits for its start-up line, runs CMD with
FLUIDCLOUD_BASE_URL, FLUIDCLOUD_API_KEY, FLUIDCLOUD_CA_FILE, FC_EMU_ADMIN,
FC_EMU_STORAGE, FC_EMU_RAW, FC_EMU_WRONG_CA_FILE, FC_EMU_TENANT_ID and
FC_EMU_STATE_DIR set, stops the emulator, and exits with CMD's status (or
non-zero when the emulator died on its own). No process is left behind.
"""
import json
import os
import signal
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main(argv):
    if "--" not in argv:
        sys.stderr.write(__doc__)
        return 2
    i = argv.index("--")
    emu_args, cmd = argv[:i], argv[i + 1:]
    emu = subprocess.Popen([sys.executable, os.path.join(HERE, "fluidcloud_emulator.py")]
                           + emu_args, stdout=subprocess.PIPE, start_new_session=True)
    child = None

    def stop_all(signum=None, frame=None):
        for p in (child, emu):
            if p is not None and p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                except OSError:
                    pass
        if signum is not None:
            sys.exit(128 + signum)

    signal.signal(signal.SIGTERM, stop_all)
    signal.signal(signal.SIGINT, stop_all)
    try:
        line = emu.stdout.readline()
        if not line:
            sys.stderr.write("with_emulator: the emulator did not start\n")
            return 3
        info = json.loads(line)
        env = dict(os.environ)
        env.update({
            "FLUIDCLOUD_BASE_URL": info["api_base"],
            "FLUIDCLOUD_API_KEY": info["api_key"],
            "FLUIDCLOUD_CA_FILE": info["ca_file"] or "",
            "FC_EMU_ADMIN": info["admin_base"],
            "FC_EMU_STORAGE": info["storage_base"],
            "FC_EMU_RAW": info["raw_base"],
            "FC_EMU_WRONG_CA_FILE": info["wrong_ca_file"] or "",
            "FC_EMU_TENANT_ID": info["tenant_id"],
            "FC_EMU_STATE_DIR": info["state_dir"],
        })
        child = subprocess.Popen(cmd, env=env, start_new_session=True)
        rc = child.wait()
        if emu.poll() is not None:
            sys.stderr.write("with_emulator: the emulator died (exit %s)\n" % emu.returncode)
            return rc or 4
        return rc
    finally:
        stop_all()
        try:
            emu.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(emu.pid, signal.SIGKILL)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
