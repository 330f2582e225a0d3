#!/usr/bin/env bash
# Tokenizer throughput, text to token ids, in memory: Glossa (ICU nfkc_cf + word segments, dictionary
# ids; `glossa-bench tokenize`) and HuggingFace tokenizers (NFKC + Lowercase + Whitespace + WordLevel;
# Benchmarks/tokenizer_peer.py) on the same file in the same run, on one core and on two.
# Prints each one's JSON line, then MB/s (wall clock) and MB per CPU-second (what a shared machine
# does not distort as much) and the ratios, per thread count.
# Usage: Benchmarks/tokenizer.sh [FILE]   (default: Penn Treebank train repeated 10 times, ~51 MB)
# Needs ../shared/data/ptb (benchmark data) for the default file and a Python with `tokenizers`
# (PYTHON, default /root/venv/bin/python). SCRATCH picks the build folder (default .build).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-/root/venv/bin/python}
SCRATCH=${SCRATCH:-.build}
work=$(mktemp -d /tmp/glossa-tokenizer-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
file=${1:-}
if [ -z "$file" ]; then
    ptb=../shared/data/ptb/ptb.train.txt.gz
    [ -f "$ptb" ] || { echo "tokenizer.sh: $ptb is absent; pass a text file" >&2; exit 1; }
    file=$work/ptb-x10.txt
    for _ in $(seq 10); do gzip -dc "$ptb"; done > "$file"
fi
swift build -c release --scratch-path "$SCRATCH" --product glossa-bench >&2
bench=$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/glossa-bench
{
    "$bench" tokenize "$file"
    "$PYTHON" Benchmarks/tokenizer_peer.py "$file" --threads 1
    "$PYTHON" Benchmarks/tokenizer_peer.py "$file" --threads 2
} | tee "$work/results.jsonl"
python3 - "$work/results.jsonl" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
def rate(impl, threads, key):
    return next(r[key] for r in rows if r["impl"].startswith(impl) and r["threads"] == threads)
for threads in (1, 2):
    g, h = rate("glossa", threads, "mb_per_s"), rate("hf", threads, "mb_per_s")
    gc, hc = rate("glossa", threads, "mb_per_cpu_s"), rate("hf", threads, "mb_per_cpu_s")
    print(f"threads={threads}: glossa {g:.1f} MB/s, hf-tokenizers {h:.1f} MB/s, ratio {g / h:.2f}x;"
          f" per CPU-second glossa {gc:.1f}, hf {hc:.1f}, ratio {gc / hc:.2f}x")
PY
