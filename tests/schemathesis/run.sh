#!/usr/bin/env bash
# Schemathesis against the API description: builds the debug server, serves it on a free
# loopback port with a throwaway SQLite database and demo data, signs in as the demo admin, and
# runs every check with a fixed seed. The server and the temporary directory are always removed,
# also when a step fails or the run is interrupted.
#
#   tests/schemathesis/run.sh                     the run `make test` does
#   SCHEMATHESIS_SEED=7 tests/schemathesis/run.sh another seed
#   tests/schemathesis/run.sh --include-path-regex stations    extra `st run` arguments
set -euo pipefail
cd "$(dirname "$0")/../.."
here=tests/schemathesis
st=${SCHEMATHESIS_VENV:-.venv-schemathesis}/bin/st
seed=${SCHEMATHESIS_SEED:-20251206}
examples=${SCHEMATHESIS_EXAMPLES:-100}

[ -x "$st" ] || { echo "$st missing: run 'make api-schema' (it installs schemathesis)" >&2; exit 1; }

cargo build -p yizhan-server
target_dir=$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')

tmp=$(mktemp -d)
pid=
st_pid=
cleanup() {
  for p in $st_pid $pid; do
    kill "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A copy of the binary: a build elsewhere in the same target directory cannot swap it under us.
cp "$target_dir/debug/yizhan-server" "$tmp/yizhan-server"
mkdir -p "$tmp/dist"
echo '<!DOCTYPE html><title>yizhan</title>' >"$tmp/dist/index.html"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port

YIZHAN_ADDR=127.0.0.1:$port YIZHAN_DATABASE_URL=sqlite://$tmp/db.sqlite YIZHAN_DIST_DIR=$tmp/dist \
  YIZHAN_DEMO=1 YIZHAN_DEMO_STATIONS=200 RUST_LOG=warn,sqlx=error \
  "$tmp/yizhan-server" >"$tmp/server.log" 2>&1 &
pid=$!
until curl -sf -o /dev/null "$base/healthz"; do
  kill -0 "$pid" 2>/dev/null || { echo "server did not start:" >&2; cat "$tmp/server.log" >&2; exit 1; }
  sleep 0.2
done

# Signs in as the demo admin and prints the session cookie and the CSRF token every
# cookie-authenticated write needs; schemathesis gets them through the environment (see
# schemathesis.toml).
sign_in() {
  local body
  body=$(curl -sf -c "$tmp/cookies" -H 'content-type: application/json' \
    -d '{"username":"chaoyang-admin","password":"yizhan-demo-admin"}' "$base/api/v1/session")
  printf '%s %s\n' "$(awk '$6 == "yizhan_session" {print $7}' "$tmp/cookies")" \
    "$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["csrf_token"])' "$body")"
}

# Runs in the background and is waited for, so a signal reaches the trap at once rather than
# after schemathesis finishes.
run_st() {
  local session=$1 csrf=$2
  shift 2
  YIZHAN_SESSION=$session YIZHAN_CSRF=$csrf \
    "$st" --config-file "$here/schemathesis.toml" run "$base/api/v1/openapi.json" \
    --url "$base" --checks all --seed "$seed" --max-examples "$examples" \
    --report-dir "$tmp/report" "$@" &
  st_pid=$!
  wait "$st_pid"
}

# Operations that end the session (signing out, signing out everywhere, ending a session by the id
# the session list gave, resetting a password, which may hit the admin's own account) would turn
# the rest of the run into 401s: they run last,
# on a session of their own. Both sessions are made now, before the run's wrong passwords make
# the sign-in limit refuse this address.
read -r session csrf < <(sign_in)
read -r last_session last_csrf < <(sign_in)
[ -n "$session" ] && [ -n "$csrf" ] && [ -n "$last_session" ] && [ -n "$last_csrf" ] ||
  { echo "demo admin sign-in failed" >&2; exit 1; }
session_enders=(--exclude-operation-id sign_out --exclude-operation-id sign_out_everywhere
  --exclude-operation-id end_session --exclude-operation-id reset_password)
status=0
run_st "$session" "$csrf" "${session_enders[@]}" "$@" || status=$?
# Once one of them succeeds the rest answer 401, as documented; no warning about it.
run_st "$last_session" "$last_csrf" "${session_enders[@]/--exclude/--include}" --warnings off "$@" ||
  status=$?
if [ "$status" != 0 ]; then
  echo "---- server log (warnings and errors) ----" >&2
  tail -n 50 "$tmp/server.log" >&2
fi
exit "$status"
