//! `POST /compatibility`: the request body and the response.

use chrono::{DateTime, Utc};
use model::compatibility::{GroupMean, NoRatingScore, RatingAgreement};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::film::FilmView;
use super::members::MemberView;
use crate::domain::{
    ComparedMember, Compatibility, CompatibilityPair, CompatibilityQuery, CrossList, PairFilm,
    RequestError,
};

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompatibilityRequest {
    /// 2 to 8 Letterboxd usernames (a pasted profile URL works) or ids of uploaded exports,
    /// mixed freely; every pair of them is compared. A member named twice is compared with
    /// themself (100 on every score).
    #[schema(example = json!(["schaffrillas", "davidehrlich"]), min_items = 2, max_items = 8)]
    pub members: Vec<String>,
}

impl TryFrom<CompatibilityRequest> for CompatibilityQuery {
    type Error = RequestError;

    fn try_from(request: CompatibilityRequest) -> Result<Self, Self::Error> {
        CompatibilityQuery::parse(&request.members)
    }
}

/// A member's mean rating over one group of films (a genre, a decade).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct GenreMeanView {
    #[schema(example = "Drama")]
    pub genre: String,
    /// Rated films of the genre.
    pub films: u32,
    /// Null when the member rated no film of the genre.
    pub mean_rating: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DecadeMeanView {
    /// The decade's first year: 1990 for the 1990s.
    #[schema(example = 1990)]
    pub decade: u16,
    pub films: u32,
    pub mean_rating: f64,
}

/// One compared member, with what the charts draw.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ComparedMemberView {
    #[serde(flatten)]
    pub member: MemberView,
    /// Mean rating per genre, all 19 genres: the radar chart.
    pub genres: Vec<GenreMeanView>,
    /// Mean rating per decade the member rated, oldest first: the line chart.
    pub decades: Vec<DecadeMeanView>,
}

/// Why a pair has no rating score: `no_shared_films` (no film rated by both) or `no_variance`
/// (one of them gave every shared film the same rating, so no correlation exists).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NoRatingScoreView {
    NoSharedFilms,
    NoVariance,
}

/// Agreement on the films both members rated: Pearson's correlation `r` of their ratings of
/// those films, shrunk toward 50 ("unrelated") by the confidence `n / (n + 20)` for `n` shared
/// films: `score = 50 + 50 × r × confidence`. Three films in common give a confidence of 0.13,
/// so even perfect agreement on them scores under 57.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RatingScoreView {
    /// 0-100; null when there is nothing to correlate, with the reason in `reason`.
    pub score: Option<f64>,
    /// Films both rated.
    pub shared_films: u32,
    /// Pearson's r (-1 to 1) before shrinking; null with `score`.
    pub correlation: Option<f64>,
    /// 0 to 1: how much of the correlation the score keeps.
    pub confidence: f64,
    pub reason: Option<NoRatingScoreView>,
}

/// The pair's scores, each 0-100 (100: the same taste; a member with themself scores 100 on
/// every score).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CompatibilityScoresView {
    /// Taste over film features. Each member's ratings (centered on their mean) are fitted by a
    /// ridge regression (penalty 5) on 25 standardized features of the films they rated (year,
    /// runtime, made outside the USA, Letterboxd average, log of the Letterboxd rating count,
    /// the 19 genre flags, movie or TV); the score is `50 × (1 + cos)` of the angle between the
    /// two members' coefficient vectors. 100: the same features raise and lower both members'
    /// ratings in the same proportions; 50: unrelated tastes (or a member whose ratings are all
    /// equal); 0: what one likes the other dislikes.
    pub film: f64,
    /// Overlap (intersection over union of the areas) of the two members' radar polygons of
    /// mean rating per genre, over the genres both rated; with fewer than three such genres,
    /// `Σ min / Σ max` of the means. Null when no genre is rated by both.
    pub genre: Option<f64>,
    /// `100 × (1 - L1 / (4.5 × decades))`: one minus the mean gap between the two members' mean
    /// ratings per decade, over the decades both rated, as a share of the widest gap (4.5
    /// stars). Null when no decade is rated by both.
    pub era: Option<f64>,
    pub ratings: RatingScoreView,
}

/// A film both members rated, with both ratings in the pair's member order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PairFilmView {
    #[serde(flatten)]
    pub film: FilmView,
    /// Stars, in the order of the pair's `members`.
    pub ratings: Vec<f32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CrossFilmView {
    #[serde(flatten)]
    pub film: FilmView,
    /// The recommending member's rating, in stars (4.5 or 5).
    pub rating: f32,
    /// The other member's predicted rating, in stars, by the default model.
    pub predicted_rating: f32,
}

