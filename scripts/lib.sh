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
