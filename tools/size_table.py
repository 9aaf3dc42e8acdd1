#!/usr/bin/env python3
"""Code and RAM size table of fluidcloud-c for a cross build (Cortex-M4).

    size_table.py BUILD_DIR [--markdown FILE] [--check]

Builds nothing: reads the archives of an existing build directory (made
with cmake/toolchain-cortex-m4.cmake), runs the target's `size` on every
object, and compiles one tiny C file per RAM item with the same compiler
and flags (`-S`) to read sizeof values out of the assembly.

Budgets (issue 6): libfluidcloud.a text <= 16 KiB, data + bss == 0,
sizeof(fc_client) <= 1024. PASS/FAIL lines are printed; --check exits 1
on any FAIL. --markdown writes the table to FILE (docs/size-table.md).
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

# Archives, relative to the build directory: (label, path, counts toward
# the library budget). Third-party ones are shown beside ours.
ARCHIVES = [
    ("libfluidcloud.a", "libfluidcloud.a", True),
    ("libfluidcloud_sha256.a (builtin)", "libfluidcloud_sha256.a", False),
    ("libfluidcloud_lwip.a", "port/lwip/libfluidcloud_lwip.a", False),
    ("llhttp (fc_llhttp)", "libfc_llhttp.a", False),
    ("jsmn (fc_jsmn)", "libfc_jsmn.a", False),
]

# RAM items: (label, C expression, headers). Update when the public API
# grows; an item whose header is missing or does not compile prints n/a.
RAM_ITEMS = [
    ("fc_client (client struct)", "sizeof(fc_client)", ["fluidcloud/fc_client.h"]),
    ("fc_op (operation, inside fc_client)", "sizeof(fc_op)", ["fluidcloud/fc_client.h"]),
    ("fc_upload (upload operation: params, progress, results)", "sizeof(fc_upload)",
     ["fluidcloud/fc_upload.h"]),
    ("fc_upload_progress (saved to resume)", "sizeof(fc_upload_progress)",
     ["fluidcloud/fc_upload.h"]),
    ("fc_lwip_conn (per connection)", "sizeof(fc_lwip_conn)", ["fluidcloud/fc_lwip.h"]),
    ("I/O buffer (FC_CONFIG_IO_BUFFER_SIZE)", "FC_CONFIG_IO_BUFFER_SIZE",
     ["fluidcloud/fc_config.h"]),
    ("JSON tokens (FC_CONFIG_JSON_TOKENS x fc_json_tok)",
     "FC_CONFIG_JSON_TOKENS * sizeof(fc_json_tok)", ["fluidcloud/fc_config.h", "fluidcloud/fc_json.h"]),
]

BUDGET_TEXT = 16 * 1024
BUDGET_CLIENT = 1024


def read_cache(build_dir):
    """CMakeCache.txt entries as a dict."""
    cache = {}
    with open(os.path.join(build_dir, "CMakeCache.txt"), encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^([A-Za-z_0-9]+):[A-Z]+=(.*)$", line.rstrip("\n"))
            if m:
                cache[m.group(1)] = m.group(2)
    if "CMAKE_C_COMPILER" not in cache:
        # A toolchain file's compiler is recorded in CMakeFiles/<ver>/ only.
        cache["CMAKE_C_COMPILER"] = compiler_from_files(build_dir)
    return cache


def compiler_from_files(build_dir):
    files = os.path.join(build_dir, "CMakeFiles")
    for ver in sorted(os.listdir(files)):
        path = os.path.join(files, ver, "CMakeCCompiler.cmake")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                m = re.search(r'set\(CMAKE_C_COMPILER "([^"]+)"\)', f.read())
            if m:
                return m.group(1)
    sys.exit("no C compiler recorded in %s" % build_dir)


def tool(cache, name):
    """arm-none-eabi-size etc. from the compiler's prefix."""
    cc = cache["CMAKE_C_COMPILER"]
    return re.sub(r"gcc(-[0-9.]+)?$", name, cc)


