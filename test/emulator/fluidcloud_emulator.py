#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A local FluidCloud emulator: the Partner API, presigned storage and raw
links on loopback, over TLS by default, with an admin API for tests.

Start-up contract: prints exactly one JSON line on stdout once every
listener accepts connections (api_base, storage_base, raw_base, admin_base,
api_key, tenant_id, ca_file, wrong_ca_file, state_dir), then serves until
SIGTERM or SIGINT and exits 0. See README.md in this directory.
"""
import argparse
import json
import os
import shutil
import signal
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree

import emu_http  # noqa: E402
from emu_admin import AdminHandler  # noqa: E402
from emu_api import ApiHandler  # noqa: E402
from emu_state import State  # noqa: E402
from emu_storage import RawHandler, StorageHandler  # noqa: E402
from emu_tls import make_certs, server_context  # noqa: E402


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--state-dir", help="where keys, certificates and stored bytes go "
                                       "(default: a fresh temporary directory, removed at exit)")
    p.add_argument("--plain", action="store_true", help="plain HTTP instead of TLS")
    p.add_argument("--bind", default="127.0.0.1",
                   help="address the API, storage and raw listeners bind (default 127.0.0.1)")
    p.add_argument("--api-host", default=None,
                   help="host name in api_base (default: localhost, or --bind when not loopback)")
    p.add_argument("--storage-host", default=None,
                   help="host name in storage/raw bases (default: 127.0.0.1, or --bind)")
    for name in ("api", "storage", "raw", "admin"):
        p.add_argument("--%s-port" % name, type=int, default=0)
    p.add_argument("--scan-delay-ms", type=int, default=200)
    p.add_argument("--multipart-threshold", type=int, default=None)
    p.add_argument("--part-size", type=int, default=None)
    p.add_argument("--max-upload-size", type=int, default=None,
                   help="largest declared upload size in bytes (413 above)")
    p.add_argument("--max-body-size", type=int, default=None,
                   help="largest JSON request body in bytes (413 above)")
    p.add_argument("--url-expiry-s", type=int, default=None,
                   help="lifetime of presigned URLs in seconds")
    p.add_argument("--rate-window-s", type=int, default=None,
                   help="length of the fixed rate-limit windows in seconds (default 60)")
    p.add_argument("--exit-on-stdin-eof", action="store_true",
                   help="also stop when stdin reaches end of file (the parent died); "
                        "with_emulator.py uses this")
    p.add_argument("--verbose", action="store_true", help="log every request to stderr")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    own_dir = args.state_dir is None
    state_dir = tempfile.mkdtemp(prefix="fc-emu-") if own_dir else args.state_dir
    os.makedirs(state_dir, exist_ok=True)
    loopback = args.bind in ("127.0.0.1", "localhost")
    api_host = args.api_host or ("localhost" if loopback else args.bind)
    storage_host = args.storage_host or ("127.0.0.1" if loopback else args.bind)
    state = State(state_dir, args.verbose)
    state.config["scan_delay_ms"] = args.scan_delay_ms
    if args.multipart_threshold is not None:
        state.config["multipart_threshold"] = args.multipart_threshold
    if args.part_size is not None:
        state.config["part_size"] = args.part_size
    for name in ("max_upload_size", "max_body_size", "url_expiry_s", "rate_window_s"):
        if getattr(args, name) is not None:
            state.config[name] = getattr(args, name)

    tls = None
    ca_file = wrong_ca = None
    if not args.plain:
        # The certificate names every host the public URLs use (--api-host).
        names = [h for h in dict.fromkeys((args.bind, api_host, storage_host))
                 if h not in ("127.0.0.1", "localhost", "::1")]
        ca_file, wrong_ca, cert, key = make_certs(state_dir, names)
        tls = lambda c=cert, k=key: server_context(c, k)  # noqa: E731 (one per listener)
    scheme = "http" if args.plain else "https"
    servers = {
        "api": emu_http.Server((args.bind, args.api_port), ApiHandler, "api", state, tls),
        "storage": emu_http.Server((args.bind, args.storage_port), StorageHandler, "storage",
                                   state, tls),
        "raw": emu_http.Server((args.bind, args.raw_port), RawHandler, "raw", state, tls),
        "admin": emu_http.Server(("127.0.0.1", args.admin_port), AdminHandler, "admin", state),
    }
    if tls is not None:
        # The same storage in plain HTTP, for the plain_storage_url fault (a
        # downgraded URL under an https API): never used unless a fault asks.
        servers["storage_plain"] = emu_http.Server((args.bind, 0), StorageHandler,
                                                   "storage_plain", state)
    state.servers = servers
    port = {n: s.server_address[1] for n, s in servers.items()}
    hostport = lambda h, p: "[%s]:%d" % (h, p) if ":" in h else "%s:%d" % (h, p)  # noqa: E731
    state.public = {
        "api_base": "%s://%s/api/v1" % (scheme, hostport(api_host, port["api"])),
        "storage_base": "%s://%s" % (scheme, hostport(storage_host, port["storage"])),
        "raw_base": "%s://%s" % (scheme, hostport(storage_host, port["raw"])),
        "admin_base": "http://127.0.0.1:%d" % port["admin"],
        "storage_plain_base": "http://%s" % hostport(storage_host, port["storage_plain"])
        if "storage_plain" in port else None,
        "ca_file": ca_file,
    }
    tenant = state.create_tenant("default")
    key = state.create_key(tenant["id"])
    threads = [threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.2},
                                daemon=True) for s in servers.values()]
    for t in threads:
        t.start()

    done = threading.Event()

    def stop(signum, frame):
        done.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGHUP, stop)
    if args.exit_on_stdin_eof:
        def watch_stdin():
            try:
                while os.read(0, 4096):  # raw fd: no buffered-reader lock at exit
                    pass
            except (OSError, ValueError):
                pass
            done.set()
        threading.Thread(target=watch_stdin, daemon=True).start()
    info = dict(state.public)
    info.update({"api_key": key["key"], "tenant_id": tenant["id"], "key_id": key["id"],
                 "wrong_ca_file": wrong_ca, "state_dir": state_dir, "plain": args.plain})
    sys.stdout.write(json.dumps(info) + "\n")
    sys.stdout.flush()
    while not done.wait(0.1):
        pass
    emu_http.STOP.set()
    # Stop the four accept loops in parallel (each polls every 0.2 s).
    stoppers = [threading.Thread(target=s.shutdown) for s in servers.values()]
    for t in stoppers:
        t.start()
    for t in stoppers:
        t.join()
    for s in servers.values():
        s.server_close()
    if own_dir:
        shutil.rmtree(state_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    rc = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # os._exit: daemon threads still holding sockets must not turn a clean
    # stop into a fatal error at interpreter shutdown.
    os._exit(rc)
