#!/usr/bin/env bash
# make bench: the benchmarks in bench/, each against a throwaway server of its own.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/lib.sh"
prepare_tree "$here"
status=0
for script in "${@:-$TREE/bench/bench_*.py}"; do
  for one in $script; do
    echo "== $(basename "$one")"
    in_tree "$VENV/bin/python" "$one" || status=1
  done
done
exit $status
