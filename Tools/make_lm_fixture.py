#!/usr/bin/env python3
"""Writes the PyTorch fixtures of Tests/LanguageModelTests/Fixtures.

For each model below: a small word_language_model RNNModel (encoder / rnn / decoder, the names of
pytorch/examples' word_language_model) with seeded uniform weights, exported in Glossa's checkpoint
contract (config.json, model.safetensors, vocab.txt) into Fixtures/<name>/, and expected.json /
expected.safetensors computed by PyTorch in float64 from the same float32 weights:

  * perplexity of tiny.txt read as one stream (each line's tokens, then <eos>) with batch size 1 and
    the hidden state carried: exp(mean NLL of every token after the first); and `tokens`, the number
    of tokens predicted;
  * the training loss and every parameter's gradient for the first chunk of tiny.txt laid out as
    word_language_model's batchify/get_batch (B = 2 columns, T = 5), from a zero state, with the loss
    Glossa's trainer follows: cross-entropy summed over the T steps and averaged over the B columns;
  * log-probabilities of the next word after `<eos> the cat` (the prompt convention of `glossa lm
    predict`: a prompt starts after `<eos>`, from a zero state).

rnn_sigmoid (h' = sigmoid(W_ih x + b_ih + W_hh h + b_hh)) is not an nn.RNN nonlinearity, so it is
written out below with nn.RNN's tensor names.

Run from the repository root with a Python that has torch and safetensors:
  python Tools/make_lm_fixture.py
"""
import json
import math
import os

import torch
import torch.nn as nn
from safetensors.torch import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Tests", "LanguageModelTests", "Fixtures")
SPECIALS = ["<pad>", "<unk>", "<bos>", "<eos>"]

TEXT = """the cat sat on the mat
the dog sat on the log
a cat and a dog met on the road
the cat saw the dog and the dog saw the cat
the old man walked to the market with his dog
the market was full of people and noise
a small bird sang in the tree by the road
the man bought bread and milk at the market
the cat slept in the sun all afternoon
the dog ran after the bird but the bird flew away
people walked on the road to the old town
the old town had a market and a church
in the morning the man fed the cat and the dog
the bird came back to the tree in the evening
the children played with the dog near the church
a quiet evening fell on the town
the cat watched the bird from the window
the man read a book while the dog slept
bread and milk were cheap at the market that day
the road to the town was long and dusty
"""


class SigmoidRNN(nn.Module):
    """An Elman RNN with the logistic sigmoid, named like nn.RNN (weight_ih_l{k}, ...)."""

    def __init__(self, input_size, hidden_size, num_layers):
        super().__init__()
        self.hidden_size, self.num_layers = hidden_size, num_layers
        for k in range(num_layers):
            n_in = input_size if k == 0 else hidden_size
            setattr(self, f"weight_ih_l{k}", nn.Parameter(torch.empty(hidden_size, n_in)))
            setattr(self, f"weight_hh_l{k}", nn.Parameter(torch.empty(hidden_size, hidden_size)))
            setattr(self, f"bias_ih_l{k}", nn.Parameter(torch.empty(hidden_size)))
            setattr(self, f"bias_hh_l{k}", nn.Parameter(torch.empty(hidden_size)))

    def forward(self, x, h0):                      # x (T, B, in), h0 (L, B, H)
        hs = []
        for k in range(self.num_layers):
            w_ih, w_hh = getattr(self, f"weight_ih_l{k}"), getattr(self, f"weight_hh_l{k}")
            b_ih, b_hh = getattr(self, f"bias_ih_l{k}"), getattr(self, f"bias_hh_l{k}")
            h, outs = h0[k], []
            for t in range(x.size(0)):
                h = torch.sigmoid(x[t] @ w_ih.T + b_ih + h @ w_hh.T + b_hh)
                outs.append(h)
            x = torch.stack(outs)
            hs.append(h)
        return x, torch.stack(hs)


class RNNModel(nn.Module):
    def __init__(self, cell, ntoken, ninp, nhid, nlayers, tie_weights=False):
        super().__init__()
        self.encoder = nn.Embedding(ntoken, ninp)
        if cell == "lstm":
            self.rnn = nn.LSTM(ninp, nhid, nlayers)
        elif cell == "gru":
            self.rnn = nn.GRU(ninp, nhid, nlayers)
        elif cell == "rnn_sigmoid":
            self.rnn = SigmoidRNN(ninp, nhid, nlayers)
        else:
            self.rnn = nn.RNN(ninp, nhid, nlayers, nonlinearity={"rnn_tanh": "tanh", "rnn_relu": "relu"}[cell])
        self.decoder = nn.Linear(nhid, ntoken)
        if tie_weights:
            self.decoder.weight = self.encoder.weight
        self.cell, self.nhid, self.nlayers = cell, nhid, nlayers

    def forward(self, x, hidden):
        output, hidden = self.rnn(self.encoder(x), hidden)
        return self.decoder(output), hidden

    def init_hidden(self, bsz):
        z = next(self.parameters()).new_zeros(self.nlayers, bsz, self.nhid)
        return (z, z.clone()) if self.cell == "lstm" else z


