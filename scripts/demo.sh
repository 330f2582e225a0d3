#!/usr/bin/env bash
# The main job on data Glossa installs itself (Debian's King James Bible). Called by `make demo`.
set -euo pipefail
OUT=${OUT:-demo-output}
GLOSSA=$(swift build -c release --show-bin-path)/glossa
mkdir -p "$OUT"

echo "== Corpus: the King James Bible from Debian's bible-kjv"
corpora/bible-kjv.sh "$OUT/kjv.txt"
wc -l "$OUT/kjv.txt"

echo "== Tokenize (ICU, first 3 verses)"
head -3 "$OUT/kjv.txt" | "$GLOSSA" tokenize

echo "== Vocabulary"
"$GLOSSA" vocab build "$OUT/kjv.txt" --min-count 2 --output "$OUT/kjv.vocab.txt"
head -12 "$OUT/kjv.vocab.txt"
