#!/usr/bin/env python3
"""Writes the byte-pair encoding fixtures of Tests/TextProcessingTests/Fixtures/bpe with subword-nmt.

A small seeded corpus (train.txt) and held-out text (test.txt): words drawn from a Zipf
distribution over made-up stems and endings, with accented letters, German, CJK, emoji, combining
marks, many equal frequencies (so ties decide), and the odd bytes subword-nmt reads its own way: a
tab and a no-break space inside words, double and leading/trailing spaces, a lone "\\r", form feeds,
U+0085 and U+2028 (Python's str.splitlines ends a line there). Then, with subword-nmt 0.3.8:

  codes.s<N>.bpe            subword-nmt learn-bpe -s N < train.txt
  codes.all.bpe             subword-nmt learn-bpe -s 100000 < train.txt (until no pair occurs twice)
  codes.f40.bpe             subword-nmt learn-bpe -s 1500 --min-frequency 40 < train.txt
  test.s<N>.txt             subword-nmt apply-bpe -c codes.s<N>.bpe < test.txt
  test.s<N>.glossaries.txt  ... --glossaries <unk> USA   (literal words)
  test.s<N>.vocab.txt       ... --vocabulary vocab.s<N>.txt --vocabulary-threshold 3
                            (vocab.s<N>.txt: subword-nmt get-vocab of train.txt segmented with the codes, without the
                            words apply-bpe cannot read back: those with a form feed, U+2028, ...)

Run from the repository root in a virtualenv outside the repository:
  python3 -m venv /work/venv-bpe && /work/venv-bpe/bin/pip install subword-nmt==0.3.8
  /work/venv-bpe/bin/python Tools/make_bpe_fixtures.py
"""
import os
import random
import subprocess
import sys

OUT = os.path.join("Tests", "TextProcessingTests", "Fixtures", "bpe")
MERGES = [200, 1500]


def subword_nmt(*args, stdin=None):
    command = os.path.join(os.path.dirname(sys.executable), "subword-nmt")
    result = subprocess.run([command, *args], input=stdin,
                            capture_output=True, check=True)
    return result.stdout


def make_words(rng):
    onsets = ["b", "ch", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "sch", "st", "t", "th", "v", "w", "z",
              "é", "ß", "ü", "ñ", "ø"]
    vowels = ["a", "e", "i", "o", "u", "ei", "au", "ä", "ö", "ie", "ou", "y"]
    codas = ["", "", "n", "r", "s", "t", "nd", "ng", "ch", "ck", "ll", "rs", "st"]
    endings = ["", "", "", "s", "en", "er", "ing", "ed", "ung", "lich", "ness", "é", "es"]
    words = set()
    while len(words) < 1800:
        stem = "".join(rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas) for _ in range(rng.choice([1, 1, 2, 2, 3])))
        words.add(stem + rng.choice(endings))
    words = sorted(words)
    rng.shuffle(words)
    words += ["中文", "北京", "天安门", "😀", "😀😀", "e\u0301t\u00e9", "Ωmega", "x\ty", "a\u00a0b", "<unk>", "USA",
              "1934USABUSA", "aaaa", "aaa", "abab", "a", "I", ".", ",", "'s", "don't", "3.5"]
    return words


def sentence(rng, words, weights):
    n = rng.randint(3, 14)
    return " ".join(rng.choices(words, weights=weights, k=n))


def main():
    rng = random.Random(16)
    words = make_words(rng)
    weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(words))]
    odd = ["  leading and  double spaces  ", "form\x0cfeed words", "next\x85line and\u2028separator",
           "lone\rreturn", "tab\tinside no\u00a0break", "\u2029", " ", ""]
    train = [sentence(rng, words, weights) for _ in range(2000)] + odd
    rng.shuffle(train)
    test = [sentence(rng, words, weights) for _ in range(300)] + odd + ["unseen wörds like Zyxwvutß and 1934USABUSA <unk>"]
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "train.txt"), "w", encoding="utf-8", newline="") as f:
        f.write("\n".join(train) + "\n")
    with open(os.path.join(OUT, "test.txt"), "w", encoding="utf-8", newline="") as f:
        f.write("\n".join(test) + "\n")
    train_path, test_path = os.path.join(OUT, "train.txt"), os.path.join(OUT, "test.txt")
    for n in MERGES:
        codes = os.path.join(OUT, f"codes.s{n}.bpe")
        subword_nmt("learn-bpe", "-s", str(n), "-i", train_path, "-o", codes)
        subword_nmt("apply-bpe", "-c", codes, "-i", test_path, "-o", os.path.join(OUT, f"test.s{n}.txt"))
        subword_nmt("apply-bpe", "-c", codes, "-i", test_path, "-o", os.path.join(OUT, f"test.s{n}.glossaries.txt"),
                    "--glossaries", "<unk>", "USA")
        segmented = subword_nmt("apply-bpe", "-c", codes, "-i", train_path)
        vocab = os.path.join(OUT, f"vocab.s{n}.txt")
        # apply-bpe reads the vocabulary with str.splitlines, so it cannot read back words that hold a
        # form feed or U+2028: leave those out.
        lines = subword_nmt("get-vocab", stdin=segmented).decode("utf-8").split("\n")
        with open(vocab, "w", encoding="utf-8", newline="") as f:
            f.write("".join(line + "\n" for line in lines if line and len(line.splitlines()) == 1))
        subword_nmt("apply-bpe", "-c", codes, "-i", test_path, "-o", os.path.join(OUT, f"test.s{n}.vocab.txt"),
                    "--vocabulary", vocab, "--vocabulary-threshold", "3")
    # Until no pair occurs twice (learn-bpe's default --min-frequency), and an earlier stop.
    subword_nmt("learn-bpe", "-s", "100000", "-i", train_path, "-o", os.path.join(OUT, "codes.all.bpe"))
    subword_nmt("learn-bpe", "-s", "1500", "--min-frequency", "40", "-i", train_path, "-o", os.path.join(OUT, "codes.f40.bpe"))
    print("wrote", OUT)


if __name__ == "__main__":
    main()
