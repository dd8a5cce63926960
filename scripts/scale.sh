#!/usr/bin/env bash
# The original's scale on this machine (issue 17): a generated world in the letterboxd-1m format
# (100,000 films, 20,000 members, about 4.4 million ratings by default), imported into a fresh
# database, the general model trained, `reel serve` over the simulated Letterboxd serving that
# world, 1,000 distinct members driven through it (each scraped and trained once), then warm
# `POST /recommendations` over those members at 16 connections. Prints one line per figure of
# the issue's table, with the peak memory of every process.
#   FILMS (100000), MEMBERS (20000), SEED (7), DRIVE (1000 members), CONNECTIONS (16),
#   DURATION (20s), WORLD_DIR (a world generated earlier; default: generate one in a temporary
#   directory), REEL_BIN_DIR (prebuilt reel and letterboxd-sim; default: build them),
#   DATABASE_SERVER (postgres://postgres@127.0.0.1:5432), REDIS_URL (redis://127.0.0.1:6379),
#   SERVE_ENV (extra `NAME=value` settings for reel serve, space separated), SKIP_HOLDOUT
#   (default 1; 0 trains the held-out twin too, as the issue's baseline did)
# Loopback only; the database is dropped at the end. Needs wrk and GNU time (/usr/bin/time).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
films="${FILMS:-100000}" members="${MEMBERS:-20000}" seed="${SEED:-7}"
drive="${DRIVE:-1000}" connections="${CONNECTIONS:-16}" duration="${DURATION:-20s}"
server="${DATABASE_SERVER:-postgres://postgres@127.0.0.1:5432}"
database="reel_scale_$$"
export DATABASE_URL="$server/$database"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
export RUST_LOG="${RUST_LOG:-warn}" LOG_FORMAT=json RATE_LIMITS=off AUTO_SETUP=off
# The simulated Letterboxd is ours: driving 1,000 members need not wait at 2 pages a second.
export LETTERBOXD_RATE_LIMIT="${LETTERBOXD_RATE_LIMIT:-2000}" LETTERBOXD_CONCURRENCY="${LETTERBOXD_CONCURRENCY:-32}"
command -v wrk >/dev/null || { echo "scale.sh: wrk is missing (apt-get install wrk)" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "scale.sh: GNU time is missing (apt-get install time)" >&2; exit 1; }

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

