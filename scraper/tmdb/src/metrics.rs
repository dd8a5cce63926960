//! Request counts by endpoint and outcome, and retries by endpoint, shared by every clone of a
//! client, so the service can export them (as Prometheus counter vectors) without this crate
//! knowing about Prometheus.

use std::sync::atomic::{AtomicU64, Ordering};

/// Which TMDB endpoint was asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Endpoint {
    Movie,
    Tv,
    SearchMovie,
    SearchTv,
    MovieChanges,
    GenreList,
    Configuration,
    WatchProviders,
    IdFile,
}

impl Endpoint {
    pub const ALL: [Endpoint; 9] = [
        Endpoint::Movie,
        Endpoint::Tv,
        Endpoint::SearchMovie,
        Endpoint::SearchTv,
        Endpoint::MovieChanges,
        Endpoint::GenreList,
        Endpoint::Configuration,
        Endpoint::WatchProviders,
        Endpoint::IdFile,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Endpoint::Movie => "movie",
            Endpoint::Tv => "tv",
            Endpoint::SearchMovie => "search_movie",
            Endpoint::SearchTv => "search_tv",
            Endpoint::MovieChanges => "movie_changes",
            Endpoint::GenreList => "genre_list",
            Endpoint::Configuration => "configuration",
            Endpoint::WatchProviders => "watch_providers",
            Endpoint::IdFile => "id_file",
        }
    }
}

/// How one HTTP attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Ok,
    NotFound,
    BadToken,
    RateLimited,
    ServerError,
    /// A 200 whose body is not the JSON (or gzip) expected.
    InvalidResponse,
    /// Timeout, refused connection, reset body.
    Transport,
    OtherStatus,
}

impl Outcome {
    pub const ALL: [Outcome; 8] = [
        Outcome::Ok,
        Outcome::NotFound,
        Outcome::BadToken,
        Outcome::RateLimited,
        Outcome::ServerError,
        Outcome::InvalidResponse,
        Outcome::Transport,
        Outcome::OtherStatus,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::NotFound => "not_found",
            Outcome::BadToken => "bad_token",
            Outcome::RateLimited => "rate_limited",
            Outcome::ServerError => "server_error",
            Outcome::InvalidResponse => "invalid_response",
            Outcome::Transport => "transport",
            Outcome::OtherStatus => "other_status",
        }
    }
}

const CELLS: usize = Endpoint::ALL.len() * Outcome::ALL.len();

/// One counter per (endpoint, outcome), every attempt counted once, and one retry counter per
/// endpoint.
#[derive(Debug)]
pub struct RequestCounters {
    cells: [AtomicU64; CELLS],
    retries: [AtomicU64; Endpoint::ALL.len()],
}

impl Default for RequestCounters {
    fn default() -> Self {
        Self {
            cells: std::array::from_fn(|_| AtomicU64::new(0)),
            retries: std::array::from_fn(|_| AtomicU64::new(0)),
        }
    }
}

/// One non-zero cell of [`RequestCounters::snapshot`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct RequestCount {
    pub endpoint: Endpoint,
    pub outcome: Outcome,
    pub count: u64,
}

impl RequestCounters {
    fn index(endpoint: Endpoint, outcome: Outcome) -> usize {
        endpoint as usize * Outcome::ALL.len() + outcome as usize
    }

    pub fn record(&self, endpoint: Endpoint, outcome: Outcome) {
        self.cells[Self::index(endpoint, outcome)].fetch_add(1, Ordering::Relaxed);
    }

    pub fn record_retry(&self, endpoint: Endpoint) {
        self.retries[endpoint as usize].fetch_add(1, Ordering::Relaxed);
    }

    pub fn get(&self, endpoint: Endpoint, outcome: Outcome) -> u64 {
        self.cells[Self::index(endpoint, outcome)].load(Ordering::Relaxed)
    }

    /// Attempts that were a retry of an earlier one.
    pub fn retries(&self, endpoint: Endpoint) -> u64 {
        self.retries[endpoint as usize].load(Ordering::Relaxed)
    }

    /// Every attempt of every endpoint.
    pub fn total(&self) -> u64 {
        self.cells.iter().map(|c| c.load(Ordering::Relaxed)).sum()
    }

    /// The non-zero request counters.
    pub fn snapshot(&self) -> Vec<RequestCount> {
        Endpoint::ALL
            .into_iter()
            .flat_map(|endpoint| {
                Outcome::ALL
                    .into_iter()
                    .map(move |outcome| (endpoint, outcome))
            })
            .map(|(endpoint, outcome)| RequestCount {
                endpoint,
                outcome,
                count: self.get(endpoint, outcome),
            })
            .filter(|cell| cell.count > 0)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_land_in_their_own_cell() {
        let counters = RequestCounters::default();
        counters.record(Endpoint::Movie, Outcome::RateLimited);
        counters.record(Endpoint::Movie, Outcome::RateLimited);
        counters.record(Endpoint::IdFile, Outcome::Ok);
        counters.record_retry(Endpoint::Movie);
        assert_eq!(counters.get(Endpoint::Movie, Outcome::RateLimited), 2);
        assert_eq!(counters.get(Endpoint::Movie, Outcome::Ok), 0);
        assert_eq!(counters.get(Endpoint::IdFile, Outcome::Ok), 1);
        assert_eq!(counters.retries(Endpoint::Movie), 1);
        assert_eq!(counters.retries(Endpoint::Tv), 0);
        assert_eq!(counters.total(), 3);
        assert_eq!(counters.snapshot().len(), 2);
    }
}
