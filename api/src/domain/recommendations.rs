//! Recommendations: what a request asks for and what it gets back.

use chrono::{DateTime, Utc};
use model::Film;
use model::recommend::Limit;

use super::filter_choice::{ChosenFilters, FilterRequest};

use super::member::MemberRef;
use super::model_choice::ModelChoice;
use super::profile::ResolvedProfile;
use super::reasons::{MemberReasons, ReasonFilms};

/// A recommendations request in domain terms.
#[derive(Debug, Clone, PartialEq)]
pub struct RecommendationsQuery {
    pub members: Vec<MemberRef>,
    pub model: ModelChoice,
    /// The filters, the country whose offers the cards show and the services to keep films on,
    /// and the description.
    pub filters: FilterRequest,
    pub limit: Limit,
    pub rank_by: RankBy,
    /// Give each film the reasons the model had (`explain=false` turns them off).
    pub explain: bool,
}

/// What orders a list. The stars shown are the predicted rating either way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RankBy {
    /// The match ranking: the chance the member watches a film (co-watching with their films,
    /// popularity) with the rating they would give it.
    #[default]
    Match,
    /// The predicted rating alone (the original site's order).
    PredictedRating,
}

#[derive(Debug, Clone)]
pub struct RecommendedFilm {
    pub film: Film,
    pub predicted_rating: f32,
    /// For several members, each member's prediction in request order; empty for one.
    pub member_predictions: Vec<f32>,
    /// Per member, up to three rated films and one phrase of features, when asked for and the
    /// model can say.
    pub reasons: Vec<MemberReasons>,
}

#[derive(Debug, Clone)]
pub struct Recommendations {
    pub members: Vec<ResolvedProfile>,
    pub model: ModelChoice,
    /// The order used: `Match` falls back to `PredictedRating` without a general model.
    pub rank_by: RankBy,
    pub catalog_version: i64,
    pub computed_at: DateTime<Utc>,
    pub items: Vec<RecommendedFilm>,
    /// The films the items' reasons name.
    pub reason_films: ReasonFilms,
    /// The filters applied and where each came from.
    pub filters: ChosenFilters,
}
