"""PyTorch's torch.matmul on the shapes `glossa-bench gemm` passes (its peer in the same run).

    python Benchmarks/pytorch_gemm.py --shapes "M,N,K,transA,transB,copies;..." --threads 1 \
        --seconds 0.3 [--clock wall|cpu]

Prints one JSON line: {"threads": t, "gflops": [best GFLOP/s of three timings per shape, in order]}.
A transposed operand is a transposed view of a contiguous tensor, as in the models (y @ W.t()).
Like glossa-bench, a memory-bound shape cycles through `copies` copies of its operands so that they
come from memory. `--clock cpu` divides by the process's CPU time per thread (see glossa-bench).
"""
import argparse
import json
import time

import torch


def rate(m, n, k, trans_a, trans_b, copies, seconds, clock):
    g = torch.Generator().manual_seed(7)
    pairs = []
    for _ in range(copies):
        a = torch.rand((k, m) if trans_a else (m, k), generator=g) * 2 - 1
        b = torch.rand((n, k) if trans_b else (k, n), generator=g) * 2 - 1
        pairs.append((a.t() if trans_a else a, b.t() if trans_b else b))
    c = torch.empty(m, n)
    for a, b in pairs:
        torch.matmul(a, b, out=c)  # warm up
    best = 0.0
    for _ in range(3):
        count, start = 0, clock()
        while True:
            a, b = pairs[count % copies]
            torch.matmul(a, b, out=c)
            count += 1
            elapsed = clock() - start
            if elapsed >= seconds:
                break
        best = max(best, 2.0 * m * n * k * count / elapsed / 1e9)
    return best


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--shapes", required=True)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=0.3)
    parser.add_argument("--clock", choices=["wall", "cpu"], default="wall")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    clock = time.perf_counter if args.clock == "wall" else (lambda: time.process_time() / args.threads)
    shapes = [[int(x) for x in s.split(",")] for s in args.shapes.split(";")]
    print(json.dumps({"threads": args.threads, "gflops": [rate(*s, args.seconds, clock) for s in shapes]}))


if __name__ == "__main__":
    main()
