#!/usr/bin/env python3
"""glossa dedup beside Splink 4 (DuckDB) on the same files in the same run: pairwise P / R / F1,
wall time, peak memory (max RSS of each tool's own process) and the ratios.

    python3 -m venv /work/venv-dedup && /work/venv-dedup/bin/pip install 'splink>=4,<5'
    /work/venv-dedup/bin/python Benchmarks/dedup_splink.py --glossa .build/release/glossa \\
        febrl1 febrl2 listings:3000 listings:3000:2 generated-all:100000 generated-all:100000:2

Test sets: febrl1, febrl2 (../shared/data/febrl), generated:N (Benchmarks/generate_addresses.py,
seed 1), generated-all:N (the same with --corrupt-all: zip, state and phone corrupted too),
listings:N (Benchmarks/generate_listings.py, N businesses, several per address, shared phones),
or a path to a CSV with an `entity` column (generated-style columns). A third part is the
generator's seed: listings:3000:2, generated-all:100000:2 (default 1). generated-all:1000000 runs
too (about 1.5 GB for Glossa; give Splink a quiet machine and several GB).

Both tools compare the same fields (on Febrl every column, soc_sec_id included, as Splink's Febrl
tutorial does). Splink is set up as its tutorials do: blocking rules on names, postcode and date of
birth (zip, phone, street where there is no date of birth); Jaro-Winkler, exact, Damerau-Levenshtein
(soc_sec_id) and date comparisons;
lambda from deterministic rules, u by random sampling, m by EM on two blockings; pairs predicted
and clustered at match probability 0.5. Its input is lower-cased and phones reduced to digits, as a
new user would prepare it; Glossa gets the raw file. Both are scored by the same function against
the ground truth. One JSON line per (test set, round, tool), then a table; with --repeat N each set runs N rounds
(Glossa, Splink, Glossa, Splink, ...) and the speed-ups and their median are printed. Before each round the script waits
(--wait-load, default 600 s) for the load average to fall under 0.5, as a tool's own previous run
leaves it high; time figures are only results when it did (each line carries the load at its start).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
FEBRL = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "data", "febrl"))

# (fields for glossa, label column, splink comparisons, splink blocking, EM blockings)
KINDS = {
    "febrl": dict(
        fields="given_name,surname,street_number,address_1,address_2,suburb,postcode,state,date_of_birth,soc_sec_id",
        label="rec_id", jaro=["given_name", "surname", "address_1", "address_2", "suburb"],
        exact=["street_number", "postcode", "state"], date="date_of_birth", edit=["soc_sec_id"],
        blocking=[["given_name"], ["surname"], ["postcode"], ["date_of_birth"]],
        deterministic=[["given_name", "surname", "date_of_birth"]], em=[["given_name", "surname"], ["postcode"]]),
    "generated": dict(
        fields="given_name,surname,street,unit,city,state,zip,phone", label="entity",
        jaro=["given_name", "surname", "street", "unit", "city"], exact=["state", "zip", "phone"], date=None,
        blocking=[["given_name", "surname"], ["zip"], ["phone"], ["street"]],
        deterministic=[["given_name", "surname", "zip"]], em=[["given_name", "surname"], ["zip"]]),
    "listings": dict(
        fields="name,address,city,phone", label="entity", jaro=["name", "address"], exact=["city", "phone"], date=None,
        blocking=[["phone"], ["address"], ["name"]],
        deterministic=[["name", "address"]], em=[["address"], ["phone"]]),
}


def pairwise(predicted, truth):
    """Pairwise precision, recall, F1 of cluster labels against entity labels."""
    from collections import Counter
    pairs = lambda counts: sum(n * (n - 1) // 2 for n in counts.values())
    predicted_pairs, true_pairs = pairs(Counter(predicted)), pairs(Counter(truth))
    correct = pairs(Counter(zip(predicted, truth)))
    p = correct / predicted_pairs if predicted_pairs else 1.0
    r = correct / true_pairs if true_pairs else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def entity_of(value):
    """Febrl ids rec-N-org / rec-N-dup-M are entity N; anything else is itself."""
    value = value.strip()
    return value.split("-")[1] if value.startswith("rec-") else value


def prepare(spec, folder):
    """(path, kind) for a test-set name."""
    name, _, rest = spec.partition(":")
    size, _, seed = rest.partition(":")
    seed = seed or "1"
    if name in ("febrl1", "febrl2"):
        return os.path.join(FEBRL, f"dataset{name[-1]}.csv"), "febrl"
    if name in ("generated", "generated-all"):
        path = os.path.join(folder, f"{name}-{size}-{seed}.csv")
        extra = ["--corrupt-all"] if name == "generated-all" else []
        with open(path, "w") as out:
            subprocess.run([sys.executable, os.path.join(HERE, "generate_addresses.py"), "--rows", size, "--seed", seed] + extra,
                           stdout=out, check=True)
        return path, "generated"
    if name == "listings":
        path = os.path.join(folder, f"listings-{size}-{seed}.csv")
        with open(path, "w") as out:
            subprocess.run([sys.executable, os.path.join(HERE, "generate_listings.py"), "--businesses", size, "--seed", seed],
                           stdout=out, check=True)
        return path, "listings"
    return spec, "generated"


def measured(command):
    """Runs `command`; (seconds, peak RSS in MB of that process)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"failed ({status}): {' '.join(command)}")
    return seconds, usage.ru_maxrss / 1024


def read_column(path, column):
    import csv
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f, skipinitialspace=True)
        header = [h.strip() for h in next(reader)]
        index = header.index(column)
        return [row[index] for row in reader]


