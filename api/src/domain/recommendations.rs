//! Recommendations: what a request asks for and what it gets back.

use chrono::{DateTime, Utc};
use model::Film;
use model::recommend::Limit;

use super::filter_choice::ChosenFilters;

use super::member::MemberRef;
use super::model_choice::ModelChoice;
use super::profile::ResolvedProfile;

/// A recommendations request in domain terms.
#[derive(Debug, Clone, PartialEq)]
pub struct RecommendationsQuery {
    pub members: Vec<MemberRef>,
    pub model: ModelChoice,
    pub filters: ChosenFilters,
    pub limit: Limit,
}

#[derive(Debug, Clone)]
pub struct RecommendedFilm {
    pub film: Film,
    pub predicted_rating: f32,
    /// For several members, each member's prediction in request order; empty for one.
    pub member_predictions: Vec<f32>,
}

#[derive(Debug, Clone)]
pub struct Recommendations {
    pub members: Vec<ResolvedProfile>,
    pub model: ModelChoice,
    pub catalog_version: i64,
    pub computed_at: DateTime<Utc>,
    pub items: Vec<RecommendedFilm>,
    /// The filters applied and where each came from.
    pub filters: ChosenFilters,
}
