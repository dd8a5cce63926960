//! The `letterboxd` crate's integration tests, one binary: the parsers on saved pages and on
//! hostile input, the export reader, and the client against the simulated Letterboxd.

mod client_sim;
mod export;
mod export_dataset;
mod fixtures;
mod robustness;
mod round_trip;
mod support;
