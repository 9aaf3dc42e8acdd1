#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds mbedTLS 2.28 from Debian's source package with Debian's own
# configuration plus a low-RAM preset, as static libraries, for the TLS
# tests and the heap table of port/mbedtls/README.md (issue 14.4).
#
#   port/mbedtls/presets/build.sh PRESET OUT
#
#   PRESET  16-4      MBEDTLS_SSL_IN_CONTENT_LEN 16384, OUT_CONTENT_LEN 4096
#           4-4-mfl   IN and OUT 4096; the port then asks the server for a
#                     4096-byte max_fragment_length (RFC 6066)
#   OUT     prefix to fill: OUT/include (headers with that config.h) and
#           OUT/lib/libmbed{tls,x509,crypto}.a. Prints OUT.
#
# Debian's configuration is replayed from debian/rules (its
# `scripts/config.py set ...` lines), so the only difference from the
# libmbedtls-dev build is the preset. Only the library is built (make -C
# library, -j2 at most). A second preset reuses the crypto and X.509
# archives of the first one found under the same parent directory: the SSL
# record sizes do not change a byte of them.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
preset=${1:?usage: build.sh PRESET OUT}
out=${2:?usage: build.sh PRESET OUT}
case "$preset" in
16-4) in_len=16384 out_len=4096 ;;
4-4-mfl) in_len=4096 out_len=4096 ;;
*) echo "build.sh: unknown preset $preset (16-4, 4-4-mfl)" >&2; exit 2 ;;
esac

out=$(mkdir -p "$out" && cd "$out" && pwd)
stamp="$out/.preset-$preset"
if [ -f "$stamp" ] && [ -f "$out/lib/libmbedtls.a" ]; then
    echo "$out"
    exit 0
fi

src=$("$ROOT/tools/deps.sh" --source mbedtls "$(dirname "$out")/src" | tail -n 1)
case "$(basename "$src")" in
mbedtls-2.28.*) ;;
*) echo "build.sh: expected mbedTLS 2.28, got $src" >&2; exit 1 ;;
esac

# A private copy of what the library build reads, so the source stays as
# Debian unpacked it.
work="$out/build"
rm -rf "$work"
mkdir -p "$work"
cp -r "$src/include" "$src/library" "$src/scripts" "$src/3rdparty" "$work/"
(
    cd "$work"
    grep -o 'scripts/config.py set [A-Z0-9_]*' "$src/debian/rules" | while read -r _ _ opt; do
        python3 scripts/config.py set "$opt"
    done
    python3 scripts/config.py set MBEDTLS_SSL_IN_CONTENT_LEN "$in_len"
    python3 scripts/config.py set MBEDTLS_SSL_OUT_CONTENT_LEN "$out_len"
)

jobs=$(nproc 2>/dev/null || echo 2)
[ "$jobs" -gt 2 ] && jobs=2
# Debian's optimisation level; no -Werror on third-party code.
flags="-O2 -g0 -fPIC"
reuse=""
for other in "$(dirname "$out")"/*/lib/libmbedcrypto.a; do
    if [ -f "$other" ] && [ "$other" != "$out/lib/libmbedcrypto.a" ]; then
        reuse=$(dirname "$other")
        break
    fi
done
mkdir -p "$out/lib"
targets="libmbedcrypto.a libmbedx509.a libmbedtls.a"
[ -n "$reuse" ] && targets="libmbedtls.a"
# shellcheck disable=SC2086
if ! nice make -s -C "$work/library" -j"$jobs" CFLAGS="$flags" $targets >"$out/build.log" 2>&1; then
    cat "$out/build.log" >&2
    exit 1
fi
if [ -n "$reuse" ]; then
    cp "$reuse/libmbedcrypto.a" "$reuse/libmbedx509.a" "$out/lib/"
else
    cp "$work/library/libmbedcrypto.a" "$work/library/libmbedx509.a" "$out/lib/"
fi
cp "$work/library/libmbedtls.a" "$out/lib/"
rm -rf "$out/include"
cp -r "$work/include" "$out/include"
rm -rf "$work"
touch "$stamp"
echo "$out"
