//! Recommendation logic on top of any [`Predictor`](crate::Predictor): which films are candidates,
//! the filters, ranking for one or several members, and watchlist picks.

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
pub use recommendations::{MAX_LIMIT, MERGE_DEPTH, MIN_RATINGS, Member, Recommendation, recommend};
pub use watchlist::{
    DEFAULT_PICKS, MAX_PICKS, PickMode, Picking, WatchlistPick, WatchlistPicks,
    pick_from_watchlists, watchlist_pool,
};
