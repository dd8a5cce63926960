//! `GET /statistics`: the query and the response.

use chrono::{DateTime, Utc};
use model::stats::{
    Era, GroupMeans, HalfStarDistribution, Labelled, Obscurity, Percentiles, RatingStyle, Spread,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::members::MemberView;
use super::top_films::TopFilmsView;
use crate::domain::Statistics;

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatisticsParams {
    /// A Letterboxd username (a pasted profile URL works) or the id of an uploaded export.
    #[param(example = "schaffrillas")]
    pub member: String,
}

/// Count, mean and sample standard deviation (null with fewer than two values).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SpreadView {
    pub count: u32,
    pub mean: f64,
    pub std_dev: Option<f64>,
}

impl From<Spread> for SpreadView {
    fn from(s: Spread) -> Self {
        Self {
            count: s.count,
            mean: s.mean,
            std_dev: s.std_dev,
        }
    }
}

/// Percent (0-100) of the other members with statistics whose mean is strictly below this
/// member's; null when there is nobody to compare with.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PercentilesView {
    /// Other members compared against.
    pub compared_with: u32,
    pub mean_rating: Option<f64>,
    pub letterboxd_average: Option<f64>,
    pub differential: Option<f64>,
    pub rating_count: Option<f64>,
}

impl From<Percentiles> for PercentilesView {
    fn from(p: Percentiles) -> Self {
        Self {
            compared_with: p.compared_with,
            mean_rating: p.mean_rating,
            letterboxd_average: p.letterboxd_average,
            differential: p.differential,
            rating_count: p.rating_count,
        }
    }
}

/// From the differential percentile: > 80 fanatic, > 60 enthusiast, > 40 fair, > 20 critic,
/// else hater.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum RatingStyleView {
    Fanatic,
    Enthusiast,
    Fair,
    Critic,
    Hater,
}

/// From the rating-count percentile: > 80 mainstream, > 60 popular, > 40 average, > 25 niche,
/// > 10 cult, else obscure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ObscurityView {
    Mainstream,
    Popular,
    Average,
    Niche,
    Cult,
    Obscure,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RatingStyleLabel {
    pub label: RatingStyleView,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ObscurityLabel {
    pub label: ObscurityView,
    pub description: String,
}

impl From<Labelled<RatingStyle>> for RatingStyleLabel {
    fn from(l: Labelled<RatingStyle>) -> Self {
        Self {
            label: match l.label {
                RatingStyle::Fanatic => RatingStyleView::Fanatic,
                RatingStyle::Enthusiast => RatingStyleView::Enthusiast,
                RatingStyle::Fair => RatingStyleView::Fair,
                RatingStyle::Critic => RatingStyleView::Critic,
                RatingStyle::Hater => RatingStyleView::Hater,
            },
            description: l.description,
        }
    }
}

impl From<Labelled<Obscurity>> for ObscurityLabel {
    fn from(l: Labelled<Obscurity>) -> Self {
        Self {
            label: match l.label {
                Obscurity::Mainstream => ObscurityView::Mainstream,
                Obscurity::Popular => ObscurityView::Popular,
                Obscurity::Average => ObscurityView::Average,
                Obscurity::Niche => ObscurityView::Niche,
                Obscurity::Cult => ObscurityView::Cult,
                Obscurity::Obscure => ObscurityView::Obscure,
            },
            description: l.description,
        }
    }
}

/// Silent < 1925 <= sound < 1965 <= colour < 2000 <= modern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum EraView {
    Silent,
    Sound,
    Colour,
    Modern,
}

/// The member's mean rating and mean differential over a group's films; null where the member
/// rated no film of the group (or none with a Letterboxd average).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct GenreStatsView {
    #[schema(example = "Drama")]
    pub genre: String,
    pub films: u32,
    pub mean_rating: Option<f64>,
    pub mean_differential: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct EraStatsView {
    pub era: EraView,
    pub films: u32,
    pub mean_rating: Option<f64>,
    pub mean_differential: Option<f64>,
}

