#!/usr/bin/env bash
# One throwaway PostgreSQL cluster in a folder: make it, start it on a port, stop it.
# with-postgres.sh runs the suite's cluster with it; a test that stops the database under a
# running server runs a cluster of its own with it.
#
#   tests/postgres/cluster.sh init DIR          (DIR exists and is empty or new)
#   tests/postgres/cluster.sh start DIR PORT [durable]
#   tests/postgres/cluster.sh stop DIR          (immediate: as a crash would)
#   tests/postgres/cluster.sh version
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "PostgreSQL is not installed (make test-tools installs it)" >&2
  exit 1
fi
# initdb and postgres refuse to run as root: the cluster belongs to the postgres user then.
as_owner=()
if [ "$(id -u)" = 0 ]; then
  as_owner=(runuser -u postgres --)
fi

cmd=${1:?init, start, stop or version}
if [ "$cmd" = version ]; then
  "$bin/postgres" --version
  exit 0
fi
dir=${2:?a folder}
case $cmd in
  init)
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
    "${as_owner[@]}" "$bin/initdb" -D "$dir/data" -A trust -U yizhan -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    ;;
  start)
    port=${3:?a port}
    # fsync off: a test cluster needs no durability against power loss, and it makes CREATE
    # DATABASE per test cheap. Commits wait for the WAL to be written (to the OS) only with
    # `durable`, for a test that stops PostgreSQL as a crash would and counts what survived.
    # Minimal, small WAL: each test's database is copied through the WAL, so it would grow by
    # gigabytes.
    commit=off
    if [ "${4:-}" = durable ]; then commit=on; fi
    "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=$commit -c full_page_writes=off -c max_connections=400 -c wal_level=minimal -c max_wal_senders=0 -c max_wal_size=64MB" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    ;;
  stop)
    "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    ;;
  *)
    echo "unknown command $cmd (init, start, stop)" >&2
    exit 2
    ;;
esac
