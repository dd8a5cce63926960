#!/usr/bin/env bash
# Load test of a running reel against the simulated Letterboxd: warm POST /recommendations (the
# member's profile cached) and GET /statistics, 16 connections each, with wrk (Debian `wrk`).
#
#   REEL_URL   the service (default http://127.0.0.1:8080), started with RATE_LIMITS=off and
#              LETTERBOXD_BASE_URL pointing at `letterboxd-sim --data ../shared/data/letterboxd-1m`
#   REEL_PID   the service's process id: its peak resident memory (VmHWM) is reported
#   MEMBER     a member of the dataset (default fastplant64: 275 ratings, the median member);
#              DURATION (default 30s)
set -euo pipefail

url="${REEL_URL:-http://127.0.0.1:8080}"
member="${MEMBER:-fastplant64}"
duration="${DURATION:-30s}"
connections="${CONNECTIONS:-16}"
command -v wrk >/dev/null || { echo "load.sh: wrk is missing (apt-get install wrk)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat >"$work/recommendations.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"members": ["$member"]}'
LUA

# Warm: the first request scrapes the member; every later one reads the cache.
curl -sf -o /dev/null -X POST -H 'content-type: application/json' \
    -d "{\"members\": [\"$member\"]}" "$url/recommendations"
curl -sf -o /dev/null "$url/statistics?member=$member"

echo "== POST /recommendations ($member, cached; $connections connections, $duration)"
wrk -t2 -c"$connections" -d"$duration" --timeout 30s --latency -s "$work/recommendations.lua" "$url/recommendations"
echo "== GET /statistics ($member; $connections connections, $duration)"
wrk -t2 -c"$connections" -d"$duration" --timeout 30s --latency "$url/statistics?member=$member"
if [[ -n "${REEL_PID:-}" ]]; then
    echo "== peak resident memory of reel (pid $REEL_PID)"
    grep -E '^(VmHWM|VmRSS)' "/proc/$REEL_PID/status"
fi
