//! Predictions for chosen films: how a film is named in a request, what a request asks for and
//! what it gets back.

use chrono::{DateTime, Utc};
use model::{ContentType, Film, FilmKey, TmdbRef};

use super::member::{MemberRef, UploadId};
use super::model_choice::ModelChoice;
use super::profile::ResolvedProfile;
use super::reasons::{MemberReasons, ReasonFilms};

/// The most films one request may score.
pub const MAX_FILMS: usize = 500;

/// How a request names a film. Every form but `Boxd` is a [`FilmKey`] the catalog answers to
/// directly.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FilmReference {
    /// A slug, a Letterboxd film URL, `film:<letterboxd id>`, `tmdb:<movie|tv>:<id>`, `tmdb:<id>`
    /// (a movie) or a themoviedb.org movie or TV URL.
    Key(FilmKey),
    /// A boxd.it short link's id (`https://boxd.it/2aHi`): case matters.
    Boxd(String),
}

impl FilmReference {
    /// `None` when `raw` is none of the forms.
    pub fn parse(raw: &str) -> Option<Self> {
        let trimmed = raw.trim();
        let lower = trimmed.to_ascii_lowercase();
        let without_scheme = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"))
            .unwrap_or(&lower);
        if let Some(rest) = without_scheme.strip_prefix("boxd.it/") {
            // The id keeps its case: lowercasing keeps byte lengths, so `rest` ends `trimmed`.
            let id = trimmed[trimmed.len() - rest.len()..].trim_end_matches('/');
            let valid =
                !id.is_empty() && id.len() <= 16 && id.bytes().all(|b| b.is_ascii_alphanumeric());
            let id = id.to_owned();
            return valid.then_some(FilmReference::Boxd(id));
        }
        let tmdb_site = without_scheme
            .strip_prefix("www.themoviedb.org/")
            .or_else(|| without_scheme.strip_prefix("themoviedb.org/"));
        if let Some(path) = tmdb_site {
            let (kind, rest) = path.split_once('/')?;
            let kind = match kind {
                "movie" => ContentType::Movie,
                "tv" => ContentType::Tv,
                _ => return None,
            };
            // `603-the-matrix`: the id, then a readable tail.
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            return tmdb(kind, &digits);
        }
        if let Some(id) = lower.strip_prefix("tmdb:")
            && !id.contains(':')
        {
            return tmdb(ContentType::Movie, id);
        }
        FilmKey::parse(trimmed).ok().map(FilmReference::Key)
    }

    /// `{"tmdb": 603}`: a TMDB movie id.
    pub fn tmdb_movie(id: u64) -> Self {
        FilmReference::Key(FilmKey::tmdb(TmdbRef {
            kind: ContentType::Movie,
            id,
        }))
    }
}

fn tmdb(kind: ContentType, digits: &str) -> Option<FilmReference> {
    let ok = !digits.is_empty() && digits.len() <= 19 && digits.bytes().all(|b| b.is_ascii_digit());
    let id = digits.parse().ok().filter(|_| ok)?;
    Some(FilmReference::Key(FilmKey::tmdb(TmdbRef { kind, id })))
}

/// A film as the request named it (echoed back) and what that parsed into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestedFilm {
    pub reference: String,
    pub film: FilmReference,
}

/// One of an uploaded export's lists (`lists/*.csv`), by its name (any case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListChoice {
    pub upload: UploadId,
    /// Trimmed, never empty.
    pub name: String,
}

impl ListChoice {
    /// Whether a list called `name` is this one: names compare trimmed and in any case.
    pub fn names(&self, name: &str) -> bool {
        name.trim().to_lowercase() == self.name.to_lowercase()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PredictionsQuery {
    pub members: Vec<MemberRef>,
    /// Up to [`MAX_FILMS`], in request order; at least one unless a list is named.
    pub films: Vec<RequestedFilm>,
    /// A list whose films follow `films`; with them, [`MAX_FILMS`] at most.
    pub list: Option<ListChoice>,
    pub model: ModelChoice,
    /// Give each film the reasons the model had (`explain=false` turns them off).
    pub explain: bool,
}

/// One member's view of one film.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MemberFilmPrediction {
    pub predicted_rating: f32,
    /// The member's own rating, when they rated the film.
    pub rating: Option<f32>,
}

#[derive(Debug, Clone)]
pub struct FilmPrediction {
    /// As the request named the film (the first such reference when named twice).
    pub reference: String,
    pub film: Film,
    /// Each member's, in request order.
    pub members: Vec<MemberFilmPrediction>,
    /// The mean of the members' predictions.
    pub predicted_rating: f32,
    /// Up to three per member, when asked for and the model can say.
    pub reasons: Vec<MemberReasons>,
}

#[derive(Debug, Clone)]
pub struct Predictions {
    pub members: Vec<ResolvedProfile>,
    /// Highest mean prediction first.
    pub items: Vec<FilmPrediction>,
    /// References of films the catalog does not know, in request order.
    pub unknown: Vec<String>,
    /// The films the items' reasons name.
    pub reason_films: ReasonFilms,
    pub model: ModelChoice,
    pub catalog_version: i64,
    pub computed_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(raw: &str) -> FilmReference {
        FilmReference::Key(FilmKey::parse(raw).unwrap())
    }

    #[test]
    fn every_form_of_film_reference() {
        for (raw, want) in [
            ("the-godfather", key("the-godfather")),
            (
                "https://letterboxd.com/film/the-godfather/",
                key("the-godfather"),
            ),
            (
                "https://letterboxd.com/dave/film/the-godfather/",
                key("the-godfather"),
            ),
            ("film:51818", key("film:51818")),
            ("tmdb:movie:238", key("tmdb:movie:238")),
            ("tmdb:tv:1396", key("tmdb:tv:1396")),
            ("tmdb:238", key("tmdb:movie:238")),
            (
                "https://www.themoviedb.org/movie/238-the-godfather",
                key("tmdb:movie:238"),
            ),
            ("https://www.themoviedb.org/tv/1396", key("tmdb:tv:1396")),
            ("https://boxd.it/2aHi", FilmReference::Boxd("2aHi".into())),
            ("boxd.it/2aHi/", FilmReference::Boxd("2aHi".into())),
            ("1917", key("1917")),
        ] {
            assert_eq!(FilmReference::parse(raw), Some(want), "{raw}");
        }
        assert_eq!(FilmReference::tmdb_movie(603), key("tmdb:movie:603"));
    }

    #[test]
    fn malformed_references_are_none() {
        for raw in [
            "",
            "two words",
            "https://boxd.it/",
            "https://boxd.it/a-b",
            "tmdb:abc",
            "tmdb:person:3",
            "https://www.themoviedb.org/person/3",
            "https://www.themoviedb.org/movie/the-matrix",
            "film:x",
        ] {
            assert_eq!(FilmReference::parse(raw), None, "{raw}");
        }
    }
}
