#!/usr/bin/env bash
# Writes every verse of the King James Bible (Debian's bible-kjv + bible-kjv-text), one per line,
# without the "Book c:v" reference, to the file named by $1.
set -euo pipefail
out=${1:?usage: corpora/bible-kjv.sh OUTPUT.txt}
"$(dirname "$0")/../scripts/ensure-packages.sh" bible-kjv bible-kjv-text
tmp="$out.tmp.$$"
bible -f 'gen1:1-rev22:21' | sed -E 's/^[^:]*[0-9]+:[0-9]+[[:space:]]*//' | sed -E '/^[[:space:]]*$/d' > "$tmp"
mv "$tmp" "$out"
