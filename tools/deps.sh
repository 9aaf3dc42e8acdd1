#!/usr/bin/env bash
# Installs the Debian 12 packages fluidcloud-c needs to build, test and run
# its demo. As root it runs apt-get; otherwise it prints the one apt-get
# line to run and exits 1. Sourced or run: `tools/deps.sh [--embedded]`.
set -euo pipefail

FC_APT_PACKAGES="cmake make gcc clang libclang-rt-14-dev python3 openssl ca-certificates \
libmbedtls-dev node-llhttp libjsmn-dev libcmocka-dev"
# Cross toolchains, Kconfig and lwIP for the embedded checks of the suite.
FC_APT_EMBEDDED="gcc-arm-none-eabi libnewlib-arm-none-eabi gcc-riscv64-unknown-elf \
picolibc-riscv64-unknown-elf python3-kconfiglib python3-yaml liblwip-dev iproute2 binutils"

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
