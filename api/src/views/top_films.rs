//! `GET /statistics`: a member's top and bottom rated films.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::film::FilmView;
use crate::domain::{RatedFilmCard, TopFilms};

/// One of the member's rated films with the community's view of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RatedFilmView {
    #[serde(flatten)]
    pub film: FilmView,
    /// The member's rating, in stars.
    pub rating: f32,
    /// The community's average of the film: Letterboxd's, else the one of the ratings this
    /// service holds; null when neither is known.
    pub community_average: Option<f64>,
    /// `rating - community_average`; null with it.
    pub difference: Option<f64>,
}

/// Averages come from `f32` film data: three decimals keep `4.4` from reading `4.400000095`.
fn thousandth(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

impl From<&RatedFilmCard> for RatedFilmView {
    fn from(card: &RatedFilmCard) -> Self {
        Self {
            film: FilmView::from(&card.film),
            rating: card.rating,
            community_average: card.community_average.map(thousandth),
            difference: card.difference.map(thousandth),
        }
    }
}

/// The member's top and bottom rated films, at most 10 each, among the films the catalog knows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TopFilmsView {
    /// Highest rating first; among equal ratings, furthest above the community average first.
    pub top: Vec<RatedFilmView>,
    /// Lowest rating first; among equal ratings, furthest below the community average first.
    pub bottom: Vec<RatedFilmView>,
}

impl From<&TopFilms> for TopFilmsView {
    fn from(films: &TopFilms) -> Self {
        Self {
            top: films.top.iter().map(RatedFilmView::from).collect(),
            bottom: films.bottom.iter().map(RatedFilmView::from).collect(),
        }
    }
}
