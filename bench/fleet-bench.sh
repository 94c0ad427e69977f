#!/usr/bin/env bash
# The fleet on PostgreSQL (docs/performance.md, "A fleet on PostgreSQL"): needs YIZHAN_TEST_POSTGRES
# (run it under tests/postgres/with-postgres.sh, which makes and always stops a throwaway
# cluster). Seeds one database, then measures with wrk:
#   1. the map views against one instance (bench/http-bench.sh on PostgreSQL);
#   2. status writes (bench/write-latency.py) while 64 connections read;
#   3. reads against one instance, then spread over two instances on the same database.
# BENCH_STEPS picks steps (default "1 2 3"; "2" times the writes alone).
# Every server started here is stopped on exit.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin=${BENCH_BIN:-${CARGO_TARGET_DIR:-$root/target}/release/yizhan-server}
stations=${BENCH_STATIONS:-100000}
duration=${BENCH_DURATION:-5s}
: "${YIZHAN_TEST_POSTGRES:?run under tests/postgres/with-postgres.sh}"
base_url=${YIZHAN_TEST_POSTGRES%/*}
steps=" ${BENCH_STEPS:-1 2 3} "
step() { [[ $steps == *" $1 "* ]]; }

for area in beijing china; do psql "$YIZHAN_TEST_POSTGRES" -qXc "CREATE DATABASE bench_$area"; done
if step 1; then
  echo "== 1. map views, one instance on PostgreSQL"
  BENCH_DATABASE_URL="$base_url/bench_{area}" BENCH_STATIONS=$stations "$root/bench/http-bench.sh"
fi

tmp=$(mktemp -d)
pids=()
stop() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap stop EXIT INT TERM
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
start() {
  local port=$1
  YIZHAN_ADDR=127.0.0.1:$port YIZHAN_DATABASE_URL=$base_url/bench_beijing YIZHAN_DEMO=1 \
    YIZHAN_DEMO_STATIONS=$stations YIZHAN_DIST_DIR=$root/dist RUST_LOG=warn,sqlx=error \
    "$bin" >"$tmp/server-$port.log" 2>&1 &
  pids+=($!)
  until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.2; done
}
rate() { awk '/Requests\/sec/ {print $2}'; }
p99() { awk '/ 99%/ {print $2}'; }

a=$(free_port); start "$a"
view="/api/v1/stations?bbox=116.2,39.8,116.6,40.0&zoom=12"
if step 2; then
  echo
  echo "== 2. status writes while 64 connections read the city view (Beijing seed, 100k)"
  wrk -t2 -c64 -d20s "http://127.0.0.1:$a$view" >"$tmp/reads.txt" &
  wrk_pid=$!
  sleep 2
  python3 "$root/bench/write-latency.py" "http://127.0.0.1:$a" 200
  wait "$wrk_pid"
  echo "reads meanwhile: $(rate <"$tmp/reads.txt") req/s"
fi
step 3 || exit 0

echo
echo "== 3. reads: one instance, then two on the same database"
one=$(wrk -t2 -c64 -d"$duration" --latency "http://127.0.0.1:$a$view")
echo "one instance:  $(echo "$one" | rate) req/s, p99 $(echo "$one" | p99)"
b=$(free_port); start "$b"
wrk -t1 -c32 -d"$duration" --latency "http://127.0.0.1:$a$view" >"$tmp/a.txt" &
w1=$!
wrk -t1 -c32 -d"$duration" --latency "http://127.0.0.1:$b$view" >"$tmp/b.txt"
wait "$w1"
ra=$(rate <"$tmp/a.txt"); rb=$(rate <"$tmp/b.txt")
echo "two instances: $ra + $rb = $(python3 -c "print(round($ra + $rb))") req/s (p99 $(p99 <"$tmp/a.txt") / $(p99 <"$tmp/b.txt"))"
echo "(one machine of $(nproc) cores runs both instances and wrk: see docs/performance.md)"
