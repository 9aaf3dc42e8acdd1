#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Embedded checks of issue 6, called by .ci/run as `bash .ci/embedded.sh`
# (as root, on Debian 12, after the apt packages below are installed).
#
#  1. Kconfig: parse with kconfiglib, generate a config header, check it
#     against fc_config.h / fc_options.cmake (tools/kconfig_check.py).
#  2. Host build of the library once with -DFC_CONFIG_USER_HEADER=<that header>.
#  3. Cross builds: Cortex-M4 (libfluidcloud.a + libfluidcloud_lwip.a) and
#     RISC-V rv32imc (libfluidcloud.a), -Werror.
#  4. Size table of the Cortex-M4 build with budget checks.
#  5. ESP-IDF / Zephyr manifests parse and name files that exist.
#  6. The SDK-independent example code compiles for Cortex-M4.
#  7. The core on Cortex-M4 and Cortex-M3 in qemu-system-arm (test/mcu):
#     the upload flow against a recording of the emulator, stack and
#     instruction counts per phase, 1 KiB stack budget.
#  8. Compile guards for the firmware SDKs' hazards (test/mcu/compile_guards.sh).
#  9. The lwIP host test (TAP link in a private network namespace), on
#     Debian's liblwip (threads) and on lwIP built from Debian's source
#     package with NO_SYS=1 (one super-loop, DNS through lwIP).
# 10. With ZEPHYR_BASE (+ ZEPHYR_MODULES): the Zephyr sample built for
#     mps2/an385 and run in QEMU against the emulator, nrf52840dk built.
# 11. With IDF_PATH: the ESP-IDF component and the camera example's
#     SDK-independent code compiled for esp32c3 against ESP-IDF's headers.
#
# Environment: FC_EMBEDDED_BUILD (work dir, default build-embedded),
# FC_SIZE_TABLE_UPDATE=1 rewrites docs/size-table.md instead of comparing.
EMBEDDED_APT_PACKAGES="cmake ninja-build gcc python3 gcc-arm-none-eabi libnewlib-arm-none-eabi \
gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf python3-kconfiglib python3-yaml \
liblwip-dev iproute2 openssl libmbedtls-dev node-llhttp libjsmn-dev qemu-system-arm dpkg-dev"

# Only when a Zephyr tree is given: Zephyr's build scripts' Python modules and dtc.
ZEPHYR_APT_PACKAGES="device-tree-compiler python3-pyelftools python3-jsonschema python3-packaging \
python3-pykwalify python3-ruamel.yaml python3-dateutil"

set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

need_packages() { # installs the Debian packages given that are missing (as root)
    local missing="" pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
    done
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "FAIL: missing Debian packages:$missing (apt-get install them)"
        exit 1
    fi
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
}
OUT=${FC_EMBEDDED_BUILD:-$ROOT/build-embedded}
PY=/usr/bin/python3   # Debian's python, with kconfiglib and yaml
GEN=(-G Ninja)
command -v ninja >/dev/null || GEN=()
mkdir -p "$OUT"

step() { printf '\n=== %s\n' "$*"; }

step "Kconfig"
"$PY" "$ROOT/tools/kconfig_check.py" --out "$OUT/kconfig"
HDR="$OUT/kconfig/fc_config_kconfig_values.h"

step "host build with the Kconfig header"
cmake -S "$ROOT" -B "$OUT/host-kconfig" "${GEN[@]}" -DFC_WERROR=ON \
    -DFC_BUILD_TESTS=OFF -DFC_BUILD_EXAMPLES=OFF -DFC_PORT_LWIP=ON \
    -DFC_CONFIG_USER_HEADER="$HDR" >/dev/null
cmake --build "$OUT/host-kconfig"

