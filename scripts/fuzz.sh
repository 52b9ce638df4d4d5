#!/usr/bin/env bash
# Runs every libFuzzer target of tests/fuzz for a bounded time (`make fuzz`):
#   scripts/fuzz.sh BUILD_DIR [SECONDS_EACH]      (default 60, or $FUZZ_SECONDS)
# New inputs go to BUILD_DIR/fuzz-corpus/<target> (the seeds in tests/fuzz/corpus/<target> are
# read, never written); a crash, leak, UB report or timeout is kept as
# BUILD_DIR/fuzz-artifacts/<target>-crash-… and fails the command. To keep a reproducer, copy it
# into tests/fuzz/corpus/<target>/ with the fix.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?usage: scripts/fuzz.sh BUILD_DIR [SECONDS_EACH]}
seconds=${2:-${FUZZ_SECONDS:-60}}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0}
status=0
for seeds in tests/fuzz/corpus/*/; do
    target=$(basename "$seeds")
    corpus=$build/fuzz-corpus/$target
    mkdir -p "$corpus" "$build/fuzz-artifacts"
    echo "fuzz: $target for ${seconds}s" >&2
    # -timeout: one input taking 10 s is a hang; -rss_limit_mb: a blow-up is a finding too.
    if ! "$build/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$build/fuzz-artifacts/$target-" \
        "$corpus" "$seeds" 2>"$build/fuzz-$target.log"; then
        tail -n 40 "$build/fuzz-$target.log" >&2
        echo "fuzz: $target found a problem; the input is in $build/fuzz-artifacts/" >&2
        status=1
    else
        grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$build/fuzz-$target.log" |
            sed "s/^/fuzz: $target /" >&2
    fi
done
exit $status
