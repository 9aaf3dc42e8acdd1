#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Compile the ESP-IDF component and the camera example's SDK-independent
code for the ESP32-C3 (rv32imc) against an ESP-IDF tree's own headers.

    IDF_PATH=/path/to/esp-idf esp_idf_check.py OUT_DIR

Without IDF_PATH it prints "SKIPPED: ..." and exits 0.

What it does:
 1. sdkconfig.h for IDF_TARGET=esp32c3, generated with kconfiglib from
    ESP-IDF's own Kconfig tree plus this repository's Kconfig (the component),
    the example's main/Kconfig.projbuild and its sdkconfig.defaults - the
    values ESP-IDF's defaults give, not hand-written ones.
 2. The sources and include directories the component registers: found by
    running cmake/esp_idf_component.cmake with a stand-in
    idf_component_register() (component_sources/), with port/posix and
    port/mbedtls on, as the example's sdkconfig.defaults selects.
 3. Each of them, plus examples/esp32_camera/main/upload_frame.c and
    examples/common/firmware/fc_firmware_client.c, compiled with Debian's
    riscv64-unknown-elf-gcc -march=rv32imc_zicsr_zifencei -mabi=ilp32 -Os
    -std=gnu17 (ESP-IDF's flags for the C3) and our warnings as errors,
    against ESP-IDF's newlib overrides (components/newlib/platform_include:
    <sys/poll.h>, no <poll.h>), its lwIP (components/lwip: lwipopts.h, the
    BSD socket headers <sys/socket.h> <netdb.h> <netinet/tcp.h>), its mbedTLS
    configuration (components/mbedtls/port/include/mbedtls/esp_config.h) and
    FreeRTOS/esp_* headers those pull in.

