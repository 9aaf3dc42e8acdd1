#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The whole test suite of fluidcloud-c, as CI runs it (.ci/run calls this
# very command). On a fresh Debian 12 machine, as root, it installs what is
# missing first.
#
#   1. gcc build, -Werror, every unit, integration and emulator test (ctest)
#   1b. the TLS integration tests again against mbedTLS built from Debian's
#      source with the low-RAM record presets 16/4 and 4/4 + max fragment
#      length, and their heap table (port/mbedtls/presets/test.sh)
#   1c. SHA-256 instruction counts (callgrind, Cortex-M4 in QEMU -icount) and
#      flash: the builtin provider must not cost more than mbedTLS's
#      (tools/bench.sh sha256-check)
#   2. embedded checks: Kconfig, Cortex-M4 and RV32 cross builds, size
#      table with budgets, ESP-IDF/Zephyr manifests, lwIP over TAP
#   3. clang build with AddressSanitizer + UndefinedBehaviorSanitizer, the
#      same ctest suite again, with the builtin SHA-256 provider (the gcc
#      build uses mbedTLS's, the default with the TLS port, so both run
#      every upload test)
#   4. the fuzz targets (test/fuzz, clang, libFuzzer + ASan + UBSan), each
#      60 s from its checked-in seeds (ctest label fuzz)
#
# FC_BUILD_DIR (default ./build) holds the build trees.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${FC_BUILD_DIR:-$ROOT/build}
JOBS=$(nproc 2>/dev/null || echo 2)

"$ROOT/tools/deps.sh" --embedded

suite() { # name cmake-args...
    local name=$1; shift
    printf '\n=== %s\n' "$name"
    cmake -S "$ROOT" -B "$BUILD/$name" -DFC_WERROR=ON "$@" >/dev/null
    cmake --build "$BUILD/$name" -j "$JOBS"
    ctest --test-dir "$BUILD/$name" --output-on-failure -j "$JOBS"
}

suite gcc -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=RelWithDebInfo
bash "$ROOT/port/mbedtls/presets/test.sh" "$BUILD"
printf '\n=== SHA-256: builtin vs mbedTLS, instructions per byte and flash\n'
FC_BENCH_DIR="$BUILD/bench" bash "$ROOT/tools/bench.sh" sha256-check
FC_EMBEDDED_BUILD="$BUILD/embedded" bash "$ROOT/.ci/embedded.sh"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    suite clang-sanitize -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DFC_SANITIZE=ON \
        -DFC_SHA256=builtin

# Fuzz targets: a build of their own (libFuzzer instrumentation everywhere).
printf '\n=== fuzz\n'
cmake -S "$ROOT" -B "$BUILD/fuzz" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DFC_FUZZ=ON -DFC_BUILD_TESTS=OFF -DFC_BUILD_EXAMPLES=OFF -DFC_WERROR=ON >/dev/null
cmake --build "$BUILD/fuzz" -j "$JOBS"
ctest --test-dir "$BUILD/fuzz" -L fuzz --output-on-failure -j "$JOBS"
