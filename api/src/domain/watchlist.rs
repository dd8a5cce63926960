//! Watchlist picks: what a request asks for and what it gets back.

use chrono::{DateTime, Utc};
use model::Film;
use model::recommend::{PickCount, PickMode, WatchlistPicks};

use super::filter_choice::{ChosenFilters, FilterRequest};
use super::member::MemberRef;
use super::model_choice::ModelChoice;
use super::profile::ResolvedProfile;
use super::reasons::{MemberReasons, ReasonFilms};
use super::recommendations::RankBy;

/// A watchlist request in domain terms.
#[derive(Debug, Clone, PartialEq)]
pub struct WatchlistQuery {
    pub members: Vec<MemberRef>,
    pub mode: PickMode,
    /// A film must be on at least this many of the watchlists: 1 to the number of members.
    pub min_members: usize,
    pub count: PickCount,
    pub seed: Option<u64>,
    /// Ranked mode: what orders the picks.
    pub rank_by: RankBy,
    /// Ranked mode: give each pick the reasons the model had (`explain=false` turns them off).
    pub explain: bool,
    /// The filters, the country whose offers the picks show and the services to keep picks on,
    /// and the description.
    pub filters: FilterRequest,
}

#[derive(Debug, Clone)]
pub struct Watchlist {
    pub members: Vec<ResolvedProfile>,
    pub picks: WatchlistPicks,
    /// The catalog's film for each pick, when it knows it.
    pub films: Vec<Option<Film>>,
    /// Each pick's reasons, up to three per member (ranked mode; empty otherwise).
    pub reasons: Vec<Vec<MemberReasons>>,
    /// The films the reasons name.
    pub reason_films: ReasonFilms,
    /// The model that ranked the picks (ranked mode only).
    pub model: Option<ModelChoice>,
    /// What ordered the picks (ranked mode only): `PredictedRating` when the match ranking was
    /// asked for but the general model is not loaded.
    pub rank_by: Option<RankBy>,
    pub catalog_version: i64,
    pub computed_at: DateTime<Utc>,
    pub min_members: usize,
    /// The filters applied and where each came from.
    pub filters: ChosenFilters,
}
