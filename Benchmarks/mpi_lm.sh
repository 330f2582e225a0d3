#!/usr/bin/env bash
# Data-parallel training throughput of `glossa lm train` on Penn Treebank with the small
# configuration of Zaremba et al. (2-layer LSTM 200, V 10,000, BPTT 20, SGD, clip 5) and a global
# batch of BATCH columns: one process of one thread, then 2 ranks of one thread each on this machine
# (mpirun, shared memory), then 2 ranks in two network namespaces over TCP (Tests/TwoHosts, root
# only; skipped otherwise). Times the training steps only (no start-up, no evaluation); the best of
# ROUNDS rounds counts. Prints one JSON line per run: global tokens/s, ms per step, and the ms per
# step spent in the gradient allreduce.
#
# Usage: Benchmarks/mpi_lm.sh [STEPS=200] [BATCH=20] [ROUNDS=2]
#   PTB=../shared/data/ptb (ptb.{train,valid}.txt[.gz])   GLOSSA=path/to/glossa (default: release build)
# Measure only on a quiet machine (`uptime` load < 0.5): ranks share the two cores with anything else.
set -euo pipefail
STEPS=${1:-200}
BATCH=${2:-20}
ROUNDS=${3:-2}
PTB=${PTB:-../shared/data/ptb}
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for s in train valid; do
    if [ -f "$PTB/ptb.$s.txt" ]; then cp "$PTB/ptb.$s.txt" "$tmp/"; else gunzip -c "$PTB/ptb.$s.txt.gz" > "$tmp/ptb.$s.txt"; fi
done
head -20 "$tmp/ptb.valid.txt" > "$tmp/short.valid.txt"   # evaluation is not timed; keep it short
if [ -z "${GLOSSA:-}" ]; then
    swift build -c release --product glossa >&2
    GLOSSA=$(swift build -c release --show-bin-path)/glossa
fi
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OPENBLAS_NUM_THREADS=1
args=(lm train --train "$tmp/ptb.train.txt" --valid "$tmp/short.valid.txt" --tokenizer whitespace
      --batch-size "$BATCH" --max-steps "$STEPS" --threads 1)

# run NAME LAUNCHER...: trains once, prints the JSON line.
run() {
    local name=$1; shift
    rm -rf "$tmp/model"
    "$@" "$GLOSSA" "${args[@]}" --output "$tmp/model" > "$tmp/out" 2> "$tmp/err" || { cat "$tmp/out" "$tmp/err" >&2; return 1; }
    python3 - "$name" "$tmp/model/metrics.jsonl" "$tmp/err" "$STEPS" "$BATCH" <<'PY'
import json, re, sys
name, metrics, err, steps, batch = sys.argv[1], sys.argv[2], open(sys.argv[3]).read(), int(sys.argv[4]), int(sys.argv[5])
record = json.loads(open(metrics).readline())
m = re.search(r"(\d+) ranks; allreduce ([\d.]+) ms per step of ([\d.]+) ms", err)
step_ms = 1000 * record["epoch_seconds"] / steps
print(json.dumps({"run": name, "steps": steps, "global_batch": batch, "tokens_per_s": round(record["tokens_per_second"], 1),
                  "ms_per_step": round(step_ms, 2), "allreduce_ms_per_step": float(m.group(2)) if m else 0.0,
                  "valid_ppl": record["perplexity"]}))
PY
}

for round in $(seq "$ROUNDS"); do
    run "1 rank" env
    run "2 ranks, one machine" mpirun -np 2 --oversubscribe --bind-to none
    if [ "$(id -u)" -eq 0 ]; then run "2 ranks, two namespaces (TCP)" Tests/TwoHosts/two-hosts.sh | grep -v '^skipped' || true; fi
done
