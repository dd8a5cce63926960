#!/usr/bin/env bash
# Throughput and peak memory of a full `reel catalog refresh` against the simulated Letterboxd:
# a synthetic world of FILMS films (default 100,000) served with no added latency, the client's
# rate limit raised out of the way, release builds, and a PostgreSQL database of its own.
#
#   scripts/bench-catalog-refresh.sh                     # 100,000 films
#   FILMS=10000 scripts/bench-catalog-refresh.sh         # a quicker look
#
# Two runs are measured: the first crawl of a catalog known only by its queued slugs (every film
# inserted), then a refresh of the stored catalog (every film updated) after the first run's jobs
# are aged past the one-week refresh interval. For each: wall time, films per second and the peak
# resident memory of the `reel` process (/usr/bin/time -v). The simulator and PostgreSQL run on
# the same machine and share its cores.
set -euo pipefail

FILMS=${FILMS:-100000}
SEED=${SEED:-1}
CONCURRENCY=${CONCURRENCY:-16}
BATCH=${BATCH:-500}
SERVER=${BENCH_SERVER_URL:-postgres://postgres@127.0.0.1:5432}
DB_NAME=${BENCH_DB_NAME:-reel_bench_catalog_refresh}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}

cd "$(dirname "$0")/.."
cargo build --release --locked -p reel --bin reel --example bench_catalog
cargo build --release --locked -p letterboxd-sim --bin letterboxd-sim
bin="$CARGO_TARGET_DIR/release"
work=$(mktemp -d)
sim_pid=
cleanup() {
  if [ -n "$sim_pid" ]; then kill "$sim_pid" 2>/dev/null || true; fi
  psql -q "$SERVER/postgres" -c "DROP DATABASE IF EXISTS $DB_NAME" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

"$bin/letterboxd-sim" --synthetic "films=$FILMS,members=0,seed=$SEED" --bind 127.0.0.1:0 >"$work/sim.out" &
sim_pid=$!
for _ in $(seq 1 100); do
  grep -q '^listening on ' "$work/sim.out" 2>/dev/null && break
  sleep 0.1
done
base_url=$(sed -n 's/^listening on //p' "$work/sim.out" | head -n 1)
[ -n "$base_url" ] || { echo "the simulator did not start" >&2; exit 1; }

psql -q "$SERVER/postgres" -c "DROP DATABASE IF EXISTS $DB_NAME" >/dev/null 2>&1
export DATABASE_URL="$SERVER/$DB_NAME"
export LETTERBOXD_BASE_URL="$base_url" LOG_FORMAT=json RUST_LOG=info
"$bin/examples/bench_catalog" queue "films=$FILMS,seed=$SEED"

measure() { # label
  /usr/bin/time -v "$bin/reel" catalog refresh \
    --letterboxd-rate-limit 100000 --letterboxd-concurrency "$CONCURRENCY" \
    --batch-size "$BATCH" --worker-id bench 2>"$work/$1.err" >/dev/null
  local wall rss films rate
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/$1.err")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/$1.err")
  films=$(grep '"catalog refresh finished"' "$work/$1.err" | sed -n 's/.*"films_done":\([0-9]*\).*/\1/p')
  rate=$(grep '"catalog refresh finished"' "$work/$1.err" | sed -n 's/.*"films_per_second":"\([0-9.]*\)".*/\1/p')
  printf '%-22s films=%s wall=%s films_per_second=%s peak_rss_mib=%s\n' \
    "$1" "$films" "$wall" "$rate" "$((rss / 1024))"
}

echo "catalog refresh, $FILMS films, concurrency $CONCURRENCY, batches of $BATCH ($(nproc) cores)"
measure first-crawl
"$bin/examples/bench_catalog" age >/dev/null
measure refresh
