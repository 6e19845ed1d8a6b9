# Shared by the scripts that start throwaway servers: initdb and pg_ctl refuse
# to run as root, so as root they run as an unprivileged user of their own.
QUERY_ML_USER=${QUERY_ML_USER:-query_ml_dev}
PG_BINDIR=${PG_BINDIR:-/usr/lib/postgresql/${PG_MAJOR:-15}/bin}

# as_user CMD...: run CMD as the unprivileged user (or as is, when not root).
as_user() {
  if [ "$(id -u)" -ne 0 ]; then "$@"; return; fi
  id "$QUERY_ML_USER" >/dev/null 2>&1 ||
    useradd --system --user-group --home-dir /nonexistent --shell /usr/sbin/nologin "$QUERY_ML_USER"
  runuser -u "$QUERY_ML_USER" -- env HOME=/tmp "$@"
}

# user_can_read DIR: can the unprivileged user read DIR (every parent included)?
user_can_read() {
  as_user test -r "$1" -a -x "$1"
}

# prepare_tree ROOT [REQUIREMENTS]: sets TREE (the checkout, or a copy the user can read),
# SHARED (../shared, or a readable copy of its corpora) and VENV (with REQUIREMENTS, by
# default tests/requirements.txt, in a venv of its own).
prepare_tree() {
  local here=$1 requirements=${2:-tests/requirements.txt} python=${SERVER_PYTHON:-/usr/bin/python3}
  TREE=$here
  if ! user_can_read "$here/tests"; then
    TREE=/tmp/query_ml-tests
    echo "note: $QUERY_ML_USER cannot enter $here; running a copy in $TREE"
    rm -rf "$TREE" && mkdir -p "$TREE"
    tar -C "$here" --exclude=./build --exclude=./.git --exclude=./.demo -cf - . | tar -C "$TREE" -xf -
  fi
  SHARED=${QUERY_ML_SHARED:-$(dirname "$here")/shared}
  if [ -d "$SHARED/corpora" ] && ! user_can_read "$SHARED/corpora"; then
    mkdir -p "$TREE/build/shared" && cp -R "$SHARED/corpora" "$TREE/build/shared/"
    SHARED=$TREE/build/shared
  fi
  # The venv is rebuilt only when the requirements change.
  VENV=$TREE/build/venv-$(basename "$(dirname "$requirements")")
  if ! cat "$TREE"/tests/requirements.txt "$TREE/$requirements" | cmp -s - "$VENV/requirements.txt" 2>/dev/null; then
    echo "query_ml: preparing the Python environment in $VENV"
    rm -rf "$VENV"
    "$python" -m venv "$VENV"
    (cd "$TREE" && PIP_DISABLE_PIP_VERSION_CHECK=1 "$VENV/bin/pip" install --quiet -r "$requirements")
    cat "$TREE"/tests/requirements.txt "$TREE/$requirements" > "$VENV/requirements.txt"
  fi
  if [ "$(id -u)" -eq 0 ]; then chmod -R a+rX "$TREE/build"; fi
}

# in_tree CMD...: run CMD as the unprivileged user, in TREE, with the package importable.
in_tree() {
  (cd "$TREE" && as_user env PYTHONPATH="$TREE/plpython:$TREE:$TREE/bench" PYTHONDONTWRITEBYTECODE=1 \
      QUERY_ML_SHARED="$SHARED" PG_BINDIR="$PG_BINDIR" "$@")
}

# demo_dir ROOT NAME: sets DIR to ROOT/NAME (or a temporary folder when the unprivileged user
# cannot enter ROOT), empty and the user's; then runs make install quietly, its output in
# DIR/install.log, shown only when it fails.
demo_dir() {
  local here=$1 name=$2
  DIR=$here/$name
  if ! user_can_read "$here"; then
    DIR=$(mktemp -d "/tmp/query_ml-${name#.}.XXXXXX")
    echo "note: $QUERY_ML_USER cannot enter $here; the demo's servers live in $DIR"
  fi
  rm -rf "$DIR" && mkdir -p "$DIR"
  if [ "$(id -u)" -eq 0 ]; then chown "$QUERY_ML_USER" "$DIR"; fi
  if ! make -C "$here" --no-print-directory install >"$DIR/install.log" 2>&1; then
    cat "$DIR/install.log"
    echo "query_ml: make install failed (its output is above, and in $DIR/install.log)"
    exit 1
  fi
  echo "query_ml: make install done (its output is in $DIR/install.log)"
}