What it does NOT check: the C library beneath newlib's overrides is
Debian's libnewlib-dev 3.3 (/usr/include/newlib), not Espressif's newlib
build that ships with their toolchain; mbedTLS's headers are whatever the
tree holds at components/mbedtls/mbedtls (Espressif's fork, or upstream of
the same version when the fork is not available); nothing is linked, so no
missing symbol is found; the ESP-IDF-only code (main.c: Wi-Fi, camera,
FreeRTOS task) is not compiled; no Xtensa target; no hardware run.
"""
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
TARGET = "esp32c3"
CC = "riscv64-unknown-elf-gcc"
ARCH = ["-march=rv32imc_zicsr_zifencei", "-mabi=ilp32"]
WARN = ["-Wall", "-Wextra", "-Wshadow", "-Wstrict-prototypes", "-Wmissing-prototypes", "-Werror"]
EXAMPLE_SOURCES = ["examples/esp32_camera/main/upload_frame.c",
                   "examples/common/firmware/fc_firmware_client.c"]
EXAMPLE_INCLUDES = ["examples/esp32_camera/main", "examples/common/firmware"]

# Include directories the components the sources reach export in ESP-IDF
# 5.x (their CMakeLists' INCLUDE_DIRS), for the C3.
IDF_INCLUDES = [
    "components/newlib/platform_include",
    "components/freertos/config/include", "components/freertos/config/include/freertos",
    "components/freertos/config/riscv/include",
    "components/freertos/FreeRTOS-Kernel/include",
    "components/freertos/FreeRTOS-Kernel/portable/riscv/include",
    "components/freertos/FreeRTOS-Kernel/portable/riscv/include/freertos",
    "components/freertos/esp_additions/include", "components/freertos/esp_additions/include/freertos",
    "components/freertos/esp_additions/arch/riscv/include",
    "components/esp_common/include", "components/esp_system/include",
    "components/esp_hw_support/include", "components/esp_hw_support/include/soc",
    "components/esp_hw_support/port/%s/include" % TARGET, "components/esp_hw_support/port/%s" % TARGET,
    "components/esp_rom/include", "components/esp_rom/include/%s" % TARGET, "components/esp_rom/%s" % TARGET,
    "components/soc/include", "components/soc/%s/include" % TARGET,
    "components/hal/include", "components/hal/%s/include" % TARGET, "components/hal/platform_port/include",
    "components/riscv/include", "components/heap/include", "components/log/include",
    "components/esp_timer/include", "components/vfs/include",
    "components/lwip/include", "components/lwip/include/apps", "components/lwip/include/apps/sntp",
    "components/lwip/lwip/src/include", "components/lwip/port/include",
    "components/lwip/port/freertos/include", "components/lwip/port/esp32xx/include",
    "components/lwip/port/esp32xx/include/arch", "components/lwip/port/esp32xx/include/sys",
    "components/mbedtls/port/include", "components/mbedtls/mbedtls/include",
    "components/mbedtls/mbedtls/library", "components/mbedtls/esp_crt_bundle/include",
]


def skip(why):
    print("SKIPPED: ESP-IDF compile check: %s" % why)
    sys.exit(0)


def make_sdkconfig(idf, out):
    import glob
    import kconfiglib
    # The library's Kconfig as the example project sees it: its component
    # components/fluidcloud (which sources the repository's Kconfig).
    comps = sorted(glob.glob(os.path.join(idf, "components", "*", "Kconfig"))) + [
        os.path.join(ROOT, "examples", "esp32_camera", "components", "fluidcloud", "Kconfig")]
    proj = sorted(glob.glob(os.path.join(idf, "components", "*", "Kconfig.projbuild"))) + [
        os.path.join(ROOT, "examples", "esp32_camera", "main", "Kconfig.projbuild")]
    for name, files in (("kconfigs.in", comps), ("kconfigs_projbuild.in", proj)):
        with open(os.path.join(out, name), "w") as f:
            f.writelines('source "%s"\n' % c for c in files)
    os.environ.update(IDF_PATH=idf, IDF_TARGET=TARGET, IDF_ENV_FPGA="", srctree=idf,
                      COMPONENT_KCONFIGS_SOURCE_FILE=os.path.join(out, "kconfigs.in"),
                      COMPONENT_KCONFIGS_PROJBUILD_SOURCE_FILE=os.path.join(out, "kconfigs_projbuild.in"))
    k = kconfiglib.Kconfig(os.path.join(idf, "Kconfig"), warn=False)
    k.load_config(os.path.join(ROOT, "examples", "esp32_camera", "sdkconfig.defaults"), replace=False)
    inc = os.path.join(out, "config")
    os.makedirs(inc, exist_ok=True)
    k.write_autoconf(os.path.join(inc, "sdkconfig.h"))
    print("sdkconfig.h: %s, from ESP-IDF's Kconfig (IDF_TARGET=%s) + Kconfig + the example's "
          "sdkconfig.defaults" % (os.path.join(inc, "sdkconfig.h"), TARGET))
    return inc


def component(out):
    """(sources, public and private include dirs, definitions) the component registers."""
    listing = os.path.join(out, "component.txt")
    jsmn = os.path.join(out, "jsmn")
    os.makedirs(jsmn, exist_ok=True)
    shutil.copy("/usr/include/jsmn.h", jsmn)
    env = dict(os.environ, FC_LLHTTP_DIR="/usr/share/llhttp", FC_LLHTTP_INCLUDE_DIR="/usr/share/include/llhttp",
               FC_JSMN_INCLUDE_DIR=jsmn)
    subprocess.run(["cmake", "-S", os.path.join(HERE, "component_sources"), "-B", os.path.join(out, "cs"),
                    "-DOUT=" + listing, "-DPORTS=POSIX;MBEDTLS"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    srcs, incs, priv, defs = [], [], [], []
    with open(listing) as f:
        for line in f:
            kind, value = line.rstrip("\n").split(" ", 1)
            {"SRCS": srcs, "INCLUDE_DIRS": incs, "PRIV_INCLUDE_DIRS": priv, "DEFINE": defs}.get(
                kind, []).append(value)
    return srcs, incs, priv, defs


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = os.path.abspath(sys.argv[1])
    idf = os.environ.get("IDF_PATH")
    if not idf or not os.path.isfile(os.path.join(idf, "tools", "cmake", "version.cmake")):
        skip("IDF_PATH is not set to an ESP-IDF tree")
    if not os.path.isfile(os.path.join(idf, "components", "lwip", "lwip", "src", "include", "lwip", "tcp.h")) or \
            not os.path.isfile(os.path.join(idf, "components", "mbedtls", "mbedtls", "include", "mbedtls", "ssl.h")):
        sys.exit("FAIL: %s lacks its lwip or mbedtls submodule" % idf)
    for tool in (CC, "cmake"):
        if shutil.which(tool) is None:
            sys.exit("FAIL: %s is missing" % tool)
    if not os.path.isdir("/usr/include/newlib"):
        sys.exit("FAIL: /usr/include/newlib is missing (Debian package libnewlib-dev)")
    os.makedirs(out, exist_ok=True)
    cfg = make_sdkconfig(idf, out)
    srcs, incs, priv, defs = component(out)
    gcc_inc = subprocess.run([CC] + ARCH + ["-print-file-name=include"], capture_output=True,
                             text=True, check=True).stdout.strip()
    flags = ARCH + ["-Os", "-std=gnu17", "-nostdinc", "-ffunction-sections", "-fdata-sections",
                    "-DESP_PLATFORM", "-DIDF_VER=\"check\"", "-DMBEDTLS_CONFIG_FILE=\"mbedtls/esp_config.h\"",
                    "-isystem", gcc_inc, "-I" + cfg]
    flags += ["-D" + d for d in defs]
    flags += ["-I" + i for i in incs + [os.path.join(ROOT, e) for e in EXAMPLE_INCLUDES]]
    flags += ["-isystem" + os.path.join(idf, i) for i in IDF_INCLUDES]
    # newlib's <limits.h> continues into gcc's (include_next): gcc's fixed headers come last.
    flags += ["-isystem", "/usr/include/newlib", "-isystem", gcc_inc + "-fixed"]
    failed = 0
    # The component's sources see its private include directories too; the
    # example's code only what the component exports, as in ESP-IDF.
    examples = [os.path.join(ROOT, s) for s in EXAMPLE_SOURCES]
    for src in srcs + examples:
        ours = src.startswith(ROOT)
        obj = os.path.join(out, os.path.basename(src) + ".o")
        private = [] if src in examples else ["-I" + i for i in priv]
        r = subprocess.run([CC] + flags + private + (WARN if ours else []) + ["-c", src, "-o", obj],
                           capture_output=True, text=True)
        rel = os.path.relpath(src, ROOT) if ours else src
        if r.returncode != 0:
            failed += 1
            print("FAIL  %s\n%s" % (rel, r.stderr[-3000:]))
        else:
            print("ok    %s" % rel)
    print("ESP-IDF compile check (%s, ESP-IDF at %s): %s" %
          (TARGET, idf, "%d FAILED" % failed if failed else "%d files compiled" % (len(srcs) + len(EXAMPLE_SOURCES))))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
