//! Recommendation logic on the scores members' models gave every catalog film: which films are
//! candidates, the filters, ranking for one or several members, and watchlist picks.
//!
//! Ranges ([`RangeFilter`]) and counts ([`Count`]) are checked once, when the request is parsed:
//! their types cannot hold an inverted range or a zero or too-large count. Training a model is
//! the expensive part of a request, so the remaining cheap checks are public and meant to run
//! first: [`ensure_enough_ratings`], and for watchlists [`watchlist_pool`] (empty watchlist, no
//! overlap).

mod candidates;
mod count;
pub mod describe;
mod error;
mod filters;
mod match_rank;
mod rank;
mod recommendations;
mod watchlist;

#[cfg(test)]
mod properties;
#[cfg(test)]
pub(crate) mod testkit;

pub use crate::domain::{PopularityBand, PopularityScale};
pub use candidates::candidates;
pub use count::{Count, CountOutOfBounds};
pub use error::{PredictionMismatch, RecommendError, WatchlistError};
pub use filters::{Filters, HIGHLY_RATED_FROM, InvertedRange, OPT_IN_GENRES, RangeFilter};
pub use match_rank::{InvalidMatchParams, MatchParams, MatchRanking, MatchSignals};
pub use recommendations::{
    DEFAULT_LIMIT, Limit, MAX_LIMIT, MERGE_DEPTH, MIN_RATINGS, Member, Recommendation,
    ensure_enough_ratings, recommend,
};
pub use watchlist::{
    DEFAULT_PICKS, MAX_PICKS, PickCount, PickMode, Picking, PoolFilm, PoolRule, WatchlistPick,
    WatchlistPicks, filtered_pool, pick_from_watchlists, watchlist_pool,
};
