#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The ABI guard compares every FC_CONFIG_* option: FC_CONFIG_LIST (in
fc_config.h) must name exactly the options fc_config.h defines, and those
of cmake/fc_options.cmake.

    check_abi_list.py SOURCE_DIR
"""
import os
import re
import sys


def main():
    root = sys.argv[1]
    with open(os.path.join(root, "core/include/fluidcloud/fc_config.h"), encoding="utf-8") as f:
        text = f.read()
    defined = re.findall(r"^#ifndef FC_CONFIG_(\w+)\s*$", text, re.M)
    m = re.search(r"#define FC_CONFIG_LIST\(X\)((?:[^\n]*\\\n)*[^\n]*)", text)
    if not m:
        print("FAIL: no FC_CONFIG_LIST(X) in fc_config.h")
        return 1
    listed = re.findall(r"X\((\w+)\)", m.group(1))
    with open(os.path.join(root, "cmake/fc_options.cmake"), encoding="utf-8") as f:
        opts = re.search(r"set\(FC_CONFIG_OPTIONS(.*?)\)", f.read(), re.S).group(1).split()
    bad = 0
    for name, got in (("fc_config.h's defaults", defined), ("cmake/fc_options.cmake", opts)):
        if sorted(got) != sorted(listed):
            print("FAIL: FC_CONFIG_LIST %s, %s %s" % (sorted(set(listed) - set(got)) or "",
                                                   name, sorted(set(got) - set(listed)) or ""))
            bad = 1
    if len(set(listed)) != len(listed):
        print("FAIL: FC_CONFIG_LIST names an option twice")
        bad = 1
    if not bad:
        print("ok: the ABI guard compares all %d FC_CONFIG_* options" % len(listed))
    return bad


if __name__ == "__main__":
    sys.exit(main())