cross() { # name toolchain extra-cmake-args...
    local name=$1 tc=$2; shift 2
    step "cross build: $name"
    cmake -S "$ROOT" -B "$OUT/$name" "${GEN[@]}" \
        -DCMAKE_TOOLCHAIN_FILE="$ROOT/cmake/$tc" -DCMAKE_BUILD_TYPE=MinSizeRel \
        -DFC_WERROR=ON -DFC_BUILD_TESTS=OFF -DFC_BUILD_EXAMPLES=OFF \
        -DFC_PORT_POSIX=OFF -DFC_PORT_MBEDTLS=OFF "$@" >/dev/null
    cmake --build "$OUT/$name"
}
cross cortex-m4 toolchain-cortex-m4.cmake -DFC_PORT_LWIP=ON
cross rv32imc toolchain-rv32imc.cmake -DFC_PORT_LWIP=OFF
test -f "$OUT/cortex-m4/libfluidcloud.a"
test -f "$OUT/cortex-m4/port/lwip/libfluidcloud_lwip.a"
test -f "$OUT/rv32imc/libfluidcloud.a"
# Zero malloc holds for the target archives as well.
cmake -DNM=arm-none-eabi-nm \
    "-DARCHIVES=$OUT/cortex-m4/libfluidcloud.a;$OUT/cortex-m4/port/lwip/libfluidcloud_lwip.a" \
    -P "$ROOT/test/check_no_malloc.cmake"

step "size table (Cortex-M4)"
"$PY" "$ROOT/tools/size_table.py" "$OUT/cortex-m4" --check --markdown "$OUT/size-table.md"
if [ "${FC_SIZE_TABLE_UPDATE:-0}" = 1 ]; then
    cp "$OUT/size-table.md" "$ROOT/docs/size-table.md"
    echo "updated docs/size-table.md"
elif ! cmp -s "$OUT/size-table.md" "$ROOT/docs/size-table.md"; then
    echo "WARN: docs/size-table.md is not current; rerun with FC_SIZE_TABLE_UPDATE=1"
fi

step "ESP-IDF and Zephyr manifests"
"$PY" - "$ROOT" <<'PYEOF'
import os, sys, yaml
root = sys.argv[1]
bad = []

