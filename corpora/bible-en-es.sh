#!/usr/bin/env bash
# Verse-aligned English–Spanish pairs from Debian's SWORD Bibles: the King James Version
# (sword-text-kjv) and the Reina-Valera 1909 (sword-text-sparv), exported with libsword-utils'
# mod2imp. Writes PREFIX.en and PREFIX.es, one verse per line, line i of one the translation of line i
# of the other (verses missing or empty in either Bible are left out).
# Usage: corpora/bible-en-es.sh PREFIX        (e.g. corpora/bible-en-es.sh demo-output/bible)
set -euo pipefail
prefix=${1:?usage: corpora/bible-en-es.sh PREFIX}
"$(dirname "$0")/../scripts/ensure-packages.sh" libsword-utils sword-text-kjv sword-text-sparv
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One "Book chapter:verse<TAB>plain text" line per verse: notes and titles dropped with their
# content, every other tag dropped, whitespace collapsed.
verses() {
    mod2imp "$1" 2>/dev/null | perl -CSD -ne '
        chomp;
        if (/^\$\$\$(.*)$/) { $ref = $1; next; }
        next unless defined $ref && $ref =~ / [0-9]+:[1-9][0-9]*$/;
        s{<note\b[^>]*/>}{}g; s{<note\b.*?</note>}{}g;
        s{<title\b.*?</title>}{}g;
        s{<[^>]*>}{}g;
        s/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&apos;/\x27/g; s/&amp;/&/g;
        s/[\x{b6}]//g; s/\s+/ /g; s/^ //; s/ $//;
        print "$ref\t$_\n" if length;
        undef $ref;'
}
verses engKJV2006eb > "$tmp/en.tsv"
verses spaRV1909eb > "$tmp/es.tsv"
# Keep the KJV order; pair each verse with the Spanish verse of the same reference.
awk -F'\t' 'NR == FNR { es[$1] = $2; next } ($1 in es) { print $2 > en; print es[$1] > sp }' \
    en="$tmp/en" sp="$tmp/es" "$tmp/es.tsv" "$tmp/en.tsv"
mv "$tmp/en" "$prefix.en"
mv "$tmp/es" "$prefix.es"
echo "corpora/bible-en-es.sh: $(wc -l < "$prefix.en") verse pairs in $prefix.en and $prefix.es" >&2
