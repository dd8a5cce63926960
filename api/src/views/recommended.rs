//! `POST /recommendations`: the response.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::film::FilmView;
use super::filters::AppliedFiltersView;
use super::members::MemberView;
use crate::domain::{ModelChoice, Recommendations};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MemberPrediction {
    pub member: String,
    /// Stars, 0.5 to 5.0.
    pub predicted_rating: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RecommendationItem {
    #[serde(flatten)]
    pub film: FilmView,
    /// Stars, 0.5 to 5.0; for several members, the mean of their predictions.
    #[schema(example = 4.25)]
    pub predicted_rating: f32,
    /// Each member's prediction, in request order, when the request named several members;
    /// empty for one member.
    pub member_predictions: Vec<MemberPrediction>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RecommendationsResponse {
    /// Best first.
    pub items: Vec<RecommendationItem>,
    pub members: Vec<MemberView>,
    /// The model that ranked the films.
    pub model: ModelChoice,
    /// The catalog version the films were drawn from.
    pub catalog_version: i64,
    pub computed_at: DateTime<Utc>,
    /// The filters applied, where each came from, and what the description left unread.
    pub applied_filters: AppliedFiltersView,
}

impl From<Recommendations> for RecommendationsResponse {
    fn from(recs: Recommendations) -> Self {
        let names: Vec<String> = recs.members.iter().map(|m| m.name()).collect();
        Self {
            items: recs
                .items
                .iter()
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
                })
                .collect(),
            members: recs.members.iter().map(MemberView::from).collect(),
            model: recs.model,
            catalog_version: recs.catalog_version,
            computed_at: recs.computed_at,
            applied_filters: AppliedFiltersView::from(&recs.filters),
        }
    }
}
