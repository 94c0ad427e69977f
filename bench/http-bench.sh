#!/usr/bin/env bash
# HTTP benchmark of the station API (docs/performance.md, "HTTP: wrk"): starts the release
# server on a free port with demo stations in a throwaway database, runs wrk against the views
# maps open with, prints a table (req/s, p99, body bytes) and resident memory, and always stops
# the server.
#
#   bench/http-bench.sh                         # both seeds, 100,000 stations, SQLite
#   BENCH_AREAS=china BENCH_STATIONS=20000 bench/http-bench.sh
#   BENCH_DATABASE_URL='postgres://…/bench_{area}' bench/http-bench.sh   # an empty database per
#                                               # seed; {area} becomes beijing or china
#
# Settings (environment): BENCH_BIN (the server binary), BENCH_AREAS ("beijing china"),
# BENCH_STATIONS (100000), BENCH_DURATION (5s), BENCH_THREADS (2), BENCH_CONNECTIONS (64),
# BENCH_DATABASE_URL (default: a SQLite file in a temporary directory), BENCH_EMPTY=1 (also
# measure the memory of a server with no stations).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin=${BENCH_BIN:-${CARGO_TARGET_DIR:-$root/target}/release/yizhan-server}
areas=${BENCH_AREAS:-beijing china}
stations=${BENCH_STATIONS:-100000}
duration=${BENCH_DURATION:-5s}
threads=${BENCH_THREADS:-2}
connections=${BENCH_CONNECTIONS:-64}

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
[ -x "$bin" ] || { echo "no server binary at $bin: cargo build --release -p yizhan-server" >&2; exit 1; }

tmp=$(mktemp -d)
pid=
stop() {
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=
  fi
}
trap 'stop; rm -rf "$tmp"' EXIT INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

rss_mb() {
  awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"
}

# Starts the server seeded with $2 stations of area $1; sets pid and base.
start() {
  local area=$1 n=$2 port url
  port=$(free_port)
  base=http://127.0.0.1:$port
  if [ -n "${BENCH_DATABASE_URL:-}" ]; then
    url=${BENCH_DATABASE_URL//\{area\}/$area}
  else
    url=sqlite://$tmp/$area-$n.db
  fi
  YIZHAN_ADDR=127.0.0.1:$port YIZHAN_DATABASE_URL=$url YIZHAN_DEMO=1 \
    YIZHAN_DEMO_STATIONS=$n YIZHAN_DEMO_AREA=$area YIZHAN_DIST_DIR=$root/dist \
    RUST_LOG=warn,sqlx=error "$bin" >"$tmp/server-$area-$n.log" 2>&1 &
  pid=$!
  # Ready once the database answers and the index is loaded.
  until curl -sf -o /dev/null "$base/readyz"; do
    kill -0 "$pid" 2>/dev/null || { cat "$tmp/server-$area-$n.log" >&2; exit 1; }
    sleep 0.5
  done
}

# One wrk run: prints "req/s p99".
run_wrk() {
  local path=$1; shift
  wrk -t"$threads" -c"$connections" -d"$duration" --latency "$@" "$base$path" >"$tmp/wrk.txt" 2>&1 || true
  local rps p99
  rps=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' "$tmp/wrk.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$tmp/wrk.txt")
  if grep -q 'Non-2xx or 3xx' "$tmp/wrk.txt"; then
    p99="$p99 (errors: $(awk '/Non-2xx/ {print $NF}' "$tmp/wrk.txt"))"
  fi
  echo "${rps:-0} ${p99:-?}"
}

views=(
  "country z4|/api/v1/stations?bbox=73,18,135,54&zoom=4"
  "city z12|/api/v1/stations?bbox=116.2,39.8,116.6,40.0&zoom=12"
  "street z16 (phone)|/api/v1/stations?bbox=116.396,39.905,116.404,39.916&zoom=16"
  "street z16 (wide)|/api/v1/stations?bbox=116.39,39.90,116.41,39.92&zoom=16"
  "nearest 30|/api/v1/stations?near=39.9,116.4&limit=30"
)

echo "wrk -t$threads -c$connections -d$duration, $stations stations, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "server: $bin"

if [ "${BENCH_EMPTY:-0}" = 1 ]; then
  start beijing 0
  curl -s -o /dev/null "$base/api/v1/stations?bbox=73,18,135,54&zoom=4"
  sleep 15
  echo "empty server: VmRSS $(rss_mb "$pid") MB"
  stop
fi

for area in $areas; do
  t0=$(date +%s.%N)
  start "$area" "$stations"
  ready=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
  loaded=$(rss_mb "$pid")
  # The allocator hands the loader's freed pages back over about ten seconds.
  sleep 15
  settled=$(rss_mb "$pid")
  echo
  echo "### seed: $area ($stations stations; seeded and ready in ${ready} s; VmRSS when ready $loaded MB, 15 s later $settled MB)"
  echo
  echo "| view | query | req/s | p99 | body B | brotli B |"
  echo "|---|---|---:|---:|---:|---:|"
  health=$(run_wrk /healthz)
  echo "| /healthz | \`/healthz\` | ${health% *} | ${health#* } | | |"
  for v in "${views[@]}"; do
    name=${v%%|*} path=${v#*|}
    raw=$(curl -s -o /dev/null -w "%{size_download}" "$base$path")
    br=$(curl -s -H 'Accept-Encoding: br' -o /dev/null -w '%{size_download}' "$base$path")
    r=$(run_wrk "$path")
    echo "| $name | \`${path#/api/v1/stations}\` | ${r% *} | ${r#* } | $raw | $br |"
    # The same view as a browser asks: accepting brotli (served from the kept twin).
    r=$(run_wrk "$path" -H 'Accept-Encoding: gzip, deflate, br')
    echo "| $name, br | (same, \`Accept-Encoding: br\`) | ${r% *} | ${r#* } | | $br |"
  done
  for v in "${views[0]}" "${views[4]}"; do
    name=${v%%|*} path=${v#*|}
    etag=$(curl -s -D - -o /dev/null "$base$path" | awk 'tolower($1) == "etag:" {print $2}' | tr -d '\r')
    r=$(run_wrk "$path" -H "If-None-Match: $etag")
    echo "| $name, 304 | (same, \`If-None-Match\`) | ${r% *} | ${r#* } | 0 | |"
  done
  echo
  echo "VmRSS after the runs: $(rss_mb "$pid") MB"
  stop
done
