#!/usr/bin/env bash
# Translator speed: Glossa (glossa-bench translate) and the same architecture in PyTorch
# (Benchmarks/pytorch_seq2seq.py) on the same Multi30k de→en pairs, one after the other in the same
# run: training sentence pairs/s and batched greedy decoding sentences/s, then the ratios.
# Usage: Benchmarks/translate.sh [TRAIN_PAIRS] [DECODE] [MODEL]   (defaults 3200, 1000, none)
# Both decode the same ids with the same weights (PyTorch loads Glossa's model.safetensors): MODEL (a
# de→en model directory, e.g. the Multi30k run in the README) or, without it, what Glossa trained in
# the timing run. Both print decoded_tokens, which must agree.
# Needs ../shared/data/multi30k (benchmark data) and a Python with torch (PYTHON, default /work/venv-torch/bin/python).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-/work/venv-torch/bin/python}
SCRATCH=${SCRATCH:-.build}
THREADS=${THREADS:-2}
data=../shared/data/multi30k
[ -f "$data/train.de.gz" ] || { echo "translate.sh: $data is absent" >&2; exit 1; }
work=$(mktemp -d /tmp/glossa-translate-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
gzip -dc "$data/train.de.gz" > "$work/train.de"
gzip -dc "$data/train.en.gz" > "$work/train.en"
swift build -c release --scratch-path "$SCRATCH" --product glossa-bench >&2
bench=$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/glossa-bench
{
    "$bench" translate --source "$work/train.de" --target "$work/train.en" --train-pairs "${1:-3200}" --decode "${2:-1000}" \
        --threads "$THREADS" ${3:+--model "$3"} --ids-out "$work/decode.ids" --model-out "$work/model"
    "$PYTHON" Benchmarks/pytorch_seq2seq.py --source "$work/train.de" --target "$work/train.en" --train-pairs "${1:-3200}" --decode "${2:-1000}" \
        --threads "$THREADS" --decode-model "$work/model" --decode-ids "$work/decode.ids"
} | tee "$work/results"
python3 - "$work/results" <<'PY'
import json, sys
rows = {("glossa" if r["implementation"] == "glossa" else "pytorch"): r for r in map(json.loads, open(sys.argv[1])) if r}
g, p = rows["glossa"], rows["pytorch"]
ratio = {"benchmark": "translate-ratio", "same_decoded_tokens": g["decoded_tokens"] == p["decoded_tokens"],
         "decode_speedup": round(g["decode_sentences_per_second"] / p["decode_sentences_per_second"], 2)}
if g["train_pairs"] and p["train_pairs"]:
    ratio["train_speedup"] = round(g["train_pairs_per_second"] / p["train_pairs_per_second"], 2)
print(json.dumps(ratio))
PY
