//! Why a recommendation or a watchlist pick could not be made. Each variant is a distinct,
//! client-facing outcome the API maps to its own problem code.

use super::{MAX_LIMIT, MAX_PICKS, MIN_RATINGS};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RecommendError {
    #[error("no member was given")]
    NoMembers,
    /// `member` is the position of the member in the request.
    #[error("member {member} has {have} ratings; at least {MIN_RATINGS} are needed")]
    NotEnoughRatings { member: usize, have: usize },
    #[error("the {field} range is empty: the minimum {min} is above the maximum {max}")]
    InvalidRange {
        field: &'static str,
        min: u16,
        max: u16,
    },
    #[error("a limit of {0} is outside 1..={MAX_LIMIT}")]
    InvalidLimit(usize),
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
    #[error("no film is on every watchlist")]
    NoOverlap,
    #[error("a count of {0} is outside 1..={MAX_PICKS}")]
    InvalidCount(usize),
    #[error(
        "ranked picks need one predictor per watchlist: {watchlists} watchlists, {predictors} predictors"
    )]
    MissingPredictors {
        watchlists: usize,
        predictors: usize,
    },
    #[error(transparent)]
    Prediction(#[from] PredictionMismatch),
}

/// A predictor broke its contract of one prediction per film asked: a bug, never the client's
/// fault, reported instead of panicking or silently misaligning films and scores.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("the predictor returned {got} predictions for {expected} films")]
pub struct PredictionMismatch {
    pub expected: usize,
    pub got: usize,
}
