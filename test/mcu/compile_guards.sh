#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Compile guards for the hazards that broke the firmware builds (issue 13):
# each compiles the ports and the firmware examples' SDK-independent code
# the way an SDK would see them, so the hazard cannot come back unnoticed.
#
#  1. ESP-IDF / Zephyr libc: port/posix built with ESP_PLATFORM defined and
#     test/mcu/guards/embedded_libc first on the include path, where
#     <poll.h> is an #error (ESP-IDF ships only <sys/poll.h>) and <fcntl.h>
#     has no O_CLOEXEC, F_SETFD or FD_CLOEXEC (Zephyr 3.7 has none of them)
#     and <netdb.h> no EAI_SYSTEM (lwIP's, on ESP-IDF, has none).
#  2. Zephyr's `_current` macro (kernel.h: `#define _current
#     _kernel.cpus[0].current`) defined before every public header of the
#     ports and of the examples: a struct member named _current in any header
#     they include (llhttp_t had one) stops compiling.
#  3. mbedTLS options: port/mbedtls compiled against Debian's mbedTLS
#     configuration minus a TLS client, minus every key exchange, minus the
#     entropy sources (test/mcu/guards/mbedtls/deficient_config.h) must stop
#     with the message of port/mbedtls/fc_mbedtls_requirements.h; compiled
#     against the full configuration it must pass.
#
#   test/mcu/compile_guards.sh OUT_DIR [libc|current|mbedtls|all]   (default all;
#       host gcc with Debian's mbedTLS and lwIP headers)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=${1:?usage: compile_guards.sh OUT_DIR [libc|current|mbedtls|all]}
WHICH=${2:-all}
mkdir -p "$OUT"
CC=${CC:-gcc}
WARN=(-std=c99 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Werror)
INC=(-I"$ROOT/core/include" -I"$ROOT/port/posix/include" -I"$ROOT/port/mbedtls/include"
     -I"$ROOT/port/lwip/include" -I"$ROOT/examples/common/firmware")
# No llhttp or jsmn on the include path: no public header may need them
# (llhttp.h's _current member and HTTP_* enumerators clash with Zephyr's).
failed=0

compile() { # label source flags...
    local label=$1 src=$2; shift 2
    if "$CC" "${WARN[@]}" "$@" -c "$ROOT/$src" -o "$OUT/$(basename "$src" .c).o"; then
        echo "ok    $label: $src"
    else
        echo "FAIL  $label: $src"
        failed=1
    fi
}

if [ "$WHICH" = all ] || [ "$WHICH" = libc ]; then
echo "-- 1. port/posix against an ESP-IDF/Zephyr-like libc (no <poll.h>, no close-on-exec)"
for src in port/posix/fc_posix_transport.c port/posix/fc_posix_system.c \
           examples/common/firmware/fc_firmware_client.c; do
    compile "embedded libc" "$src" -DESP_PLATFORM -isystem "$ROOT/test/mcu/guards/embedded_libc" \
        "${INC[@]}"
done
fi

if [ "$WHICH" = all ] || [ "$WHICH" = current ]; then
echo "-- 2. Zephyr's _current macro before the ports' and examples' headers"
ZCUR=(-D_current=_kernel.cpus[0].current)
for src in port/posix/fc_posix_transport.c port/posix/fc_posix_system.c \
           port/mbedtls/fc_mbedtls_config.c port/mbedtls/fc_mbedtls_transport.c \
           port/mbedtls/fc_mbedtls_ip.c; do
    compile "_current" "$src" "${ZCUR[@]}" -D_POSIX_C_SOURCE=200809L "${INC[@]}"
done
compile "_current" port/lwip/fc_lwip_transport.c "${ZCUR[@]}" "${INC[@]}" \
    -isystem "$ROOT/port/lwip/cross" -isystem /usr/include/lwip
for src in examples/common/firmware/fc_firmware_client.c examples/esp32_camera/main/upload_frame.c \
           examples/zephyr_upload/src/capture_upload.c; do
    compile "_current" "$src" "${ZCUR[@]}" "${INC[@]}"
done
fi

if [ "$WHICH" = all ] || [ "$WHICH" = mbedtls ]; then
echo "-- 3. port/mbedtls against mbedTLS configurations that lack what it needs"
MBED=(-D_POSIX_C_SOURCE=200809L "${INC[@]}" -I"$ROOT/test/mcu/guards/mbedtls"
      "-DMBEDTLS_CONFIG_FILE=\"deficient_config.h\"")
compile "full mbedTLS configuration" port/mbedtls/fc_mbedtls_config.c "${MBED[@]}"
for case in "CLIENT:MBEDTLS_SSL_CLI_C" "KEY_EXCHANGE:needs a TLS 1.2 key exchange" \
            "ENTROPY:has no entropy source"; do
    drop=${case%%:*} want=${case#*:}
    log="$OUT/mbedtls-$drop.log"
    if "$CC" "${WARN[@]}" "${MBED[@]}" "-DFC_GUARD_DROP_$drop" -c "$ROOT/port/mbedtls/fc_mbedtls_config.c" \
            -o "$OUT/mbedtls-$drop.o" >"$log" 2>&1; then
        echo "FAIL  without $drop: port/mbedtls compiled (it must stop)"
        failed=1
    elif grep -q "#error.*$want" "$log"; then
        echo "ok    without $drop: stopped with \"$want\""
    else
        echo "FAIL  without $drop: failed, but not with the requirement's message:"
        head -5 "$log"
        failed=1
    fi
done
fi

if [ "$failed" != 0 ]; then
    echo "FAIL: a compile guard failed (see above)"
    exit 1
fi
echo "compile guards passed"
