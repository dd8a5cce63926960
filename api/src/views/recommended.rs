//! `POST /recommendations`: the response.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::film::FilmView;
use super::members::MemberView;
use super::recommendations::RankByView;
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
    /// The model that predicted the ratings.
    pub model: ModelChoice,
    /// What ordered the list: `match`, or `predicted_rating` when asked for or when no general
    /// model is loaded.
    pub rank_by: RankByView,
    /// The catalog version the films were drawn from.
    pub catalog_version: i64,
    pub computed_at: DateTime<Utc>,
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
            rank_by: recs.rank_by.into(),
            catalog_version: recs.catalog_version,
            computed_at: recs.computed_at,
        }
    }
}
