#!/usr/bin/env bash
# Training throughput (tokens/s) of `glossa lm train` against PyTorch's word_language_model
# (Benchmarks/pytorch_word_lm.py) on Penn Treebank with the small configuration of Zaremba et al.
# (2-layer LSTM 200, BPTT 20, batch 20, SGD, clip 5), the same data, the same thread count, in the
# same run: the two alternate ROUNDS times and the best round of each counts (shared machines are
# noisy). Both time the training steps only (no start-up, no evaluation).
#
# Usage: Benchmarks/lm_throughput.sh [STEPS=300] [THREADS=2] [ROUNDS=2]
#   PTB=../shared/data/ptb (ptb.{train,valid}.txt[.gz])   PYTHON=python3 (with torch)
#   GLOSSA=path/to/glossa (default: build the release binary here)
# Prints one JSON line per run and a summary line with the ratio.
set -euo pipefail
STEPS=${1:-300}
THREADS=${2:-2}
ROUNDS=${3:-2}
PTB=${PTB:-../shared/data/ptb}
PYTHON=${PYTHON:-python3}
cd "$(dirname "$0")/.."
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
best_glossa=0
best_torch=0
for round in $(seq "$ROUNDS"); do
    rm -rf "$tmp/model"
    "$GLOSSA" lm train --train "$tmp/ptb.train.txt" --valid "$tmp/short.valid.txt" --tokenizer whitespace \
        --output "$tmp/model" --max-steps "$STEPS" --threads "$THREADS" > /dev/null
    g=$("$PYTHON" -c 'import json,sys; print(round(json.loads(open(sys.argv[1]).readline())["tokens_per_second"], 1))' "$tmp/model/metrics.jsonl")
    echo "{\"system\": \"glossa\", \"round\": $round, \"steps\": $STEPS, \"threads\": $THREADS, \"tokens_per_s\": $g}"
    t=$("$PYTHON" Benchmarks/pytorch_word_lm.py --train "$tmp/ptb.train.txt" --valid "$tmp/short.valid.txt" \
        --max-steps "$STEPS" --no-eval --threads "$THREADS" | tail -1 | "$PYTHON" -c 'import json,sys; print(json.loads(sys.stdin.read())["tokens_per_s"])')
    echo "{\"system\": \"pytorch\", \"round\": $round, \"steps\": $STEPS, \"threads\": $THREADS, \"tokens_per_s\": $t}"
    best_glossa=$("$PYTHON" -c "print(max($best_glossa, $g))")
    best_torch=$("$PYTHON" -c "print(max($best_torch, $t))")
done
"$PYTHON" -c "import json; print(json.dumps({'benchmark': 'lm-train-throughput-ptb-small', 'glossa_tokens_per_s': $best_glossa, 'pytorch_tokens_per_s': $best_torch, 'ratio': round($best_glossa / $best_torch, 2), 'threads': $THREADS, 'steps': $STEPS}))"
