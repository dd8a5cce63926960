//! The integration tests of `reel`, in one binary: one link of actix-web, Diesel and the
//! simulated Letterboxd instead of one per file, and one harness ([`support`]) for all of them.
//!
//! Database tests need PostgreSQL (`TEST_DATABASE_URL`, by default the machine's) and the API's
//! need Redis (127.0.0.1:6379); each test gets a database of its own. Run one area with a filter:
//! `cargo test -p reel --test integration store::`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests and their helpers: a broken expectation is a test failure"
)]

mod api;
mod architecture;
mod cache;
mod deploy;
mod http;
mod import;
mod jobs;
mod store;
mod support;
