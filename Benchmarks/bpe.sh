#!/usr/bin/env bash
# Byte-pair encoding: learning 10,000 merges with Glossa (`glossa-bench bpe learn`), subword-nmt 0.3.8
# and HuggingFace tokenizers' BpeTrainer on the same words (lines split on spaces), all cores, on
# German Multi30k train, Penn Treebank train, and PTB train repeated to ~100 MB; checks that Glossa's
# codes are byte for byte subword-nmt's; then applying the PTB codes (`glossa-bench bpe apply`,
# --tokenizer whitespace) to PTB train repeated to ~51 MB on one core and on two, and subword-nmt
# apply-bpe to PTB train once.
# Prints each JSON line, then the ratios.
# Usage: Benchmarks/bpe.sh            (needs ../shared/data/{multi30k,ptb})
# PYTHON: a Python with subword-nmt==0.3.8 and tokenizers (default /work/venv-bpe/bin/python).
# SCRATCH picks the build folder (default .build). SKIP_100MB=1 leaves out the 100 MB corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-/work/venv-bpe/bin/python}
SCRATCH=${SCRATCH:-.build}
data=../shared/data
work=$(mktemp -d /tmp/glossa-bpe-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
gzip -dc "$data/multi30k/train.de.gz" > "$work/multi30k.de"
gzip -dc "$data/ptb/ptb.train.txt.gz" > "$work/ptb.txt"
for _ in $(seq 10); do cat "$work/ptb.txt"; done > "$work/ptb-x10.txt"
corpora="multi30k.de ptb.txt"
if [ -z "${SKIP_100MB:-}" ]; then
    for _ in $(seq 20); do cat "$work/ptb.txt"; done > "$work/ptb-x20.txt"
    corpora="$corpora ptb-x20.txt"
fi
swift build -c release --scratch-path "$SCRATCH" --product glossa-bench >&2
bench=$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/glossa-bench
echo "load: $(uptime)" >&2
for corpus in $corpora; do
    file=$work/$corpus
    "$bench" bpe learn "$file" --tokenizer whitespace --merges 10000 --output "$work/$corpus.glossa.bpe" | sed "s/}$/, \"corpus\": \"$corpus\"}/"
    "$PYTHON" Benchmarks/bpe_peers.py subword-nmt-learn "$file" --merges 10000 --output "$work/$corpus.snmt.bpe" | sed "s/}$/, \"corpus\": \"$corpus\"}/"
    "$PYTHON" Benchmarks/bpe_peers.py hf-learn "$file" --merges 10000 | sed "s/}$/, \"corpus\": \"$corpus\"}/"
    if cmp -s "$work/$corpus.glossa.bpe" "$work/$corpus.snmt.bpe"; then
        echo "{\"check\": \"codes identical to subword-nmt\", \"corpus\": \"$corpus\", \"identical\": true}"
    else
        echo "{\"check\": \"codes identical to subword-nmt\", \"corpus\": \"$corpus\", \"identical\": false}"
    fi
done | tee "$work/results.jsonl"
{
    "$bench" bpe apply "$work/ptb-x10.txt" --codes "$work/ptb.txt.glossa.bpe" --tokenizer whitespace
    "$PYTHON" Benchmarks/bpe_peers.py subword-nmt-apply "$work/ptb.txt" --codes "$work/ptb.txt.snmt.bpe"
} | tee -a "$work/results.jsonl"
echo "load: $(uptime)" >&2
python3 - "$work/results.jsonl" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
learn = [r for r in rows if r.get("benchmark") == "bpe-learn"]
for corpus in dict.fromkeys(r["corpus"] for r in learn):
    by = {r["impl"].split("-")[0] if not r["impl"].startswith("hf") else "hf": r for r in learn if r["corpus"] == corpus}
    g, s, h = by["glossa"], by["subword"], by["hf"]
    print(f"learn {corpus} ({g['megabytes']} MB, {g['merges']} merges): glossa {g['seconds']:.2f} s, "
          f"subword-nmt {s['seconds']:.2f} s ({s['seconds'] / g['seconds']:.0f}x), "
          f"hf {h['seconds']:.2f} s ({h['seconds'] / g['seconds']:.1f}x); CPU s glossa {g['cpu_seconds']:.2f}, "
          f"subword-nmt {s['cpu_seconds']:.2f}, hf {h['cpu_seconds']:.2f}")
for r in rows:
    if r.get("benchmark") == "bpe-apply":
        print(f"apply {r['impl']} threads={r['threads']}: {r['mb_per_s']} MB/s ({r['megabytes']} MB)")
    if "check" in r:
        print(f"{r['corpus']}: codes identical to subword-nmt: {r['identical']}")
PY
