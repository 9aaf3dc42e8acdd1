#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Code and RAM size table of fluidcloud-c for a cross build (Cortex-M4).

    size_table.py BUILD_DIR [--markdown FILE] [--check]

Reads the archives of an existing build directory (made with
cmake/toolchain-cortex-m4.cmake) and measures the library where firmware
pays for it: in two LINKED images (arm-none-eabi-gcc with the build's flags,
newlib-nano, --gc-sections), built here from tools/size_images/:

  camera    a client, a stub transport and fc_files_upload with a public
            share (fc_image_camera.c);
  full-API  the camera image plus a reference to every function declared in
            core/include/fluidcloud/*.h (the list is written from the headers,
            so a new public call is counted without editing anything).

The linker map says which input sections of which archive member were kept;
"the library's part" of an image is what libfluidcloud.a contributes
(llhttp, jsmn, SHA-256, libc and the image's own code are shown beside it).
RAM items are sizeof values read from `-S` output of one-line probes.

Budgets (issue 11.7): the library's part of the camera image <= 14,336 B and of
the full-API image <= 17,408 B, data + bss == 0 in both, no 64-bit division
helper referenced by the library, sizeof(fc_client) <= 1024. PASS/FAIL lines
are printed; --check exits 1 on any FAIL. --markdown writes the table to FILE
(docs/size-table.md).
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

# Budgets grow only by what a feature was measured to cost on each image
# (camera, full-API bytes) and in sizeof(fc_client), named here, so the table
# says what bought which bytes (DEVELOPERS: "a new feature may raise it by
# its measured cost").
BUDGET_RAISES = [
    # (what, camera, full-API, fc_client), measured against the images of main before
    ("engine, issues 10, 12.3, 12.6, 13i, 14.2, 15.1, 15.2, 15.8: every wait bounded "
     "(Retry-After cap on any status, HTTP-date Retry-After, a total deadline that grows with "
     "the bytes moved, phase deadlines), error bodies kept and drained, re-init closes the "
     "transports, deinit, source wake-up, head and body in one write, more_follows, base URL "
     "forms, Bearer, captured download headers, the default space id, FC_ERR_NO_MEMORY, "
     "422 field names, failures naming their host", 1928, 1998, 104),
    ("engine, issue 14.6: wire statistics per operation (fc_client_stats): bytes, requests, "
     "retries, connects, full/resumed TLS, time per phase", 336, 346, 72),
    ("transfer, issues 12.1/11.3/15.9/10: the initiate answer read as a stream by a JSON "
     "grammar machine (no tokens), only a window of part URLs kept in the I/O buffer and the "
     "next windows asked for; ticket headers and storage URLs checked; tickets without "
     "mode or upload_id", 3792, 3774, 0),
    ("transfer, issue 12.1: complete's body streamed piece by piece from the application's "
     "ETag store (1,000+ parts), and the array store", 1074, 1189, 0),
    ("transfer, issues 12.2/12.5/12.8/10/15.7: the flow writes its own requests and owns its "
     "step names; finished or foreign progress; a lost complete proven only by our size and "
     "SHA-256; scan answers for our file only, polled again after a failed poll, within the "
     "scan's own deadline; the share's link required; failures said in words", 1893, 1956, 0),
    ("transfer, issues 10/16.1: downloads check Content-Range (never a byte twice or a gap), "
     "ask again for the rest, give the object's size and Content-Disposition's file name "
     "before the first byte", 0, 1418, 0),
    ("transfer, issue 11.3: the api layer's upload-only rows, field lists, pool strings and "
     "fc_api_args members removed", -269, -251, -32),
    ("packaging, issues 17.2, 17.4: the ABI guard (fc_client_init compares the header version, "
     "every FC_CONFIG_* value and four sizes with the library's: a 116 B table and 320 B of code; "
     "the option names only with FC_CONFIG_ANSWER_DETAIL) and init errors naming the refused "
     "field (the names 102 B, the checks 114 B)", 655, 725, 0),
    ("lead, issue 10: the scan wait's last wait cut at its deadline (FC_ERR_TIMEOUT after exactly "
     "scan_timeout_ms, not a poll interval early), a deadline during a wait naming its step, a "
     "ticket too big for the buffer naming its answer's status (fuzz findings); fc_abi_check "
     "with no detail buffer no longer offsets a null pointer (UBSan)", 46, 46, 0),
    ("lead, issue 10: a deadline that ends an attempt forgets the earlier answer's status and "
     "detail and counts the attempt it ended (a 10^4-run chaos finding)", 22, 22, 0),
]

# The library's part of each linked image: (name, source, budget in bytes).
IMAGES = [
    ("camera", "fc_image_camera.c", 14 * 1024 + sum(r[1] for r in BUDGET_RAISES)),
    ("full-API", "fc_image_full.c", 17 * 1024 + sum(r[2] for r in BUDGET_RAISES)),
]
BUDGET_CLIENT = 1024 + sum(r[3] for r in BUDGET_RAISES)
LIBRARY = "libfluidcloud.a"


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
    defs = config_defines(cache)
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


def public_functions(root):
    """Every function the public headers declare, in header order."""
    inc = os.path.join(root, "core", "include", "fluidcloud")
    names = []
    decl = re.compile(r"^[a-z][a-z0-9_ *]*\b(fc_[a-z0-9_]+)\(")
    for header in sorted(os.listdir(inc)):
        with open(os.path.join(inc, header), encoding="utf-8") as f:
            for line in f:
                m = decl.match(line)
                if m and m.group(1) not in names:
                    names.append(m.group(1))
    return names


def link_image(cache, root, build_dir, source, tmp):
    """Compile and link one image with the build's flags; returns the map."""
    name = os.path.splitext(source)[0]
    calls = os.path.join(tmp, "fc_image_calls.h")
    with open(calls, "w", encoding="utf-8") as f:
        f.write("#define FC_IMAGE_CALLS(X) %s\n"
                % " ".join("X(%s)" % n for n in public_functions(root)))
    elf = os.path.join(tmp, name + ".elf")
    map_file = os.path.join(tmp, name + ".map")
    archives = [os.path.join(build_dir, rel) for _, rel, _ in ARCHIVES
                if rel != "port/lwip/libfluidcloud_lwip.a"
                and os.path.exists(os.path.join(build_dir, rel))]
    cmd = [cache["CMAKE_C_COMPILER"], "-std=c99"] + cache.get("CMAKE_C_FLAGS", "").split()
    cmd += config_defines(cache) + ["-I" + tmp, "-I" + os.path.join(root, "tools", "size_images"),
                                    "-I" + os.path.join(root, "core", "include")]
    cmd += [os.path.join(root, "tools", "size_images", source), "-o", elf,
            "--specs=nano.specs", "--specs=nosys.specs", "-nostartfiles",
            "-Wl,--gc-sections", "-Wl,-e,fc_image_main", "-Wl,-Map=" + map_file,
            "-Wl,--start-group"] + archives + ["-Wl,--end-group"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit("linking the %s image failed:\n%s\n%s" % (name, " ".join(cmd), done.stderr))
    return map_file


# Output sections of the image, by what they cost: flash (text) or RAM.
FLASH_SECTIONS = (".text", ".rodata", ".ARM.exidx", ".ARM.extab", ".init", ".fini",
                  ".init_array", ".fini_array", ".eh_frame")
DATA_SECTIONS = (".data",)
BSS_SECTIONS = (".bss", ".noinit")


def owner_of(path):
    """(archive, member) of an input file: "libfluidcloud.a", "fc_http.c.obj"."""
    m = re.match(r"^(.*)\(([^()]+)\)$", path)
    if m:
        return os.path.basename(m.group(1)), m.group(2)
    return "(image)", os.path.basename(path)


def kept_sections(map_file):
    """{(archive, member): [text, data, bss]} of what the link kept, and the
    64-bit division helpers the library's objects pulled in."""
    sizes = {}
    div64 = set()
    with open(map_file, encoding="utf-8") as f:
        lines = f.read().splitlines()
    # "Archive member included to satisfy reference by file (symbol)".
    for line in lines:
        m = re.match(r"^\s+(\S+) \((\S+)\)$", line)
        if m and m.group(2) in DIV64_HELPERS and owner_of(m.group(1))[0] == LIBRARY:
            div64.add(m.group(2))
    start = next(i for i, l in enumerate(lines) if l.startswith("Linker script and memory map"))
    section = None
    pending = None
    for line in lines[start + 1:]:
        if line.startswith("."):
            section = line.split()[0]
            continue
        m = re.match(r"^ (\S+)?\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+(\S.*)$", line)
        if not m:
            m1 = re.match(r"^ (\S+)$", line)
            pending = m1.group(1) if m1 and not m1.group(1).startswith("*") else None
            continue
        name = m.group(1) or pending
        pending = None
        if name is None or name.startswith("*") or section is None:
            continue  # *fill*, or a symbol line
        size = int(m.group(2), 16)
        if section.startswith(FLASH_SECTIONS):
            kind = 0
        elif section.startswith(DATA_SECTIONS):
            kind = 1
        elif section.startswith(BSS_SECTIONS) or name == "COMMON":
            kind = 2
        else:
            continue  # debug information, attributes
        key = owner_of(m.group(3).strip())
        sizes.setdefault(key, [0, 0, 0])[kind] += size
    return sizes, sorted(div64)


def measure_images(cache, root, build_dir):
    """[(name, budget, {(archive, member): [text, data, bss]}, div64)]."""
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, source, budget in IMAGES:
            sizes, div64 = kept_sections(link_image(cache, root, build_dir, source, tmp))
            out.append((name, budget, sizes, div64))
    return out


def part_of(sizes, archive):
    """(text, data, bss) that archive contributes to an image."""
    rows = [v for (a, _), v in sizes.items() if a == archive]
    return tuple(sum(r[i] for r in rows) for i in range(3))


def config_defines(cache):
    user_header = cache.get("FC_CONFIG_USER_HEADER", "")
    return ['-DFC_CONFIG_USER_HEADER="%s"' % user_header] if user_header else []


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
    images = measure_images(cache, root, build_dir) if os.path.exists(lib) else []
    return cache, archives, ram, div64, images


def totals(rows):
    return tuple(sum(r[i] for r in rows) for i in (1, 2, 3))


def budget_lines(archives, ram, div64, images):
    """[(ok, text)] for the issue's budgets."""
    out = []
    if not images:
        return [(False, "libfluidcloud.a not found")]
    for name, budget, sizes, image_div64 in images:
        text, data, bss = part_of(sizes, LIBRARY)
        out.append((text <= budget, "%s image: the library's part %d <= %d B (budget, %d to spare)"
                    % (name, text, budget, budget - text)))
        out.append((data + bss == 0, "%s image: the library's data+bss %d == 0" % (name, data + bss)))
        out.append((not image_div64, "%s image: the library pulls in no 64-bit division helper%s"
                    % (name, "" if not image_div64 else " (%s)" % ", ".join(image_div64))))
    out.append((div64 == [], "libfluidcloud.a calls no 64-bit division helper%s"
                % ("" if not div64 else " (calls %s)" % ", ".join(div64))))
    client = dict(ram).get(RAM_ITEMS[0][0])
    if client is None:
        out.append((False, "sizeof(fc_client) unknown (header did not compile)"))
    else:
        out.append((client <= BUDGET_CLIENT,
                    "sizeof(fc_client) %d <= %d" % (client, BUDGET_CLIENT)))
    return out


# What each image is made of, column by column.
PARTS = [("libfluidcloud.a", LIBRARY), ("SHA-256", "libfluidcloud_sha256.a"),
         ("llhttp", "libfc_llhttp.a"), ("jsmn", "libfc_jsmn.a")]


def image_lines(images, md):
    """One row per image: the library's part, the other parts, the total."""
    head = ["image", "library", "budget", "lib data+bss"] + [p[0] for p in PARTS[1:]] + \
           ["libc+libgcc", "image code", "total"]
    rows = []
    for name, budget, sizes, _ in images:
        lib = part_of(sizes, LIBRARY)
        cells = [name, str(lib[0]), str(budget), str(lib[1] + lib[2])]
        others = 0
        for _, archive in PARTS[1:]:
            t = part_of(sizes, archive)[0]
            others += t
            cells.append(str(t))
        own = part_of(sizes, "(image)")[0]
        total = sum(v[0] for v in sizes.values())
        cells += [str(total - lib[0] - others - own), str(own), str(total)]
        rows.append(cells)
    if md:
        out = ["| " + " | ".join(head) + " |", "|---|" + "--:|" * (len(head) - 1)]
        out += ["| " + " | ".join(r) + " |" for r in rows]
        return out
    fmt = "%-9s" + " %8s" * (len(head) - 1)
    return [fmt % tuple(head)] + [fmt % tuple(r) for r in rows]


def image_object_lines(images, md):
    """The library's objects and what each image keeps of them (text)."""
    members = sorted({m for _, _, sizes, _ in images for (a, m) in sizes if a == LIBRARY})
    names = [name for name, _, _, _ in images]
    if md:
        out = ["| object | " + " | ".join(names) + " |", "|---|" + "--:|" * len(names)]
    else:
        out = ["%-26s" % "object" + "".join(" %9s" % n for n in names)]
    for m in members:
        vals = [str(sizes.get((LIBRARY, m), [0, 0, 0])[0]) for _, _, sizes, _ in images]
        out.append(("| %s | " % m + " | ".join(vals) + " |") if md
                   else "%-26s" % m + "".join(" %9s" % v for v in vals))
    sums = [str(part_of(sizes, LIBRARY)[0]) for _, _, sizes, _ in images]
    out.append(("| **total** | " + " | ".join("**%s**" % v for v in sums) + " |") if md
               else "%-26s" % "TOTAL" + "".join(" %9s" % v for v in sums))
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


def markdown(cache, archives, ram, images, checks):
    flags = cache.get("CMAKE_C_FLAGS", "")
    out = ["# Size table", "",
           "Generated by `tools/size_table.py` from the Cortex-M4 build of `.ci/embedded.sh`",
           "(`%s %s`, %s build). Do not edit by hand; rerun the script"
           % (os.path.basename(cache["CMAKE_C_COMPILER"]), flags.strip(),
              cache.get("CMAKE_BUILD_TYPE", "")),
           "(`tools/size_table.py BUILD_DIR --markdown docs/size-table.md`).", "",
           "## Linked images", "",
           "What firmware pays: two images linked with newlib-nano and `-Wl,--gc-sections`",
           "(`tools/size_images/`). *camera*: a client, a stub transport and `fc_files_upload`",
           "with a public share. *full-API*: the camera image plus a reference to every function",
           "of the public headers. Bytes of flash (`text`: code and read-only data) per part;",
           "the budgets apply to the library's part (`libfluidcloud.a`).", ""]
    out += image_lines(images, True)
    out += ["", "### The library's objects in each image (text)", ""]
    out += image_object_lines(images, True)
    out += ["", "## Archives", "",
            "Every object as compiled, whether an image keeps it or not (Berkeley `size`,",
            "`text` includes read-only data). This is not what firmware pays: the linker",
            "drops what an application does not call.", ""]
    out += table_lines(archives, True)
    out += ["", "## RAM", "",
            "All of it is the caller's memory (no heap, no static state). TLS memory",
            "lives in mbedTLS and is not counted here.", ""]
    out += ram_lines(ram, True)
    out += ["", "## Budgets (issue 11.7)", ""]
    out += ["`--check` fails the build when a budget is broken. SHA-256 is outside "
            "`libfluidcloud.a`: TLS builds take mbedTLS's (`FC_SHA256=mbedtls`), others link "
            "`libfluidcloud_sha256.a`. The library calls no 64-bit division helper "
            "(`__aeabi_uldivmod`), so none is linked on its account.", ""]
    out += ["- %s: %s" % ("PASS" if ok else "FAIL", text) for ok, text in checks]
    out += ["", "Issue 11 set 14,336 B (camera), 17,408 B (full-API) and 1,024 B (`fc_client`);",
            "later features raised them by their measured cost:", "",
            "| feature | camera | full-API | fc_client |", "|---|---:|---:|---:|"]
    out += ["| %s | +%d | +%d | +%d |" % r for r in BUDGET_RAISES]
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("build_dir")
    ap.add_argument("--markdown", metavar="FILE", help="also write the table as Markdown")
    ap.add_argument("--check", action="store_true", help="exit 1 when a budget fails")
    args = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

    cache, archives, ram, div64, images = collect(args.build_dir, root)
    checks = budget_lines(archives, ram, div64, images)
    print("\n".join(image_lines(images, False)))
    print()
    print("\n".join(image_object_lines(images, False)))
    print()
    print("\n".join(table_lines(archives, False)))
    print()
    print("\n".join(ram_lines(ram, False)))
    print()
    for ok, text in checks:
        print("%s: %s" % ("PASS" if ok else "FAIL", text))
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as f:
            f.write(markdown(cache, archives, ram, images, checks))
        print("wrote %s" % args.markdown)
    return 1 if args.check and not all(ok for ok, _ in checks) else 0


if __name__ == "__main__":
    sys.exit(main())
