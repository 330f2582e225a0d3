#!/usr/bin/env bash
# Runs each fuzz target of the libFuzzer build (.build-fuzz, see `make fuzz`) for SECONDS and fails on
# a crash, a trap (a broken promise such as the ASCII fast path disagreeing with ICU), a leak, a
# hang (one input over 10 s) or memory over 2 GB. New inputs collect in .build-fuzz/corpus/TARGET
# (kept between runs); failing ones are saved in .build-fuzz/artifacts/ and named in the message.
#   scripts/fuzz.sh SECONDS TARGET...
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=$1; shift
binary=.build-fuzz/debug/glossa-fuzz
export LSAN_OPTIONS="suppressions=$PWD/scripts/lsan.supp"
failed=0
for target in "$@"; do
    mkdir -p ".build-fuzz/corpus/$target" .build-fuzz/artifacts .build-fuzz/logs
    log=".build-fuzz/logs/$target.log"
    start=$(date +%s)
    dictionary=()
    [ -f "Fuzz/dictionaries/$target.dict" ] && dictionary=(-dict="Fuzz/dictionaries/$target.dict")
    "$binary" "$target" "${dictionary[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix=".build-fuzz/artifacts/$target-" ".build-fuzz/corpus/$target" "Fuzz/seeds/$target" >"$log" 2>&1
    status=$?
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
    coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    corpus=$(ls ".build-fuzz/corpus/$target" | wc -l)
    if [ $status -eq 0 ]; then
        echo "fuzz $target: ${runs:-?} runs in $(( $(date +%s) - start )) s, ${coverage:-cov: ?}, corpus $corpus: no failure"
    else
        failed=1
        echo "fuzz $target: FAILED (status $status); the input: $(grep -o "\.build-fuzz/artifacts/$target-[a-z]*-[0-9a-f]*" "$log" | head -1)" >&2
        grep -E 'ERROR|Fatal error|SUMMARY|panic|fast path|runtime error' "$log" | head -5 >&2
        echo "  replay: $binary $target <input>   (full log: $log)" >&2
    fi
done
exit $failed
