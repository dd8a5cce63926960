//! Recommendation logic on top of any [`Predictor`](crate::Predictor): which films are candidates,
//! the filters, ranking for one or several members, and watchlist picks.
//!
//! Training a model is the expensive part of a request, so the cheap checks are public and meant
//! to run first: [`ensure_enough_ratings`], [`Filters::validate`], and for watchlists
//! [`watchlist_pool`] (empty watchlist, no overlap).

mod candidates;
mod error;
mod filters;
mod rank;
mod recommendations;
mod watchlist;

#[cfg(test)]
mod properties;
#[cfg(test)]
pub(crate) mod testkit;

pub use candidates::candidates;
pub use error::{PredictionMismatch, RecommendError, WatchlistError};
pub use filters::{Filters, HIGHLY_RATED_FROM, OPT_IN_GENRES, PopularityBand};
pub use recommendations::{
    DEFAULT_LIMIT, MAX_LIMIT, MERGE_DEPTH, MIN_RATINGS, Member, Recommendation,
    ensure_enough_ratings, recommend,
};
pub use watchlist::{
    DEFAULT_PICKS, MAX_PICKS, PickMode, Picking, WatchlistPick, WatchlistPicks,
    pick_from_watchlists, watchlist_pool,
};
