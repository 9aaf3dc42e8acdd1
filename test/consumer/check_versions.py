#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Every place that states fluidcloud-c's version states the same one.

    check_versions.py SOURCE_DIR CMAKE_PROJECT_VERSION

fc_version.h (the one written source: MAJOR/MINOR/PATCH and the string),
the CMake project version (read from it), the ESP-IDF manifest, and a
CHANGELOG.md section for it. Exit 0 when they agree.
"""
import os
import re
import sys


def read(root, rel):
    with open(os.path.join(root, rel), encoding="utf-8") as f:
        return f.read()


def main():
    root, cmake_version = sys.argv[1], sys.argv[2]
    header = read(root, "core/include/fluidcloud/fc_version.h")
    parts = [re.search(r"#define FC_VERSION_%s (\d+)" % p, header) for p in ("MAJOR", "MINOR", "PATCH")]
    string = re.search(r'#define FC_VERSION_STRING "([^"]+)"', header)
    if not all(parts) or not string:
        print("FAIL: fc_version.h lacks FC_VERSION_MAJOR/MINOR/PATCH/STRING")
        return 1
    version = ".".join(p.group(1) for p in parts)
    found = {
        "FC_VERSION_STRING": string.group(1),
        "CMake project(VERSION)": cmake_version,
        "idf_component.yml": (re.search(r'^version:\s*"([^"]+)"', read(root, "idf_component.yml"), re.M)
                              or [None, None])[1],
    }
    bad = {k: v for k, v in found.items() if v != version}
    if not re.search(r"^## .*\b%s\b" % re.escape(version), read(root, "CHANGELOG.md"), re.M):
        bad["CHANGELOG.md"] = "no section for %s" % version
    for k, v in bad.items():
        print("FAIL: %s says %s, fc_version.h says %s" % (k, v, version))
    if not bad:
        print("ok: version %s everywhere (%s)" % (version, ", ".join(found)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
