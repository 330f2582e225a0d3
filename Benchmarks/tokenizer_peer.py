#!/usr/bin/env python3
"""Peer for `glossa-bench tokenize`: HuggingFace `tokenizers` turning the same text into token ids.

Pipeline: NFKC + Lowercase normalizer, Whitespace pre-tokenizer (\\w+|[^\\w\\s]+), WordLevel model
whose vocabulary is trained on the same file first (not timed). Times `encode_batch` over the file's
lines (read into memory first, as glossa-bench does) on one thread (TOKENIZERS_PARALLELISM=false)
and, with --threads 2, on two (RAYON_NUM_THREADS=2). Prints one JSON line, best of --repeat runs.

Usage: tokenizer_peer.py FILE [--threads N] [--repeat N]
"""
import argparse
import json
import os
import sys
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    # Both variables must be set before tokenizers starts its thread pool.
    os.environ["RAYON_NUM_THREADS"] = str(args.threads)
    os.environ["RAYON_RS_NUM_CPUS"] = str(args.threads)
    os.environ["TOKENIZERS_PARALLELISM"] = "true" if args.threads > 1 else "false"

    import tokenizers
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers

    tokenizer = Tokenizer(models.WordLevel(unk_token="<unk>"))
    tokenizer.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase()])
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    trainer = trainers.WordLevelTrainer(special_tokens=["<pad>", "<unk>", "<bos>", "<eos>"], min_frequency=1)
    tokenizer.train([args.file], trainer)

    with open(args.file, "rb") as handle:
        data = handle.read()
    lines = data.decode("utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()

    best = best_cpu = float("inf")
    tokens = checksum = 0
    for _ in range(args.repeat):
        start_cpu = time.process_time()  # all threads of the process
        start = time.perf_counter()
        encodings = tokenizer.encode_batch(lines, add_special_tokens=False)
        seconds = time.perf_counter() - start
        best = min(best, seconds)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
        tokens = sum(len(e.ids) for e in encodings)
        checksum = sum(sum(e.ids) for e in encodings)
        del encodings
    megabytes = len(data) / 1e6
    print(json.dumps({"benchmark": "tokenize", "impl": "hf-tokenizers " + tokenizers.__version__,
                      "threads": args.threads, "megabytes": round(megabytes, 1), "seconds": round(best, 3),
                      "mb_per_s": round(megabytes / best, 1), "cpu_seconds": round(best_cpu, 3),
                      "mb_per_cpu_s": round(megabytes / best_cpu, 1), "tokens": tokens,
                      "vocab": tokenizer.get_vocab_size(), "checksum": checksum}))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
