//! `POST /recommendations`: the response.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::film::FilmView;
use super::filters::AppliedFiltersView;
use super::members::MemberView;
use super::recommendations::RankByView;
use crate::domain::{Cause, ModelChoice, Reason, Recommendations};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MemberPrediction {
    pub member: String,
    /// Stars, 0.5 to 5.0.
    pub predicted_rating: f32,
}

/// Why a member's prediction is what it is, by `kind`: `film`, a film they rated; `features`,
/// features of the film itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReasonView {
    Film(FilmReasonView),
    Features(FeatureReasonView),
}

/// Features of the film that raised the prediction: the default model's residual forest fits
/// what the member's ratings say beyond the community's view, and each of its splits on the way
/// to this film's prediction is credited to its feature; the ones that raised it most, in words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FeatureReasonView {
    /// Whose prediction it raised.
    pub member: String,
    /// Up to three features, in words.
    #[schema(example = "highly rated French dramas from the 1970s")]
    pub text: String,
    /// Stars the prediction owes to these features (always positive).
    pub effect: f32,
}

/// A film a member rated that moved the prediction: the default model corrects the general
/// model's prediction of a film by the member's ratings of the films the community rates most
/// like it, so these are exactly the ratings it used, not a guess after the fact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FilmReasonView {
    /// Whose rating it is.
    pub member: String,
    /// The rated film's key, title, year and Letterboxd page.
    #[schema(example = "the-thing")]
    pub key: String,
    pub title: String,
    pub year: Option<u16>,
    pub url: Option<String>,
    /// The member's rating of it, in stars.
    pub rating: Option<f32>,
    /// How alike the community rates the two films (0 to 1).
    pub similarity: f32,
    /// Stars the prediction owes to this rating: the prediction's neighbour correction with
    /// this rating minus without it. Positive: it raised the prediction.
    pub effect: f32,
}

impl ReasonView {
    pub(super) fn of(reason: &Reason, names: &[String]) -> Self {
        let member = names.get(reason.member).cloned().unwrap_or_default();
        match &reason.cause {
            Cause::Film {
                film,
                rating,
                similarity,
            } => {
                let film = film.film();
                ReasonView::Film(FilmReasonView {
                    member,
                    key: film.key.to_string(),
                    title: film.title.clone(),
                    year: film.year,
                    url: film.letterboxd_url(),
                    rating: Some(*rating),
                    similarity: *similarity,
                    effect: reason.effect,
                })
            }
            Cause::Features { text } => ReasonView::Features(FeatureReasonView {
                member,
                text: text.clone(),
                effect: reason.effect,
            }),
        }
    }
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
    /// Per member, up to three of their rated films that moved this prediction most (`kind:
    /// film`, the largest effect first), then the film's features that raised it, in words
    /// (`kind: features`). Empty with `explain: false`, or when the model cannot say (only the
    /// `default` model can).
    pub reasons: Vec<ReasonView>,
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
                    reasons: item
                        .reasons
                        .iter()
                        .map(|r| ReasonView::of(r, &names))
                        .collect(),
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
