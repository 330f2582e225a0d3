#!/usr/bin/env bash
# Training throughput (tokens/s) of `glossa lm train` against PyTorch's word_language_model
# (Benchmarks/pytorch_word_lm.py) on Penn Treebank, the same data, the same thread count, in the
# same run, for each configuration of Zaremba et al. and each thread count: the two alternate
# ROUNDS times and the best round of each counts (shared machines are noisy). Both time the
# training steps only (no start-up, no evaluation).
#   small:  2-layer LSTM 200, BPTT 20, batch 20, no dropout, init ±0.1
#   medium: 2-layer LSTM 650, BPTT 35, batch 20, dropout 0.5, init ±0.05
#
# Usage: Benchmarks/lm_throughput.sh [STEPS=300] [THREADS=1,2] [ROUNDS=2]
#   CONFIGS="small medium"   PTB=../shared/data/ptb (ptb.{train,valid}.txt[.gz])
#   PYTHON=/work/venv-torch/bin/python (with torch)   GLOSSA=path/to/glossa (default: build the release binary here)
# Prints one JSON line per run and a summary line per configuration and thread count with the ratio.
set -euo pipefail
STEPS=${1:-300}
THREAD_COUNTS=${2:-1,2}
ROUNDS=${3:-2}
CONFIGS=${CONFIGS:-small medium}
PTB=${PTB:-../shared/data/ptb}
PYTHON=${PYTHON:-/work/venv-torch/bin/python}
cd "$(dirname "$0")/.."
"$PYTHON" -c 'import torch' || { echo "lm_throughput.sh: $PYTHON cannot import torch (set PYTHON)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for s in train valid; do
    if [ -f "$PTB/ptb.$s.txt" ]; then cp "$PTB/ptb.$s.txt" "$tmp/"; else gunzip -c "$PTB/ptb.$s.txt.gz" > "$tmp/ptb.$s.txt"; fi
done
head -50 "$tmp/ptb.valid.txt" > "$tmp/short.valid.txt"   # evaluation is not timed; keep it short
if [ -z "${GLOSSA:-}" ]; then
    swift build -c release --product glossa >&2
    GLOSSA=$(swift build -c release --show-bin-path)/glossa
fi
# The same settings for both, by configuration name.
settings() {
    case "$1" in
    small) echo "--hidden 200 --embed 200 --bptt 20 --init 0.1" ;;
    medium) echo "--hidden 650 --embed 650 --bptt 35 --dropout 0.5 --init 0.05" ;;
    *) echo "lm_throughput.sh: unknown configuration $1 (small or medium)" >&2; exit 1 ;;
    esac
}
for config in $CONFIGS; do
    flags=$(settings "$config")
    for threads in ${THREAD_COUNTS//,/ }; do
        best_glossa=0
        best_torch=0
        for round in $(seq "$ROUNDS"); do
            load=$(cut -d' ' -f1 /proc/loadavg)
            rm -rf "$tmp/model"
            # shellcheck disable=SC2086
            "$GLOSSA" lm train --train "$tmp/ptb.train.txt" --valid "$tmp/short.valid.txt" --tokenizer whitespace \
                --output "$tmp/model" --max-steps "$STEPS" --threads "$threads" $flags > /dev/null
            g=$("$PYTHON" -c 'import json,sys; print(round(json.loads(open(sys.argv[1]).readline())["tokens_per_second"], 1))' "$tmp/model/metrics.jsonl")
            echo "{\"system\": \"glossa\", \"config\": \"$config\", \"round\": $round, \"steps\": $STEPS, \"threads\": $threads, \"tokens_per_s\": $g, \"load\": $load}"
            load=$(cut -d' ' -f1 /proc/loadavg)
            # shellcheck disable=SC2086
            t=$("$PYTHON" Benchmarks/pytorch_word_lm.py --train "$tmp/ptb.train.txt" --valid "$tmp/short.valid.txt" \
                --max-steps "$STEPS" --no-eval --threads "$threads" $flags | tail -1 | "$PYTHON" -c 'import json,sys; print(json.loads(sys.stdin.read())["tokens_per_s"])')
            echo "{\"system\": \"pytorch\", \"config\": \"$config\", \"round\": $round, \"steps\": $STEPS, \"threads\": $threads, \"tokens_per_s\": $t, \"load\": $load}"
            best_glossa=$("$PYTHON" -c "print(max($best_glossa, $g))")
            best_torch=$("$PYTHON" -c "print(max($best_torch, $t))")
        done
        "$PYTHON" -c "import json; print(json.dumps({'benchmark': 'lm-train-throughput-ptb-$config', 'glossa_tokens_per_s': $best_glossa, 'pytorch_tokens_per_s': $best_torch, 'ratio': round($best_glossa / $best_torch, 2), 'threads': $threads, 'steps': $STEPS}))"
    done
done
