"""Peer benchmark: the translator of DESIGN.md in PyTorch (the module of Tools/seq2seq_reference.py,
which the fixtures check against Glossa), timed on the same pairs as `glossa-bench translate`.

Prints one JSON line: training sentence pairs/s (Adam, clipping, teacher forcing, padded length-sorted
batches) and batched greedy decoding sentences/s.

  /work/venv-torch/bin/python Benchmarks/pytorch_seq2seq.py --source ../shared/data/multi30k/train.de.gz \
      --target ../shared/data/multi30k/train.en.gz --train-pairs 3200 --decode 1000 --threads 2
"""
import argparse
import collections
import gzip
import json
import os
import re
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tools"))
from seq2seq_reference import Translator  # noqa: E402

TOKEN = re.compile(r"\w+|[^\w\s]")


def read(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [TOKEN.findall(line.lower()) for line in f]


def vocabulary(sentences, min_count):
    counts = collections.Counter(w for s in sentences for w in s)
    words = ["<pad>", "<unk>", "<bos>", "<eos>"] + sorted(w for w, c in counts.items() if c >= min_count)
    return {w: i for i, w in enumerate(words)}


def batches(pairs, batch_size):
    order = sorted(range(len(pairs)), key=lambda i: (len(pairs[i][0]), len(pairs[i][1])))
    for start in range(0, len(order), batch_size):
        chunk = [pairs[i] for i in order[start:start + batch_size]]
        S = max(len(s) for s, _ in chunk) + 1
        T = max(len(t) for _, t in chunk) + 1
        src = torch.zeros(S, len(chunk), dtype=torch.long)
        dec = torch.zeros(T, len(chunk), dtype=torch.long)
        tgt = torch.zeros(T, len(chunk), dtype=torch.long)
        for b, (s, t) in enumerate(chunk):
            src[:len(s) + 1, b] = torch.tensor(s + [3])
            dec[:len(t) + 1, b] = torch.tensor([2] + t)
            tgt[:len(t) + 1, b] = torch.tensor(t + [3])
        yield src, torch.tensor([len(s) + 1 for s, _ in chunk]), dec, tgt


@torch.no_grad()
def greedy(model, source, lengths, pad=0, bos=2, eos=3, ratio=1.5):
    """Batched greedy decoding as a PyTorch user writes it: the whole batch steps until every
    sentence has produced <eos> or reached its limit ⌈r·n⌉ + 5 (DESIGN.md's rule)."""
    states, state = model.encoder(source, lengths)
    mask = source != pad
    B = source.shape[1]
    limits = torch.ceil(ratio * (lengths - 1).double()).long() + 5
    y = torch.full((B,), bos, dtype=torch.long)
    done = torch.zeros(B, dtype=torch.bool)
    produced = torch.zeros(B, dtype=torch.long)
    outputs = []
    for t in range(int(limits.max())):
        z, c, state, _ = model.decoder.step(model.decoder.embedding(y), state, states, mask)
        logits = model.decoder.output(torch.cat([z, c], dim=1))
        logits[:, pad] = float("-inf")
        logits[:, bos] = float("-inf")
        y = logits.argmax(dim=1)
        finished_now = (y == eos) & ~done
        outputs.append(torch.where(done | finished_now, torch.full_like(y, pad), y))
        produced += (~done & ~finished_now).long()
        done |= finished_now | (produced >= limits)
        if bool(done.all()):
            break
    return torch.stack(outputs, dim=1), produced


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--source", required=True)
    p.add_argument("--target", required=True)
    p.add_argument("--train-pairs", type=int, default=3200)
    p.add_argument("--decode", type=int, default=1000)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--cell", default="gru")
    p.add_argument("--embed", type=int, default=256)
    p.add_argument("--hidden", type=int, default=512)
    p.add_argument("--layers", type=int, default=1)
    p.add_argument("--dropout", type=float, default=0.3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--decode-model", help="decode with this Glossa model directory (its weights loaded with load_state_dict)")
    p.add_argument("--decode-ids", help="source ids to decode, one sentence per line (written by glossa-bench --ids-out)")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    src_sents, tgt_sents = read(a.source), read(a.target)
    sv, tv = vocabulary(src_sents, 2), vocabulary(tgt_sents, 2)
    pairs = [([sv.get(w, 1) for w in s], [tv.get(w, 1) for w in t]) for s, t in zip(src_sents, tgt_sents)]
    model = Translator(a.cell, len(sv), len(tv), a.embed, a.hidden, a.layers, True, a.dropout)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

    train = pairs[:a.train_pairs]
    model.train()
    start = time.perf_counter()
    for src, lengths, dec, tgt in batches(train, a.batch_size):
        optimizer.zero_grad()
        loss = model.loss(src, lengths, dec, tgt, 0)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
    train_seconds = time.perf_counter() - start

    model.eval()
    decode = pairs[-a.decode:]
    pad, bos, eos = 0, 2, 3
    if a.decode_model:
        from safetensors.torch import load_file
        config = json.load(open(os.path.join(a.decode_model, "config.json")))
        model = Translator.from_config(config)
        model.load_state_dict(load_file(os.path.join(a.decode_model, "model.safetensors")))
        model.eval()
        words = open(os.path.join(a.decode_model, "target.vocab.txt"), encoding="utf-8").read().split("\n")
        pad, bos, eos = words.index("<pad>"), words.index("<bos>"), words.index("<eos>")
        decode = [([int(x) for x in line.split()], []) for line in open(a.decode_ids) if line.strip()]
    start = time.perf_counter()
    produced = 0
    for src, lengths, _, _ in batches(decode, a.batch_size):
        _, counts = greedy(model, src, lengths, pad, bos, eos, config["max_output_ratio"] if a.decode_model else 1.5)
        produced += int(counts.sum())
    decode_seconds = time.perf_counter() - start
    print(json.dumps({
        "benchmark": "translate", "implementation": f"pytorch {torch.__version__}", "threads": a.threads,
        "cell": a.cell, "embed": a.embed, "hidden": a.hidden, "source_vocab": len(sv), "target_vocab": len(tv),
        "batch_size": a.batch_size, "train_pairs": len(train), "train_seconds": round(train_seconds, 3),
        "train_pairs_per_second": round(len(train) / max(train_seconds, 1e-9), 1),
        "decode_sentences": len(decode), "decode_model": a.decode_model or "trained above", "decode_seconds": round(decode_seconds, 3),
        "decode_sentences_per_second": round(len(decode) / decode_seconds, 1), "decoded_tokens": produced,
    }))


if __name__ == "__main__":
    main()