report() { printf '%-44s %s\n' "$1" "$2" | tee -a "$work/report"; }
# Runs a command under GNU time; leaves "seconds peak_kib" in $work/<name>.time.
measure() {
    local name="$1"
    shift
    /usr/bin/time -f '%e %M' -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err" || {
        echo "scale.sh: $name failed" >&2
        tail -n 20 "$work/$name.err" >&2
        exit 1
    }
}
seconds() { cut -d' ' -f1 "$work/$1.time"; }
peak_mb() { awk '{ printf "%.0f", $2 / 1024 }' "$work/$1.time"; }
rss_mb() { awk -v key="$2:" '$1 == key { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

echo "# scale.sh $(date -u +%FT%TZ) commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown) load $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$work/report"

world="${WORLD_DIR:-$work/world}"
if [[ ! -f "$world/ratings.csv.gz" ]]; then
    measure generate "$bin/letterboxd-sim" generate --films "$films" --members "$members" --seed "$seed" --out "$world"
    report "generate world" "$(seconds generate) s, peak $(peak_mb generate) MB ($(tail -n 1 "$work/generate.out"))"
fi
imported="$(zcat "$world/ratings.csv.gz" | awk -F, 'NR > 1 && $4 != "test" { n++ } END { print n + 0 }')"

psql "$server/postgres" -q -c "CREATE DATABASE \"$database\"" >/dev/null
measure import "$bin/reel" import --films "$world/films.csv.gz" --ratings "$world/ratings.csv.gz"
report "reel import" "$(seconds import) s ($(awk -v n="$imported" -v s="$(seconds import)" 'BEGIN { printf "%.0f", n / s }') ratings/s of $imported), peak $(peak_mb import) MB"

# Trained once by default: the held-out twin would double the time and is no figure of the table.
if [[ "${SKIP_HOLDOUT:-1}" == 0 ]]; then
    measure train "$bin/reel" train general
    report "reel train general (with the holdout twin)" "$(seconds train) s, peak $(peak_mb train) MB"
else
    measure train "$bin/reel" train general --skip-holdout
    report "reel train general --skip-holdout" "$(seconds train) s, peak $(peak_mb train) MB"
fi
model_bytes="$(psql "$DATABASE_URL" -tAc "SELECT octet_length(bytes) FROM models WHERE name = 'general' ORDER BY version DESC LIMIT 1")"
report "stored general model" "$(awk -v b="$model_bytes" 'BEGIN { printf "%.1f MB", b / 1e6 }')"

"$bin/letterboxd-sim" --data "$world" --bind 127.0.0.1:0 --workers 2 >"$work/sim.out" 2>"$work/sim.err" &
sim_pid=$!
until grep -q '^listening on ' "$work/sim.out" 2>/dev/null; do
    kill -0 "$sim_pid" 2>/dev/null || { cat "$work/sim.err" >&2; exit 1; }
    sleep 0.5
done
export LETTERBOXD_BASE_URL
LETTERBOXD_BASE_URL="$(sed -n 's/^listening on //p' "$work/sim.out" | head -n 1)"

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export BIND_ADDR="127.0.0.1:$port"
url="http://$BIND_ADDR"
# shellcheck disable=SC2086 # SERVE_ENV is a list of NAME=value words.
env ${SERVE_ENV:-} "$bin/reel" serve >"$work/reel.log" 2>&1 &
reel_pid=$!
until curl -sf -o /dev/null "$url/health/ready"; do
    kill -0 "$reel_pid" 2>/dev/null || { tail -n 20 "$work/reel.log" >&2; exit 1; }
    sleep 0.5
done
# One request through every layer before the figure: what a started service holds.
curl -sf -o /dev/null "$url/health/ready"
report "reel serve after start" "$(rss_mb "$reel_pid" VmRSS) MB resident (peak $(rss_mb "$reel_pid" VmHWM) MB)"

# The members to drive: scored members of the world with at least 20 train ratings, in turn.
zcat "$world/ratings.csv.gz" | awk -F, '$4 == "train" { n[$1]++ } END { for (m in n) if (n[m] >= 20) print m }' |
    sort | sed -n "1,${drive}p" >"$work/members"
driven="$(wc -l <"$work/members")"
export url
started="$(date +%s.%N)"
# shellcheck disable=SC2016 # $1 and $url expand in the child shell, as meant.
xargs -P 8 -I{} sh -c 'curl -sf -o /dev/null -X POST -H "content-type: application/json" \
    -d "{\"members\": [\"$1\"], \"limit\": 1}" "$url/recommendations" || echo "$1" >>"'"$work"'/failed"' _ {} <"$work/members"
took="$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.0f", e - s }')"
failed="$( [[ -f "$work/failed" ]] && wc -l <"$work/failed" || echo 0)"
report "drive $driven distinct members (8 at a time)" "$took s, $failed failed"
report "reel serve after $driven members" "$(rss_mb "$reel_pid" VmRSS) MB resident (peak $(rss_mb "$reel_pid" VmHWM) MB)"

python3 - "$work/members" >"$work/recommendations.lua" <<'PY'
import json, sys
members = open(sys.argv[1]).read().split()
print("bodies = {" + ",".join("[[" + json.dumps({"members": [m]}) + "]]" for m in members) + "}")
PY
cat >>"$work/recommendations.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local at = 0
request = function()
    at = at % #bodies + 1
    return wrk.format(nil, "/recommendations", nil, bodies[at])
end
LUA
wrk -t2 -c"$connections" -d"$duration" --timeout 30s --latency -s "$work/recommendations.lua" \
    "$url/recommendations" >"$work/wrk.out" 2>"$work/wrk.err"
cat "$work/wrk.out" >&2
latency() { awk -v q="$1" '$1 == q { print $2 }' "$work/wrk.out"; }
rate="$(awk '/^Requests\/sec/ { printf "%.0f", $2 }' "$work/wrk.out")"
# wrk counts failures itself (no response callback: it would copy every body into Lua).
not_ok="$(awk '/Non-2xx or 3xx responses:/ { n = $NF } END { print n + 0 }' "$work/wrk.out")"
report "warm POST /recommendations, $connections clients" "p50 $(latency 50%), p90 $(latency 90%), p99 $(latency 99%), $rate requests/s, $not_ok not 200"
report "reel serve after the load" "$(rss_mb "$reel_pid" VmRSS) MB resident (peak $(rss_mb "$reel_pid" VmHWM) MB)"
# Whether the members' predictions stayed cached through the load, or were trained again.
scores="$(curl -sf "$url/metrics" | awk '
    /^reel_cache_bytes\{cache="scores"\}/ { bytes = $2 }
    /^reel_cache_capacity_bytes\{cache="scores"\}/ { capacity = $2 }
    /^reel_cache_lookups_total\{cache="scores",result="hit"\}/ { hit = $2 }
    /^reel_cache_lookups_total\{cache="scores",result="miss"\}/ { miss = $2 }
    END { printf "%d hits, %d misses, %.0f of %.0f MB", hit, miss, bytes / 1e6, capacity / 1e6 }')"
report "members' predictions cache" "$scores"
report "letterboxd-sim" "$(rss_mb "$sim_pid" VmHWM) MB peak"