# Software 64-bit division: on a Cortex-M it links a few hundred bytes of
# libgcc that the size table would not show.
DIV64_HELPERS = ("__aeabi_uldivmod", "__aeabi_ldivmod", "__udivdi3", "__divdi3",
                 "__umoddi3", "__moddi3")


def div64_calls(nm_tool, archive):
    """The 64-bit division helpers the archive's objects call."""
    out = subprocess.run([nm_tool, "-u", archive], check=True,
                         capture_output=True, text=True).stdout
    return sorted({w for w in out.split() if w in DIV64_HELPERS})


def object_sizes(size_tool, archive):
    """[(object, text, data, bss)] from Berkeley-format size output."""
    out = subprocess.run([size_tool, "-B", archive], check=True,
                         capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines()[1:]:
        parts = line.split(None, 5)
        if len(parts) == 6:
            name = parts[5].split(" (ex ")[0]
            rows.append((name, int(parts[0]), int(parts[1]), int(parts[2])))
    return rows


def include_flags(cache, root):
    dirs = [os.path.join(root, "core", "include"),
            os.path.join(root, "port", "lwip", "include"),
            cache.get("FC_LWIP_PORT_INCLUDE_DIR", ""),
            cache.get("FC_LWIP_INCLUDE_DIR", ""),
            cache.get("FC_LLHTTP_INCLUDE_DIR", ""),
            cache.get("FC_JSMN_INCLUDE_DIR", "")]
    return ["-I" + d for d in dirs if d]


def sizeof_value(cache, root, expr, headers):
    """Compile `const unsigned long v = expr;` to assembly and read v."""
    src = "".join('#include "%s"\n' % h for h in headers)
    src += "const unsigned long fc_size_probe = (unsigned long)(%s);\n" % expr
    flags = cache.get("CMAKE_C_FLAGS", "").split()
    defs = []
    user_header = cache.get("FC_CONFIG_USER_HEADER", "")
    if user_header:
        defs.append('-DFC_CONFIG_USER_HEADER="%s"' % user_header)
    with tempfile.TemporaryDirectory() as tmp:
        c_file = os.path.join(tmp, "probe.c")
        s_file = os.path.join(tmp, "probe.s")
        with open(c_file, "w", encoding="utf-8") as f:
            f.write(src)
        cmd = [cache["CMAKE_C_COMPILER"], "-std=c99", "-S", "-o", s_file, c_file]
        cmd += flags + defs + include_flags(cache, root)
        if subprocess.run(cmd, capture_output=True).returncode != 0:
            return None
        with open(s_file, encoding="utf-8") as f:
            asm = f.read()
    m = re.search(r"fc_size_probe:\s*\n\s*\.(?:word|long|4byte)\s+(\d+)", asm)
    return int(m.group(1)) if m else None


def collect(build_dir, root):
    cache = read_cache(build_dir)
    size_tool = tool(cache, "size")
    archives = []
    for label, rel, budget in ARCHIVES:
        path = os.path.join(build_dir, rel)
        rows = object_sizes(size_tool, path) if os.path.exists(path) else None
        archives.append((label, rows, budget))
    ram = [(label, sizeof_value(cache, root, expr, hdrs))
           for label, expr, hdrs in RAM_ITEMS]
    lib = os.path.join(build_dir, ARCHIVES[0][1])
    div64 = div64_calls(tool(cache, "nm"), lib) if os.path.exists(lib) else None
    return cache, archives, ram, div64


def totals(rows):
    return tuple(sum(r[i] for r in rows) for i in (1, 2, 3))


def budget_lines(archives, ram, div64):
    """[(ok, text)] for the issue's budgets."""
    out = []
    lib = next((rows for label, rows, b in archives if b), None)
    if lib is None:
        return [(False, "libfluidcloud.a not found")]
    text, data, bss = totals(lib)
    out.append((text <= BUDGET_TEXT, "libfluidcloud.a text %d <= %d (budget, %d to spare)"
                % (text, BUDGET_TEXT, BUDGET_TEXT - text)))
    out.append((data + bss == 0, "libfluidcloud.a data+bss %d == 0" % (data + bss)))
    out.append((div64 == [], "libfluidcloud.a calls no 64-bit division helper%s"
                % ("" if not div64 else " (calls %s)" % ", ".join(div64))))
    client = dict(ram).get(RAM_ITEMS[0][0])
    if client is None:
        out.append((False, "sizeof(fc_client) unknown (header did not compile)"))
    else:
        out.append((client <= BUDGET_CLIENT,
                    "sizeof(fc_client) %d <= %d" % (client, BUDGET_CLIENT)))
    return out


def table_lines(archives, md):
    """Per-object rows, one block per archive, with totals."""
    lines = []
    if md:
        lines += ["| Archive | Object | text | data | bss |", "|---|---|--:|--:|--:|"]
    else:
        lines.append("%-26s %-26s %7s %6s %6s" % ("archive", "object", "text", "data", "bss"))
    for label, rows, _ in archives:
        if rows is None:
            lines.append(("| %s | (not built) | | | |" if md else "%-26s (not built)") % label)
            continue
        for name, t, d, b in rows:
            fmt = "| %s | %s | %d | %d | %d |" if md else "%-26s %-26s %7d %6d %6d"
            lines.append(fmt % (label, name, t, d, b))
        t, d, b = totals(rows)
        if md:
            lines.append("| **%s** | **total** | **%d** | **%d** | **%d** |" % (label, t, d, b))
        else:
            lines.append("%-26s %-26s %7d %6d %6d" % (label, "TOTAL", t, d, b))
    return lines


def ram_lines(ram, md):
    lines = ["| RAM item | bytes |", "|---|--:|"] if md else ["%-50s %7s" % ("RAM item", "bytes")]
    for label, value in ram:
        v = "n/a" if value is None else str(value)
        lines.append(("| %s | %s |" if md else "%-50s %7s") % (label, v))
    return lines


def markdown(cache, archives, ram, checks):
    flags = cache.get("CMAKE_C_FLAGS", "")
    out = ["# Size table", "",
           "Generated by `tools/size_table.py` from the Cortex-M4 build of `.ci/embedded.sh`",
           "(`%s %s`, %s build). Do not edit by hand; rerun the script"
           % (os.path.basename(cache["CMAKE_C_COMPILER"]), flags.strip(),
              cache.get("CMAKE_BUILD_TYPE", "")),
           "(`tools/size_table.py BUILD_DIR --markdown docs/size-table.md`).", "",
           "`text` includes read-only data (Berkeley `size`). Section garbage collection",
           "at link time (`-Wl,--gc-sections`) drops what an application does not call.", "",
           "## Code", ""]
    out += table_lines(archives, True)
    out += ["", "## RAM", "",
            "All of it is the caller's memory (no heap, no static state). TLS memory",
            "lives in mbedTLS and is not counted here.", ""]
    out += ram_lines(ram, True)
    out += ["", "## Budgets (issue 6)", ""]
    out += ["`--check` fails the build when a budget is broken. SHA-256 is outside "
            "`libfluidcloud.a`: TLS builds take mbedTLS's (`FC_SHA256=mbedtls`), others link "
            "`libfluidcloud_sha256.a`. The library calls no 64-bit division helper "
            "(`__aeabi_uldivmod`), so none is linked on its account.", ""]
    out += ["- %s: %s" % ("PASS" if ok else "FAIL", text) for ok, text in checks]
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("build_dir")
    ap.add_argument("--markdown", metavar="FILE", help="also write the table as Markdown")
    ap.add_argument("--check", action="store_true", help="exit 1 when a budget fails")
    args = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

    cache, archives, ram, div64 = collect(args.build_dir, root)
    checks = budget_lines(archives, ram, div64)
    print("\n".join(table_lines(archives, False)))
    print()
    print("\n".join(ram_lines(ram, False)))
    print()
    for ok, text in checks:
        print("%s: %s" % ("PASS" if ok else "FAIL", text))
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as f:
            f.write(markdown(cache, archives, ram, checks))
        print("wrote %s" % args.markdown)
    return 1 if args.check and not all(ok for ok, _ in checks) else 0


if __name__ == "__main__":
    sys.exit(main())
