#!/usr/bin/env bash
# make bench: the whole suite (bench/suite.py) against one throwaway server, run by an
# unprivileged user; the table, CSV and chart land in bench/results/.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/lib.sh"
prepare_tree "$here" bench/requirements.txt
mkdir -p "$TREE/bench/results"
if [ "$(id -u)" -eq 0 ]; then chown -R "$QUERY_ML_USER" "$TREE/bench/results"; fi
status=0
in_tree "$VENV/bin/python" "$TREE/bench/suite.py" --out "$TREE/bench/results" "$@" || status=$?
if [ "$TREE" != "$here" ]; then
  mkdir -p "$here/bench/results" && cp "$TREE"/bench/results/* "$here/bench/results/"
fi
exit $status
