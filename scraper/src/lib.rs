//! Everything the service learns about Letterboxd members and films comes through here:
//! page and export parsers, the polite HTTP client, and a simulated Letterboxd for tests.

pub mod client;
pub mod dataset;
pub mod export;
pub mod parse;
pub mod sim;
