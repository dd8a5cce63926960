#!/usr/bin/env bash
# Runs the contract tests against a live server: checks the generated types are current, lints
# ../openapi.yaml (redocly and spectral, from the lockfile), builds and
# starts `reel serve` on a free port with the simulated Letterboxd (serving ../shared's dataset) as
# its upstream, waits for /health/ready, runs `npm test` and then Schemathesis against the served
# spec (schemathesis/run.sh), and stops what it started.
#
# DATABASE_URL and REDIS_URL are passed through when set; without them the server runs its embedded
# PostgreSQL under a temporary DATA_DIR and its in-process cache. READY_TIMEOUT (seconds, default
# 180) bounds the wait for readiness; REEL_SHARED_DIR overrides ../shared.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
shared="${REEL_SHARED_DIR:-$root/../shared}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
ready_timeout="${READY_TIMEOUT:-180}"

log() { echo "contract: $*" >&2; }

work="$(mktemp -d)"
# The embedded PostgreSQL runs as the unprivileged `postgres` user when we are root: it must be
# able to reach DATA_DIR inside this (by default owner-only) directory.
chmod 755 "$work"
reel_pid=""
sim_pid=""

stop() {
    local pid="$1" name="$2"
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    # Graceful shutdown (in-flight requests, the embedded PostgreSQL) gets 30 s.
    for _ in $(seq 60); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.5
    done
    log "$name did not stop on SIGTERM; killing it"
    kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
    local status=$?
    stop "$reel_pid" "reel serve"
    stop "$sim_pid" "letterboxd-sim"
    if [[ $status -ne 0 && -s "$work/reel.log" ]]; then
        log "last lines of the server log:"
        tail -n 40 "$work/reel.log" >&2
    fi
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => {
        console.log(s.address().port); s.close(); });'
}

# Exit 0 when `url` answers with `want` (or with anything, if want is "any").
probe() {
    node -e 'fetch(process.argv[1]).then(
        (r) => process.exit(process.argv[2] === "any" || r.status === Number(process.argv[2]) ? 0 : 1),
        () => process.exit(1));' "$1" "$2"
}

# wait_for URL WANT PID NAME: poll until the URL answers, failing early if the process died.
wait_for() {
    local url="$1" want="$2" pid="$3" name="$4" deadline=$((SECONDS + ready_timeout))
    until probe "$url" "$want"; do
        kill -0 "$pid" 2>/dev/null || { log "$name exited before $url answered"; return 1; }
        ((SECONDS < deadline)) || { log "$url did not answer $want within ${ready_timeout}s"; return 1; }
        sleep 0.5
    done
}

# Every node and npm below is the one ensure_node chose (a newer Node from the registry if needed).
# shellcheck source-path=SCRIPTDIR source=node-toolchain/ensure-node.sh
source "$here/node-toolchain/ensure-node.sh"
ensure_node

log "installing the locked npm packages"
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)

log "checking the generated types against ../openapi.yaml"
(cd "$here" && npm run --silent check:types)

log "linting ../openapi.yaml (redocly recommended-strict, spectral:oas)"
(cd "$here" && npm run --silent lint:spec)

log "building reel and letterboxd-sim"
cargo build --locked -p reel --bin reel -p letterboxd-sim --bin letterboxd-sim
reel_bin="$CARGO_TARGET_DIR/debug/reel"
sim_bin="$CARGO_TARGET_DIR/debug/letterboxd-sim"

log "starting letterboxd-sim"
sim_port="$(free_port)"
"$sim_bin" --data "$shared/data/letterboxd-1m" --bind "127.0.0.1:$sim_port" \
    >"$work/sim.log" 2>&1 &
sim_pid=$!
wait_for "http://127.0.0.1:$sim_port/" any "$sim_pid" letterboxd-sim
export LETTERBOXD_BASE_URL="http://127.0.0.1:$sim_port"

port="$(free_port)"
export BIND_ADDR="127.0.0.1:$port"
export DATA_DIR="$work/data"
export LOG_FORMAT=json
# The tests are one client behind a trusted proxy (127.0.0.1): the rate-limit test names itself
# in X-Forwarded-For, so its budget is its own; everyone else shares 30 a minute per feature.
export TRUSTED_PROXIES="127.0.0.1"
export RATE_LIMITS="${RATE_LIMITS:-30/min}"
# The upstream tests: one waits out the deadline (its member's pages take 45 s), so it is short;
# one meets a bot challenge, whose cooldown would otherwise fail every later scrape for 15 minutes.
export REQUEST_TIMEOUT=30s LETTERBOXD_BLOCK_COOLDOWN=0s
# The data is what this script imports; no first-run setup training behind the tests' backs.
export AUTO_SETUP=off

# The catalog and the community the recommendations and statistics need: the shared dataset.
dataset="$shared/data/letterboxd-1m"
log "importing $dataset"
"$reel_bin" import --films "$dataset/films.csv.gz" --ratings "$dataset/ratings.csv.gz" \
    >"$work/import.log" 2>&1 || { tail -n 20 "$work/import.log" >&2; exit 1; }
export ADMIN_TOKEN="${ADMIN_TOKEN:-$(node -e 'console.log(require("crypto").randomBytes(24).toString("hex"))')}"
if [[ -n "${DATABASE_URL:-}" ]]; then store="DATABASE_URL"; else store="embedded PostgreSQL"; fi
log "starting reel serve on $BIND_ADDR ($store)"
"$reel_bin" serve >"$work/reel.log" 2>&1 &
reel_pid=$!
wait_for "http://$BIND_ADDR/health/ready" 200 "$reel_pid" "reel serve"

log "running the contract tests"
(cd "$here" && REEL_BASE_URL="http://$BIND_ADDR" REEL_ADMIN_TOKEN="$ADMIN_TOKEN" npm test)

log "running Schemathesis against the served spec"
bash "$here/schemathesis/run.sh" "http://$BIND_ADDR"
