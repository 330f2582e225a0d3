#!/usr/bin/env python3
"""Writes NeuralCore's PyTorch fixtures to Tests/NeuralCoreTests/Fixtures/*.safetensors.

Run by hand in a virtualenv with torch and safetensors (never by CI):
    /root/venv/bin/python Tools/make_core_fixtures.py

Every computation runs in float64 and is stored as float32. Each recurrent fixture holds the
module's own state_dict (names as nn.LSTM/GRU/RNN give them under the prefix "rnn."), the input x
[T, B, in], the initial state, random cotangents (r_out, r_h, r_c) defining the scalar
L = Σ r_out·output + Σ r_h·h_n (+ Σ r_c·c_n), the outputs, and the gradients of L ("grad.<name>").
Padded batches go through pack_padded_sequence (lengths), padded outputs are 0.
"""
import json
import os

import torch
from safetensors.torch import save_file

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "NeuralCoreTests", "Fixtures")
torch.manual_seed(20261126)
torch.set_default_dtype(torch.float64)


def f32(tensors):
    return {k: v.detach().to(torch.float32).contiguous() for k, v in tensors.items()}


def recurrent(name, kind, inp, hid, layers, bidirectional, T, B, lengths=None, initial=True, nonlinearity="tanh"):
    cls = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[kind]
    kwargs = {"nonlinearity": nonlinearity} if kind == "rnn" else {}
    rnn = cls(inp, hid, layers, bidirectional=bidirectional, **kwargs)
    D = 2 if bidirectional else 1
    x = torch.randn(T, B, inp, requires_grad=True)
    h0 = (0.5 * torch.randn(layers * D, B, hid)).requires_grad_()
    c0 = (0.5 * torch.randn(layers * D, B, hid)).requires_grad_()
    state = None
    if initial:
        state = (h0, c0) if kind == "lstm" else h0
    if lengths is not None:
        packed = torch.nn.utils.rnn.pack_padded_sequence(x, torch.tensor(lengths), enforce_sorted=False)
        out_p, final = rnn(packed, state)
        out, _ = torch.nn.utils.rnn.pad_packed_sequence(out_p, total_length=T)
    else:
        out, final = rnn(x, state)
    hN, cN = (final if kind == "lstm" else (final, None))
    r_out, r_h = torch.randn_like(out), torch.randn_like(hN)
    loss = (r_out * out).sum() + (r_h * hN).sum()
    tensors = {"x": x, "output": out, "h_n": hN, "r_out": r_out, "r_h": r_h}
    if kind == "lstm":
        r_c = torch.randn_like(cN)
        loss = loss + (r_c * cN).sum()
        tensors.update({"c_n": cN, "r_c": r_c})
    params = dict(rnn.named_parameters())
    wanted = [x] + ([h0] + ([c0] if kind == "lstm" else []) if initial else []) + list(params.values())
    grads = torch.autograd.grad(loss, wanted, allow_unused=True)
    tensors["grad.x"] = grads[0]
    i = 1
    if initial:
        tensors["h0"] = h0
        tensors["grad.h0"] = grads[i]; i += 1
        if kind == "lstm":
            tensors["c0"] = c0
            tensors["grad.c0"] = grads[i]; i += 1
    for (pname, p), g in zip(params.items(), grads[i:]):
        tensors["rnn." + pname] = p
        tensors["grad.rnn." + pname] = g
    meta = {"kind": kind, "nonlinearity": nonlinearity, "input": str(inp), "hidden": str(hid), "layers": str(layers),
            "bidirectional": str(bidirectional).lower(), "initial": str(initial).lower(),
            "lengths": json.dumps(lengths) if lengths is not None else ""}
    save_file(f32(tensors), os.path.join(OUT, name + ".safetensors"), metadata=meta)


def rnn_sigmoid(name, inp, hid, layers, T, B):
    """The notes' Elman convention h_t = sigmoid(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh), which
    nn.RNN lacks: written with torch ops on nn.RNN's parameters (same names and layout)."""
    rnn = torch.nn.RNN(inp, hid, layers)
    x = torch.randn(T, B, inp, requires_grad=True)
    h0 = (0.5 * torch.randn(layers, B, hid)).requires_grad_()
    p = dict(rnn.named_parameters())
    layer_in, finals = x, []
    for k in range(layers):
        h, outs = h0[k], []
        for t in range(T):
            h = torch.sigmoid(layer_in[t] @ p[f"weight_ih_l{k}"].T + p[f"bias_ih_l{k}"]
                              + h @ p[f"weight_hh_l{k}"].T + p[f"bias_hh_l{k}"])
            outs.append(h)
        layer_in = torch.stack(outs)
        finals.append(h)
    out, hN = layer_in, torch.stack(finals)
    r_out, r_h = torch.randn_like(out), torch.randn_like(hN)
    loss = (r_out * out).sum() + (r_h * hN).sum()
    grads = torch.autograd.grad(loss, [x, h0] + list(p.values()))
    tensors = {"x": x, "h0": h0, "output": out, "h_n": hN, "r_out": r_out, "r_h": r_h,
               "grad.x": grads[0], "grad.h0": grads[1]}
    for (pname, param), g in zip(p.items(), grads[2:]):
        tensors["rnn." + pname] = param
        tensors["grad.rnn." + pname] = g
    save_file(f32(tensors), os.path.join(OUT, name + ".safetensors"), metadata={"kind": "rnn_sigmoid"})


