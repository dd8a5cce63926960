//! Everything the service learns about Letterboxd members and films comes through here:
//! page and export parsers and the polite HTTP client. The simulated Letterboxd the tests run
//! against is its own crate, `letterboxd-sim` (`scraper/sim`), so the service does not link it.

pub mod client;
pub mod dataset;
pub mod export;
pub mod parse;
