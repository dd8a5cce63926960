use std::fmt;

use serde::{Deserialize, Serialize};

use super::{FilmKey, GenreSet, Offer, ParseError, Slug, TmdbRef};

/// Letterboxd lists films and TV (mini-series, specials) in one catalog.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
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

/// A film's Letterboxd page, displayed as its URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LetterboxdLink<'a> {
    /// `https://letterboxd.com/film/<slug>/`.
    Page(&'a Slug),
    /// `https://boxd.it/<id>`, the short link exports carry.
    Short(&'a str),
}

impl fmt::Display for LetterboxdLink<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LetterboxdLink::Page(slug) => write!(f, "https://letterboxd.com/film/{slug}/"),
            LetterboxdLink::Short(boxd) => write!(f, "https://boxd.it/{boxd}"),
        }
    }
}

/// Everything the service knows about one film. Only the key is certain; every other field can be
/// missing (a new film has no average, an obscure one no runtime, a film found on TMDB no slug).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Film {
    /// The id the film entered the catalog with; stable for its life.
    pub key: FilmKey,
    /// The catalog's own numeric id (`films.id`), once the film is stored.
    #[serde(default)]
    pub id: Option<u64>,
    /// The Letterboxd slug, when known: a film found on TMDB has none until Letterboxd names it.
    #[serde(default)]
    pub slug: Option<Slug>,
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
    #[serde(default)]
    pub tmdb: Option<TmdbRef>,
    pub imdb_id: Option<String>,
    /// TMDB's popularity score, when the film came from TMDB.
    #[serde(default)]
    pub tmdb_popularity: Option<f32>,
    /// TMDB's vote average (0-10) and count, kept to recalibrate the Letterboxd-scale figures.
    #[serde(default)]
    pub tmdb_vote_average: Option<f32>,
    #[serde(default)]
    pub tmdb_vote_count: Option<u32>,
    /// Where the film streams, when a source just read it or a response asked for a country;
    /// `None` in the served catalog, which keeps availability in the store.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability: Option<Vec<Offer>>,
}

impl Film {
    /// A film known only by its key and title, as a grid shows it. The ids the key holds are
    /// filled in.
    pub fn stub(key: FilmKey, title: impl Into<String>) -> Self {
        Self {
            id: None,
            slug: key.slug(),
            tmdb: key.tmdb_ref(),
            letterboxd_id: key.as_letterboxd_id(),
            key,
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
            boxd_id: None,
            imdb_id: None,
            tmdb_popularity: None,
            tmdb_vote_average: None,
            tmdb_vote_count: None,
            availability: None,
        }
    }

    /// The film's Letterboxd page: by slug, else the boxd.it short link exports carry.
    pub fn letterboxd_url(&self) -> Option<String> {
        self.letterboxd_link().map(|link| link.to_string())
    }

    /// [`Film::letterboxd_url`], written where it is displayed rather than into a string first.
    pub fn letterboxd_link(&self) -> Option<LetterboxdLink<'_>> {
        match (&self.slug, &self.boxd_id) {
            (Some(slug), _) => Some(LetterboxdLink::Page(slug)),
            (None, Some(boxd)) => Some(LetterboxdLink::Short(boxd)),
            (None, None) => None,
        }
    }

    /// Every key the film answers to: its own, then its slug, Letterboxd id and TMDB record.
    pub fn keys(&self) -> impl Iterator<Item = FilmKey> + '_ {
        std::iter::once(self.key.clone())
            .chain(self.slug.clone().map(FilmKey::from))
            .chain(self.letterboxd_id.map(FilmKey::letterboxd_id))
            .chain(self.tmdb.map(FilmKey::tmdb))
    }
}

/// A film as a member's grid or export mentions it: enough to queue it for the catalog crawl.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FilmRef {
    pub key: FilmKey,
    pub title: Option<String>,
    pub year: Option<u16>,
    pub letterboxd_id: Option<u64>,
}

impl FilmRef {
    pub fn new(key: FilmKey) -> Self {
        Self {
            key,
            title: None,
            year: None,
            letterboxd_id: None,
        }
    }
}
