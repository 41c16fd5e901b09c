#!/usr/bin/env bash
# Starts a private PostgreSQL + PostGIS server for the PostGIS reader's test:
# a fresh cluster in a temporary folder, owned by the postgres user (the
# server refuses to run as root), listening on 127.0.0.1 only. Prints the
# connection string; `.ci/run` exports it as LANDSTOCK_TEST_PG.
#   usage: eval "$(bash scripts/start-postgis.sh)"   (stop: pg_ctl -D "$LANDSTOCK_PG_DIR" stop)
set -euo pipefail
port="${LANDSTOCK_PG_PORT:-54329}"
# a server already listening there (another checkout's): take the next free port
for _ in $(seq 1 20); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
  port=$((port + 1))
done
bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
dir="$(mktemp -d /tmp/landstock-pg.XXXXXX)"
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres "$dir"
as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync >/dev/null
as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
as_pg "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE landstock" >/dev/null
as_pg "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d landstock -qc "CREATE EXTENSION postgis" >/dev/null
echo "export LANDSTOCK_PG_DIR='$dir/data'"
echo "export LANDSTOCK_TEST_PG='PG:host=127.0.0.1 port=$port dbname=landstock user=postgres'"