def run_splink(path, kind, output):
    """The child process: Splink on `path`, writes one cluster id per input row to `output`."""
    import pandas as pd
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on
    setup = KINDS[kind]
    frame = pd.read_csv(path, skipinitialspace=True, dtype=str).fillna("")
    frame.columns = [c.strip() for c in frame.columns]
    frame["unique_id"] = range(len(frame))
    for column in setup["fields"].split(","):
        frame[column] = frame[column].str.strip().str.lower()
        if column == "phone":
            frame[column] = frame[column].str.replace(r"\D", "", regex=True)
        frame[column] = frame[column].replace("", None)
    comparisons = [cl.JaroWinklerAtThresholds(c, [0.92, 0.8]) for c in setup["jaro"]]
    comparisons += [cl.ExactMatch(c) for c in setup["exact"]]
    comparisons += [cl.DamerauLevenshteinAtThresholds(c, [1, 2]) for c in setup.get("edit", [])]
    if setup["date"]:
        comparisons.append(cl.DateOfBirthComparison(setup["date"], input_is_string=True, datetime_format="%Y%m%d",
                                                    invalid_dates_as_null=True))
    settings = SettingsCreator(link_type="dedupe_only", comparisons=comparisons,
                               blocking_rules_to_generate_predictions=[block_on(*b) for b in setup["blocking"]])
    linker = Linker(frame, settings, db_api=DuckDBAPI())
    linker.training.estimate_probability_two_random_records_match([block_on(*b) for b in setup["deterministic"]], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6)
    for b in setup["em"]:
        linker.training.estimate_parameters_using_expectation_maximisation(block_on(*b))
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, threshold_match_probability=0.5)
    table = clusters.as_pandas_dataframe()[["unique_id", "cluster_id"]]
    ids = dict(zip(table["unique_id"].astype(int), table["cluster_id"].astype(str)))
    with open(output, "w") as out:
        for row in range(len(frame)):
            out.write(ids.get(row, f"single-{row}") + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", default=["febrl1", "febrl2", "generated-all:100000", "listings:3000"])
    parser.add_argument("--glossa", default=os.path.join(HERE, "..", ".build", "release", "glossa"))
    parser.add_argument("--glossa-args", default="", help="extra arguments for glossa dedup")
    parser.add_argument("--no-splink", action="store_true")
    parser.add_argument("--wait-load", type=float, default=600, metavar="SECONDS",
                        help="before each round, wait up to this long for the 1-minute load average to fall under 0.5")
    parser.add_argument("--repeat", type=int, default=1, help="rounds per set, Glossa and Splink alternately (the host's speed drifts)")
    parser.add_argument("--splink-child", nargs=3, metavar=("PATH", "KIND", "OUTPUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.splink_child:
        run_splink(*args.splink_child)
        return
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for spec in args.sets:
            path, kind = prepare(spec, folder)
            setup = KINDS[kind]
            truth = [entity_of(v) for v in read_column(path, setup["label"])]
            for round in range(1, args.repeat + 1):
                load = quiet(args.wait_load)
                results = {}
                out = os.path.join(folder, "glossa.csv")
                seconds, memory = measured([args.glossa, "dedup", path, "--fields", setup["fields"], "--output", out]
                                           + args.glossa_args.split())
                results["glossa"] = (pairwise(read_column(out, "cluster_id"), truth), seconds, memory)
                if not args.no_splink:
                    out = os.path.join(folder, "splink.txt")
                    seconds, memory = measured([sys.executable, os.path.abspath(__file__), "--splink-child", path, kind, out])
                    with open(out) as f:
                        results["splink"] = (pairwise(f.read().split("\n")[:-1], truth), seconds, memory)
                for tool, ((p, r, f1), seconds, memory) in results.items():
                    line = dict(set=spec, tool=tool, round=round, rows=len(truth), precision=round_(p), recall=round_(r), f1=round_(f1),
                                seconds=round_(seconds, 2), peak_mb=round_(memory, 0), load_at_start=round_(load, 2))
                    print(json.dumps(line), flush=True)
                rows.append((spec, round, load, results))
    print(f"\n| set | round | load | Glossa P / R / F1 | Splink P / R / F1 | time Glossa / Splink (s) | Glossa faster by | peak MB Glossa / Splink |")
    print("|---|---|---|---|---|---|---|---|")
    speedups = {}
    for spec, round, load, results in rows:
        (gp, gr, gf), gs, gm = results["glossa"]
        if "splink" in results:
            (sp, sr, sf), ss, sm = results["splink"]
            speedups.setdefault(spec, []).append(ss / gs)
            print(f"| {spec} | {round} | {load:.2f} | {gp:.3f} / {gr:.3f} / {gf:.5f} | {sp:.3f} / {sr:.3f} / {sf:.5f} | {gs:.2f} / {ss:.2f} | {ss / gs:.2f}× | {gm:.0f} / {sm:.0f} |")
        else:
            print(f"| {spec} | {round} | {load:.2f} | {gp:.3f} / {gr:.3f} / {gf:.5f} | – | {gs:.2f} / – | – | {gm:.0f} / – |")
    for spec, ratios in speedups.items():
        if len(ratios) > 1:
            print(f"{spec}: faster by {', '.join(f'{r:.2f}×' for r in ratios)}; median {statistics.median(ratios):.2f}×")
    print("(load average at the start of each round; figures measured under load > 0.5 are provisional)")


def quiet(seconds):
    """Waits (at most `seconds`) for the 1-minute load average to fall under 0.5; returns it."""
    deadline = time.time() + seconds
    while os.getloadavg()[0] >= 0.5 and time.time() < deadline:
        time.sleep(10)
    return os.getloadavg()[0]


def round_(value, digits=6):
    """`value` rounded to `digits` (an int when `digits` is 0), for the JSON lines."""
    return int(round(value)) if digits == 0 else round(value, digits)

if __name__ == "__main__":
    main()
