#!/usr/bin/env bash
# Fails when api/src/store/schema.rs differs from what `diesel print-schema` generates from the
# migrations (the schema.rs drift check Lemmy's CI runs).
#   1. installs diesel_cli (a development tool only: the service embeds its migrations and never
#      links libpq) into target/tools, building it against libpq-dev when missing;
#   2. runs api/migrations into a throwaway database on the DATABASE_URL server (default
#      postgres://postgres@127.0.0.1:5432), dropped on exit;
#   3. prints the generated schema and fails with a diff when it differs from the committed file.
# To update schema.rs after changing a migration: .ci/check-schema.sh --write
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

DIESEL_CLI_VERSION="2.3.14"
tools="$root/target/tools"
diesel="$tools/bin/diesel"
schema="api/src/store/schema.rs"

write=false
if [[ "${1:-}" == "--write" ]]; then
    write=true
fi

if ! [[ -x "$diesel" ]] || ! "$diesel" --version | grep -q "$DIESEL_CLI_VERSION"; then
    if ! dpkg -s libpq-dev >/dev/null 2>&1; then
        if [[ "$(id -u)" == 0 ]]; then
            echo "check-schema: installing libpq-dev (needed to build diesel_cli, not the service)"
            apt-get install -y --no-install-recommends libpq-dev >/dev/null
        else
            echo "check-schema: diesel_cli needs libpq-dev to build: apt-get install libpq-dev" >&2
            exit 1
        fi
    fi
    echo "check-schema: installing diesel_cli ${DIESEL_CLI_VERSION} into ${tools}"
    # Its own target dir: the tool's build must not disturb the workspace's.
    CARGO_TARGET_DIR="$tools/build" cargo install diesel_cli --version "=${DIESEL_CLI_VERSION}" \
        --no-default-features --features postgres --locked --root "$tools" --quiet
fi
echo "check-schema: $("$diesel" --version | tr -s " \n" " ")"

server="${DATABASE_URL:-${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432}}"
# The same server, another database: drop any path and query from the URL.
server="${server%%\?*}"
if [[ "$server" =~ ^(postgres(ql)?://[^/]+)(/.*)?$ ]]; then
    server="${BASH_REMATCH[1]}"
else
    echo "check-schema: DATABASE_URL is not a postgres:// URL" >&2
    exit 1
fi
database="reel_schema_check_$$"
url="$server/$database"

work="$(mktemp -d)"
cleanup() {
    # diesel_cli cannot drop a database without recreating it; the server's psql can.
    if command -v psql >/dev/null 2>&1; then
        psql "$server/postgres" -q -c "DROP DATABASE IF EXISTS \"$database\" WITH (FORCE)" \
            >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# A copy of the migrations and a config without print_schema.file: `database setup` adds its own
# initial-setup migration to the directory it is given and would rewrite schema.rs itself.
cp -r api/migrations "$work/migrations"
cat > "$work/diesel.toml" <<TOML
[migrations_directory]
dir = "$work/migrations"
TOML

"$diesel" database setup --database-url "$url" --config-file "$work/diesel.toml" >/dev/null
(cd api && "$diesel" print-schema --database-url "$url" --config-file diesel.toml) > "$work/schema.rs"

if $write; then
    cp "$work/schema.rs" "$schema"
    echo "check-schema: wrote $schema"
    exit 0
fi
if ! diff -u "$schema" "$work/schema.rs"; then
    echo "check-schema: $schema differs from the migrations; run .ci/check-schema.sh --write" >&2
    exit 1
fi
echo "check-schema: $schema matches the migrations"
