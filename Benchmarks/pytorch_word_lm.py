#!/usr/bin/env python3
"""PyTorch peer of `glossa lm train`: pytorch/examples word_language_model on the same data and config.

The model is word_language_model's RNNModel (encoder = nn.Embedding, rnn = nn.LSTM/GRU/RNN,
decoder = nn.Linear), the data layout is its batchify/get_batch (the token stream cut into B
columns, chunks of T steps, targets shifted by one), the hidden state is carried across chunks and
detached, gradients are clipped by global norm and SGD updates p -= lr * grad.

Settings follow Zaremba et al. (2014), as `glossa lm train` does:
  * every parameter uniform in [-init, init] (0.1 small, 0.05 medium);
  * the loss SGD follows is summed over the T steps of a chunk and averaged over the B columns
    (cross-entropy mean x T), so lr 1 and clip 5 mean what they mean in the paper;
  * lr is multiplied by --lr-decay after every epoch past --decay-after (0.5 after 4 for small);
  * perplexity is exp of the mean negative log-likelihood of every token after the first of the
    stream (each line's tokens, then <eos>), read with batch size 1 and the hidden state carried.

The vocabulary is <pad>, <unk>, <bos>, <eos> then the training file's words in order of first
appearance (what Glossa's checkpoint contract expects); --save writes the best model by validation
perplexity as a Glossa model directory (config.json, model.safetensors, vocab.txt).

Prints one JSON object per epoch and a final one with tokens_per_s (training tokens / training
seconds, evaluation excluded), epoch_seconds and perplexities.

Example (small config, throughput only):
  python Benchmarks/pytorch_word_lm.py --train ptb.train.txt --valid ptb.valid.txt \
      --test ptb.test.txt --max-steps 300
"""
import argparse
import gzip
import json
import math
import os
import time

import torch
import torch.nn as nn

SPECIALS = ["<pad>", "<unk>", "<bos>", "<eos>"]


