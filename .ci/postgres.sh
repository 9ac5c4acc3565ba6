#!/usr/bin/env bash
# Start a throw-away PostgreSQL server from Debian's packages on 127.0.0.1 and print the
# DATABASE_URL to use. Usage: eval "$(.ci/postgres.sh start)"; .ci/postgres.sh stop
set -euo pipefail
PGPORT="${PARINDEX_PG_PORT:-54329}"
PGDATA="${PARINDEX_PG_DATA:-/tmp/parindex-pg}"
bindir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}
case "${1:-start}" in
  start)
    if [ -z "$(bindir)" ]; then
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2
    fi
    BIN="$(bindir)"
    if [ -f "$PGDATA/postmaster.pid" ]; then
      runuser -u postgres -- "$BIN/pg_ctl" -D "$PGDATA" -m fast stop >&2 || true
    fi
    rm -rf "$PGDATA" && mkdir -p "$PGDATA" && chown postgres:postgres "$PGDATA"
    runuser -u postgres -- "$BIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    runuser -u postgres -- "$BIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w \
      -o "-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >&2
    "$BIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -q -c "CREATE ROLE parindex LOGIN SUPERUSER PASSWORD 'parindex'" >&2
    "$BIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -q -c "CREATE DATABASE parindex OWNER parindex" >&2
    echo "export DATABASE_URL=postgres://parindex:parindex@127.0.0.1:$PGPORT/parindex"
    ;;
  stop)
    BIN="$(bindir)"
    runuser -u postgres -- "$BIN/pg_ctl" -D "$PGDATA" -m fast stop >&2 || true
    ;;
esac
