//! A member's top and bottom rated films, as statistics shows them.

use model::Film;

#[derive(Debug, Clone)]
pub struct RatedFilmCard {
    pub film: Film,
    /// The member's rating, in stars.
    pub rating: f32,
    /// The community's average of the film: Letterboxd's, else the service's members'.
    pub community_average: Option<f64>,
    /// `rating - community_average`.
    pub difference: Option<f64>,
}

#[derive(Debug, Clone, Default)]
pub struct TopFilms {
    pub top: Vec<RatedFilmCard>,
    pub bottom: Vec<RatedFilmCard>,
}
