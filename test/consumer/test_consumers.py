#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""fluidcloud-c as another project uses it (issue 17), run under
with_emulator.py by ctest:

    test_consumers.py install    BUILD_DIR WORK_DIR   cmake --install, then the
                                 consumer (upload_file.c) built with find_package
                                 and with one pkg-config line, each uploading to
                                 the emulator; nothing of llhttp/jsmn reaches
                                 the consumer; built with another FC_CONFIG_*
                                 value it stops at init, naming it (also the
                                 bare client: init_other_config.c)
    test_consumers.py subdir     SOURCE_DIR WORK_DIR  the consumer's own project
                                 with add_subdirectory(fluidcloud-c)

Options: --cc CC (the compiler of the library build), --flags "..." (extra
compile and link flags the library was built with, e.g. the sanitizers).
Each build and run is printed; the exit status is 0 when every check held.
"""
import argparse
import glob
import os
import re
import shlex
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CHECK = os.path.join(HERE, "check_upload.py")
CONSUMER = os.path.join(HERE, "upload_file.c")
INIT_OTHER = os.path.join(HERE, "init_other_config.c")
PRIVATE = ("llhttp", "jsmn")


def run(cmd, env=None, **kw):
    print("+ " + " ".join(shlex.quote(c) for c in cmd), flush=True)
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        sys.stdout.write(r.stdout + r.stderr)
    return r


def fail(why):
    print("FAIL: " + why, flush=True)
    sys.exit(1)


def check_upload(binary):
    r = run([sys.executable, CHECK, binary])
    sys.stdout.write(r.stdout)
    if r.returncode != 0:
        fail("%s did not upload and print a working link" % binary)


def cmake_build(src, build, args, a):
    cfg = ["cmake", "-S", src, "-B", build, "-DCMAKE_C_COMPILER=" + a.cc]
    if a.flags:
        cfg += ["-DCMAKE_C_FLAGS=" + a.flags, "-DCMAKE_EXE_LINKER_FLAGS=" + a.flags]
    if run(cfg + args).returncode != 0:
        fail("configuring %s" % src)
    if run(["cmake", "--build", build, "-j", "2"]).returncode != 0:
        fail("building %s" % src)


def check_private_deps_hidden(prefix, libdir, pc_env):
    """No llhttp/jsmn header installed, none on any include path handed out."""
    for name in PRIVATE:
        found = glob.glob(os.path.join(prefix, "include", "**", name + "*.h"), recursive=True)
        if found:
            fail("private header installed: %s" % found)
    for pc in glob.glob(os.path.join(libdir, "pkgconfig", "*.pc")):
        module = os.path.basename(pc)[:-3]
        cflags = run(["pkg-config", "--cflags", module], env=pc_env).stdout
        if any(p in cflags for p in PRIVATE):
            fail("pkg-config --cflags %s names a private dependency: %s" % (module, cflags))
    targets = glob.glob(os.path.join(libdir, "cmake", "fluidcloud", "fluidcloudTargets.cmake"))
    if not targets:
        fail("no fluidcloudTargets.cmake installed")
    with open(targets[0]) as f:
        text = f.read()
    for incs in re.findall(r'INTERFACE_INCLUDE_DIRECTORIES "([^"]*)"', text):
        if any(p in incs for p in PRIVATE):
            fail("an exported target puts a private dependency on the include path: %s" % incs)
    print("ok: llhttp and jsmn reach no consumer's include path")


def installed(a):
    prefix = os.path.join(a.work, "prefix")
    shutil.rmtree(a.work, ignore_errors=True)
    if run(["cmake", "--install", a.dir, "--prefix", prefix]).returncode != 0:
        fail("cmake --install")
    libdir = next(d for d in glob.glob(os.path.join(prefix, "lib*")) if
                  os.path.isdir(os.path.join(d, "pkgconfig")))
    pc_env = dict(os.environ, PKG_CONFIG_PATH=os.path.join(libdir, "pkgconfig"))
    check_private_deps_hidden(prefix, libdir, pc_env)

    # The CLI, when the build has it: installed, runnable, exported.
    cli = os.path.join(prefix, "bin", "fluidcloud")
    if os.path.exists(cli):
        if run([cli, "--help"]).returncode != 0:
            fail("the installed fluidcloud --help failed")
        with open(glob.glob(os.path.join(libdir, "cmake", "fluidcloud", "fluidcloudTargets.cmake"))[0]) as f:
            if "add_executable(fluidcloud::cli IMPORTED)" not in f.read():
                fail("the package does not export fluidcloud::cli")
        print("ok: bin/fluidcloud runs and the package exports fluidcloud::cli")

    # 1. find_package
    build = os.path.join(a.work, "find_package")
    cmake_build(os.path.join(HERE, "find_package"), build, ["-DCMAKE_PREFIX_PATH=" + prefix], a)
    check_upload(os.path.join(build, "upload_file"))

    # 2. one pkg-config line
    flags = run(["pkg-config", "--cflags", "--libs", "fluidcloud-host"], env=pc_env)
    if flags.returncode != 0:
        fail("pkg-config fluidcloud-host")

    def pc_build(exe, *defines):
        cmd = [a.cc, "-std=c99"] + shlex.split(a.flags) + list(defines) + [CONSUMER, "-o", exe]
        return run(cmd + shlex.split(flags.stdout)).returncode == 0

    exe = os.path.join(a.work, "upload_file_pc")
    if not pc_build(exe):
        fail("building the consumer with pkg-config")
    check_upload(exe)

    # 3. the same line, but the program sets an FC_CONFIG_* value of its own:
    #    the ABI guard must stop it at init, naming the option, before any
    #    memory is touched (the sanitizer builds would see an overrun).
    exe = os.path.join(a.work, "upload_file_other_config")
    if not pc_build(exe, "-DFC_CONFIG_MAX_CONNECTIONS=3"):
        fail("building the consumer with -DFC_CONFIG_MAX_CONNECTIONS=3")
    r = subprocess.run([exe, CONSUMER], capture_output=True, text=True, timeout=60)
    want = "FC_CONFIG_MAX_CONNECTIONS: 3 here, 2 in the library"
    if r.returncode != 1 or want not in r.stderr or r.stdout:
        fail("a consumer built with FC_CONFIG_MAX_CONNECTIONS=3 must fail at init saying %r; "
             "exit %d, stdout %r, stderr %r" % (want, r.returncode, r.stdout, r.stderr))
    print("ok: a consumer built with other FC_CONFIG_* values stops at init: " +
          r.stderr.strip().replace("\n", " | "))

    # 4. the bare client (pkg-config fluidcloud), its own error info laid out
    #    with other values (a smaller detail, one more connection slot): the
    #    reason must arrive there, within the program's own struct.
    base = run(["pkg-config", "--cflags", "--libs", "fluidcloud"], env=pc_env)
    if base.returncode != 0:
        fail("pkg-config fluidcloud")
    exe = os.path.join(a.work, "init_other_config")
    cmd = [a.cc, "-std=c99"] + shlex.split(a.flags) + \
        ["-DFC_CONFIG_MAX_CONNECTIONS=3", "-DFC_CONFIG_DETAIL_MAX=40", INIT_OTHER, "-o", exe]
    if run(cmd + shlex.split(base.stdout)).returncode != 0:
        fail("building init_other_config.c with pkg-config fluidcloud")
    r = subprocess.run([exe], capture_output=True, text=True, timeout=60)
    want = "built with other settings|abi|2|FC_CONFIG_MAX_CONNECTIONS: 3 here, 2 in\n"  # 39 + NUL
    if r.returncode != 0 or r.stdout != want or r.stderr:
        fail("fc_client_init of a program built with other values must end in FC_ERR_ABI, "
             "the reason cut to its 40-byte detail: want %r, exit %d, stdout %r, stderr %r" %
             (want, r.returncode, r.stdout, r.stderr))
    print("ok: fc_client_init refuses a program built with other values: " + r.stdout.strip())
    return 0


def subdir(a):
    shutil.rmtree(a.work, ignore_errors=True)
    build = os.path.join(a.work, "add_subdirectory")
    cmake_build(os.path.join(HERE, "add_subdirectory"), build, ["-DFC_SOURCE_DIR=" + a.dir], a)
    check_upload(os.path.join(build, "upload_file"))
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["install", "subdir"])
    ap.add_argument("dir")
    ap.add_argument("work")
    ap.add_argument("--cc", default="cc")
    ap.add_argument("--flags", default="")
    a = ap.parse_args()
    return installed(a) if a.mode == "install" else subdir(a)


if __name__ == "__main__":
    sys.exit(main())