def cross_entropy():
    N, V = 7, 11
    logits = (2 * torch.randn(N, V)).requires_grad_()
    targets = torch.randint(0, V, (N,))
    mask = torch.tensor([1, 1, 0, 1, 0, 1, 1], dtype=torch.float64)
    # Padding rows carry junk targets; ignore_index removes them, the mean is over real tokens.
    ignored = targets.clone()
    ignored[mask == 0] = -100
    loss = torch.nn.functional.cross_entropy(logits, ignored, ignore_index=-100, reduction="mean")
    (g,) = torch.autograd.grad(loss, [logits])
    save_file(f32({"logits": logits, "targets": targets.to(torch.float64), "mask": mask,
                   "loss": loss.reshape(1), "grad.logits": g}),
              os.path.join(OUT, "cross_entropy_masked.safetensors"))


def adam_language_model():
    """A word-LM (Embedding → 2-layer LSTM → Linear) trained 10 Adam steps on a fixed batch with
    masked cross-entropy and gradient clipping; records the initial weights and the 10 losses."""
    V, E, H, T, B = 13, 5, 6, 4, 3
    torch.set_default_dtype(torch.float32)
    enc = torch.nn.Embedding(V, E)
    rnn = torch.nn.LSTM(E, H, 2)
    dec = torch.nn.Linear(H, V)
    modules = {"encoder": enc, "rnn": rnn, "decoder": dec}
    for m in modules.values():
        m.double()
    torch.set_default_dtype(torch.float64)
    initial = {f"{p}.{n}": t.detach().clone() for p, m in modules.items() for n, t in m.named_parameters()}
    ids = torch.randint(0, V, (T, B))
    targets = torch.randint(0, V, (T, B))
    mask = torch.ones(T, B)
    mask[3, 1] = 0
    mask[2:, 2] = 0
    params = [p for m in modules.values() for p in m.parameters()]
    opt = torch.optim.Adam(params, lr=0.01)
    losses = []
    for _ in range(10):
        opt.zero_grad()
        out, _ = rnn(enc(ids))
        logits = dec(out).reshape(T * B, V)
        t = targets.reshape(-1).clone()
        t[mask.reshape(-1) == 0] = -100
        loss = torch.nn.functional.cross_entropy(logits, t, ignore_index=-100)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 0.5)
        opt.step()
        losses.append(loss.item())
    tensors = dict(initial)
    tensors.update({"ids": ids.to(torch.float64), "targets": targets.to(torch.float64), "mask": mask,
                    "losses": torch.tensor(losses)})
    for p, m in modules.items():
        for n, t in m.named_parameters():
            tensors[f"final.{p}.{n}"] = t
    save_file(f32(tensors), os.path.join(OUT, "adam_lstm_lm.safetensors"))


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    recurrent("lstm_2layer", "lstm", 5, 6, 2, False, T=4, B=3)
    recurrent("gru_2layer", "gru", 5, 6, 2, False, T=4, B=3)
    recurrent("rnn_tanh_2layer", "rnn", 4, 5, 2, False, T=5, B=2, nonlinearity="tanh")
    recurrent("rnn_relu_1layer_zero_state", "rnn", 4, 5, 1, False, T=3, B=2, initial=False, nonlinearity="relu")
    recurrent("lstm_bidirectional_packed", "lstm", 4, 3, 2, True, T=5, B=3, lengths=[5, 2, 3])
    recurrent("gru_bidirectional_packed", "gru", 4, 3, 1, True, T=5, B=3, lengths=[3, 5, 1])
    recurrent("gru_bidirectional_packed_zero_state", "gru", 3, 4, 2, True, T=4, B=2, lengths=[4, 2], initial=False)
    cross_entropy()
    adam_language_model()
    torch.manual_seed(7)
    rnn_sigmoid("rnn_sigmoid_2layer", 3, 4, 2, T=4, B=2)
    print("wrote fixtures to", os.path.normpath(OUT))
