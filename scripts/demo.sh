#!/usr/bin/env bash
# make demo: a throwaway PostgreSQL under .demo/, the extension, a realistic
# workload, and the psql session a DBA would run.  KEEP=1 leaves it running.
# Every line it prints fits 160 columns.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/lib.sh"

demo_dir "$here" .demo
dir=$DIR

# A unix socket path must stay under 108 bytes.
sock=$dir
if [ ${#dir} -gt 80 ]; then
  sock=$(mktemp -d /tmp/query_ml-sock.XXXXXX)
  if [ "$(id -u)" -eq 0 ]; then chown "$QUERY_ML_USER" "$sock"; fi
fi

db=query_ml_demo
as_user "$PG_BINDIR/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$sock'
shared_preload_libraries = 'pg_cron,pg_stat_statements'
cron.database_name = '$db'
cron.host = '$sock'
CONF
as_user "$PG_BINDIR/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start >/dev/null
stop() { as_user "$PG_BINDIR/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null; }
[ "${KEEP:-0}" = 1 ] || trap stop EXIT

psql() { as_user "$PG_BINDIR/psql" -h "$sock" -U postgres -d "$db" -X -q -v ON_ERROR_STOP=1 "$@"; }
as_user "$PG_BINDIR/createdb" -h "$sock" -U postgres "$db"
echo "query_ml: a throwaway server in $dir, with the shop of demo/workload.sql"
psql <"$here/demo/workload.sql" >/dev/null
# The session comes on standard input, so that psql prefixes no error with a file name and line.
psql <"$here/demo/session.sql" 2>&1
if [ "${KEEP:-0}" = 1 ]; then
  echo
  echo "The demo server keeps running:  psql -h $sock -U postgres $db"
  if [ "$(id -u)" -eq 0 ]; then
    echo "Stop it with:  runuser -u $QUERY_ML_USER -- $PG_BINDIR/pg_ctl -D $dir/data stop"
  else
    echo "Stop it with:  $PG_BINDIR/pg_ctl -D $dir/data stop"
  fi
fi
