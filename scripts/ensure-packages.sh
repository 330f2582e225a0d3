#!/usr/bin/env bash
# Makes sure the Debian packages Glossa needs are present. As root it installs what is missing with
# apt-get; otherwise it prints the exact command to run and fails.
# Usage: scripts/ensure-packages.sh PACKAGE...
set -euo pipefail
missing=()
for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
    echo "glossa: installing ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
    echo "glossa: missing system packages; run: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
