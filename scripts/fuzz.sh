#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/ (ConfabCore's input parsers, called as the server calls
# them) and runs each for SECONDS on a temporary copy of its seed corpus in Fuzz/Corpus/<target>.
#
#   scripts/fuzz.sh SECONDS [TARGET…]     (default: every target, one after another)
#
# Prints `fuzz: <target> <executions> executions, <crashes> crashes` per target and exits
# non-zero if any target crashed, hung (-timeout) or ran out of memory; the input that did it is
# left in .build-fuzz/crashes/ (replay it: .build-fuzz/release/<target> <file>), the log in
# .build-fuzz/logs/. The committed corpus is not modified. Needs a Swift toolchain with libFuzzer
# (swift.org's Linux toolchains have it). FUZZ_FLAGS adds libFuzzer flags (e.g. -seed=1).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ $# -lt 1 || ! $1 =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: $0 SECONDS [TARGET…]" >&2
    exit 2
fi
seconds=$1
shift
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(FuzzForm FuzzJSON FuzzListQuery FuzzSession)

scratch=.build-fuzz
# SwiftPM passes `--sanitize` to the compiler as two options of which the driver keeps only the
# last for compiling, so the Swift code would get no coverage instrumentation (libFuzzer then
# finds "no interesting inputs"): -sanitize=fuzzer,address as one option instead, last. The
# `--sanitize` options stay: with them SwiftPM lets libFuzzer's `main` be the entry point, and
# the C code (swift-crypto's BoringSSL) is built with AddressSanitizer too.
build=(swift build -c release --scratch-path "$scratch"
    --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address)
start=$(date +%s)
for target in "${targets[@]}"; do
    CONFAB_FUZZ=1 nice -n 10 "${build[@]}" --product "$target"
done
echo "fuzz: built ${targets[*]} in $(($(date +%s) - start)) s"
bin=$(CONFAB_FUZZ=1 "${build[@]}" --show-bin-path)

mkdir -p "$scratch/crashes" "$scratch/logs"
# A trap (fatalError, a failed precondition) is reported by AddressSanitizer with a symbolized
# stack; Swift's own backtracer would hold the process and libFuzzer's crash handling.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=${ASAN_OPTIONS:-handle_sigill=1:handle_abort=1:detect_leaks=1}
symbolizer=$(command -v llvm-symbolizer || true)
[[ -z $symbolizer ]] || export ASAN_SYMBOLIZER_PATH=$symbolizer

failed=0
for target in "${targets[@]}"; do
    case $target in
        FuzzJSON) max_len=4096 ;;
        *) max_len=8192 ;;  # room for the 1,001-parameter floods of the corpus
    esac
    corpus=$(mktemp -d)
    cp Fuzz/Corpus/"$target"/* "$corpus"/
    dictionary=()
    [[ ! -f Fuzz/Dictionaries/$target.dict ]] || dictionary=(-dict="Fuzz/Dictionaries/$target.dict")
    log=$scratch/logs/$target.log
    artifacts="^$target-\(crash\|timeout\|oom\|leak\)-"
    before=$(ls "$scratch/crashes" | grep -c "$artifacts" || true)
    status=0
    # -timeout: one input taking 10 s is a hang (every input's cost is linear in its size);
    # -rss_limit_mb: 2 GB is an out-of-memory crash.
    "$bin/$target" "$corpus" "${dictionary[@]}" -max_total_time="$seconds" -max_len="$max_len" \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$scratch/crashes/$target-" \
        ${FUZZ_FLAGS:-} >"$log" 2>&1 || status=$?
    rm -rf "$corpus"
    executions=$(grep -o 'stat::number_of_executed_units:[[:space:]]*[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1 || true)
    rate=$(grep -o 'stat::average_exec_per_sec:[[:space:]]*[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1 || true)
    after=$(ls "$scratch/crashes" | grep -c "$artifacts" || true)
    crashes=$((after - before))
    if [[ $status -ne 0 && $crashes -eq 0 ]]; then crashes=1; fi  # died without writing an input
    echo "fuzz: $target ${executions:-?} executions, $crashes crashes (${rate:-?} exec/s, exit $status)"
    if [[ $crashes -ne 0 || $status -ne 0 ]]; then
        failed=1
        grep -v '^INFO:\|^#[0-9]' "$log" | tail -60 >&2
        echo "fuzz: $target: input in $scratch/crashes/, log in $log" >&2
    fi
done
exit $failed
