#!/usr/bin/env bash
# Warm load over many distinct members, one endpoint at a time, against a running reel serving
# the simulated Letterboxd over ../shared/data/letterboxd-1m (scripts/load-local.sh starts both:
# `LOAD_SCRIPT=scripts/load-api.sh bash scripts/load-local.sh`). Every request names another
# member (or pair), taken in turn from the dataset's evaluated members, after one warming request
# each, so the figures are of warm requests that do not share one cache entry:
#   POST /compatibility      two members
#   POST /predictions        one member, 100 films (the catalog's most rated)
#   POST /recommendations    one member, with reasons and with `explain: false`
# wrk prints the latency distribution of each.
#   REEL_URL (default http://127.0.0.1:8080), MEMBERS (default 200), CONNECTIONS (default 16),
#   DURATION (default 20s), REEL_PID (report the service's peak memory), REEL_SHARED_DIR,
#   KINDS (the endpoints to drive, default "compatibility predictions recommendations unexplained"),
#   PERF (with REEL_PID: `perf record` the service for 12 s of each endpoint into
#   /tmp/perf-<kind>.data)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${REEL_SHARED_DIR:-$root/../shared}/data/letterboxd-1m"
url="${REEL_URL:-http://127.0.0.1:8080}"
count="${MEMBERS:-200}"
connections="${CONNECTIONS:-16}"
duration="${DURATION:-20s}"
command -v wrk >/dev/null || { echo "load-api.sh: wrk is missing (apt-get install wrk)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Members with at least 50 train ratings, in file order; the 100 most rated films.
zcat "$data/ratings.csv.gz" | awk -F, '$4 == "train" { n[$1]++ } END { for (m in n) if (n[m] >= 50) print m }' |
    sort | sed -n "1,${count}p" >"$work/members"
zcat "$data/films.csv.gz" | python3 -c '
import csv, sys
rows = [r for r in csv.DictReader(sys.stdin) if r["lb_rating_count"]]
rows.sort(key=lambda r: -int(r["lb_rating_count"]))
print("\n".join(r["slug"] for r in rows[:100]))' >"$work/films"
members=$(wc -l <"$work/members")
echo "== $members members, 100 films, $connections connections, $duration per endpoint"

# One lua script per endpoint: the bodies in turn, one per request. No `response` callback: with
# one, wrk copies every body into Lua, and the client's work (on the same cores as the service)
# grows with the body; wrk's own "Non-2xx or 3xx responses" line counts failures.
bodies() {
    python3 - "$work/members" "$work/films" "$1" <<'PY'
import json, sys
members = open(sys.argv[1]).read().split()
films = open(sys.argv[2]).read().split()
kind = sys.argv[3]
if kind == "compatibility":
    bodies = [{"members": [m, members[(i + 1) % len(members)]]} for i, m in enumerate(members)]
elif kind == "predictions":
    bodies = [{"members": [m], "films": films} for m in members]
elif kind == "recommendations":
    bodies = [{"members": [m]} for m in members]
else:
    bodies = [{"members": [m], "explain": False} for m in members]
print("bodies = {" + ",".join("[[" + json.dumps(b) + "]]" for b in bodies) + "}")
PY
}
for kind in compatibility predictions recommendations unexplained; do
    path="/${kind/unexplained/recommendations}"
    {
        bodies "$kind"
        cat <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local at = 0
request = function()
    at = at % #bodies + 1
    return wrk.format(nil, "$path", nil, bodies[at])
end
LUA
    } >"$work/$kind.lua"
done

# Warm: each member's profile scraped and model trained once, eight at a time.
export url
# shellcheck disable=SC2016 # $1 and $url expand in the child shell, as meant.
xargs -P 8 -I{} sh -c 'curl -sf -o /dev/null -X POST -H "content-type: application/json" \
    -d "{\"members\": [\"$1\"], \"limit\": 1}" "$url/recommendations" ||
    echo "warming $1 failed" >&2' _ {} <"$work/members"

for kind in ${KINDS:-compatibility predictions recommendations unexplained}; do
    path="/${kind/unexplained/recommendations}"
    echo "== POST $path ($kind; distinct members in turn)"
    if [[ -n "${PERF:-}" && -n "${REEL_PID:-}" ]]; then
        perf record -F 999 -g -p "$REEL_PID" -o "/tmp/perf-$kind.data" -- sleep 12 >/dev/null 2>&1 &
    fi
    wrk -t2 -c"$connections" -d"$duration" --timeout 30s --latency -s "$work/$kind.lua" \
        "$url$path"
    wait
done
if [[ -n "${REEL_PID:-}" ]]; then
    echo "== peak resident memory of reel (pid $REEL_PID)"
    grep -E '^(VmHWM|VmRSS)' "/proc/$REEL_PID/status"
fi
