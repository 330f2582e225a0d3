#!/usr/bin/env python3
"""PyTorch peer of `glossa-bench core`: forward + backward of the classic PTB word LM step.

Embedding(V, E) -> 2-layer nn.LSTM(E, H) -> Linear(H, V) -> mean cross-entropy over T*B targets,
then backward (gradients zeroed first, set_to_none=False so the buffers are reused). Random token
ids, fixed seed, float32, torch.set_num_threads(2). Prints one JSON line per size with the median
, mean and minimum seconds per step.

    /work/venv-torch/bin/python Benchmarks/pytorch_lstm_step.py --hidden 200 650 --steps 20
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hidden", type=int, nargs="+", default=[200, 650])
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--T", type=int, default=35)
    ap.add_argument("--B", type=int, default=20)
    ap.add_argument("--V", type=int, default=10000)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    for H in args.hidden:
        E = H
        enc, rnn, dec = nn.Embedding(args.V, E), nn.LSTM(E, H, 2), nn.Linear(H, args.V)
        params = list(enc.parameters()) + list(rnn.parameters()) + list(dec.parameters())
        ids = torch.randint(0, args.V, (args.T, args.B))
        targets = torch.randint(0, args.V, (args.T * args.B,))
        h0 = (torch.zeros(2, args.B, H), torch.zeros(2, args.B, H))

        def step():
            for p in params:
                if p.grad is not None:
                    p.grad.zero_()
            out, _ = rnn(enc(ids), h0)
            loss = nn.functional.cross_entropy(dec(out).reshape(-1, args.V), targets)
            loss.backward()
            return loss.item()

        for _ in range(args.warmup):
            step()
        times = []
        for _ in range(args.steps):
            t0 = time.perf_counter()
            step()
            times.append(time.perf_counter() - t0)
        print(json.dumps({"benchmark": "lstm-lm-step", "impl": "pytorch", "torch": torch.__version__,
                          "threads": args.threads, "T": args.T, "B": args.B, "E": E, "H": H, "V": args.V,
                          "median_s": statistics.median(times), "mean_s": statistics.mean(times), "min_s": min(times),
                          "times": times,
                          "steps": args.steps}), flush=True)


if __name__ == "__main__":
    main()
