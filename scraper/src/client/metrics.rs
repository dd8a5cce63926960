//! Request counts by page kind and outcome, shared by every clone of a client, so the API can
//! export them (e.g. as a Prometheus counter vector) without this crate knowing about Prometheus.

use std::sync::atomic::{AtomicU64, Ordering};

/// What was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    FilmsPage,
    WatchlistPage,
    DiaryPage,
    FilmPage,
    MembersPage,
}

impl RequestKind {
    pub const ALL: [RequestKind; 5] = [
        RequestKind::FilmsPage,
        RequestKind::WatchlistPage,
        RequestKind::DiaryPage,
        RequestKind::FilmPage,
        RequestKind::MembersPage,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::FilmsPage => "films_page",
            RequestKind::WatchlistPage => "watchlist_page",
            RequestKind::DiaryPage => "diary_page",
            RequestKind::FilmPage => "film_page",
            RequestKind::MembersPage => "members_page",
        }
    }
}

/// How one HTTP attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Ok,
    NotFound,
    Private,
    Blocked,
    RateLimited,
    ServerError,
    /// A 200 whose HTML stops before `</html>`.
    Truncated,
    /// Timeout, refused connection, reset body.
    Transport,
    OtherStatus,
}

impl Outcome {
    pub const ALL: [Outcome; 9] = [
        Outcome::Ok,
        Outcome::NotFound,
        Outcome::Private,
        Outcome::Blocked,
        Outcome::RateLimited,
        Outcome::ServerError,
        Outcome::Truncated,
        Outcome::Transport,
        Outcome::OtherStatus,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::NotFound => "not_found",
            Outcome::Private => "private",
            Outcome::Blocked => "blocked",
            Outcome::RateLimited => "rate_limited",
            Outcome::ServerError => "server_error",
            Outcome::Truncated => "truncated",
            Outcome::Transport => "transport",
            Outcome::OtherStatus => "other_status",
        }
    }
}

const CELLS: usize = RequestKind::ALL.len() * Outcome::ALL.len();

/// One counter per (kind, outcome); every HTTP attempt, retries included, counts once.
#[derive(Debug)]
pub struct RequestCounters {
    cells: [AtomicU64; CELLS],
}

impl Default for RequestCounters {
    fn default() -> Self {
        Self {
            cells: std::array::from_fn(|_| AtomicU64::new(0)),
        }
    }
}

/// One non-zero cell of [`RequestCounters::snapshot`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct RequestCount {
    pub kind: RequestKind,
    pub outcome: Outcome,
    pub count: u64,
}

impl RequestCounters {
    fn index(kind: RequestKind, outcome: Outcome) -> usize {
        kind as usize * Outcome::ALL.len() + outcome as usize
    }

    pub fn record(&self, kind: RequestKind, outcome: Outcome) {
        self.cells[Self::index(kind, outcome)].fetch_add(1, Ordering::Relaxed);
    }

    pub fn get(&self, kind: RequestKind, outcome: Outcome) -> u64 {
        self.cells[Self::index(kind, outcome)].load(Ordering::Relaxed)
    }

    /// Every attempt of every kind.
    pub fn total(&self) -> u64 {
        self.cells.iter().map(|c| c.load(Ordering::Relaxed)).sum()
    }

    /// The non-zero counters.
    pub fn snapshot(&self) -> Vec<RequestCount> {
        RequestKind::ALL
            .into_iter()
            .flat_map(|kind| Outcome::ALL.into_iter().map(move |outcome| (kind, outcome)))
            .map(|(kind, outcome)| RequestCount {
                kind,
                outcome,
                count: self.get(kind, outcome),
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
        counters.record(RequestKind::FilmPage, Outcome::RateLimited);
        counters.record(RequestKind::FilmPage, Outcome::RateLimited);
        counters.record(RequestKind::MembersPage, Outcome::Ok);
        assert_eq!(counters.get(RequestKind::FilmPage, Outcome::RateLimited), 2);
        assert_eq!(counters.get(RequestKind::FilmPage, Outcome::Ok), 0);
        assert_eq!(counters.total(), 3);
        assert_eq!(counters.snapshot().len(), 2);
    }
}
