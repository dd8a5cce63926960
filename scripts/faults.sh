#!/usr/bin/env bash
# Issue 19's faults and attacks against a release `reel serve`, one line of figures per fault:
# a decompression bomb, a multipart part flood, a Redis flush under warm load, an upload with
# Redis down, rate-limit evasions, then a Postgres restart under traffic, an oversized header,
# Letterboxd answering 429, and an admin token guesser. Loopback only; every step is bounded in
# time (curl --max-time, wrk -d, socket timeouts, `timeout`).
#
#   DATABASE_SERVER  a PostgreSQL server (default postgres://postgres@127.0.0.1:5443); a database
#                    of its own is made and dropped
#   REDIS_PORT       a Redis this script may start, flush and stop (default 6383; never 6379)
#   PG_RESTART       a command restarting that PostgreSQL (e.g. `runuser -u postgres -- pg_ctl
#                    -D ... restart`); the restart fault is skipped without it
#   DURATION         each wrk run (default 15s); MEMBERS members rotated by wrk (default 200)
#   SKIP_BUILD=1     use the binaries already built, in BIN_DIR (default target/release)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
data="${REEL_SHARED_DIR:-$root/../shared}/data/letterboxd-1m"
server="${DATABASE_SERVER:-postgres://postgres@127.0.0.1:5443}"
redis_port="${REDIS_PORT:-6383}"
duration="${DURATION:-15s}"
members="${MEMBERS:-200}"
[[ "$redis_port" != 6379 ]] || { echo "faults.sh: never on the shared Redis (6379)" >&2; exit 1; }
for tool in wrk redis-server redis-cli psql python3 curl; do
    command -v "$tool" >/dev/null || { echo "faults.sh: $tool is missing" >&2; exit 1; }
done

database="reel_faults_$$"
export DATABASE_URL="$server/$database"
export REDIS_URL="redis://127.0.0.1:$redis_port"
export RUST_LOG="${RUST_LOG:-warn}" LOG_FORMAT=json TRUSTED_PROXIES=127.0.0.1
# The data is this script's own: no first-run setup working beside the faults.
export AUTO_SETUP=off
export ADMIN_TOKEN="faults-admin-token-$$-0123456789"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    nice -n 10 cargo build --release --locked -p reel -p letterboxd-sim --bin reel --bin letterboxd-sim
fi
bin="${BIN_DIR:-${CARGO_TARGET_DIR:-$root/target}/release}"