def load(rel):
    with open(os.path.join(root, rel), encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    print("parsed %s" % rel)
    return doc

def need(rel, why):
    if not os.path.exists(os.path.join(root, rel)):
        bad.append("%s (named by %s) does not exist" % (rel, why))

idf = load("idf_component.yml")
if not isinstance(idf.get("version"), str) or "idf" not in idf.get("dependencies", {}):
    bad.append("idf_component.yml: needs a version string and an idf dependency")
for rel in ("CMakeLists.txt", "Kconfig", "cmake/esp_idf_component.cmake", "cmake/fc_config_kconfig.h"):
    need(rel, "the ESP-IDF component")

mod = load("zephyr/module.yml")
build = mod.get("build", {})
need(os.path.join(build.get("cmake", "?"), "CMakeLists.txt"), "zephyr/module.yml build.cmake")
need(build.get("kconfig", "?"), "zephyr/module.yml build.kconfig")

cam = load("examples/esp32_camera/main/idf_component.yml")
for name, dep in cam.get("dependencies", {}).items():
    if isinstance(dep, dict) and "path" in dep:
        need(os.path.normpath(os.path.join("examples/esp32_camera/main", dep["path"], "idf_component.yml")),
             "esp32_camera dependency %s" % name)
for rel in ("CMakeLists.txt", "main/CMakeLists.txt", "main/main.c", "main/upload_frame.c",
            "sdkconfig.defaults", "README.md", "components/fluidcloud/CMakeLists.txt",
            "components/fluidcloud/Kconfig"):
    need("examples/esp32_camera/" + rel, "the esp32_camera example")

load("examples/zephyr_upload/sample.yaml")
for rel in ("CMakeLists.txt", "prj.conf", "Kconfig", "src/main.c", "src/capture_upload.c", "README.md"):
    need("examples/zephyr_upload/" + rel, "the zephyr_upload sample")

for b in bad:
    print("FAIL: " + b)
sys.exit(1 if bad else 0)
PYEOF

step "SDK-independent example code for Cortex-M4"
if [ -f "$ROOT/core/include/fluidcloud/fc_upload.h" ]; then
    for src in examples/esp32_camera/main/upload_frame.c examples/zephyr_upload/src/capture_upload.c; do
        arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -Os -std=c99 -Wall -Wextra -Wpedantic \
            -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Werror \
            -I"$ROOT/core/include" -I/usr/share/include/llhttp -I"$OUT/cortex-m4/fc_cross_jsmn" \
            -c "$ROOT/$src" -o "$OUT/$(basename "$src").o"
        echo "compiled $src"
    done
else
    echo "SKIP: core/include/fluidcloud/fc_upload.h does not exist yet"
fi

step "MCU: the core on Cortex-M4 (mps2-an386) and Cortex-M3 (mps2-an385) in QEMU"
# The host recorder and the two firmwares: the library's own cross builds.
cmake -S "$ROOT/test/mcu" -B "$OUT/mcu-host" "${GEN[@]}" -DFC_WERROR=ON >/dev/null
cmake --build "$OUT/mcu-host"
for cpu in m4 m3; do
    cmake -S "$ROOT/test/mcu" -B "$OUT/mcu-$cpu" "${GEN[@]}" -DFC_WERROR=ON \
        -DCMAKE_TOOLCHAIN_FILE="$ROOT/cmake/toolchain-cortex-$cpu.cmake" -DCMAKE_BUILD_TYPE=MinSizeRel >/dev/null
    cmake --build "$OUT/mcu-$cpu"
done
"$PY" "$ROOT/test/mcu/run_mcu.py" --recorder "$OUT/mcu-host/mcu_record" --out "$OUT/mcu-run" \
    --firmware mps2-an386="$OUT/mcu-m4/mcu_firmware.elf" --firmware mps2-an385="$OUT/mcu-m3/mcu_firmware.elf"

step "compile guards (ESP-IDF/Zephyr libc, Zephyr _current, mbedTLS options)"
bash "$ROOT/test/mcu/compile_guards.sh" "$OUT/guards" all

step "lwIP host test (network namespace + TAP)"
cmake -S "$ROOT/test/lwip" -B "$OUT/lwip-test" "${GEN[@]}" -DFC_WERROR=ON >/dev/null
cmake --build "$OUT/lwip-test"
# -V: the log shows what ran over lwIP (timings, bytes, leaked_key_count).
(cd "$OUT/lwip-test" && ctest --output-on-failure -V) | tee "$OUT/lwip-test/ctest.log"
# ctest counts exit 77 (no namespace) as passed-by-skipping; as root here
# the test must really have run, upload flow included.
if [ "$(id -u)" = 0 ] && ! grep -q "leaked_key_count: 0" "$OUT/lwip-test/ctest.log"; then
    echo "FAIL: the lwIP test was skipped or did not run the upload flow although we are root"
    exit 1
fi

step "lwIP NO_SYS=1 from Debian's source package: one super-loop, DNS, TAP"
if [ "$(id -u)" = 0 ]; then
    LWIP_SRC=$("$ROOT/tools/deps.sh" --source lwip "$OUT/src")
    cmake -S "$ROOT/test/lwip" -B "$OUT/lwip-nosys" "${GEN[@]}" -DFC_WERROR=ON \
        -DFC_LWIP_SRC_DIR="$LWIP_SRC" >/dev/null
    cmake --build "$OUT/lwip-nosys"
    (cd "$OUT/lwip-nosys" && ctest --output-on-failure -V) | tee "$OUT/lwip-nosys/ctest.log"
    for want in "NO_SYS=1 super-loop" "leaked_key_count: 0" "DNS: lwIP asked" "Nagle on the port's connections: disabled"; do
        if ! grep -q "$want" "$OUT/lwip-nosys/ctest.log"; then
            echo "FAIL: the NO_SYS lwIP test did not show \"$want\""
            exit 1
        fi
    done
else
    echo "SKIPPED: the NO_SYS lwIP test needs root (apt-get source, network namespace)"
fi

# The SDK trees CI cannot fetch: each check runs when its tree is given
# and says plainly when it is skipped.
step "Zephyr 3.7 sample: mps2/an385 in QEMU over TAP (and nrf52840dk/nrf52840, build only)"
if [ -n "${ZEPHYR_BASE:-}" ]; then
    need_packages $ZEPHYR_APT_PACKAGES
    "$PY" "$ROOT/test/zephyr/run_zephyr.py" --out "$OUT/zephyr"
else
    echo "SKIPPED: Zephyr sample build and QEMU run: ZEPHYR_BASE is not set" \
         "(give ZEPHYR_BASE and ZEPHYR_MODULES, see examples/zephyr_upload/README.md)"
fi

step "ESP-IDF component and camera example code for esp32c3 against ESP-IDF's headers"
if [ -n "${IDF_PATH:-}" ]; then
    need_packages libnewlib-dev
    "$PY" "$ROOT/test/esp_idf/esp_idf_check.py" "$OUT/esp-idf"
else
    echo "SKIPPED: ESP-IDF compile check: IDF_PATH is not set (see examples/esp32_camera/README.md)"
fi

step "embedded checks passed"
