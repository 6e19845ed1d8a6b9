#!/usr/bin/env bash
# Installs the query_ml package and a pglast that cannot crash the backend into
# one folder per extension version, where the PL/Python functions import them.
#
# The prebuilt pglast wheel exports libpg_query symbols that the postgres binary
# also exports; the dynamic linker binds them to postgres's and the backend dies
# with signal 11.  Linking with -Bsymbolic binds them inside the module.
#
# install-python-lib.sh TARGET [RELEASE]: with RELEASE, an earlier version's package, taken from
# the last commit at which RELEASE was current, with the pglast that commit asked for.
set -euo pipefail
target=$1
release=${2:-}
here=$(cd "$(dirname "$0")/.." && pwd -P)
python=${SERVER_PYTHON:-/usr/bin/python3}
export PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1
wheels=$here/build/wheels

control_version() {  # default_version in query_ml.control at commit $1
  git -C "$here" show "$1:query_ml.control" 2>/dev/null | sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p"
}

release_commit() {  # the last commit at which version $1 was current; nothing without that history
  local commit
  # git -C would also find a repository around a copy that has no .git of its own.
  [ "$(git -C "$here" rev-parse --show-toplevel 2>/dev/null)" = "$here" ] || return 0
  if [ "$(control_version HEAD)" = "$1" ]; then git -C "$here" rev-parse HEAD; return 0; fi
  for commit in $(git -C "$here" log --format=%H -- query_ml.control 2>/dev/null); do
    if [ "$(control_version "$commit")" != "$1" ] && [ "$(control_version "$commit^")" = "$1" ]; then
      git -C "$here" rev-parse "$commit^"
      return 0
    fi
  done
}

if [ -z "$release" ]; then
  package=$here/plpython/query_ml
  version=${PGLAST_VERSION:?}
else
  commit=$(release_commit "$release")
  if [ -z "$commit" ]; then
    echo "query_ml: no git history of $release here, so its Python package is not installed;" \
         "CREATE EXTENSION query_ml VERSION '$release' will be refused" >&2
    exit 0
  fi
  source=$(mktemp -d)
  trap 'rm -rf "$source"' EXIT
  git -C "$here" archive "$commit" plpython/query_ml | tar -x -C "$source"
  package=$source/plpython/query_ml
  if ! grep -qx "__version__ = \"$release\"" "$package/__init__.py"; then
    echo "query_ml: commit $commit does not hold the Python package of $release" >&2
    exit 1
  fi
  version=$(git -C "$here" show "$commit:Makefile" | sed -n 's/^PGLAST_VERSION *= *//p')
  [ -n "$version" ] || { echo "query_ml: the Makefile of commit $commit names no PGLAST_VERSION" >&2; exit 1; }
fi

symbolic() {  # does this pglast parser module bind its own symbols?
  readelf -d "$1" 2>/dev/null | grep -q 'FLAGS.*SYMBOLIC'
}

installed=$(ls "$target"/pglast/parser.*.so 2>/dev/null | head -n1 || true)
if [ -n "$installed" ] && [ -d "$target/pglast-$version.dist-info" ] && symbolic "$installed"; then
  : # already there, built right
else
  wheel=$(ls "$wheels"/pglast-"$version"-*.whl 2>/dev/null | head -n1 || true)
  if [ -z "$wheel" ]; then
    echo "query_ml: building pglast $version with -Bsymbolic (takes about two minutes)"
    mkdir -p "$wheels"
    LDFLAGS="-Wl,-Bsymbolic" "$python" -m pip wheel --quiet --disable-pip-version-check \
      --no-cache-dir --no-deps --no-binary pglast "pglast==$version" -w "$wheels"
    wheel=$(ls "$wheels"/pglast-"$version"-*.whl | head -n1)
  fi
  rm -rf "$target"
  mkdir -p "$target"
  "$python" -m pip install --quiet --disable-pip-version-check --no-deps --no-index \
    --target "$target" "$wheel"
  installed=$(ls "$target"/pglast/parser.*.so | head -n1)
  if ! symbolic "$installed"; then
    echo "query_ml: $installed was not linked with -Bsymbolic; it would crash the server" >&2
    rm -rf "$target"
    exit 1
  fi
fi

# The package itself: replaced whole, so no stale module survives.
rm -rf "$target/query_ml"
cp -R "$package" "$target/query_ml"
find "$target/query_ml" -name '__pycache__' -prune -exec rm -rf {} +
# The backend cannot write here; compile now so a new session starts faster.
"$python" -m compileall -q "$target/query_ml" "$target/pglast" >/dev/null
chmod -R a+rX "$target"
