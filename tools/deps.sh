#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs the Debian 12 packages fluidcloud-c needs to build, test and run
# its demo. As root it runs apt-get; otherwise it prints the one apt-get
# line to run and exits 1. Sourced or run: `tools/deps.sh [--embedded]`.
#
# `tools/deps.sh --source PKG DIR` unpacks Debian's source package PKG into
# DIR (apt-get source; adds a deb-src entry for deb.debian.org bookworm when
# none is configured) and prints the unpacked directory. Reuses an earlier
# unpack in DIR. The embedded checks build lwIP this way (NO_SYS=1).
set -euo pipefail

# Debian's source of PKG unpacked in DIR; prints its directory.
fc_deb_source() {
    local pkg=$1 dir=$2 found
    mkdir -p "$dir"
    found=$(find "$dir" -mindepth 1 -maxdepth 1 -type d -name "$pkg-*" | sort | tail -n 1)
    if [ -n "$found" ]; then
        echo "$found"
        return 0
    fi
    if [ "$(id -u)" -ne 0 ]; then
        echo "The source of $pkg is needed in $dir. Run as root, or unpack it there:" >&2
        echo "  (cd $dir && apt-get source $pkg)" >&2
        return 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    if ! grep -rqsE '^[[:space:]]*(deb-src[[:space:]]|Types:.*deb-src)' /etc/apt/sources.list \
            /etc/apt/sources.list.d/; then
        echo "Adding a deb-src entry (/etc/apt/sources.list.d/fc-deb-src.sources)" >&2
        cat > /etc/apt/sources.list.d/fc-deb-src.sources <<'SRCEOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRCEOF
        apt-get update -qq >&2
    fi
    if ! command -v dpkg-source >/dev/null; then
        apt-get install -y -qq --no-install-recommends dpkg-dev >&2
    fi
    # A configured deb-src whose lists were never fetched: update once, retry.
    if ! (cd "$dir" && apt-get source -qq "$pkg" >&2); then
        apt-get update -qq >&2
        (cd "$dir" && apt-get source -qq "$pkg" >&2)
    fi
    find "$dir" -mindepth 1 -maxdepth 1 -type d -name "$pkg-*" | sort | tail -n 1
}

if [ "${1:-}" = "--source" ]; then
    fc_deb_source "${2:?usage: deps.sh --source PKG DIR}" "${3:?usage: deps.sh --source PKG DIR}"
    exit $?
fi

FC_APT_PACKAGES="cmake make gcc clang libclang-rt-14-dev python3 openssl ca-certificates \
libmbedtls-dev node-llhttp libjsmn-dev libcmocka-dev groff-base zsh frama-c-base pkg-config"
# Cross toolchains, Kconfig and lwIP for the embedded checks of the suite.
FC_APT_EMBEDDED="gcc-arm-none-eabi libnewlib-arm-none-eabi gcc-riscv64-unknown-elf \
picolibc-riscv64-unknown-elf python3-kconfiglib python3-yaml liblwip-dev iproute2 binutils \
qemu-system-arm valgrind"

wanted="$FC_APT_PACKAGES"
if [ "${1:-}" = "--embedded" ]; then
    wanted="$wanted $FC_APT_EMBEDDED"
fi

missing=""
for pkg in $wanted; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $pkg"
    fi
done

if [ -z "$missing" ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "Missing packages. Run as root, then try again:" >&2
    echo "  apt-get update && apt-get install -y$missing" >&2
    exit 1
fi
echo "Installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