/// Counts over the ten half-star values (0.5 first, 5.0 last) and the same as a density summing
/// to 1 (empty with no ratings).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct HalfStarDistributionView {
    pub counts: Vec<u64>,
    pub total: u64,
    pub density: Vec<f64>,
}

impl From<HalfStarDistribution> for HalfStarDistributionView {
    fn from(d: HalfStarDistribution) -> Self {
        Self {
            counts: d.counts.to_vec(),
            total: d.total,
            density: d.density,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DistributionsView {
    /// Over all the member's ratings.
    pub member: HalfStarDistributionView,
    /// The community's ratings of the same films.
    pub community: HalfStarDistributionView,
    /// How many of the member's films the community distribution covers.
    pub community_films: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct StatisticsResponse {
    pub member: MemberView,
    pub ratings: u32,
    /// How many of the rated films the catalog knows.
    pub films_in_catalog: u32,
    /// The member's own ratings, in stars.
    pub member_rating: SpreadView,
    /// The Letterboxd averages of the films the member rated.
    pub letterboxd_average: Option<SpreadView>,
    /// Member rating minus Letterboxd average, per film.
    pub differential: Option<SpreadView>,
    /// Letterboxd rating counts of the films the member rated.
    pub rating_count: Option<SpreadView>,
    pub percentiles: PercentilesView,
    /// Null with nobody to compare with.
    pub rating_style: Option<RatingStyleLabel>,
    /// Null with nobody to compare with.
    pub obscurity: Option<ObscurityLabel>,
    /// All 19 Letterboxd genres.
    pub genres: Vec<GenreStatsView>,
    /// The four eras, oldest first.
    pub eras: Vec<EraStatsView>,
    pub distribution: DistributionsView,
    /// The member's top and bottom rated films, with film cards.
    pub rated_films: TopFilmsView,
    /// What the dated watches say (an uploaded export's `diary.csv`, or a scraped member's diary
    /// pages); null, not zeros, for a profile without dates.
    pub diary: Option<super::diary::DiaryStatsView>,
    pub catalog_version: i64,
    pub computed_at: DateTime<Utc>,
}

fn means(m: GroupMeans) -> (u32, Option<f64>, Option<f64>) {
    (m.films, m.mean_rating, m.mean_differential)
}

impl From<Statistics> for StatisticsResponse {
    fn from(s: Statistics) -> Self {
        let stats = s.statistics;
        Self {
            rated_films: TopFilmsView::from(&s.rated_films),
            diary: s.diary.as_ref().map(Into::into),
            member: MemberView::from(&s.member),
            ratings: stats.ratings,
            films_in_catalog: stats.films_in_catalog,
            member_rating: stats.member_rating.into(),
            letterboxd_average: stats.letterboxd_average.map(Into::into),
            differential: stats.differential.map(Into::into),
            rating_count: stats.rating_count.map(Into::into),
            percentiles: stats.percentiles.into(),
            rating_style: stats.rating_style.map(Into::into),
            obscurity: stats.obscurity.map(Into::into),
            genres: stats
                .genres
                .iter()
                .map(|g| {
                    let (films, mean_rating, mean_differential) = means(g.means);
                    GenreStatsView {
                        genre: g.genre.name().to_owned(),
                        films,
                        mean_rating,
                        mean_differential,
                    }
                })
                .collect(),
            eras: stats
                .eras
                .iter()
                .map(|e| {
                    let (films, mean_rating, mean_differential) = means(e.means);
                    EraStatsView {
                        era: match e.era {
                            Era::Silent => EraView::Silent,
                            Era::Sound => EraView::Sound,
                            Era::Colour => EraView::Colour,
                            Era::Modern => EraView::Modern,
                        },
                        films,
                        mean_rating,
                        mean_differential,
                    }
                })
                .collect(),
            distribution: DistributionsView {
                member: stats.distribution.member.into(),
                community: stats.distribution.community.into(),
                community_films: stats.distribution.community_films,
            },
            catalog_version: s.catalog_version,
            computed_at: s.computed_at,
        }
    }
}
