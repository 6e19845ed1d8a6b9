#!/usr/bin/env bash
# make demo-fleet: three throwaway PostgreSQL clusters (a hub and members "eu" and "us", each
# with wal_level = logical) under .demo-fleet/, set up as a fleet; what "eu" learns is then
# suggested on "us", which never measured it.  The psql sessions are demo/fleet/*.sql; every
# line printed fits 160 columns.  KEEP=1 leaves the clusters running.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/lib.sh"

demo_dir "$here" .demo-fleet
dir=$DIR

# The sockets in a short folder of their own: a unix socket path stays under 108 bytes, and the
# conninfo the demo echoes fits its 160 columns wherever the checkout lies.
sock=$(mktemp -d /tmp/qml-fleet.XXXXXX)
if [ "$(id -u)" -eq 0 ]; then chown "$QUERY_ML_USER" "$sock"; fi

db=app
nodes="hub eu us"
port_of() { case $1 in hub) echo 5441;; eu) echo 5442;; us) echo 5443;; esac; }
stop_all() {
  for n in $nodes; do
    as_user "$PG_BINDIR/pg_ctl" -D "$dir/$n" -m fast -w stop >/dev/null 2>&1 || true
  done
  rm -rf "$sock"
}
[ "${KEEP:-0}" = 1 ] || trap stop_all EXIT
for n in $nodes; do
  as_user "$PG_BINDIR/initdb" -D "$dir/$n" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  cat >>"$dir/$n/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$sock'
port = $(port_of "$n")
wal_level = logical
max_replication_slots = 10
max_wal_senders = 10
max_logical_replication_workers = 8
max_worker_processes = 16
cluster_name = 'query_ml_demo_$n'
CONF
  as_user "$PG_BINDIR/pg_ctl" -D "$dir/$n" -l "$dir/$n.log" -w start >/dev/null
  as_user "$PG_BINDIR/createdb" -h "$sock" -p "$(port_of "$n")" -U postgres "$db"
done
echo "query_ml: three throwaway clusters in $dir (hub on port 5441, eu on 5442, us on 5443)"

# session NODE FILE: FILE's psql session on NODE, its variables set for the fleet's addresses.
session() {
  echo
  echo "######## on $1"
  as_user "$PG_BINDIR/psql" -h "$sock" -p "$(port_of "$1")" -U postgres -d "$db" -X -q -v ON_ERROR_STOP=1 \
    -v hub="host=$sock port=$(port_of hub) dbname=$db user=query_ml_fleet" \
    -v eu="host=$sock port=$(port_of eu) dbname=$db user=query_ml_fleet" \
    -v us="host=$sock port=$(port_of us) dbname=$db user=query_ml_fleet" \
    -v header="$here/demo/fleet/header.psql" <"$here/demo/fleet/$2" 2>&1
}
# wait_for NODE SQL: until SQL returns true on NODE (replication catching up), at most 60 s.
wait_for() {
  for _ in $(seq 600); do
    [ "$(as_user "$PG_BINDIR/psql" -h "$sock" -p "$(port_of "$1")" -U postgres -d "$db" -X -At -c "$2")" = t ] && return
    sleep 0.1
  done
  echo "query_ml: replication did not catch up within 60 s: $2 on $1"; exit 1
}

session eu 1-publish-eu.sql
session us 2-publish-us.sql
session hub 3-hub.sql
session eu 4-join.sql
session us 4-join.sql
session eu 5-learn-on-eu.sql
wait_for hub "SELECT count(*) = 60 FROM query_ml.feedback WHERE fleet_origin = 'eu'"
wait_for hub "SELECT count(*) = 1 FROM query_ml.optimizations WHERE fleet_origin = 'us'"
session hub 6-refine-on-hub.sql
wait_for us "SELECT count(*) >= 3 FROM query_ml.fleet_patterns WHERE applications > 0"
session us 7-suggest-on-us.sql
session hub 8-status.sql
if [ "${KEEP:-0}" = 1 ]; then
  echo
  echo "The clusters keep running:  psql -h $sock -p 5441 -U postgres $db   (eu: 5442, us: 5443)"
fi
