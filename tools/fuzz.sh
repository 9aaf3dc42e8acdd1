#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run one libFuzzer target of test/fuzz for a long time, niced, one job.
#
#   tools/fuzz.sh TARGET SECONDS         fuzz (TARGET: fuzz_http, fuzz_decode,
#                                        fuzz_url, fuzz_ticket, fuzz_upload)
#   tools/fuzz.sh --coverage TARGET      line coverage of core/src reached by
#                                        the seed and grown corpora
#   tools/fuzz.sh --list                 the targets
#
# The corpus grows in $FC_BUILD_DIR/fuzz-corpus/TARGET (kept between runs);
# the checked-in seeds (test/fuzz/corpus/TARGET) are read, never written.
# Crashes land in $FC_BUILD_DIR/fuzz-artifacts/. FC_FUZZ_OPEN (default: the
# names in test/fuzz/open_findings.txt) lists findings the oracles count
# instead of stopping at; set it to "" to stop at every finding.
# FC_FUZZ_FLAGS adds libFuzzer flags, e.g. "-fork=2" to fuzz on two cores or
# "-entropic=0" for more executions per second on a saturated corpus.
# The last lines printed are libFuzzer's final stats: stat::number_of_executed_units
# is the execution count of the run (in -fork mode: the last "#N" line's N).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${FC_BUILD_DIR:-$ROOT/build}
TARGETS="fuzz_http fuzz_decode fuzz_url fuzz_ticket fuzz_upload"

usage() { sed -n '3,18p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

configure() { # dir extra-cflags
    cmake -S "$ROOT" -B "$1" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DFC_FUZZ=ON -DFC_BUILD_TESTS=OFF -DFC_BUILD_EXAMPLES=OFF -DFC_WERROR=ON \
        -DCMAKE_C_FLAGS="$2" >/dev/null
    nice -n 19 cmake --build "$1" -j 2 --target "$3" >/dev/null
}

open_list() { # test/fuzz/open_findings.txt unless the environment sets FC_FUZZ_OPEN
    if [ -n "${FC_FUZZ_OPEN+x}" ]; then
        printf '%s' "$FC_FUZZ_OPEN"
    else
        sed -n 's/^\([a-z][a-z0-9-]*\).*/\1/p' "$ROOT/test/fuzz/open_findings.txt" | paste -sd, -
    fi
}

dict_for() {
    case "$1" in fuzz_upload|fuzz_url) ;; *) printf -- '-dict=%s' "$ROOT/test/fuzz/fz.dict" ;; esac
}

case "${1:-}" in
--list) echo "$TARGETS"; exit 0 ;;
--coverage)
    target=${2:-}; [ -n "$target" ] || usage
    dir="$BUILD/fuzz-coverage"
    configure "$dir" "-fprofile-instr-generate -fcoverage-mapping" "$target"
    mkdir -p "$BUILD/fuzz-corpus/$target"
    prof="$dir/$target.profraw"
    FC_FUZZ_OPEN=$(open_list) LLVM_PROFILE_FILE="$prof" \
        "$dir/test/fuzz/$target" -runs=0 "$BUILD/fuzz-corpus/$target" \
        "$ROOT/test/fuzz/corpus/$target" >/dev/null 2>&1 || true
    llvm-profdata merge -sparse "$prof" -o "$dir/$target.profdata"
    # shellcheck disable=SC2046
    llvm-cov report "$dir/test/fuzz/$target" -instr-profile="$dir/$target.profdata" \
        $(find "$ROOT/core/src" -name '*.c' | sort)
    exit 0 ;;
esac

target=${1:-}; seconds=${2:-}
[ -n "$target" ] && [ -n "$seconds" ] || usage
case " $TARGETS " in *" $target "*) ;; *) echo "unknown target $target" >&2; usage ;; esac
dir="$BUILD/fuzz"
configure "$dir" "" "$target"
mkdir -p "$BUILD/fuzz-corpus/$target" "$BUILD/fuzz-artifacts"
# shellcheck disable=SC2046,SC2086
FC_FUZZ_OPEN=$(open_list) ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    nice -n 19 "$dir/test/fuzz/$target" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$BUILD/fuzz-artifacts/$target-" \
    $(dict_for "$target") ${FC_FUZZ_FLAGS:-} "$BUILD/fuzz-corpus/$target" "$ROOT/test/fuzz/corpus/$target"
