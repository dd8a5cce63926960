//! `POST /recommendations`: the response.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::film::FilmView;
use super::filters::AppliedFiltersView;
use super::members::MemberView;
use super::reasons::{ReasonContext, ReasonView, ReasonsView};
use super::recommendations::RankByView;
use crate::domain::{ModelChoice, Recommendations};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MemberPrediction {
    pub member: String,
    /// Stars, 0.5 to 5.0.
    pub predicted_rating: f32,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecommendationItem {
    #[serde(flatten)]
    pub film: FilmView,
    /// Stars, 0.5 to 5.0; for several members, the mean of their predictions.
    #[schema(example = 4.25)]
    pub predicted_rating: f32,
    /// Each member's prediction, in request order, when the request named several members;
    /// empty for one member.
    pub member_predictions: Vec<MemberPrediction>,
    /// Per member, up to three of their rated films that moved this prediction most (`kind:
    /// film`, the largest effect first), then the film's features that raised it, in words
    /// (`kind: features`). Empty with `explain: false`, or when the model cannot say (only the
    /// `default` model can).
    #[schema(value_type = Vec<ReasonView>)]
    pub reasons: ReasonsView,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecommendationsResponse {
    /// Best first.
    pub items: Vec<RecommendationItem>,
    pub members: Vec<MemberView>,
    /// The model that predicted the ratings.
    pub model: ModelChoice,
    /// What ordered the list: `match`, or `predicted_rating` when asked for or when no general
    /// model is loaded.
    pub rank_by: RankByView,
    /// The catalog version the films were drawn from.
    pub catalog_version: i64,
    pub computed_at: DateTime<Utc>,
    /// The filters applied, where each came from, and what the description left unread.
    pub applied_filters: AppliedFiltersView,
}

impl From<Recommendations> for RecommendationsResponse {
    fn from(recs: Recommendations) -> Self {
        let reasons = ReasonContext::new(
            recs.members.iter().map(|m| m.name()).collect(),
            recs.reason_films,
        );
        let names = reasons.names();
        Self {
            items: recs
                .items
                .into_iter()
                .map(|item| RecommendationItem {
                    film: FilmView::from(&item.film),
                    predicted_rating: item.predicted_rating,
                    member_predictions: names
                        .iter()
                        .zip(&item.member_predictions)
                        .map(|(member, &predicted_rating)| MemberPrediction {
                            member: member.clone(),
                            predicted_rating,
                        })
                        .collect(),
                    reasons: ReasonsView::new(item.reasons, &reasons),
                })
                .collect(),
            members: recs.members.iter().map(MemberView::from).collect(),
            model: recs.model,
            rank_by: recs.rank_by.into(),
            catalog_version: recs.catalog_version,
            computed_at: recs.computed_at,
            applied_filters: AppliedFiltersView::from(&recs.filters),
        }
    }
}
