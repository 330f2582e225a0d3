#!/usr/bin/env bash
# `glossa dedup` on ROWS generated rows (Benchmarks/generate_addresses.py --corrupt-all): one process,
# then RANKS ranks under mpirun on this machine; checks that both write the same file, and prints
# one JSON line per run: wall seconds and the peak resident memory of each rank (GNU time).
#
# Usage: Benchmarks/dedup_mpi.sh [ROWS=1000000] [RANKS=2]      GLOSSA=path/to/glossa (default: release build)
# Measure only on a quiet machine (`uptime` load < 0.5); otherwise write the load beside the figure.
set -euo pipefail
ROWS=${1:-1000000}
RANKS=${2:-2}
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 Benchmarks/generate_addresses.py --rows "$ROWS" --corrupt-all > "$tmp/in.csv"
if [ -z "${GLOSSA:-}" ]; then
    swift build -c release --product glossa >&2
    GLOSSA=$(swift build -c release --show-bin-path)/glossa
fi
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OPENBLAS_NUM_THREADS=1
# Each rank's peak memory into its own file.
cat > "$tmp/timed" <<SH
#!/bin/sh
exec /usr/bin/time -f %M -o "$tmp/rss.\${OMPI_COMM_WORLD_RANK:-0}" "\$@"
SH
chmod +x "$tmp/timed"
fields=given_name,surname,street,unit,city,state,zip,phone
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

# run NAME RANKS LAUNCHER...: one dedup, then its JSON line.
run() {
    local name=$1 ranks=$2; shift 2
    local start=$(date +%s.%N)
    "$@" "$tmp/timed" "$GLOSSA" dedup "$tmp/in.csv" --fields "$fields" \
        --output "$tmp/$name.csv" > "$tmp/$name.out"
    local end=$(date +%s.%N)
    python3 - "$name" "$ranks" "$ROWS" "$start" "$end" "$tmp" <<'PY'
import glob, json, sys
name, ranks, rows, start, end, tmp = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), sys.argv[6]
rss = [int(open(f).read().split()[-1]) // 1024 for f in sorted(glob.glob(tmp + "/rss.*"))]
print(json.dumps({"run": name, "rows": rows, "ranks": ranks, "wall_s": round(end - start, 2), "peak_mb_per_rank": rss,
                  "summary": open(f"{tmp}/{name}.out").read().strip().splitlines()[-1]}))
PY
    rm -f "$tmp"/rss.*
}
run one 1 env
run ranks "$RANKS" mpirun -np "$RANKS" --oversubscribe --bind-to none -x OPENBLAS_NUM_THREADS
cmp "$tmp/one.csv" "$tmp/ranks.csv" && echo "same output file from 1 process and $RANKS ranks" >&2
