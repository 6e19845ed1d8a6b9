#!/usr/bin/env bash
# make test: every test, run by an unprivileged user (initdb refuses root)
# against a throwaway server that pytest-postgresql starts.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/lib.sh"
prepare_tree "$here"
in_tree "$VENV/bin/python" -m pytest -c "$TREE/tests/pytest.ini" --rootdir "$TREE" -p no:cacheprovider "$@"
