"""Regenerates the PyTorch fixtures of Tests/TranslationTests/Fixtures:

- attention.json: dot-product attention with a source mask (forward: context and weights; backward:
  gradients of z and of the encoder states for given upstream gradients), in float64.
- tiny-translator/ (a Glossa model directory: config.json, model.safetensors, vocabularies) and
  tiny-translator.json: for a padded batch, the mean masked cross-entropy and the gradient of every
  tensor, and the greedy outputs of DESIGN.md's rule for each source sentence.

  /root/venv/bin/python Tools/make_attention_fixture.py

With --check MODEL_DIR SOURCES OUTPUTS it instead loads a Glossa-trained model into the PyTorch module
of Tools/seq2seq_reference.py, decodes SOURCES (tokenized, one sentence per line, tokens separated by
spaces) greedily and reports how many lines give exactly Glossa's tokens in OUTPUTS:

  glossa tokenize --keep-punctuation < test.de > test.de.tok      # the model's tokenizer settings
  glossa translate --model M --tokens < test.de > test.glossa.tok
  /root/venv/bin/python Tools/make_attention_fixture.py --check M test.de.tok test.glossa.tok
"""
import json
import os
import sys

import torch
from safetensors.torch import load_file, save_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seq2seq_reference import Translator  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "Tests", "TranslationTests", "Fixtures")
SPECIALS = ["<pad>", "<unk>", "<bos>", "<eos>"]


def flat(t):
    return [float(x) for x in t.detach().reshape(-1).tolist()]


def attention_fixture():
    torch.manual_seed(7)
    B, S, H = 3, 5, 4
    lengths = [5, 2, 3]
    states = torch.randn(B, S, H, dtype=torch.float64, requires_grad=True)
    z = torch.randn(B, H, dtype=torch.float64, requires_grad=True)
    mask = torch.tensor([[j < n for j in range(S)] for n in lengths])
    scores = torch.einsum("bh,bsh->bs", z, states).masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=1)
    context = torch.einsum("bs,bsh->bh", weights, states)
    d_context = torch.randn(B, H, dtype=torch.float64)
    d_weights = torch.randn(B, S, dtype=torch.float64)
    (context * d_context).sum().add((weights * d_weights).sum()).backward()
    return {
        "B": B, "S": S, "H": H, "lengths": lengths,
        "states": flat(states), "z": flat(z),
        "context": flat(context), "weights": flat(weights),
        "d_context": flat(d_context), "d_weights": flat(d_weights),
        "d_z": flat(z.grad), "d_states": flat(states.grad),
    }


def translator_fixture(cell, bidirectional, layers, name):
    torch.manual_seed(11)
    source_words = [f"s{i}" for i in range(9)]
    target_words = [f"t{i}" for i in range(11)]
    Vs, Vt, E, H = len(source_words) + 4, len(target_words) + 4, 6, 8
    model = Translator(cell, Vs, Vt, E, H, layers, bidirectional).double()
    with torch.no_grad():
        for p in model.parameters():
            p.uniform_(-0.8, 0.8)
            p.copy_(p.float().double())  # the values the float32 checkpoint holds
    pad, unk, bos, eos = 0, 1, 2, 3
    sources = [[4, 5, 6, 7, 8], [9, 4], [10, 11, 12, 4, 5, 6, 7], [12]]
    targets = [[4, 5, 6], [7, 8, 9, 10, 11], [12], [13, 14]]
    B, S, T = len(sources), max(map(len, sources)) + 1, max(map(len, targets)) + 1
    src = torch.full((S, B), pad)
    dec_in = torch.full((T, B), pad)
    tgt = torch.full((T, B), pad)
    for b, (s, t) in enumerate(zip(sources, targets)):
        src[:len(s) + 1, b] = torch.tensor(s + [eos])
        dec_in[:len(t) + 1, b] = torch.tensor([bos] + t)
        tgt[:len(t) + 1, b] = torch.tensor(t + [eos])
    lengths = torch.tensor([len(s) + 1 for s in sources])
    loss = model.loss(src, lengths, dec_in, tgt, pad)
    loss.backward()
    ratio = 1.5
    outputs, alignments = model.greedy(src, lengths, pad, bos, eos, ratio)

    folder = os.path.join(FIXTURES, name)
    os.makedirs(folder, exist_ok=True)
    config = {"model_type": "rnn-seq2seq-attention", "cell": cell, "embedding_size": E, "hidden_size": H,
              "num_layers": layers, "bidirectional_encoder": bidirectional, "source_vocab_size": Vs,
              "target_vocab_size": Vt, "max_output_ratio": ratio,
              "source_tokenizer": {"kind": "whitespace"}, "target_tokenizer": {"kind": "whitespace"}}
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    save_file({k: v.float().contiguous() for k, v in model.state_dict().items()},
              os.path.join(folder, "model.safetensors"))
    with open(os.path.join(folder, "source.vocab.txt"), "w") as f:
        f.write("\n".join(SPECIALS + source_words) + "\n")
    with open(os.path.join(folder, "target.vocab.txt"), "w") as f:
        f.write("\n".join(SPECIALS + target_words) + "\n")
    expected = {
        "sources": sources, "targets": targets, "loss": float(loss.detach()),
        "gradients": {k: flat(p.grad) for k, p in model.named_parameters()},
        "greedy": outputs, "alignments": alignments,
    }
    with open(os.path.join(FIXTURES, name + ".json"), "w") as f:
        json.dump(expected, f)
    print(f"{name}: loss {float(loss):.6f}, greedy {outputs}")


def check(model_dir, sources_path, outputs_path):
    config = json.load(open(os.path.join(model_dir, "config.json")))
    model = Translator.from_config(config)
    model.load_state_dict(load_file(os.path.join(model_dir, "model.safetensors")))
    model.eval()
    svocab = open(os.path.join(model_dir, "source.vocab.txt"), encoding="utf-8").read().split("\n")[:config["source_vocab_size"]]
    tvocab = open(os.path.join(model_dir, "target.vocab.txt"), encoding="utf-8").read().split("\n")[:config["target_vocab_size"]]
    sid = {w: i for i, w in enumerate(svocab)}
    tid = {w: i for i, w in enumerate(tvocab)}
    pad, bos, eos, unk = tid["<pad>"], tid["<bos>"], tid["<eos>"], sid["<unk>"]
    same = total = 0
    glossa = open(outputs_path, encoding="utf-8").read().split("\n")
    for line, theirs in zip(open(sources_path, encoding="utf-8").read().split("\n"), glossa):
        if not line.strip():
            continue
        ids = [sid.get(w, unk) for w in line.split()] + [sid["<eos>"]]
        src = torch.tensor(ids).unsqueeze(1)
        out, _ = model.greedy(src, torch.tensor([len(ids)]), sid["<pad>"], bos, eos, config["max_output_ratio"])
        mine = " ".join(tvocab[i] for i in out[0])
        total += 1
        same += mine == theirs.strip()
    print(json.dumps({"same_tokens": same, "sentences": total}))


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--check":
        check(*sys.argv[2:])
        sys.exit(0)
    os.makedirs(FIXTURES, exist_ok=True)
    with open(os.path.join(FIXTURES, "attention.json"), "w") as f:
        json.dump(attention_fixture(), f)
    translator_fixture("gru", True, 2, "tiny-translator-gru")
    translator_fixture("lstm", False, 1, "tiny-translator-lstm")
