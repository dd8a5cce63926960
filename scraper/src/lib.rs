//! Everything the service learns about Letterboxd members and films comes through here:
//! page and export parsers, the polite HTTP client, and a simulated Letterboxd for tests.
