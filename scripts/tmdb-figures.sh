#!/usr/bin/env bash
# The TMDB catalog's figures (issue 13), against the simulated TMDB on loopback:
#   1. sync throughput at the configured rate limit (TMDB_RATE_LIMIT, default 20/s), for SYNC_SECONDS;
#   2. memory of `reel serve` over a 100,000-film catalog synced from TMDB (VmRSS, VmHWM);
#   3. upload-to-recommendations time for a 2,000-row export with 300 rows only TMDB knows.
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres) and ../shared. Builds release binaries.
# Usage: bash scripts/tmdb-figures.sh   (SYNC_SECONDS=60 FILMS=100000 RATE=20 to change;
#        ONLY_UPLOAD=1 skips 1 and 2)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

sync_seconds="${SYNC_SECONDS:-60}"
films="${FILMS:-100000}"
rate="${RATE:-20}"
data="${REEL_SHARED_DIR:-../shared}/data/letterboxd-1m"
pg="${PG_URL:-postgres://postgres@127.0.0.1:5432}"
token="figures-token-0123456789"
work="$(mktemp -d)"
# The catalog comes from the TMDB sync: no first-run setup working beside the figures.
export AUTO_SETUP=off
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    for db in reel_fig_sync reel_fig_upload; do
        psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
log() { echo "figures: $*" >&2; }

cargo build --release --locked -q -p reel -p tmdb-sim
bin=target/release

sim_addr=""
start_sim() { # args: tmdb-sim flags; sets sim_addr (not a subshell: cleanup must see the pid)
    "$bin/tmdb-sim" --token "$token" --workers 2 "$@" >"$work/sim.out" 2>&1 &
    pids+=("$!")
    for _ in $(seq 600); do
        grep -q "listening on" "$work/sim.out" 2>/dev/null && break
        sleep 0.2
    done
    sim_addr="$(sed -n 's/^listening on http:\/\///p' "$work/sim.out")"
}

tmdb_env() { # $1: address
    export TMDB_API_TOKEN="$token" TMDB_BASE_URL="http://$1/3" TMDB_FILES_URL="http://$1/p/exports"
}

summary() { # the JSON summary line of a job's log
    grep '"message":"catalog sync finished"' "$1" | tail -n 1
}

if [[ -z "${ONLY_UPLOAD:-}" ]]; then
# 1 and 2: a synthetic world of $films films.
start_sim --synthetic "$films" --seed 7
tmdb_env "$sim_addr"
export DATABASE_URL="$pg/reel_fig_sync" LOG_FORMAT=json RUST_LOG=info
today="$(date -u +%F)"
log "sync at $rate requests/s for $sync_seconds s"
TMDB_RATE_LIMIT="$rate" "$bin/reel" catalog sync --source tmdb --id-file-date "$today" \
    --max-films "$films" --budget "${sync_seconds}s" --worker-id figures >/dev/null 2>"$work/sync1.log"
summary "$work/sync1.log"
log "finishing the sync at a high rate (the simulator's, not TMDB's)"
TMDB_RATE_LIMIT=100000 TMDB_CONCURRENCY=64 "$bin/reel" catalog sync --source tmdb \
    --id-file-date "$today" --max-films "$films" --worker-id figures >/dev/null 2>"$work/sync2.log"
summary "$work/sync2.log"

log "serving the $films-film catalog"
BIND_ADDR=127.0.0.1:18231 "$bin/reel" serve >/dev/null 2>"$work/serve.log" &
serve=$!
pids+=("$serve")
for _ in $(seq 600); do
    curl -fsS -o /dev/null http://127.0.0.1:18231/health/ready 2>/dev/null && break
    sleep 0.5
done
curl -fsS http://127.0.0.1:18231/health/ready
echo
grep -E '^(VmRSS|VmHWM)' "/proc/$serve/status" | sed "s/^/serve over $films films: /"
kill "$serve"
fi

# 3: the dataset without 300 of its films, which only TMDB knows; an export of 2,000 rows.
log "upload figure: importing the dataset minus 300 films"
export DATABASE_URL="$pg/reel_fig_upload" LOG_FORMAT=json RUST_LOG=info
zcat "$data/films.csv.gz" >"$work/source.csv"
sed -n 1p "$work/source.csv" >"$work/films.csv"
sed 1d "$work/source.csv" | sort -t, -k1,1 >"$work/all.csv"
# Films with a 4-digit year and no comma in the title, so the export rows are plain CSV.
awk -F, 'NF == 11 && $3 ~ /^[0-9]+\.0$/' "$work/all.csv" >"$work/plain.csv"
sed -n 1,300p "$work/plain.csv" >"$work/missing.csv"
sed -n 301,2000p "$work/plain.csv" >"$work/present.csv"
grep -vxF -f "$work/missing.csv" "$work/all.csv" >>"$work/films.csv"
gzip -c "$work/films.csv" >"$work/films.csv.gz"
"$bin/reel" import --films "$work/films.csv.gz" --ratings "$data/ratings.csv.gz" >/dev/null 2>"$work/import.log"
"$bin/reel" train general >/dev/null 2>"$work/train.log"
{
    echo "Date,Name,Year,Letterboxd URI,Rating"
    cat "$work/present.csv" "$work/missing.csv" | awk -F, '{
        year = $3; sub(/\.0$/, "", year)
        printf "2025-01-01,%s,%s,https://boxd.it/r%d,%.1f\n", $2, year, NR, 1 + (NR * 7) % 9 / 2
    }'
} >"$work/ratings.csv"
log "export: $(($(wc -l <"$work/ratings.csv") - 1)) rows"
start_sim --films "$data/films.csv.gz" --seed 7
tmdb_env "$sim_addr"
TMDB_RATE_LIMIT="$rate" BIND_ADDR=127.0.0.1:18232 RATE_LIMITS=off "$bin/reel" serve >/dev/null 2>"$work/serve2.log" &
pids+=("$!")
for _ in $(seq 600); do
    curl -fsS -o /dev/null http://127.0.0.1:18232/health/ready 2>/dev/null && break
    sleep 0.5
done
curl -sS -o "$work/upload.json" -w 'upload: HTTP %{http_code} in %{time_total} s\n' \
    -F "file=@$work/ratings.csv;filename=ratings.csv" http://127.0.0.1:18232/profiles
python3 -c 'import json,sys; b=json.load(open(sys.argv[1])); print("counts:", json.dumps(b["counts"])); print("resolution:", json.dumps(b.get("resolution")))' "$work/upload.json"
id="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$work/upload.json")"
curl -sS -o /dev/null -w 'recommendations: HTTP %{http_code} in %{time_total} s\n' \
    -H 'content-type: application/json' -d "{\"members\": [\"$id\"], \"limit\": 24}" \
    http://127.0.0.1:18232/recommendations
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short HEAD)"
