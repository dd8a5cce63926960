//! The API over HTTP on the real server, PostgreSQL, Redis and the simulated Letterboxd.

mod about;
mod caching;
mod cold_cache;
mod described;
mod diary_statistics;
mod general_model;
mod hardening;
mod letterboxd_csv;
mod openapi;
mod operations;
mod profiles;
mod recommendations;
mod redis_outage;
mod statistics;
mod uploads_durable;
mod usage_cumulative;
mod watchlist;
