//! Why a recommendation or a watchlist pick could not be made. Each variant is a distinct,
//! client-facing outcome the API maps to its own problem code.

use super::MIN_RATINGS;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RecommendError {
    #[error("no member was given")]
    NoMembers,
    /// `member` is the position of the member in the request.
    #[error("member {member} has {have} ratings; at least {MIN_RATINGS} are needed")]
    NotEnoughRatings { member: usize, have: usize },
    /// Nothing survives the candidate rules and filters (or, for several members, no film is in
    /// every member's top list).
    #[error("no film is left to recommend with these filters")]
    NoCandidates,
    #[error(transparent)]
    Prediction(#[from] PredictionMismatch),
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WatchlistError {
    #[error("no watchlist was given")]
    NoMembers,
    /// `member` is the position of the member whose watchlist is empty.
    #[error("the watchlist of member {member} is empty")]
    WatchlistEmpty { member: usize },
    #[error("no film is on enough of the watchlists")]
    NoOverlap,
    /// Films are on the watchlists, but none passes the filters.
    #[error("no film on the watchlists passes the filters")]
    NoCandidates,
    #[error(
        "ranked picks need one member's scores per watchlist: {watchlists} watchlists, {scores} scores"
    )]
    MissingScores { watchlists: usize, scores: usize },
    #[error(transparent)]
    Prediction(#[from] PredictionMismatch),
}

/// A member's scores do not hold one score per catalog film: a bug, never the client's fault,
/// reported instead of panicking or silently misaligning films and scores.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{got} scores were given for a catalog of {expected} films")]
pub struct PredictionMismatch {
    pub expected: usize,
    pub got: usize,
}
