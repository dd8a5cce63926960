use std::fmt;

use serde::{Deserialize, Serialize};

use super::{GenreSet, ParseError, Slug};

/// Letterboxd lists films and TV (mini-series, specials) in one catalog.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContentType {
    #[default]
    Movie,
    Tv,
}

impl ContentType {
    pub fn as_str(self) -> &'static str {
        match self {
            ContentType::Movie => "movie",
            ContentType::Tv => "tv",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "movie" | "film" => Ok(ContentType::Movie),
            "tv" | "tv show" | "show" | "series" => Ok(ContentType::Tv),
            _ => Err(ParseError::ContentType(raw.to_owned())),
        }
    }
}

impl fmt::Display for ContentType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything the service knows about one film. Only the slug is certain; every other field can be
/// missing on Letterboxd (a new film has no average, an obscure one no runtime).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Film {
    pub slug: Slug,
    pub title: String,
    pub year: Option<u16>,
    pub runtime_minutes: Option<u16>,
    pub genres: GenreSet,
    /// Countries of origin as Letterboxd names them, first one first ("USA", "UK", ...).
    pub countries: Vec<String>,
    /// ISO 639-1 code of the original language (`en`, `ja`), when known.
    pub language: Option<String>,
    pub content_type: ContentType,
    /// Mean community rating, 0.5..=5.0.
    pub lb_average: Option<f32>,
    pub lb_rating_count: Option<u32>,
    pub poster_url: Option<String>,
    /// Letterboxd's numeric id: optional since grids stopped carrying it (April 2026).
    pub letterboxd_id: Option<u64>,
    /// The boxd.it short id (`gJsA` from `https://boxd.it/gJsA`), what exports link to.
    pub boxd_id: Option<String>,
    pub tmdb_id: Option<u64>,
    pub imdb_id: Option<String>,
}

impl Film {
    /// A film known only by its slug and title, as a grid shows it.
    pub fn stub(slug: Slug, title: impl Into<String>) -> Self {
        Self {
            slug,
            title: title.into(),
            year: None,
            runtime_minutes: None,
            genres: GenreSet::EMPTY,
            countries: Vec::new(),
            language: None,
            content_type: ContentType::Movie,
            lb_average: None,
            lb_rating_count: None,
            poster_url: None,
            letterboxd_id: None,
            boxd_id: None,
            tmdb_id: None,
            imdb_id: None,
        }
    }
}

/// A film as a member's grid or export mentions it: enough to queue it for the catalog crawl.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FilmRef {
    pub slug: Slug,
    pub title: Option<String>,
    pub year: Option<u16>,
    pub letterboxd_id: Option<u64>,
}

impl FilmRef {
    pub fn new(slug: Slug) -> Self {
        Self {
            slug,
            title: None,
            year: None,
            letterboxd_id: None,
        }
    }
}
