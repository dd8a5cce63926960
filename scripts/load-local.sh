#!/usr/bin/env bash
# The whole load test on this machine: release builds, the simulated Letterboxd serving
# ../shared/data/letterboxd-1m, a fresh database loaded with `reel import` and a trained general
# model, `reel serve` (rate limits off) on Redis, then scripts/load.sh (one member) or
# LOAD_SCRIPT (scripts/load-api.sh: many distinct members, endpoint by endpoint) against it.
#   DATABASE_SERVER (default postgres://postgres@127.0.0.1:5432), REDIS_URL (default
#   redis://127.0.0.1:6379), DURATION (default 30s), MEMBER (default fastplant64),
#   LOAD_SCRIPT (default scripts/load.sh), REEL_BIN_DIR (prebuilt binaries; default: build them)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
data="${REEL_SHARED_DIR:-$root/../shared}/data/letterboxd-1m"
server="${DATABASE_SERVER:-postgres://postgres@127.0.0.1:5432}"
database="reel_load_$$"
export DATABASE_URL="$server/$database"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
export RUST_LOG="${RUST_LOG:-warn}" LOG_FORMAT=json RATE_LIMITS=off
# This script prepares the data itself: no first-run setup working beside the load.
export AUTO_SETUP=off
# The simulated Letterboxd is ours: warming many members need not wait at the polite 2 pages/s.
export LETTERBOXD_RATE_LIMIT="${LETTERBOXD_RATE_LIMIT:-1000}"

# REEL_BIN_DIR: binaries built earlier (reel and letterboxd-sim), to measure one build while
# the tree moves on.
if [[ -n "${REEL_BIN_DIR:-}" ]]; then
    bin="$REEL_BIN_DIR"
else
    cargo build --release --locked -p reel -p letterboxd-sim --bin reel --bin letterboxd-sim
    bin="${CARGO_TARGET_DIR:-$root/target}/release"
fi

work="$(mktemp -d)"
sim_pid="" reel_pid=""
cleanup() {
    local status=$?
    for pid in "$reel_pid" "$sim_pid"; do
        [[ -n "$pid" ]] || continue
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    psql "$server/postgres" -q -c "DROP DATABASE IF EXISTS \"$database\" WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT

"$bin/letterboxd-sim" --data "$data" --bind 127.0.0.1:0 >"$work/sim.out" 2>"$work/sim.err" &
sim_pid=$!
until grep -q '^listening on ' "$work/sim.out" 2>/dev/null; do
    kill -0 "$sim_pid" || { cat "$work/sim.err" >&2; exit 1; }
    sleep 0.2
done
export LETTERBOXD_BASE_URL
LETTERBOXD_BASE_URL="$(sed -n 's/^listening on //p' "$work/sim.out" | head -n 1)"

"$bin/reel" import --films "$data/films.csv.gz" --ratings "$data/ratings.csv.gz"
"$bin/reel" train general

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export BIND_ADDR="127.0.0.1:$port"
"$bin/reel" serve >"$work/reel.log" 2>&1 &
reel_pid=$!
until curl -sf -o /dev/null "http://$BIND_ADDR/health/ready"; do
    kill -0 "$reel_pid" || { tail -n 20 "$work/reel.log" >&2; exit 1; }
    sleep 0.2
done

REEL_URL="http://$BIND_ADDR" REEL_PID="$reel_pid" bash "${LOAD_SCRIPT:-scripts/load.sh}"
