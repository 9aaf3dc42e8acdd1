#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Benchmarks of fluidcloud-c that print numbers (never pass/fail on speed;
# the test suite does not run them). Instruction counts, not wall time,
# wherever a tool can count: callgrind on the host, QEMU -icount on a
# Cortex-M4. See bench/README.md for what each figure means.
#
#   tools/bench.sh sha256     SHA-256 instructions per byte and flash:
#                             builtin vs mbedTLS, x86-64 and Cortex-M4
#   tools/bench.sh sha256-check  the same, failing when the builtin one costs
#                             more instructions per byte than mbedTLS's or
#                             exceeds 1 KiB (tools/test.sh runs it: counts,
#                             not times, so it cannot flake)
#   tools/bench.sh put        the PUT path against curl -T on an nginx sink
#                             (plain and TLS; 64 KiB, 1 MiB, 256 MiB; 4 and
#                             16 KiB buffers), instructions per byte against
#                             the copy+hash floor, the CLI against hashing +
#                             curl, requests and handshakes per upload, and
#                             (as root) segments per MiB at MTU 1500
#   tools/bench.sh put-quick  the same without 256 MiB, 3 rounds
#   tools/bench.sh segments   only the segments per MiB (root)
#
# Environment: FC_BENCH_DIR (work dir, default build/bench), MBEDTLS_SRC
# (an unpacked mbedTLS source tree; default: Debian's source package,
# unpacked by tools/deps.sh --source).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${FC_BENCH_DIR:-$ROOT/build/bench}
mkdir -p "$OUT"

need() { # command package
    command -v "$1" >/dev/null || { echo "tools/bench.sh: needs $1 (apt-get install $2)" >&2; exit 1; }
}

mbedtls_src() {
    if [ -n "${MBEDTLS_SRC:-}" ]; then
        echo "$MBEDTLS_SRC"
    else
        "$ROOT/tools/deps.sh" --source mbedtls "$OUT/src" | tail -n 1
    fi
}

# ---- SHA-256 ----------------------------------------------------------------

# Instructions per byte of one provider on the host: callgrind counts only
# inside fc_sha256_* (the input is generated outside them).
sha_host() { # provider
    local bin=$OUT/sha256_speed_$1 bytes=4194304 ir
    ir=$(valgrind --tool=callgrind --callgrind-out-file="$OUT/callgrind.sha256.$1" \
        --toggle-collect='fc_sha256_*' "$bin" $bytes 2>&1 >"$OUT/digest.$1" |
        awk '/Collected/ {print $4}')
    awk -v ir="$ir" -v b=$bytes 'BEGIN {printf "%.2f", ir / b}'
}

# Instructions per byte on a Cortex-M4 (QEMU mps2-an386, -icount).
sha_m4() { # provider opt
    local elf=$OUT/sha256_m4_$1$2.elf log=$OUT/sha256_m4_$1$2.txt
    rm -f "$log"
    timeout 300 qemu-system-arm -M mps2-an386 -display none -monitor none -serial none \
        -chardev file,id=sh,path="$log" -semihosting-config enable=on,target=native,chardev=sh \
        -icount shift=0,align=off,sleep=off -kernel "$elf"
    if ! grep -q "digest $(cat "$OUT/digest.m4ref")" "$log"; then
        echo "tools/bench.sh: $1 $2 on Cortex-M4 gave a wrong digest:" >&2
        cat "$log" >&2
        exit 1
    fi
    awk '/^calib/ {c = $2} /^ticks/ {t = $2} /^bytes/ {b = $2}
         END {printf "%.2f", t * c / 1000 / b}' "$log"
}

