//! The API over HTTP on the real server, PostgreSQL, Redis and the simulated Letterboxd.

mod caching;
mod cold_cache;
mod compatibility;
mod explanations;
mod general_model;
mod hardening;
mod openapi;
mod operations;
mod predictions;
mod profiles;
mod recommendations;
mod redis_outage;
mod statistics;
mod uploads_durable;
mod uploads_tmdb;
mod watchlist;
mod where_to_watch;
