#!/usr/bin/env python3
"""cli_test.py - the fluidcloud CLI against the emulator (run through
with_emulator.py, which exports FLUIDCLOUD_*): human and --json output, a
round trip of spaces and folders, --help, and failure exit codes."""
import json
import subprocess
import sys

CLI = sys.argv[1]
failures = 0


def run(*args, expect=0):
    global failures
    p = subprocess.run([CLI, *args], capture_output=True, text=True, timeout=120)
    if p.returncode != expect:
        failures += 1
        print(f"FAIL: fluidcloud {' '.join(args)} exited {p.returncode}, want {expect}\n"
              f"stdout: {p.stdout}\nstderr: {p.stderr}")
    return p


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print(f"FAIL: {what}")


def js(*args, expect=0):
    p = run("--json", *args, expect=expect)
    try:
        return json.loads(p.stdout)
    except ValueError:
        check(False, f"--json {' '.join(args)} printed no JSON: {p.stdout!r}")
        return {}


# --help lists every command.
h = run("--help").stdout
for cmd in ["me", "quota", "spaces list", "spaces create", "folders stats", "folders move",
            "files resolve", "files download-url", "shares revoke", "purge", "import",
            "upload", "download"]:
    check(cmd in h, f"--help lists {cmd}")
run("nosuchcommand", expect=2)
run("spaces", expect=2)

me = js("me")
check(bool(me.get("tenant_id")), "me has a tenant_id")
check("files:read" in me.get("scopes", []), "me lists the scopes as an array")

spaces = js("spaces", "list")
check(spaces.get("items", [{}])[0].get("name") == "My files", "the default space comes first")

name = 'cli "quoted" caf\u00e9'
s = js("spaces", "create", name)
check(s.get("name") == name, "a created space keeps its name exactly")
got = js("spaces", "get", s["id"])
check(got.get("id") == s["id"] and got.get("name") == name, "spaces get finds it")
out = run("spaces", "get", s["id"]).stdout
check(s["id"] in out and "name" in out, "human output shows the fields")

ids = [js("folders", "create", f"f{i}", "--space", s["id"])["id"] for i in range(5)]
listed = js("folders", "list", "--space", s["id"], "--limit", "2")
check([f["id"] for f in listed.get("items", [])] == ids, "folders list follows every page")
page = js("folders", "list", "--space", s["id"], "--limit", "2", "--page")
check(len(page.get("items", [])) == 2 and page.get("next_cursor"), "--page gives one page")
st = js("folders", "stats", ids[0])
check(st.get("file_count") == 0, "folders stats")
check(js("quota").get("bytes_limit") is not None, "quota")

# Failures: exit 1, the error kind and status on stderr, a JSON error.
p = run("spaces", "get", "00000000-0000-4000-8000-000000000000", expect=1)
check("not found" in p.stderr and "404" in p.stderr, "a 404 is explained on stderr")
e = js("spaces", "get", "00000000-0000-4000-8000-000000000000", expect=1)
check(e.get("error", {}).get("http_status") == 404, "--json failures are a JSON error")

# upload and download: a file and standard input, links minted, bytes back.
import os, tempfile  # noqa: E402
data = os.urandom(150000)
with tempfile.TemporaryDirectory() as tmp:
    src = os.path.join(tmp, "capture.jpg")
    with open(src, "wb") as f:
        f.write(data)
    up = js("upload", src, "--client-key", "cli/capture-1", "--public")
    check(up.get("scan_status") == "clean" and up.get("size") == len(data), "upload is clean")
    check(up.get("mime") == "image/jpeg" and up.get("name") == "capture.jpg", "upload names")
    check(str(up.get("public_url", "")).startswith("http"), "upload --public gives public_url")
    dst = os.path.join(tmp, "back.jpg")
    run("download", up.get("public_url", "x"), "-o", dst)
    with open(dst, "rb") as f:
        check(f.read() == data, "download gives the bytes back")
    p = subprocess.run([CLI, "--json", "upload", "-", "--name", "piped.bin", "--expires", "3",
                        "--view"], input=b"piped bytes", capture_output=True, timeout=120)
    piped = json.loads(p.stdout or b"{}")
    check(p.returncode == 0 and piped.get("size") == 11 and piped.get("url"),
          "upload - reads stdin and --expires gives url")
    run("upload", src, "--public", "--expires", "3", expect=2)
    run("download", "https://127.0.0.1:1/s/none", "-o", dst, expect=1)

check(js("spaces", "delete", s["id"]).get("ok") is True, "spaces delete")
run("spaces", "delete", s["id"])  # idempotent

sys.exit(1 if failures else 0)
