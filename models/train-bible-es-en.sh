#!/usr/bin/env bash
# Retrains the shipped Spanish→English model models/bible-es-en from the verse-aligned Reina-Valera
# 1909 / King James Bible pairs that corpora/bible-en-es.sh builds from Debian's SWORD packages.
# Every 100th verse is held out (validation during training; BLEU afterwards). Subword pieces: 8,000
# joint byte-pair merges (about 5,000 pieces per side; every character kept, so no <unk> for an
# unseen word made of known letters); pairs longer than 40 pieces are skipped.
# Usage: models/train-bible-es-en.sh [OUTPUT_DIR]   (default models/bible-es-en; ~70 min on 1 busy core)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-models/bible-es-en}
work=${WORK:-$(mktemp -d /tmp/glossa-bible.XXXXXX)}
swift build -c release >&2
GLOSSA=${GLOSSA:-$(swift build -c release --show-bin-path)/glossa}
corpora/bible-en-es.sh "$work/bible"
awk 'NR % 100 != 0' "$work/bible.es" > "$work/train.es"
awk 'NR % 100 != 0' "$work/bible.en" > "$work/train.en"
awk 'NR % 100 == 0' "$work/bible.es" > "$work/valid.es"
awk 'NR % 100 == 0' "$work/bible.en" > "$work/valid.en"
"$GLOSSA" translate train --source "$work/train.es" --target "$work/train.en" \
    --valid-source "$work/valid.es" --valid-target "$work/valid.en" --output "$out" \
    --cell gru --embed 128 --hidden 256 --bpe 8000 --max-length 40 \
    --dropout 0.2 --lr 2e-3 --batch-size 64 --epochs ${EPOCHS:-6} --patience 2 --seed 1
rm -rf "$out/training"
"$GLOSSA" translate eval --model "$out" --source "$work/valid.es" --reference "$work/valid.en" --json