work="$(mktemp -d)"
sim_pid="" reel_pid="" redis_started=""
stop_reel() {
    if [[ -n "$reel_pid" ]]; then
        kill "$reel_pid" 2>/dev/null || true
        wait "$reel_pid" 2>/dev/null || true
        reel_pid=""
    fi
}
cleanup() {
    local status=$?
    stop_reel
    if [[ -n "$sim_pid" ]]; then
        kill "$sim_pid" 2>/dev/null || true
        wait "$sim_pid" 2>/dev/null || true
    fi
    [[ -z "$redis_started" ]] || redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
    psql "$server/postgres" -q -c "DROP DATABASE IF EXISTS \"$database\" WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT

start_redis() {
    redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes >/dev/null
    redis_started=1
    until redis-cli -p "$redis_port" ping >/dev/null 2>&1; do sleep 0.1; done
}

# reel serve with the given RATE_LIMITS, on a fresh port; sets url and reel_pid.
start_reel() {
    local port
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    BIND_ADDR="127.0.0.1:$port" RATE_LIMITS="$1" "$bin/reel" serve >>"$work/reel.log" 2>&1 &
    reel_pid=$!
    url="http://127.0.0.1:$port"
    local tries=0
    until curl -sf -o /dev/null --max-time 2 "$url/health/ready"; do
        kill -0 "$reel_pid" || { tail -n 20 "$work/reel.log" >&2; exit 1; }
        tries=$((tries + 1))
        [[ $tries -lt 600 ]] || { echo "faults.sh: reel never became ready" >&2; exit 1; }
        sleep 0.2
    done
}

hwm_kb() { awk '/^VmHWM/ { print $2 }' "/proc/$reel_pid/status"; }

# requests/s of one wrk run rotating over the members in $work/members.txt, and how many of
# its answers were not 2xx.
rotating_rps() {
    wrk -t2 -c16 -d"$1" --timeout 10s -s "$work/rotate.lua" "$url" 2>&1 |
        awk '/^Requests\/sec/ { rps = $2 } /Non-2xx/ { bad = $NF } /Socket errors/ { errors = $0 }
            END { printf "%s (%d non-2xx%s)", rps, bad, errors ? ";" errors : "" }'
}

start_redis
"$bin/letterboxd-sim" --data "$data" --bind 127.0.0.1:0 >"$work/sim.out" 2>"$work/sim.err" &
sim_pid=$!
until grep -q '^listening on ' "$work/sim.out" 2>/dev/null; do
    kill -0 "$sim_pid" || { cat "$work/sim.err" >&2; exit 1; }
    sleep 0.2
done
export LETTERBOXD_BASE_URL
LETTERBOXD_BASE_URL="$(sed -n 's/^listening on //p' "$work/sim.out" | head -n 1)"

"$bin/reel" import --films "$data/films.csv.gz" --ratings "$data/ratings.csv.gz" >"$work/import.log" 2>&1

# The members wrk rotates over: the first $members with at least 50 ratings. Their imported
# diaries stand for a scrape made now, so warming them reads Postgres, not the polite (2 pages a
# second) Letterboxd client.
python3 - "$data/ratings.csv.gz" "$members" >"$work/members.txt" <<'PY'
import collections, csv, gzip, sys
counts = collections.Counter(row["user"] for row in csv.DictReader(gzip.open(sys.argv[1], "rt")))
chosen = sorted(user for user, n in counts.items() if n >= 50)[: int(sys.argv[2])]
print("\n".join(chosen))
PY
python3 - "$work/members.txt" >"$work/members.sql" <<'PY'
import sys
names = ", ".join("'" + line.strip() + "'" for line in open(sys.argv[1]) if line.strip())
print(f"UPDATE members SET scraped_at = now() WHERE username IN ({names});")
PY
psql "$DATABASE_URL" -q -f "$work/members.sql" >/dev/null
{
    echo 'local members = {}'
    while read -r member; do echo "members[#members + 1] = \"$member\""; done <"$work/members.txt"
    echo 'local at = 0'
    echo 'request = function()'
    echo '    at = at % #members + 1'
    echo '    return wrk.format("GET", "/statistics?member=" .. members[at])'
    echo 'end'
} >"$work/rotate.lua"

echo "# faults.sh $(date -u +%Y-%m-%dT%H:%M:%SZ) commit $(git rev-parse --short HEAD) load:$(uptime | sed 's/.*load average//')"
start_reel off

# 1. A zip of 250 folders, each holding a 1 MB ratings.csv of unknown films.
python3 - "$work/bomb.zip" <<'PY'
import sys, zipfile
row = "2025-01-01,Unheard Of,1901,https://boxd.it/q,3\n"
body = ("Date,Name,Year,Letterboxd URI,Rating\n" + row * (1_000_000 // len(row))).encode()
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
    for folder in range(250):
        archive.writestr(f"export-{folder}/ratings.csv", body)
PY
before="$(hwm_kb)"
answer="$(curl -s -o "$work/bomb.out" --max-time 60 -w '%{http_code} %{time_total}' \
    -F "file=@$work/bomb.zip;type=application/zip" "$url/profiles")"
after="$(hwm_kb)"
read -r status seconds <<<"$answer"
printf 'zip bomb: %s KB zip of 250 x 1 MB ratings.csv -> HTTP %s (%s) in %s s; VmHWM %s -> %s kB (+%s MB) [target: refused < 1 s, < 64 MB]\n' \
    "$(($(stat -c %s "$work/bomb.zip") / 1024))" "$status" \
    "$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1])).get("code"))' "$work/bomb.out" 2>/dev/null || echo '?')" \
    "$seconds" "$before" "$after" "$(((after - before) / 1024))"

# 2. A 973 MB multipart body of ten million empty parts, streamed until the server answers.
python3 - "${url#http://}" <<'PY'
import select, socket, sys
host, port = sys.argv[1].split(":")
part = b'--b\r\nContent-Disposition: form-data; name="file"; filename="empty-part-of-97-bytes-xxx.csv"\r\n\r\n\r\n'
parts = 10_000_000
length = len(part) * parts + len(b"--b--\r\n")
sock = socket.create_connection((host, int(port)), timeout=30)
sock.sendall(b"POST /profiles HTTP/1.1\r\nHost: reel\r\nContent-Type: multipart/form-data; boundary=b\r\n"
             + b"Content-Length: %d\r\n\r\n" % length)
chunk = part * 1000
sent = 0
answer = b""
try:
    while sent < len(part) * parts:
        if select.select([sock], [], [], 0)[0]:
            answer = sock.recv(65536)
            break
        sent += sock.send(chunk)
except OSError:
    pass
if not answer:
    try:
        answer = sock.recv(65536)
    except OSError:
        pass
status = answer.split(b" ")[1].decode() if answer.startswith(b"HTTP/") else "closed"
print(f"multipart flood: {length / 1e6:.0f} MB body of {parts:,} empty parts -> HTTP {status} after "
      f"{sent / 1024:.0f} KiB sent (kernel buffers included) [target: <= 32 MiB]")
PY

# 3. Warm load over many members, then the cache flushed under load.
# Warm: each member once (a stored diary read into Redis and the in-process copies).
while read -r member; do
    curl -s -o /dev/null --max-time 30 "$url/statistics?member=$member" || true
done <"$work/members.txt"
rps_before="$(rotating_rps "$duration")"
( sleep 3; redis-cli -p "$redis_port" FLUSHALL >/dev/null ) &
flush_pid=$!
rps_flush="$(rotating_rps "$duration")"
wait "$flush_pid"
# In-process copies of parsed profiles live 60 s (PARSED_PROFILE_TTL): past them, every
# member's first request after the flush reads Postgres.
sleep 61
redis-cli -p "$redis_port" FLUSHALL >/dev/null
rps_expired="$(rotating_rps "$duration")"
printf 'warm load: %s members, GET /statistics, 16 connections: %s req/s before; %s req/s with FLUSHALL at 3 s; %s req/s after FLUSHALL with in-process copies expired [target: after >= half of before]\n' \
    "$(wc -l <"$work/members.txt")" "$rps_before" "$rps_flush" "$rps_expired"

# 4. An upload while Redis is down: stored (201, then readable) or 503, never a 201 that is 404.
python3 - "$data/films.csv.gz" >"$work/ratings.csv" <<'PY'
import csv, gzip, sys
print("Date,Name,Year,Letterboxd URI,Rating")
for at, film in enumerate(csv.DictReader(gzip.open(sys.argv[1], "rt"))):
    if at == 40:
        break
    title = film["title"].replace('"', '""')
    year = int(float(film["year"])) if film["year"] else ""
    print(f'2025-01-01,"{title}",{year},https://letterboxd.com/film/{film["slug"]}/,{1 + at % 5}')
PY
redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
redis_started=""
created="$(curl -s -o "$work/upload.out" --max-time 30 -w '%{http_code}' -F "file=@$work/ratings.csv" "$url/profiles")"
read_back="-"
if [[ "$created" == 201 ]]; then
    id="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["id"])' "$work/upload.out")"
    read_back="$(curl -s -o /dev/null --max-time 30 -w '%{http_code}' "$url/statistics?member=$id")"
fi
start_redis
printf 'upload with Redis down: POST /profiles -> HTTP %s%s; read back -> HTTP %s [target: 201 then 200, or 503]\n' "$created" \
    "$([[ "$created" == 201 ]] || python3 -c 'import json, sys; print(" (" + json.load(open(sys.argv[1]))["detail"] + ")")' "$work/upload.out" 2>/dev/null)" \
    "$read_back"

# 5. Rate-limit evasions, with 2 requests a minute and 127.0.0.1 a trusted proxy: the third
# request of each client must be refused whatever it varies.
stop_reel
start_reel 2/min
charged() {
    local args=()
    for line in "$@"; do args+=(-H "X-Forwarded-For: $line"); done
    curl -s -o /dev/null --max-time 10 -w '%{http_code}' -X POST "${args[@]}" "$url/profiles"
}
evasion() {
    local name=$1 statuses=()
    shift
    for line in "$@"; do
        # shellcheck disable=SC2086 # each entry is one or two X-Forwarded-For lines
        statuses+=("$(charged $line)")
    done
    printf 'rate-limit evasion, %s: statuses %s [target: third 429]\n' "$name" "${statuses[*]}"
}
evasion "forged line above the proxy's" "198.51.100.1 203.0.113.9" "198.51.100.2 203.0.113.9" "198.51.100.3 203.0.113.9"
evasion "IPv6 rotation in one /64" "2001:db8:7:7::1" "2001:db8:7:7::2" "2001:db8:7:7::3"
evasion "ip:port entries" "203.0.113.20:41000" "203.0.113.20:41001" "203.0.113.20:41002"

# 6. This stop's faults: an oversized header, an admin token guesser, Letterboxd answering 429.
for size in 40000 200000; do
    # From a file: one argument of 200 KB is over the kernel's limit for a command line.
    { printf 'X-Big: '; head -c "$size" /dev/zero | tr '\0' 'a'; echo; } >"$work/big.header"
    : >"$work/431.out"
    : >"$work/431.headers"
    curl -s -o "$work/431.out" -D "$work/431.headers" --max-time 10 -H "@$work/big.header" "$url/health/live" || true
    printf 'oversized header (%s bytes): HTTP %s, content type %s, request id %s [target: 431 problem+json with request id; over 128 KiB actix answers a bare 431]\n' \
        "$size" "$(awk 'NR == 1 { print $2 }' "$work/431.headers")" \
        "$(awk -F': ' 'tolower($1) == "content-type" { print $2 }' "$work/431.headers" | tr -d '\r' | grep . || echo none)" \
        "$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1])).get("request_id"))' "$work/431.out" 2>/dev/null || echo none)"
done
guesses=()
for _ in 1 2 3 4 5 6; do
    guesses+=("$(curl -s -o /dev/null --max-time 10 -w '%{http_code}' -X POST -H 'Authorization: Bearer wrong-guess' "$url/admin/catalog/reload")")
done
right="$(curl -s -o /dev/null --max-time 10 -w '%{http_code}' -X POST -H "Authorization: Bearer $ADMIN_TOKEN" "$url/admin/catalog/reload")"
printf 'admin guesser: 6 wrong tokens -> %s; then the right one -> %s [target: 401 x5, then 429 for both]\n' "${guesses[*]}" "$right"
curl -s -o /dev/null --max-time 10 -X PUT -H 'content-type: application/json' \
    -d '{"all": {"rate_limited": 1.0, "retry_after_secs": 2}}' "$LETTERBOXD_BASE_URL/-/faults"
unscraped="$(python3 - "$data/ratings.csv.gz" "$work/members.txt" <<'PY'
import csv, gzip, sys
taken = set(open(sys.argv[2]).read().split())
for row in csv.DictReader(gzip.open(sys.argv[1], "rt")):
    if row["user"] not in taken:
        print(row["user"])
        break
PY
)"
curl -s -o /dev/null -D "$work/429.headers" --max-time 130 "$url/statistics?member=$unscraped" || true
curl -s -o /dev/null --max-time 10 -X PUT -H 'content-type: application/json' -d '{}' "$LETTERBOXD_BASE_URL/-/faults"
printf 'Letterboxd 429 to every attempt (Retry-After: 2): HTTP %s, Retry-After %s [target: 503 with Retry-After 2]\n' \
    "$(awk 'NR == 1 { print $2 }' "$work/429.headers")" \
    "$(awk -F': ' 'tolower($1) == "retry-after" { print $2 }' "$work/429.headers" | tr -d '\r')"

# 7. A Postgres restart under traffic: no request may answer 500.
if [[ -n "${PG_RESTART:-}" ]]; then
    python3 - "$url" >"$work/restart.out" <<'PY' &
import collections, sys, time, urllib.error, urllib.request
seen = collections.Counter()
end = time.time() + 20
while time.time() < end:
    try:
        with urllib.request.urlopen(sys.argv[1] + "/metrics/usage", timeout=10) as response:
            seen[response.status] += 1
    except urllib.error.HTTPError as err:
        seen[err.code] += 1
    except OSError:
        seen["no answer"] += 1
    time.sleep(0.02)
print(" ".join(f"{status}x{count}" for status, count in sorted(seen.items(), key=str)))
PY
    traffic=$!
    sleep 3
    timeout 60 bash -c "$PG_RESTART" >/dev/null 2>&1
    wait "$traffic"
    printf 'Postgres restart under traffic (GET /metrics/usage for 20 s): %s [target: 200 and 503 only]\n' "$(cat "$work/restart.out")"
else
    echo "Postgres restart: skipped (set PG_RESTART)"
fi