/// Films `from` rated 4.5 or more that `member` has not seen, best predicted for `member`
/// first, at most 12.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CrossRecommendationsView {
    /// Who the films are for.
    pub member: String,
    /// Whose favourites they are.
    pub from: String,
    pub films: Vec<CrossFilmView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CompatibilityPairView {
    /// The two members, in request order.
    pub members: Vec<String>,
    pub scores: CompatibilityScoresView,
    /// Films both rated 4.5 or more, highest mean first, at most 12.
    pub shared_favourites: Vec<PairFilmView>,
    /// Films whose ratings are 2 stars or more apart, largest gap first, at most 12.
    pub polarizing: Vec<PairFilmView>,
    /// Both directions: the second member's picks from the first's favourites, then the first's
    /// from the second's.
    pub cross_recommendations: Vec<CrossRecommendationsView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CompatibilityResponse {
    /// The members, in request order.
    pub members: Vec<ComparedMemberView>,
    /// Every pair, in request order: (1st, 2nd), (1st, 3rd), ..., (2nd, 3rd), ...; 28 for 8
    /// members.
    pub pairs: Vec<CompatibilityPairView>,
    pub catalog_version: i64,
    pub computed_at: DateTime<Utc>,
}

/// Scores are shown to a tenth of a point.
fn tenth(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn thousandth(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

impl From<RatingAgreement> for RatingScoreView {
    fn from(r: RatingAgreement) -> Self {
        Self {
            score: r.score.map(tenth),
            shared_films: r.shared_films,
            correlation: r.correlation.map(thousandth),
            confidence: thousandth(r.confidence),
            reason: r.reason.map(|reason| match reason {
                NoRatingScore::NoSharedFilms => NoRatingScoreView::NoSharedFilms,
                NoRatingScore::NoVariance => NoRatingScoreView::NoVariance,
            }),
        }
    }
}

fn mean(m: GroupMean) -> f64 {
    thousandth(m.mean_rating)
}

impl From<&ComparedMember> for ComparedMemberView {
    fn from(m: &ComparedMember) -> Self {
        Self {
            member: MemberView::from(&m.profile),
            genres: m
                .genres
                .iter()
                .map(|(genre, means)| GenreMeanView {
                    genre: genre.name().to_owned(),
                    films: means.map_or(0, |m| m.films),
                    mean_rating: means.map(mean),
                })
                .collect(),
            decades: m
                .decades
                .iter()
                .map(|&(decade, means)| DecadeMeanView {
                    decade,
                    films: means.films,
                    mean_rating: mean(means),
                })
                .collect(),
        }
    }
}

fn pair_films(films: &[PairFilm]) -> Vec<PairFilmView> {
    films
        .iter()
        .map(|f| PairFilmView {
            film: FilmView::from(&f.film),
            ratings: f.ratings.to_vec(),
        })
        .collect()
}

fn cross(list: &CrossList, names: &[String]) -> CrossRecommendationsView {
    CrossRecommendationsView {
        member: names[list.to].clone(),
        from: names[list.from].clone(),
        films: list
            .films
            .iter()
            .map(|(film, pick)| CrossFilmView {
                film: FilmView::from(film),
                rating: pick.rating,
                predicted_rating: pick.predicted_rating,
            })
            .collect(),
    }
}

fn pair(p: &CompatibilityPair, names: &[String]) -> CompatibilityPairView {
    CompatibilityPairView {
        members: p.members.iter().map(|&i| names[i].clone()).collect(),
        scores: CompatibilityScoresView {
            film: tenth(p.scores.film),
            genre: p.scores.genre.map(tenth),
            era: p.scores.era.map(tenth),
            ratings: p.scores.ratings.into(),
        },
        shared_favourites: pair_films(&p.shared_favourites),
        polarizing: pair_films(&p.polarizing),
        cross_recommendations: p
            .cross_recommendations
            .iter()
            .map(|list| cross(list, names))
            .collect(),
    }
}

impl From<Compatibility> for CompatibilityResponse {
    fn from(c: Compatibility) -> Self {
        let names: Vec<String> = c.members.iter().map(|m| m.profile.name()).collect();
        Self {
            members: c.members.iter().map(ComparedMemberView::from).collect(),
            pairs: c.pairs.iter().map(|p| pair(p, &names)).collect(),
            catalog_version: c.catalog_version,
            computed_at: c.computed_at,
        }
    }
}
