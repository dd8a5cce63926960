# syntax=docker/dockerfile:1
#
# The `reel` image: the HTTP service and every data job, as subcommands of one binary.
#   docker build -t reel .
#   docker run -e DATABASE_URL=... -e REDIS_URL=... -p 8080:8080 reel            # reel serve
#   docker run -e DATABASE_URL=... reel reel catalog refresh --budget 11h        # a job
#
# There is no ENTRYPOINT on purpose: the command is always the full `reel ...` line, so it reads the
# same in `docker run`, Kubernetes and Render's dockerCommand/preDeployCommand, whichever of CMD or
# ENTRYPOINT a platform replaces. api/tests/integration/deploy/dockerfile.rs checks this file
# against the workspace (toolchain, build flags, binary name, port); .ci/lint-deploy.sh lints it
# with hadolint.

# Keep in step with rust-toolchain.toml (checked by api/tests/integration/deploy/dockerfile.rs).
ARG RUST_VERSION=1.95.0
ARG CARGO_CHEF_VERSION=0.1.78

# --- chef: the toolchain plus cargo-chef, shared by the planner and the builder -------------------
FROM rust:${RUST_VERSION}-slim-bookworm AS chef
ARG RUST_VERSION
ARG CARGO_CHEF_VERSION
# Use the image's toolchain as is: rust-toolchain.toml also asks for rustfmt and clippy, which a
# release build does not need and rustup would otherwise download.
ENV RUSTUP_TOOLCHAIN=${RUST_VERSION} \
    CARGO_TERM_COLOR=never
RUN cargo install cargo-chef --locked --version "${CARGO_CHEF_VERSION}"
WORKDIR /app

# --- planner: reduce the workspace to a recipe of its dependencies -------------------------------
FROM chef AS planner
COPY . .
RUN cargo chef prepare --recipe-path recipe.json

# --- builder: dependencies first (cached until Cargo.toml/Cargo.lock change), then our crates ----
FROM chef AS builder
# The image's binary carries no debug info (`[profile.release]` keeps line tables for benchmarks
# and profiling outside the image): 157 MB with them. Set before the cook so the dependencies are
# built with the same profile as the binary.
ENV CARGO_PROFILE_RELEASE_DEBUG=0 \
    CARGO_PROFILE_RELEASE_STRIP=debuginfo
# `reel_build_info` on /metrics names this commit when the build passes it
# (`docker build --build-arg REEL_GIT_COMMIT=$(git rev-parse HEAD) .`).
ARG REEL_GIT_COMMIT=""
COPY --from=planner /app/recipe.json recipe.json
RUN cargo chef cook --release --locked -p reel --bin reel --recipe-path recipe.json
COPY . .
RUN cargo build --release --locked -p reel --bin reel

# --- runtime: the binary, CA roots for rustls, and an unprivileged user ---------------------------
FROM debian:bookworm-slim AS runtime
# TLS is rustls and Postgres is tokio-postgres, so nothing links libssl or libpq: the binary needs
# only glibc and libgcc_s (in the base image) and CA certificates. Versions come from the pinned
# Debian release; pinning each package version would break on every Debian point release.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 reel \
    && useradd --system --uid 10001 --gid reel --home-dir /var/lib/reel --create-home \
        --shell /usr/sbin/nologin reel
COPY --from=builder /app/target/release/reel /usr/local/bin/reel
USER 10001:10001
WORKDIR /var/lib/reel
# In a container the service listens on every interface; PORT is what Render routes to (it must
# name the same port as BIND_ADDR). DATABASE_URL is always set in a deployment: the embedded
# PostgreSQL default is for laptops and the image carries no PostgreSQL binaries.
ENV BIND_ADDR=0.0.0.0:8080 \
    PORT=8080 \
    DATA_DIR=/var/lib/reel \
    LOG_FORMAT=json \
    RUST_LOG=info
EXPOSE 8080
# No HEALTHCHECK: the image has no HTTP client, and orchestrators probe /health/live and
# /health/ready themselves (Render's healthCheckPath, Kubernetes probes).
CMD ["reel", "serve"]
