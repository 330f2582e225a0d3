#!/usr/bin/env bash
# Data-parallel training throughput: one process of one thread, then 2 ranks of one thread each on
# this machine (mpirun, shared memory), then 2 ranks in two network namespaces over TCP
# (Tests/TwoHosts, root only; skipped otherwise), the same global batch each time. Times the
# training steps only (no start-up, no evaluation). Prints one JSON line per run: global tokens/s
# (and pairs/s for the translator), ms per step, and the ms per step spent in the gradient allreduce.
#
#   Benchmarks/mpi_train.sh lm [STEPS=200] [BATCH=20]
#       Penn Treebank, the small configuration of Zaremba et al. (2 × LSTM 200, V 10,000, BPTT 20, SGD)
#   Benchmarks/mpi_train.sh translate [STEPS=30] [BATCH=64] [PAIRS=6400]
#       Multi30k de→en, the README's architecture (GRU, E 256, H 512, Adam) on the first PAIRS pairs
#
#   DATA=../shared/data   GLOSSA=path/to/glossa (default: the release build)
# Measure only on a quiet machine (`uptime` load < 0.5): ranks share the cores with anything else.
set -euo pipefail
JOB=${1:?usage: $0 lm|translate [STEPS] [BATCH] [PAIRS]}
DATA=${DATA:-../shared/data}
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
case "$JOB" in
lm)
    STEPS=${2:-200} BATCH=${3:-20}
    for s in train valid; do gzip -dc "$DATA/ptb/ptb.$s.txt.gz" > "$tmp/$s.txt"; done
    head -20 "$tmp/valid.txt" > "$tmp/short.txt"   # evaluation is not timed; keep it short
    args=(lm train --train "$tmp/train.txt" --valid "$tmp/short.txt" --tokenizer whitespace) ;;
translate)
    STEPS=${2:-30} BATCH=${3:-64} PAIRS=${4:-6400}
    for s in de en; do gzip -dc "$DATA/multi30k/train.$s.gz" | head -"$PAIRS" > "$tmp/train.$s" || true; done  # head closes the pipe
    args=(translate train --source "$tmp/train.de" --target "$tmp/train.en" --cell gru --embed 256 --hidden 512) ;;
*) echo "usage: $0 lm|translate [STEPS] [BATCH] [PAIRS]" >&2; exit 2 ;;
esac
args+=(--batch-size "$BATCH" --max-steps "$STEPS" --threads 1)
if [ -z "${GLOSSA:-}" ]; then
    swift build -c release --product glossa >&2
    GLOSSA=$(swift build -c release --show-bin-path)/glossa
fi
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OPENBLAS_NUM_THREADS=1

# run NAME LAUNCHER...: trains once with LAUNCHER (env, mpirun …, the two-hosts script), prints the JSON line.
run() {
    local name=$1; shift
    rm -rf "$tmp/model"
    "$@" "$GLOSSA" "${args[@]}" --output "$tmp/model" > "$tmp/out" 2> "$tmp/err" || { cat "$tmp/out" "$tmp/err" >&2; return 1; }
    python3 - "$name" "$JOB" "$tmp/model/metrics.jsonl" "$tmp/err" "$STEPS" "$BATCH" <<'PY'
import json, re, sys
name, job, metrics, err, steps, batch = sys.argv[1], sys.argv[2], sys.argv[3], open(sys.argv[4]).read(), int(sys.argv[5]), int(sys.argv[6])
record = [json.loads(line) for line in open(metrics)][-1]
m = re.search(r"(\d+) ranks; allreduce ([\d.]+) ms per step", err)
result = {"job": job, "run": name, "steps": steps, "global_batch": batch, "tokens_per_s": round(record["tokens_per_second"], 1)}
if job == "translate": result["pairs_per_s"] = round(steps * batch / record["epoch_seconds"], 1)
result.update({"ms_per_step": round(1000 * record["epoch_seconds"] / steps, 2), "allreduce_ms_per_step": float(m.group(2)) if m else 0.0})
print(json.dumps(result))
PY
}

run "1 rank" env
run "2 ranks, one machine" mpirun -np 2 --oversubscribe --bind-to none
if [ "$(id -u)" -eq 0 ]; then run "2 ranks, two namespaces (TCP)" Tests/TwoHosts/two-hosts.sh | grep -v '^skipped' || true; fi
