#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL: a fresh cluster in a temporary folder on a free
# port, named to the command by YIZHAN_TEST_POSTGRES (an admin URL; tests make a database of
# their own in it). The cluster is stopped and deleted when the command ends, also on failure
# or Ctrl-C, so none is ever left running.
#
#   tests/postgres/with-postgres.sh cargo test -p yizhan-server --test api
set -euo pipefail

cluster="$(cd "$(dirname "$0")" && pwd)/cluster.sh"
dir=$(mktemp -d /tmp/yizhan-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
stop() {
  "$cluster" stop "$dir"
  rm -rf "$dir"
}
trap stop EXIT INT TERM

"$cluster" init "$dir"
"$cluster" start "$dir" "$port"
export YIZHAN_TEST_POSTGRES="postgres://yizhan@127.0.0.1:$port/postgres"
echo "throwaway PostgreSQL on port $port ($("$cluster" version))"
"$@"
