#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL: a fresh cluster in a temporary folder on a free
# port, named to the command by YIZHAN_TEST_POSTGRES (an admin URL; tests make a database of
# their own in it). The cluster is stopped and deleted when the command ends, also on failure
# or Ctrl-C, so none is ever left running.
#
#   tests/postgres/with-postgres.sh cargo test -p yizhan-server --test api
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "PostgreSQL is not installed (make test-tools installs it)" >&2
  exit 1
fi

dir=$(mktemp -d /tmp/yizhan-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# initdb and postgres refuse to run as root: the cluster belongs to the postgres user then.
as_owner=()
if [ "$(id -u)" = 0 ]; then
  chown postgres "$dir"
  as_owner=(runuser -u postgres --)
fi

stop() {
  "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT INT TERM

"${as_owner[@]}" "$bin/initdb" -D "$dir/data" -A trust -U yizhan -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
# fsync off: a test cluster needs no durability, and it makes CREATE DATABASE per test cheap.
# Minimal, small WAL: each test's database is copied through the WAL, so it would grow by GBs.
"${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400 -c wal_level=minimal -c max_wal_senders=0 -c max_wal_size=64MB" \
  start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }

export YIZHAN_TEST_POSTGRES="postgres://yizhan@127.0.0.1:$port/postgres"
echo "throwaway PostgreSQL on port $port ($("$bin/postgres" --version))"
"$@"
