#!/usr/bin/env python3
"""`glossa-bench gemm`'s JSON lines (stdin) as a Markdown table for the README: one row per shape and
thread count, GFLOP/s and fraction of the roofline for each implementation, and the load.

    .build/release/glossa-bench gemm --python /work/venv-torch/bin/python | tee gemm.jsonl | Benchmarks/gemm_table.py
"""
import json
import sys

rows, ceilings, order = {}, [], []
for line in sys.stdin:
    if not line.startswith("{"):
        continue
    r = json.loads(line)
    if r["benchmark"] == "gemm-ceilings":
        ceilings.append(r)
    elif r["benchmark"] == "gemm":
        key = (r["model"], r["product"], r["M"], r["N"], r["K"], r["threads"])
        if key not in rows:
            rows[key] = {}
            order.append(key)
        rows[key][r["impl"]] = r
for c in ceilings:
    print(f"{c['threads']} thread(s): FMA peak {c['fma_peak_gflops']} GFLOP/s, read bandwidth {c['read_bandwidth_gbs']} GB/s, "
          f"kernel {c['glossa_kernel']}, load {c['load']}\n")
impls = [i for i in ("glossa", "openblas", "pytorch") if any(i in v for v in rows.values())]
print("| model | product | M | N | K | threads | roofline GFLOP/s | " + " | ".join(f"{i} GFLOP/s (fraction)" for i in impls) + " | load |")
print("|" + " --- |" * (8 + len(impls)))
for key in order:
    v = rows[key]
    first = next(iter(v.values()))
    cells = [f"{v[i]['gflops']:.1f} ({v[i]['fraction_of_roofline']:.2f})" if i in v else "–" for i in impls]
    print(f"| {key[0]} | {key[1]} | {key[2]} | {key[3]} | {key[4]} | {key[5]} | {first['roofline_gflops']:.1f} | "
          + " | ".join(cells) + f" | {first['load']:.1f} |")
