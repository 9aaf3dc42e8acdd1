#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The TLS integration tests against mbedTLS built with each low-RAM record
# preset (issue 14.4), and the heap table of port/mbedtls/README.md. Run by
# tools/test.sh after the gcc suite; also on its own:
#
#   port/mbedtls/presets/test.sh BUILD_DIR
#
# For each preset: mbedTLS from Debian's source package (build.sh), the
# project configured against it, `ctest -L integration` (every test that
# talks TLS to the emulator, the CLI's and the port kit's included), and
# it_tls_heap's figures, which fail the run when the 16/4 preset exceeds
# 28,000 bytes per open connection. BUILD_DIR/gcc, when it holds the gcc
# suite, gives the row for Debian's own 16/16 build.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
BUILD=${1:?usage: test.sh BUILD_DIR}
JOBS=$(nproc 2>/dev/null || echo 2)
[ "$JOBS" -gt 2 ] && JOBS=2

heap_row() { # label build-dir
    local line
    line=$(ctest --test-dir "$2" -R '^integration_it_tls_heap$' -V 2>&1 | grep -o 'fc-tls-heap .*' || true)
    if [ -z "$line" ]; then
        echo "FAIL: it_tls_heap printed no figures in $2" >&2
        return 1
    fi
    echo "$line" | awk -v label="$1" '{
        for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
        printf "| %-26s | %6d | %6d | %6d |\n", label, v["peak"], v["open"], v["open2"] }'
}

rows=()
if [ -f "$BUILD/gcc/CMakeCache.txt" ]; then
    rows+=("$(heap_row "16/16 (Debian's package)" "$BUILD/gcc")")
fi
for preset in 16-4 4-4-mfl; do
    printf '\n=== TLS preset %s\n' "$preset"
    prefix=$("$ROOT/port/mbedtls/presets/build.sh" "$preset" "$BUILD/mbedtls-presets/$preset")
    dir="$BUILD/tls-$preset"
    cmake -S "$ROOT" -B "$dir" -DFC_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DMBEDTLS_INCLUDE_DIR="$prefix/include" -DMBEDTLS_LIBRARY="$prefix/lib/libmbedtls.a" \
        -DMBEDX509_LIBRARY="$prefix/lib/libmbedx509.a" \
        -DMBEDCRYPTO_LIBRARY="$prefix/lib/libmbedcrypto.a" >/dev/null
    cmake --build "$dir" -j "$JOBS" >/dev/null
    ctest --test-dir "$dir" -L integration --output-on-failure -j "$JOBS"
    case "$preset" in
    16-4) label="16/4" ;;
    4-4-mfl) label="4/4 + max fragment length" ;;
    esac
    rows+=("$(heap_row "$label" "$dir")")
done
printf '\nmbedTLS heap per TLS connection, bytes (it_tls_heap, counting allocator)\n'
printf '| %-26s | %6s | %6s | %6s |\n' "records in/out (KiB)" "peak" "open" "2 open"
printf '%s\n' "${rows[@]}"
