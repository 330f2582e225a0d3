#!/usr/bin/env bash
# `glossa dedup` on generated rows (Benchmarks/generate_addresses.py --corrupt-all --seed 1), one
# process against N ranks under mpirun on this machine, the same file checked (cmp). Two parts:
#
#   speed-up: 1M rows, 1 rank of 1 thread, then 2 ranks of 1 thread each (the issue's ≥ 1.7× aim);
#   scale:    10M rows, 1 rank (every core), then 2 ranks (the cores shared: --threads default).
#
# And on request, what the machine allows (`ceiling`): 1M rows, one process of one thread alone,
# then two such processes at once, each on the whole file; 2 × alone ÷ the slower of the two is the
# most two ranks could gain over one, had they no overhead at all (shared caches, memory bandwidth,
# and on a virtual machine whatever the host does with two busy cores).
#
# One JSON line per run on stdout (and appended to $RESULTS): rows, ranks, threads, wall seconds,
# peak resident memory of each rank (GNU time), the 1-minute load average just before the run, the
# stage times rank 0 printed; then the speed-up. Before each run the script waits (up to
# $WAIT_LOAD seconds, default 600) for the load average to fall under 0.5; a run that starts above it
# is marked "provisional": true. PAIRS=3 repeats each comparison three times, alternately, and
# prints the speed-ups and their median. Self-contained: builds the release binary unless $GLOSSA is set,
# generates and caches the inputs in $DATA (default ${TMPDIR:-/tmp}/glossa-dedup-bench; 10M rows ≈
# 0.8 GB), removes the outputs.
#
# Usage: Benchmarks/dedup_mpi.sh [all|speedup|scale|ceiling|ROWS RANKS THREADS]
#   Benchmarks/dedup_mpi.sh                 both parts (quiet machine: ≈ 20–30 min with generation)
#   Benchmarks/dedup_mpi.sh 200000 3 1      one comparison: 200k rows, 1 process vs 3 ranks, 1 thread each
#   PAIRS=4 Benchmarks/dedup_mpi.sh ceiling four times: one process alone, then two at once
# Needs mpirun (openmpi-bin) and /usr/bin/time (GNU time).
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:-all}
DATA=${DATA:-${TMPDIR:-/tmp}/glossa-dedup-bench}
RESULTS=${RESULTS:-$DATA/results.jsonl}
WAIT_LOAD=${WAIT_LOAD:-600}
PAIRS=${PAIRS:-1}
mkdir -p "$DATA"
command -v mpirun >/dev/null || { echo "mpirun not found: apt-get install openmpi-bin" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time not found: apt-get install time" >&2; exit 1; }
if [ -z "${GLOSSA:-}" ]; then
    swift build -c release --product glossa >&2
    GLOSSA=$(swift build -c release --show-bin-path)/glossa
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OPENBLAS_NUM_THREADS=1
# Each rank's peak memory into its own file.
cat > "$tmp/timed" <<SH
#!/bin/sh
exec /usr/bin/time -f %M -o "$tmp/rss.\${OMPI_COMM_WORLD_RANK:-0}" "\$@"
SH
chmod +x "$tmp/timed"
fields=given_name,surname,street,unit,city,state,zip,phone

# input ROWS: the cached generated file's path (made once).
input() {
    local file="$DATA/addresses-$1-all.csv"
    if [ ! -s "$file" ]; then
        echo "generating $1 rows into $file" >&2
        python3 Benchmarks/generate_addresses.py --rows "$1" --seed 1 --corrupt-all > "$file.part"
        mv "$file.part" "$file"
    fi
    echo "$file"
}

load() { cut -d' ' -f1 /proc/loadavg; }

# quiet: waits until the 1-minute load is under 0.5 (at most WAIT_LOAD seconds).
quiet() {
    local waited=0
    while awk -v l="$(load)" 'BEGIN { exit !(l >= 0.5) }' && [ "$waited" -lt "$WAIT_LOAD" ]; do
        sleep 10
        waited=$((waited + 10))
    done
}

# Refuses a run whose estimated memory is not within 90 % of what is available, rather than pushing
# the machine into swap or the OOM killer: 0.9 GB per million rows on 1 rank, 0.6 GB per million rows
# per rank on more (measured at 1M rows, --threads 1: 0.85 GB on 1 rank; 0.61 GB per rank on 2 since
# the vectors stay on the rank that computed them, 0.79 GB before).
fits() { # ROWS RANKS
    local perMillion=$([ "$2" -eq 1 ] && echo 900 || echo 600)
    local need=$(( $1 / 1000 * perMillion / 1000 * $2 )) available=$(( $(awk '/MemAvailable/ { print $2 }' /proc/meminfo) / 1024 ))
    if [ $(( need * 10 )) -gt $(( available * 9 )) ]; then
        echo "{\"skipped\": \"$1 rows on $2 ranks need about $need MB, $available MB available\"}" | tee -a "$RESULTS"
        return 1
    fi
}

# run NAME ROWS RANKS THREADS: one dedup (1 rank: a plain process; more: mpirun), its JSON line.
run() {
    local name=$1 rows=$2 ranks=$3 threads=$4 file
    fits "$rows" "$ranks" || return 0
    file=$(input "$rows")
    local threadsFlag=()
    [ "$threads" = default ] || threadsFlag=(--threads "$threads")
    local launcher=(env)
    [ "$ranks" -eq 1 ] || launcher=(mpirun -np "$ranks" --oversubscribe --bind-to none -x OPENBLAS_NUM_THREADS)
    quiet
    local before start end
    before=$(load)
    start=$(date +%s.%N)
    "${launcher[@]}" "$tmp/timed" "$GLOSSA" dedup "$file" --fields "$fields" "${threadsFlag[@]}" \
        --output "$tmp/$name.csv" > "$tmp/$name.out"
    end=$(date +%s.%N)
    python3 - "$name" "$rows" "$ranks" "$threads" "$before" "$start" "$end" "$tmp" <<'PY' | tee -a "$RESULTS"
import glob, json, sys
name, rows, ranks, threads, load, start, end, tmp = sys.argv[1:]
rss = [int(open(f).read().split()[-1]) // 1024 for f in sorted(glob.glob(tmp + "/rss.*"), key=lambda f: int(f.rsplit(".", 1)[1]))]
summary = open(f"{tmp}/{name}.out").read().strip().splitlines()
print(json.dumps({"run": name, "rows": int(rows), "ranks": int(ranks), "threads": threads, "wall_s": round(float(end) - float(start), 2),
                  "peak_mb_per_rank": rss, "peak_mb_total": sum(rss), "load_before": float(load), "provisional": float(load) >= 0.5,
                  "stages": next((l for l in summary if l.startswith("time ")), "")}))
PY
    rm -f "$tmp"/rss.*
}

# compare ROWS RANKS THREADS THREADS_ONE: 1 process, then RANKS ranks, $PAIRS times alternately;
# the same file each time; each pair's speed-up, then all of them and their median (this host's
# speed drifts by up to 2x within minutes, so one pair says little).
compare() {
    local rows=$1 ranks=$2 threads=$3 one=${4:-$3} pair
    for pair in $(seq "$PAIRS"); do
        run "one-$rows" "$rows" 1 "$one"
        run "ranks-$rows" "$rows" "$ranks" "$threads"
        [ -s "$tmp/one-$rows.csv" ] && [ -s "$tmp/ranks-$rows.csv" ] || continue
        cmp -s "$tmp/one-$rows.csv" "$tmp/ranks-$rows.csv" && same=true || same=false
        python3 - "$rows" "$ranks" "$same" "$RESULTS" <<'PY' | tee -a "$RESULTS"
import json, sys
rows, ranks, same, results = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "true", sys.argv[4]
runs = [json.loads(l) for l in open(results) if l.startswith('{"run"')]
one = [r for r in runs if r["run"] == f"one-{rows}"][-1]
many = [r for r in runs if r["run"] == f"ranks-{rows}"][-1]
print(json.dumps({"rows": rows, "ranks": ranks, "same_output": same, "speedup": round(one["wall_s"] / many["wall_s"], 2),
                  "provisional": one["provisional"] or many["provisional"]}))
PY
        [ "$same" = true ] || { echo "the $ranks-rank output differs from one process's" >&2; exit 1; }
        rm -f "$tmp"/*.csv
    done
    [ "$PAIRS" -gt 1 ] || return 0
    python3 - "$rows" "$ranks" "$PAIRS" "$RESULTS" <<'PY' | tee -a "$RESULTS"
import json, statistics, sys
rows, ranks, pairs, results = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
last = [json.loads(l) for l in open(results) if l.startswith('{"rows"') and '"speedup"' in l][-pairs:]
speedups = [r["speedup"] for r in last if r["rows"] == rows and r["ranks"] == ranks]
print(json.dumps({"rows": rows, "ranks": ranks, "pairs": len(speedups), "speedups": speedups,
                  "median_speedup": statistics.median(speedups), "provisional": any(r["provisional"] for r in last)}))
PY
}

# ceiling ROWS: one process of one thread alone, then two at once on the same input, $PAIRS times;
# each time 2 × alone ÷ the slower of the two (the speed-up two ranks would reach with no overhead).
ceiling() {
    local rows=$1 file pair alone
    file=$(input "$rows")
    for pair in $(seq "$PAIRS"); do
        quiet
        local before=$(load) start end
        start=$(date +%s.%N)
        "$GLOSSA" dedup "$file" --fields "$fields" --threads 1 --output "$tmp/alone.csv" > /dev/null
        end=$(date +%s.%N)
        alone=$(python3 -c "print(round($end - $start, 2))")
        quiet
        local beforeBoth=$(load)
        /usr/bin/time -f %e -o "$tmp/first.s" "$GLOSSA" dedup "$file" --fields "$fields" --threads 1 --output "$tmp/first.csv" > /dev/null &
        /usr/bin/time -f %e -o "$tmp/second.s" "$GLOSSA" dedup "$file" --fields "$fields" --threads 1 --output "$tmp/second.csv" > /dev/null
        wait
        python3 - "$rows" "$alone" "$(cat "$tmp/first.s")" "$(cat "$tmp/second.s")" "$before" "$beforeBoth" <<'PY' | tee -a "$RESULTS"
import json, sys
rows, alone, first, second, load, loadBoth = int(sys.argv[1]), *map(float, sys.argv[2:])
print(json.dumps({"ceiling_rows": rows, "alone_s": alone, "two_at_once_s": [first, second], "ceiling": round(2 * alone / max(first, second), 2),
                  "load_before": [load, loadBoth], "provisional": max(load, loadBoth) >= 0.5}))
PY
        rm -f "$tmp"/*.csv "$tmp"/*.s
    done
}

echo "glossa: $GLOSSA; load now $(load); results also in $RESULTS" >&2
case "$MODE" in
    all) compare 1000000 2 1; compare 10000000 2 default ;;
    speedup) compare 1000000 2 1 ;;
    scale) compare 10000000 2 default ;;
    ceiling) ceiling 1000000 ;;
    *) compare "$1" "${2:-2}" "${3:-1}" ;;
esac
