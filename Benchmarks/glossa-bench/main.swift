// glossa-bench: timings of Glossa's own kernels and jobs, printed as JSON lines.
// Peers (PyTorch, HuggingFace tokenizers, recordlinkage) run from the scripts in Benchmarks/.
print("{\"benchmark\": \"none yet\"}")
