#!/usr/bin/env bash
# Measures `reel serve`: milliseconds from launch to the first 200 from /health/ready, and the
# resident memory (ps -o rss, KiB) after it has idled with the catalog loaded.
#
# Usage: api/scripts/startup-and-memory.sh [path/to/reel]
# The service reads its usual environment: set DATABASE_URL (and REDIS_URL) to measure against
# servers, or leave DATABASE_URL unset to measure the embedded PostgreSQL under DATA_DIR.
# PORT_UNDER_TEST (default 18080) and IDLE_SECS (default 5) tune the run.
set -euo pipefail

bin=${1:-target/release/reel}
port=${PORT_UNDER_TEST:-18080}
export BIND_ADDR="127.0.0.1:${port}"
unset PORT

start_ns=$(date +%s%N)
"$bin" serve &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true' EXIT

until curl -sf "http://127.0.0.1:${port}/health/ready" >/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
        echo "reel serve exited before it was ready" >&2
        exit 1
    fi
    sleep 0.02
done
ready_ns=$(date +%s%N)
echo "ready_ms=$(( (ready_ns - start_ns) / 1000000 ))"

sleep "${IDLE_SECS:-5}"
curl -sf "http://127.0.0.1:${port}/health/ready"
echo
echo "idle_rss_kib=$(ps -o rss= -p "$pid" | tr -d ' ')"
