#!/usr/bin/env bash
# make stress: every concurrent write path against a throwaway server (bench/stress.py), run by
# an unprivileged user; STRESS_SECONDS sets how long (default 180).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/lib.sh"
prepare_tree "$here"
in_tree env STRESS_SECONDS="${STRESS_SECONDS:-180}" "$VENV/bin/python" "$TREE/bench/stress.py" "$@"
