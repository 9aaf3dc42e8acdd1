#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run the chaos test (test/chaos) for many runs, in shards side by side.
#
#   tools/chaos.sh RUNS JOBS [SEED]
#
# Builds the driver as CI's sanitized suite does (clang, ASan+UBSan) in
# $FC_BUILD_DIR/chaos, then starts JOBS shards, each with its own emulator
# (with_emulator.py, as ctest runs the chaos test) and its own seed (SEED,
# SEED+1, ...; default: the time), and prints the merged table of outcomes
# per fault kind. A run mostly waits on the emulator's injected delays, so
# shards beyond the core count still speed it up. Each shard's log is kept in
# $FC_BUILD_DIR/chaos-runs/. Exits 1 if any run was a hang, a false success,
# a key leak, a downgrade, an injection or a crash.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${FC_BUILD_DIR:-$ROOT/build}
runs=${1:-}
jobs=${2:-}
seed=${3:-$(date +%s)}
[ -n "$runs" ] && [ -n "$jobs" ] || { sed -n '3,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

cmake -S "$ROOT" -B "$BUILD/chaos" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug \
    -DFC_SANITIZE=ON -DFC_WERROR=ON >/dev/null
cmake --build "$BUILD/chaos" -j 2 --target chaos_upload >/dev/null
out="$BUILD/chaos-runs"
rm -rf "$out"
mkdir -p "$out"
summaries=()
pids=()
for ((i = 0; i < jobs; i++)); do
    share=$((runs / jobs + (i < runs % jobs ? 1 : 0)))
    summaries+=("$out/shard$i.json")
    PYTHONDONTWRITEBYTECODE=1 ASAN_OPTIONS=detect_leaks=1 \
        python3 "$ROOT/test/emulator/with_emulator.py" --scan-delay-ms 100 -- \
        python3 "$ROOT/test/chaos/chaos.py" --driver "$BUILD/chaos/test/chaos/chaos_upload" \
        --runs "$share" --seed $((seed + i)) --summary "$out/shard$i.json" \
        >"$out/shard$i.log" 2>&1 &
    pids+=($!)
done
status=0
for p in "${pids[@]}"; do
    wait "$p" || status=1 # a failed run, or the emulator crashed
done
for s in "${summaries[@]}"; do
    [ -f "$s" ] || { echo "chaos: no summary $s (see its .log)" >&2; status=1; }
done
python3 "$ROOT/test/chaos/chaos.py" --merge "${summaries[@]}" || status=1
exit "$status"
