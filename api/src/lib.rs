//! The Letterboxd recommendation service: HTTP API, store, cache and data jobs, behind one binary.
//! `docs/architecture.md` is the map: the layers, what each may import, and one request's path.

pub mod cache;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod domain;
pub mod handlers;
pub mod http;
pub mod jobs;
pub mod limits;
pub mod metrics;
pub mod router;
pub mod services;
pub mod sources;
pub mod store;
pub mod telemetry;
pub mod views;
pub mod wiring;
