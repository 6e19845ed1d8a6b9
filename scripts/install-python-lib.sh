#!/usr/bin/env bash
# Installs the query_ml package and a pglast that cannot crash the backend into
# one folder per extension version, where the PL/Python functions import them.
#
# The prebuilt pglast wheel exports libpg_query symbols that the postgres binary
# also exports; the dynamic linker binds them to postgres's and the backend dies
# with signal 11.  Linking with -Bsymbolic binds them inside the module.
set -euo pipefail
target=$1
here=$(cd "$(dirname "$0")/.." && pwd)
python=${SERVER_PYTHON:-/usr/bin/python3}
export PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1
version=${PGLAST_VERSION:?}
wheels=$here/build/wheels

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
cp -R "$here/plpython/query_ml" "$target/query_ml"
find "$target/query_ml" -name '__pycache__' -prune -exec rm -rf {} +
# The backend cannot write here; compile now so a new session starts faster.
"$python" -m compileall -q "$target/query_ml" "$target/pglast" >/dev/null
chmod -R a+rX "$target"
