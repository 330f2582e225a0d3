#!/usr/bin/env bash
# Training and decoding speed before and after the issue-10 refactor (one training loop, one decoder
# step), in one run on one machine: builds commit BEFORE (default 8211009, the last commit before
# the refactor) in a temporary worktree, then times both binaries alternately, ROUNDS times each.
#   language model: `glossa lm train` tokens/s on Penn Treebank, small configuration (lm_throughput.sh's run);
#   translator: `glossa translate train` on 3,200 Multi30k pairs (one epoch, training seconds) and
#   greedy decoding of 1,000 test sentences with the trained model (seconds).
# Run it only on a quiet machine (uptime load < 0.5) and write the load beside the figures.
# Usage: Benchmarks/before_after.sh [ROUNDS=3]   PTB=../shared/data/ptb  M30K=../shared/data/multi30k
#        BEFORE_GLOSSA=/path/to/old/glossa skips building BEFORE (a release binary of it built earlier).
set -euo pipefail
ROUNDS=${1:-3}
BEFORE=${BEFORE:-8211009}
PTB=${PTB:-../shared/data/ptb}
M30K=${M30K:-../shared/data/multi30k}
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'git worktree remove --force "$tmp/before" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
if [ -z "${BEFORE_GLOSSA:-}" ]; then
    git worktree add --detach "$tmp/before" "$BEFORE" >&2
    (cd "$tmp/before" && swift build -c release --product glossa >&2)
    BEFORE_GLOSSA="$(cd "$tmp/before" && swift build -c release --show-bin-path)/glossa"
fi
swift build -c release --product glossa >&2
declare -A BIN=([before]="$BEFORE_GLOSSA" [after]="$(swift build -c release --show-bin-path)/glossa")
for f in train.de train.en test_2016_flickr.de; do
    if [ -f "$M30K/$f" ]; then head -3200 "$M30K/$f" > "$tmp/$f"; else { gunzip -c "$M30K/$f.gz" || true; } | head -3200 > "$tmp/$f"; fi  # gunzip ends by SIGPIPE
done
head -1000 "$tmp/test_2016_flickr.de" > "$tmp/decode.de"
echo "load: $(uptime)"
for round in $(seq "$ROUNDS"); do
    for which in before after; do
        glossa=${BIN[$which]}
        lm=$(CONFIGS=small GLOSSA="$glossa" Benchmarks/lm_throughput.sh 300 2 1 2>/dev/null | grep -i glossa | tail -1 || true)
        rm -rf "$tmp/tr-$which"
        start=$(date +%s.%N)
        "$glossa" translate train --source "$tmp/train.de" --target "$tmp/train.en" --output "$tmp/tr-$which" \
            --epochs 1 --embed 256 --hidden 512 --seed 1 --threads 2 >/dev/null 2>&1
        train=$(echo "$(date +%s.%N) - $start" | bc)
        start=$(date +%s.%N)
        "$glossa" translate --model "$tmp/tr-$which" < "$tmp/decode.de" > "$tmp/out-$which.en"
        decode=$(echo "$(date +%s.%N) - $start" | bc)
        printf '{"round": %d, "code": "%s", "translate_train_seconds": %.2f, "greedy_decode_1000_seconds": %.2f, "lm": %s}\n' \
            "$round" "$which" "$train" "$decode" "\"${lm//\"/\\\"}\""
    done
done
cmp -s "$tmp/out-before.en" "$tmp/out-after.en" && echo "greedy outputs: identical" || echo "greedy outputs: differ (dropout masks changed, so the trained models differ)"
