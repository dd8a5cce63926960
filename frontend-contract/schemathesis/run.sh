#!/usr/bin/env bash
# Schemathesis against a live server's own spec: usage `run.sh BASE_URL`.
# Installs the pinned, hash-checked Schemathesis into ../.venv (ignored by git; reinstalled when
# requirements.txt changes) and runs a bounded number of generated cases per operation. It fails
# on a server error, a status, content type or header the spec does not list, or a body that does
# not match the spec's schema. SCHEMATHESIS_SEED picks the seed (a fixed default, so a failure
# reproduces); SCHEMATHESIS_MAX_EXAMPLES the examples per operation (default 20).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
base_url="${1:?usage: run.sh BASE_URL}"
venv="$here/../.venv"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"

log() { echo "schemathesis: $*" >&2; }

if [[ ! -x "$venv/bin/schemathesis" || "$(cat "$stamp" 2>/dev/null)" != "$want" ]]; then
    log "installing the pinned Schemathesis into $venv"
    rm -rf "$venv"
    python3 -m venv "$venv"
    PIP_NO_CACHE_DIR=1 "$venv/bin/pip" install --quiet --disable-pip-version-check \
        --require-hashes --no-deps -r "$here/requirements.txt"
    echo "$want" >"$stamp"
fi

log "running against $base_url/openapi.json"
# Hypothesis and Schemathesis keep their files in the working directory: inside the ignored venv.
mkdir -p "$venv/run"
cd "$venv/run"
PYTHONDONTWRITEBYTECODE=1 SCHEMATHESIS_HOOKS="$here/hooks.py" "$venv/bin/schemathesis" run "$base_url/openapi.json" \
    --url "$base_url" \
    --checks not_a_server_error,negative_data_rejection,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
    --phases examples,coverage,fuzzing \
    --max-examples "${SCHEMATHESIS_MAX_EXAMPLES:-20}" \
    --seed "${SCHEMATHESIS_SEED:-18}" \
    --workers 2 \
    --request-timeout 60 \
    --generation-database none \
    --no-color

log "validating every example of the served spec against its schema"
"$venv/bin/python" "$here/check_examples.py" "$base_url/openapi.json"
