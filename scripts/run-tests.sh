#!/usr/bin/env bash
# make test: every test, run by an unprivileged user (initdb refuses root)
# against a throwaway server that pytest-postgresql starts.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/lib.sh"
python=${SERVER_PYTHON:-/usr/bin/python3}

tree=$here
if ! user_can_read "$here/tests"; then
  tree=/tmp/query_ml-tests
  echo "note: $QUERY_ML_USER cannot enter $here; running a copy in $tree"
  rm -rf "$tree" && mkdir -p "$tree"
  tar -C "$here" --exclude=./build --exclude=./.git --exclude=./.demo -cf - . | tar -C "$tree" -xf -
fi

shared=${QUERY_ML_SHARED:-$(dirname "$here")/shared}
if [ -d "$shared/corpora" ] && ! user_can_read "$shared/corpora"; then
  mkdir -p "$tree/build/shared" && cp -R "$shared/corpora" "$tree/build/shared/"
  shared=$tree/build/shared
fi

# The venv is rebuilt only when the requirements change.
venv=$tree/build/venv
if ! cmp -s "$tree/tests/requirements.txt" "$venv/requirements.txt" 2>/dev/null; then
  echo "query_ml: preparing the test environment in $venv"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  PIP_DISABLE_PIP_VERSION_CHECK=1 "$venv/bin/pip" install --quiet -r "$tree/tests/requirements.txt"
  cp "$tree/tests/requirements.txt" "$venv/requirements.txt"
fi
[ "$(id -u)" -eq 0 ] && chmod -R a+rX "$tree/build"

cd "$tree"
as_user env PYTHONPATH="$tree/plpython:$tree" PYTHONDONTWRITEBYTECODE=1 \
  QUERY_ML_SHARED="$shared" PG_BINDIR="$PG_BINDIR" \
  "$venv/bin/python" -m pytest -c "$tree/tests/pytest.ini" --rootdir "$tree" -p no:cacheprovider "$@"
