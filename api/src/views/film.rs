//! A film as responses show it.

use model::Film;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FilmView {
    /// Letterboxd's slug, e.g. `the-godfather`.
    #[schema(example = "the-godfather")]
    pub slug: String,
    /// The film's page on letterboxd.com.
    #[schema(example = "https://letterboxd.com/film/the-godfather/")]
    pub url: String,
    pub title: String,
    pub year: Option<u16>,
    /// Poster image URL, when known.
    pub poster: Option<String>,
}

impl From<&Film> for FilmView {
    fn from(film: &Film) -> Self {
        Self {
            slug: film.slug.to_string(),
            url: film.slug.url(),
            title: film.title.clone(),
            year: film.year,
            poster: film.poster_url.clone(),
        }
    }
}