bench_sha256() { # [--check]
    local check=0
    [ "${1:-}" = --check ] && check=1
    need qemu-system-arm qemu-system-arm
    need arm-none-eabi-gcc gcc-arm-none-eabi
    local src m4 flags opt p mb
    src=$(mbedtls_src)
    # Host: the flags of the default (RelWithDebInfo) build; mbedTLS is
    # Debian's libmbedcrypto, which is what the CLI links.
    for p in builtin mbedtls; do
        if [ $p = builtin ]; then
            set -- "$ROOT/core/sha256/fc_sha256.c"
        else
            set -- "$ROOT/port/mbedtls/sha256/fc_sha256_mbedtls.c" -lmbedcrypto
        fi
        gcc -O2 -g -DNDEBUG -std=c99 -I"$ROOT/core/include" "$ROOT/bench/sha256/sha256_speed.c" \
            "$@" -o "$OUT/sha256_speed_$p"
    done
    "$OUT/sha256_speed_builtin" 65536 >"$OUT/digest.m4ref"
    # Cortex-M4: both providers from source with the same flags (mbedTLS's
    # sha256.c with a config of SHA-256 alone, its defaults otherwise).
    m4="-mcpu=cortex-m4 -mthumb -ffunction-sections -fdata-sections -std=c99"
    for opt in -Os -O2; do
        for p in builtin mbedtls; do
            if [ $p = builtin ]; then
                set -- "$ROOT/core/sha256/fc_sha256.c"
            else
                set -- "$ROOT/port/mbedtls/sha256/fc_sha256_mbedtls.c" \
                    "$src/library/sha256.c" "$src/library/platform_util.c"
            fi
            # shellcheck disable=SC2086
            arm-none-eabi-gcc $m4 $opt -I"$ROOT/core/include" -I"$ROOT/bench/mcu" -I"$src/include" \
                -I"$ROOT/bench/sha256" '-DMBEDTLS_CONFIG_FILE="mbedtls_sha256_only.h"' \
                "$ROOT/bench/mcu/bench_mcu.c" "$ROOT/bench/sha256/sha256_m4.c" "$@" \
                -nostartfiles -T "$ROOT/bench/mcu/mps2_an386.ld" -Wl,--gc-sections \
                -o "$OUT/sha256_m4_$p$opt.elf"
        done
        # shellcheck disable=SC2086
        arm-none-eabi-gcc $m4 $opt -I"$ROOT/core/include" -c "$ROOT/core/sha256/fc_sha256.c" \
            -o "$OUT/fc_sha256$opt.o"
        # shellcheck disable=SC2086
        arm-none-eabi-gcc $m4 $opt -I"$src/include" -I"$ROOT/bench/sha256" \
            '-DMBEDTLS_CONFIG_FILE="mbedtls_sha256_only.h"' -c "$src/library/sha256.c" \
            -o "$OUT/mbedtls_sha256$opt.o"
    done
    flash() { arm-none-eabi-size "$1" | awk 'NR == 2 {print $1 + $2}'; }
    printf '\nSHA-256, instructions per byte (4 KiB updates) and flash (text+data)\n'
    printf '%-34s %10s %10s\n' "" builtin mbedTLS
    local fails=0 b m
    # One row: label, builtin, mbedTLS; with --check the builtin one must
    # not cost more (instructions per byte are deterministic counts).
    row() {
        printf '%-34s %10s %10s\n' "$1" "$2" "$3"
        if [ "$check" = 1 ] && awk -v b="$2" -v m="$3" 'BEGIN {exit !(b > m)}'; then
            echo "FAIL: $1: builtin $2 > mbedTLS $3" >&2
            fails=1
        fi
    }
    if command -v valgrind >/dev/null; then
        b=$(sha_host builtin)
        m=$(sha_host mbedtls)
        row "x86-64, gcc -O2 (callgrind)" "$b" "$m"
        if ! cmp -s "$OUT/digest.builtin" "$OUT/digest.mbedtls"; then
            echo "tools/bench.sh: the providers' digests differ on the host" >&2
            exit 1
        fi
    else
        echo "SKIPPED: x86-64 instruction counts (valgrind not installed)"
    fi
    for opt in -Os -O2; do
        row "Cortex-M4, gcc $opt (QEMU -icount)" "$(sha_m4 builtin $opt)" "$(sha_m4 mbedtls $opt)"
    done
    for opt in -Os -O2; do
        printf '%-34s %10s %10s\n' "flash, Cortex-M4 $opt (bytes)" \
            "$(flash "$OUT/fc_sha256$opt.o")" "$(flash "$OUT/mbedtls_sha256$opt.o")"
    done
    b=$(flash "$OUT/fc_sha256-Os.o")
    if [ "$check" = 1 ] && [ "$b" -gt 1024 ]; then
        echo "FAIL: builtin SHA-256 is $b bytes at -Os, budget 1024" >&2
        fails=1
    fi
    printf '(mbedTLS %s from %s; gcc %s; arm-none-eabi-gcc %s)\n' \
        "$(basename "$src")" "Debian's source package" "$(gcc -dumpversion)" "$(arm-none-eabi-gcc -dumpversion)"
    return $fails
}

# The programs bench/put measures, built as the default build is
# (RelWithDebInfo, gcc), plus bench/.
bench_build() {
    cmake -S "$ROOT" -B "$OUT/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFC_BUILD_BENCH=ON \
        -DFC_BUILD_TESTS=OFF >/dev/null
    cmake --build "$OUT/build" -j 2 --target put_bench fluidcloud_cli >/dev/null
}

bench_put() { # extra args for bench_put.py
    need nginx nginx
    need curl curl
    need valgrind valgrind
    bench_build
    python3 "$ROOT/bench/put/bench_put.py" --build "$OUT/build" --out "$OUT/put" "$@"
}

case "${1:-}" in
sha256) bench_sha256 ;;
sha256-check) bench_sha256 --check ;;
put) bench_put ;;
put-quick) bench_put --quick ;;
segments) bench_put --segments ;;
*)
    sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
