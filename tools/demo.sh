#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The demo: a pretend camera streams frames to FluidCloud, waits for each
# to scan clean and prints its public link.
#
# Against the local emulator (test/emulator) unless FLUIDCLOUD_API_KEY and
# FLUIDCLOUD_BASE_URL are both set, in which case it talks to that service
# (FLUIDCLOUD_CA_FILE optional; the system CA bundle otherwise).
#   tools/demo.sh [frames]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${FC_BUILD_DIR:-$ROOT/build}/demo
FRAMES=${1:-5}

"$ROOT/tools/deps.sh"

echo "Building..."
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DFC_BUILD_TESTS=OFF >/dev/null
cmake --build "$BUILD" -j "$(nproc 2>/dev/null || echo 2)" --target camera_stream >/dev/null

CAMERA="$BUILD/examples/camera_stream/camera_stream"
if [ -n "${FLUIDCLOUD_API_KEY:-}" ] && [ -n "${FLUIDCLOUD_BASE_URL:-}" ]; then
    echo "Using the service at $FLUIDCLOUD_BASE_URL"
    exec "$CAMERA" "$FRAMES"
fi
echo "Starting the local FluidCloud emulator (no account needed)..."
exec python3 "$ROOT/test/emulator/with_emulator.py" -- "$CAMERA" "$FRAMES"