MODELS = [
    # name, cell, E, H, L, tied, init range
    ("lstm2", "lstm", 8, 12, 2, False, 0.5),
    ("lstm-tied", "lstm", 10, 10, 1, True, 0.5),
    ("gru2", "gru", 8, 12, 2, False, 0.5),
    ("rnn-tanh", "rnn_tanh", 8, 12, 1, False, 0.5),
    ("rnn-relu", "rnn_relu", 8, 12, 2, False, 0.3),
    ("rnn-sigmoid", "rnn_sigmoid", 8, 12, 2, False, 0.8),
]


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "tiny.txt"), "w") as f:
        f.write(TEXT)
    lines = TEXT.splitlines()
    counts = {}
    for line in lines:
        for w in line.split():
            counts[w] = counts.get(w, 0) + 1
    # Words seen once become <unk>, so the stream exercises the unknown token.
    words = sorted((w for w, c in counts.items() if c >= 2), key=lambda w: (-counts[w], w))
    vocab = SPECIALS + words
    index = {w: i for i, w in enumerate(vocab)}
    stream = []
    for line in lines:
        stream += [index.get(w, 1) for w in line.split()] + [3]
    stream = torch.tensor(stream)
    prompt = torch.tensor([3, index["the"], index["cat"]])

    for seed, (name, cell, E, H, L, tied, init) in enumerate(MODELS):
        torch.manual_seed(1234 + seed)
        model = RNNModel(cell, len(vocab), E, H, L, tied)
        for p in model.parameters():
            nn.init.uniform_(p, -init, init)
        folder = os.path.join(OUT, name)
        os.makedirs(folder, exist_ok=True)
        state = {k: v.detach().float().contiguous().clone() for k, v in model.state_dict().items()}
        save_file(state, os.path.join(folder, "model.safetensors"))
        config = {"model_type": "rnn-lm", "cell": cell, "embedding_size": E, "hidden_size": H,
                  "num_layers": L, "vocab_size": len(vocab), "tie_weights": tied,
                  "tokenizer": {"kind": "whitespace"}}
        with open(os.path.join(folder, "config.json"), "w") as f:
            json.dump(config, f, indent=2)
        with open(os.path.join(folder, "vocab.txt"), "w") as f:
            f.write("\n".join(vocab) + "\n")

        model = model.double()
        # Stream perplexity, batch size 1, hidden carried, chunks of 7 (the result does not depend on it).
        with torch.no_grad():
            data, hidden, total, count = stream.view(-1, 1), model.init_hidden(1), 0.0, 0
            for i in range(0, data.size(0) - 1, 7):
                n = min(7, data.size(0) - 1 - i)
                logits, hidden = model(data[i:i + n], hidden)
                total += nn.functional.cross_entropy(logits.view(-1, len(vocab)), data[i + 1:i + 1 + n].view(-1),
                                                     reduction="sum").item()
                count += n
            logits, _ = model(prompt.view(-1, 1), model.init_hidden(1))
            next_logp = torch.log_softmax(logits[-1, 0], dim=-1)

        # One training chunk: batchify(B = 2), first get_batch(T = 5), loss = mean CE x T.
        B, T = 2, 5
        cols = stream[: (stream.size(0) // B) * B].view(B, -1).t().contiguous()
        x, y = cols[0:T], cols[1:T + 1]
        model.zero_grad()
        logits, _ = model(x, model.init_hidden(B))
        loss = nn.functional.cross_entropy(logits.view(-1, len(vocab)), y.reshape(-1)) * T
        loss.backward()
        grads = {f"grad.{k}": p.grad.float().contiguous().clone() for k, p in model.named_parameters()}
        save_file(grads, os.path.join(folder, "expected.safetensors"))
        expected = {"perplexity": math.exp(total / count), "tokens": count, "chunk_batch": B, "chunk_bptt": T,
                    "chunk_loss": loss.item(), "prompt": "the cat",
                    "next_log_probs": next_logp.tolist()}
        with open(os.path.join(folder, "expected.json"), "w") as f:
            json.dump(expected, f, indent=1)
        print(f"{name}: perplexity {expected['perplexity']:.6f} over {count} tokens, chunk loss {loss.item():.6f}")


if __name__ == "__main__":
    main()