def read_lines(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return f.read().splitlines()


class Dictionary:
    def __init__(self):
        self.word2idx = {}
        self.idx2word = []
        for token in SPECIALS:
            self.add(token)

    def add(self, word):
        if word not in self.word2idx:
            self.word2idx[word] = len(self.idx2word)
            self.idx2word.append(word)
        return self.word2idx[word]

    def encode(self, lines):
        unk, eos = self.word2idx["<unk>"], self.word2idx["<eos>"]
        ids = []
        for line in lines:
            ids.extend(self.word2idx.get(w, unk) for w in line.split())
            ids.append(eos)
        return torch.tensor(ids, dtype=torch.long)


class RNNModel(nn.Module):
    """Embedding -> RNN -> Linear, with word_language_model's tensor names."""

    def __init__(self, cell, ntoken, ninp, nhid, nlayers, dropout=0.0, tie_weights=False):
        super().__init__()
        self.drop = nn.Dropout(dropout)
        self.encoder = nn.Embedding(ntoken, ninp)
        if cell == "lstm":
            self.rnn = nn.LSTM(ninp, nhid, nlayers, dropout=dropout)
        elif cell == "gru":
            self.rnn = nn.GRU(ninp, nhid, nlayers, dropout=dropout)
        else:
            nonlinearity = {"rnn_tanh": "tanh", "rnn_relu": "relu"}[cell]
            self.rnn = nn.RNN(ninp, nhid, nlayers, nonlinearity=nonlinearity, dropout=dropout)
        self.decoder = nn.Linear(nhid, ntoken)
        if tie_weights:
            assert nhid == ninp, "tied weights need --embed == --hidden"
            self.decoder.weight = self.encoder.weight
        self.cell, self.nhid, self.nlayers = cell, nhid, nlayers

    def forward(self, input, hidden):
        emb = self.drop(self.encoder(input))           # (T, B, E)
        output, hidden = self.rnn(emb, hidden)         # (T, B, H)
        output = self.drop(output)
        return self.decoder(output), hidden            # (T, B, V)

    def init_hidden(self, bsz):
        weight = next(self.parameters())
        zeros = weight.new_zeros(self.nlayers, bsz, self.nhid)
        return (zeros, zeros.clone()) if self.cell == "lstm" else zeros


def batchify(data, bsz):
    """The stream cut into bsz columns, time-major (L, B); the tail that does not fill a row is dropped."""
    nbatch = data.size(0) // bsz
    return data.narrow(0, 0, nbatch * bsz).view(bsz, -1).t().contiguous()


def get_batch(source, i, bptt):
    seq_len = min(bptt, len(source) - 1 - i)
    return source[i:i + seq_len], source[i + 1:i + 1 + seq_len]


def repackage(h):
    return h.detach() if isinstance(h, torch.Tensor) else tuple(repackage(v) for v in h)


def evaluate(model, stream, bptt=35):
    """Stream perplexity with batch size 1 and the hidden state carried: exp(mean NLL of tokens 2..N)."""
    model.eval()
    data = stream.view(-1, 1)
    hidden = model.init_hidden(1)
    total, count = 0.0, 0
    with torch.no_grad():
        for i in range(0, data.size(0) - 1, bptt):
            x, y = get_batch(data, i, bptt)
            logits, hidden = model(x, hidden)
            nll = nn.functional.cross_entropy(logits.view(-1, logits.size(-1)).double(), y.reshape(-1), reduction="sum")
            total += nll.item()
            count += y.numel()
    return math.exp(total / count), count


def save_glossa(model, dictionary, args, folder):
    os.makedirs(folder, exist_ok=True)
    from safetensors.torch import save_file
    state = {k: v.detach().float().contiguous().clone() for k, v in model.state_dict().items()}
    save_file(state, os.path.join(folder, "model.safetensors"))
    config = {"model_type": "rnn-lm", "cell": args.cell, "embedding_size": args.embed,
              "hidden_size": args.hidden, "num_layers": args.layers, "vocab_size": len(dictionary.idx2word),
              "tie_weights": args.tie_weights, "tokenizer": {"kind": "whitespace"}}
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    with open(os.path.join(folder, "vocab.txt"), "w") as f:
        f.write("\n".join(dictionary.idx2word) + "\n")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--train", required=True)
    p.add_argument("--valid", required=True)
    p.add_argument("--test")
    p.add_argument("--cell", default="lstm", choices=["lstm", "gru", "rnn_tanh", "rnn_relu"])
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--embed", type=int, default=200)
    p.add_argument("--hidden", type=int, default=200)
    p.add_argument("--tie-weights", action="store_true")
    p.add_argument("--dropout", type=float, default=0.0)
    p.add_argument("--lr", type=float, default=1.0)
    p.add_argument("--lr-decay", type=float, default=0.5)
    p.add_argument("--decay-after", type=int, default=4)
    p.add_argument("--clip", type=float, default=5.0)
    p.add_argument("--init", type=float, default=0.1)
    p.add_argument("--epochs", type=int, default=13)
    p.add_argument("--batch-size", type=int, default=20)
    p.add_argument("--bptt", type=int, default=20)
    p.add_argument("--max-steps", type=int, default=0, help="stop after this many steps (0: no limit)")
    p.add_argument("--no-eval", action="store_true", help="skip validation and test (throughput only)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--save", help="write the best model as a Glossa model directory here")
    args = p.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    dictionary = Dictionary()
    train_lines = read_lines(args.train)
    for line in train_lines:
        for w in line.split():
            dictionary.add(w)
    train = batchify(dictionary.encode(train_lines), args.batch_size)
    valid = dictionary.encode(read_lines(args.valid))
    test = dictionary.encode(read_lines(args.test)) if args.test else None

    ntokens = len(dictionary.idx2word)
    model = RNNModel(args.cell, ntokens, args.embed, args.hidden, args.layers, args.dropout, args.tie_weights)
    for param in model.parameters():
        nn.init.uniform_(param, -args.init, args.init)
    criterion = nn.CrossEntropyLoss()

    lr, step, best_valid = args.lr, 0, None
    best_state = None
    train_seconds, train_tokens, epoch_times = 0.0, 0, []
    for epoch in range(1, args.epochs + 1):
        if epoch > args.decay_after:
            lr *= args.lr_decay
        model.train()
        hidden = model.init_hidden(args.batch_size)
        total_loss, total_tokens = 0.0, 0
        start = time.perf_counter()
        for i in range(0, train.size(0) - 1, args.bptt):
            x, y = get_batch(train, i, args.bptt)
            hidden = repackage(hidden)
            model.zero_grad()
            logits, hidden = model(x, hidden)
            loss = criterion(logits.view(-1, ntokens), y.reshape(-1))
            (loss * x.size(0)).backward()          # summed over T, averaged over B (Zaremba)
            torch.nn.utils.clip_grad_norm_(model.parameters(), args.clip)
            with torch.no_grad():
                for param in model.parameters():
                    param.add_(param.grad, alpha=-lr)
            n = y.numel()
            total_loss += loss.item() * n
            total_tokens += n
            step += 1
            if not math.isfinite(loss.item()):
                raise SystemExit(f"loss is NaN at step {step}")
            if args.max_steps and step >= args.max_steps:
                break
        seconds = time.perf_counter() - start
        train_seconds += seconds
        train_tokens += total_tokens
        epoch_times.append(seconds)
        record = {"epoch": epoch, "step": step, "lr": lr, "train_ppl": math.exp(total_loss / total_tokens),
                  "seconds": round(seconds, 2), "tokens_per_s": round(total_tokens / seconds, 1)}
        if not args.no_eval:
            record["valid_ppl"], _ = evaluate(model, valid)
            if best_valid is None or record["valid_ppl"] < best_valid:
                best_valid = record["valid_ppl"]
                best_state = {k: v.clone() for k, v in model.state_dict().items()}
        print(json.dumps(record), flush=True)
        if args.max_steps and step >= args.max_steps:
            break

    result = {"peer": "pytorch word_language_model", "torch": torch.__version__, "threads": args.threads,
              "cell": args.cell, "layers": args.layers, "hidden": args.hidden, "vocab": ntokens,
              "batch_size": args.batch_size, "bptt": args.bptt, "steps": step,
              "tokens_per_s": round(train_tokens / train_seconds, 1),
              "epoch_seconds": round(sum(epoch_times) / len(epoch_times), 2)}
    if best_state is not None:
        model.load_state_dict(best_state)
        result["valid_ppl"] = best_valid
        if test is not None:
            result["test_ppl"], result["test_tokens"] = evaluate(model, test)
    if args.save:
        save_glossa(model, dictionary, args, args.save)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
