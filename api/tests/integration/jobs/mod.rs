//! The data jobs against the simulated Letterboxd and a database of their own.

mod catalog_refresh;
mod cli;
mod model_stats;
mod ratings;
mod tmdb_cli;
mod tmdb_sync;
