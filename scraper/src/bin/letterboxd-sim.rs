//! The simulated Letterboxd server (filled in by the scraper issue).
fn main() {}
