//! The API over HTTP on the real server, PostgreSQL, Redis and the simulated Letterboxd.

mod about;
mod caching;
mod cold_cache;
mod compatibility;
mod database_outage;
mod described;
mod described_llm;
mod diary_statistics;
mod explanations;
mod general_model;
mod hardening;
mod letterboxd_csv;
mod openapi;
mod operations;
mod prediction_lists;
mod predictions;
mod predictions_tmdb;
mod profiles;
mod recommendations;
mod redis_outage;
mod statistics;
mod uploads_durable;
mod uploads_tmdb;
mod usage_cumulative;
mod watchlist;
mod where_to_watch;
