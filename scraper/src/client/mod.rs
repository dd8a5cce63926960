//! (built by the scraper issue)
