#!/usr/bin/env bash
# A language-model corpus from Debian's King James Bible (bible-kjv + bible-kjv-text, installed by
# corpora/bible-kjv.sh): every verse on its own line, in Bible order, split into contiguous blocks of
# 100 verses; block b goes to valid when b mod 20 = 18, to test when b mod 20 = 19, else to train
# (90% / 5% / 5%, each part read as a stream of whole passages).
# Writes PREFIX.train.txt, PREFIX.valid.txt, PREFIX.test.txt. With a second argument, splits that
# file of verses (the output of corpora/bible-kjv.sh) instead of extracting them again.
set -euo pipefail
prefix=${1:?usage: corpora/kjv-lm.sh OUTPUT-PREFIX [VERSES.txt]}
if [ $# -ge 2 ]; then
    verses=$2
else
    verses="$prefix.verses.tmp.$$"
    "$(dirname "$0")/bible-kjv.sh" "$verses"
fi
awk -v train="$prefix.train.txt" -v valid="$prefix.valid.txt" -v test="$prefix.test.txt" '
    { b = int((NR - 1) / 100) % 20
      if (b == 18) print > valid; else if (b == 19) print > test; else print > train }' "$verses"
[ $# -ge 2 ] || rm -f "$verses"
wc -l "$prefix.train.txt" "$prefix.valid.txt" "$prefix.test.txt"
