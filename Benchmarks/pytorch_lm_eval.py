#!/usr/bin/env python3
"""Loads a Glossa language-model directory into pytorch/examples word_language_model's RNNModel
(`load_state_dict`, strict) and prints the stream perplexity of a text file as `glossa lm eval`
defines it: each line's tokens then <eos>, batch size 1, hidden state carried, exp of the mean
negative log-likelihood of every token after the first. Whitespace-tokenized text only.

  python Benchmarks/pytorch_lm_eval.py MODEL_DIR TEXT     # compare with: glossa lm eval --model MODEL_DIR --text TEXT
"""
import json
import os
import sys

import torch
from safetensors.torch import load_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pytorch_word_lm import RNNModel, evaluate, read_lines  # noqa: E402


def main():
    folder, text = sys.argv[1], sys.argv[2]
    torch.set_num_threads(int(os.environ.get("THREADS", "2")))
    cfg = json.load(open(os.path.join(folder, "config.json")))
    if cfg.get("tokenizer", {}).get("kind") != "whitespace":
        raise SystemExit("this script tokenizes on white space; the model was trained with another tokenizer")
    vocab = open(os.path.join(folder, "vocab.txt"), encoding="utf-8").read().split("\n")[:-1]
    index = {w: i for i, w in enumerate(vocab)}
    model = RNNModel(cfg["cell"], cfg["vocab_size"], cfg["embedding_size"], cfg["hidden_size"], cfg["num_layers"],
                     0.0, cfg["tie_weights"])
    model.load_state_dict(load_file(os.path.join(folder, "model.safetensors")))
    ids = []
    for line in read_lines(text):
        ids += [index.get(w, index["<unk>"]) for w in line.split()] + [index["<eos>"]]
    perplexity, tokens = evaluate(model, torch.tensor(ids))
    print(json.dumps({"peer": "pytorch", "perplexity": perplexity, "tokens": tokens}))


if __name__ == "__main__":
    main()
