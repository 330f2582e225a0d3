#!/usr/bin/env python3
"""Byte-pair encoding peers for Benchmarks/bpe.sh; prints one JSON line each.

  bpe_peers.py subword-nmt-learn FILE... --merges N --output CODES
      `python -m subword_nmt.learn_bpe --num-workers -1` (counting on all cores; the merges on one)
  bpe_peers.py hf-learn FILE... --merges N
      HuggingFace tokenizers' BpeTrainer on the same words (WhitespaceSplit, end_of_word_suffix
      "</w>", min_frequency 2), on all cores (RAYON_NUM_THREADS unset); vocab_size = the initial
      symbols (characters, word-final characters with </w>) + N, so that it learns N merges.
  bpe_peers.py subword-nmt-apply FILE --codes CODES
      `subword-nmt apply-bpe` (one core)

Wall seconds and the CPU seconds of the process and its children.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time


def cpu_seconds():
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def megabytes(files):
    return sum(os.path.getsize(f) for f in files) / 1e6


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=["subword-nmt-learn", "hf-learn", "subword-nmt-apply"])
    parser.add_argument("files", nargs="+")
    parser.add_argument("--merges", type=int, default=10000)
    parser.add_argument("--output")
    parser.add_argument("--codes")
    args = parser.parse_args()
    bin_dir = os.path.dirname(sys.executable)
    if args.action == "subword-nmt-learn":
        with tempfile.NamedTemporaryFile("wb", suffix=".txt", delete=False) as joined:
            for path in args.files:
                with open(path, "rb") as f:
                    joined.write(f.read())
        start, cpu = time.perf_counter(), cpu_seconds()
        subprocess.run([sys.executable, "-m", "subword_nmt.learn_bpe", "--num-workers", "-1", "-s", str(args.merges),
                        "-i", joined.name, "-o", args.output], check=True, stderr=subprocess.DEVNULL)
        seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
        os.unlink(joined.name)
        merges = sum(1 for _ in open(args.output, encoding="utf-8")) - 1
        print(json.dumps({"benchmark": "bpe-learn", "impl": "subword-nmt", "megabytes": round(megabytes(args.files), 1),
                          "merges": merges, "seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3)}))
    elif args.action == "hf-learn":
        from tokenizers import Tokenizer, models, pre_tokenizers, trainers
        import tokenizers
        initial = set()
        for path in args.files:  # not timed: how many symbols the words start from
            with open(path, encoding="utf-8") as f:
                for word in set(f.read().split()):
                    initial.update(word[:-1])
                    initial.add(word[-1] + "</w>")
        tokenizer = Tokenizer(models.BPE(end_of_word_suffix="</w>"))
        tokenizer.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
        trainer = trainers.BpeTrainer(vocab_size=len(initial) + args.merges, min_frequency=2, show_progress=False,
                                      end_of_word_suffix="</w>")
        start, cpu = time.perf_counter(), cpu_seconds()
        tokenizer.train(args.files, trainer)
        seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
        merges = len(json.loads(tokenizer.to_str())["model"]["merges"])
        print(json.dumps({"benchmark": "bpe-learn", "impl": f"hf-tokenizers-{tokenizers.__version__}",
                          "megabytes": round(megabytes(args.files), 1), "merges": merges,
                          "seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3)}))
    else:
        start, cpu = time.perf_counter(), cpu_seconds()
        subprocess.run([os.path.join(bin_dir, "subword-nmt"), "apply-bpe", "-c", args.codes, "-i", args.files[0],
                        "-o", os.devnull], check=True)
        seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
        mb = megabytes(args.files[:1])
        print(json.dumps({"benchmark": "bpe-apply", "impl": "subword-nmt", "threads": 1, "megabytes": round(mb, 1),
                          "seconds": round(seconds, 3), "mb_per_s": round(mb / seconds, 2), "cpu_seconds": round(cpu, 3)}))


if __name__ == "__main__":
    main()
