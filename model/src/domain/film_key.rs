use std::fmt;

use serde::{Deserialize, Serialize};

use super::{ContentType, ParseError};

/// How profiles, stored rows and models name a film: any one id it is known by, in one text form.
///
/// - a Letterboxd slug (`the-zone-of-interest`; a film path or URL is accepted and cut to it);
/// - `film:<id>`, a film known only by its Letterboxd numeric id (the letterboxd-1m dataset names
///   films so);
/// - `tmdb:movie:<id>` or `tmdb:tv:<id>`, a film known only from TMDB (an export row resolved by
///   title and year, a film added by the TMDB sync).
///
/// A film keeps the key it entered the catalog with; the catalog also answers to every other id
/// the film has (`Catalog::index_of`), so a profile may name it by any of them. The text form is
/// what the store and the general model have always written, so older rows stay readable.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct FilmKey(String);

/// A Letterboxd film slug, the last part of `https://letterboxd.com/film/<slug>/`; lowercase.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

/// A TMDB id with the kind of record it names: movies and TV shows are numbered apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TmdbRef {
    pub kind: ContentType,
    pub id: u64,
}

impl FilmKey {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let trimmed = raw.trim();
        let lower = trimmed.to_ascii_lowercase();
        if let Some(id) = lower.strip_prefix("film:") {
            return digits(id)
                .map(FilmKey::letterboxd_id)
                .ok_or_else(|| ParseError::FilmKey(raw.to_owned()));
        }
        if let Some(rest) = lower.strip_prefix("tmdb:") {
            let (kind, id) = rest
                .split_once(':')
                .ok_or_else(|| ParseError::FilmKey(raw.to_owned()))?;
            let kind = match kind {
                "movie" => ContentType::Movie,
                "tv" => ContentType::Tv,
                _ => return Err(ParseError::FilmKey(raw.to_owned())),
            };
            return digits(id)
                .map(|id| FilmKey::tmdb(TmdbRef { kind, id }))
                .ok_or_else(|| ParseError::FilmKey(raw.to_owned()));
        }
        Slug::parse(trimmed)
            .map(FilmKey::from)
            .map_err(|_| ParseError::FilmKey(raw.to_owned()))
    }

    pub fn letterboxd_id(id: u64) -> Self {
        Self(format!("film:{id}"))
    }

    pub fn tmdb(tmdb: TmdbRef) -> Self {
        Self(format!("tmdb:{}:{}", tmdb.kind.as_str(), tmdb.id))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The Letterboxd slug, when this key is one.
    pub fn slug(&self) -> Option<Slug> {
        (!self.0.contains(':')).then(|| Slug(self.0.clone()))
    }

    /// The TMDB record, when this key is one.
    pub fn tmdb_ref(&self) -> Option<TmdbRef> {
        let rest = self.0.strip_prefix("tmdb:")?;
        let (kind, id) = rest.split_once(':')?;
        let kind = if kind == "tv" {
            ContentType::Tv
        } else {
            ContentType::Movie
        };
        Some(TmdbRef {
            kind,
            id: id.parse().ok()?,
        })
    }

    /// The Letterboxd numeric id, when this key is one.
    pub fn as_letterboxd_id(&self) -> Option<u64> {
        self.0.strip_prefix("film:")?.parse().ok()
    }
}

/// At most 20 ASCII digits: a u64 that fits the store's bigint columns.
fn digits(raw: &str) -> Option<u64> {
    let ok = !raw.is_empty() && raw.len() <= 19 && raw.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| raw.parse().ok()).flatten()
}

impl Slug {
    /// Accepts a bare slug or a film path/URL (`/film/slug/`, `https://letterboxd.com/film/slug/`).
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let trimmed = raw.trim();
        let candidate = match trimmed.find("/film/") {
            Some(at) => trimmed[at + "/film/".len()..]
                .split('/')
                .next()
                .unwrap_or_default(),
            None => trimmed.trim_matches('/'),
        };
        let slug = candidate.to_ascii_lowercase();
        let valid = !slug.is_empty()
            && slug.len() <= 200
            && slug
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
            && !slug.starts_with('-');
        if valid {
            Ok(Self(slug))
        } else {
            Err(ParseError::Slug(raw.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The film's page on letterboxd.com.
    pub fn url(&self) -> String {
        super::LetterboxdLink::Page(self).to_string()
    }
}

impl From<Slug> for FilmKey {
    fn from(slug: Slug) -> Self {
        Self(slug.0)
    }
}

impl From<TmdbRef> for FilmKey {
    fn from(tmdb: TmdbRef) -> Self {
        Self::tmdb(tmdb)
    }
}

impl fmt::Display for FilmKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for FilmKey {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for FilmKey {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<FilmKey> for String {
    fn from(key: FilmKey) -> Self {
        key.0
    }
}

impl TryFrom<String> for Slug {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Slug> for String {
    fn from(slug: Slug) -> Self {
        slug.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key(raw: &str) -> FilmKey {
        FilmKey::parse(raw).unwrap()
    }

    #[test]
    fn parses_bare_and_url_forms() {
        assert_eq!(key("the-zone-of-interest").as_str(), "the-zone-of-interest");
        assert_eq!(key("/film/Gozu/").as_str(), "gozu");
        assert_eq!(
            key("https://letterboxd.com/film/city-of-god/reviews/").as_str(),
            "city-of-god"
        );
    }

    #[test]
    fn keeps_id_only_films_and_says_which_id_a_key_is() {
        let lb = key("film:151796");
        assert_eq!(lb.as_str(), "film:151796");
        assert_eq!((lb.slug(), lb.as_letterboxd_id()), (None, Some(151796)));
        let tv = key("TMDB:tv:1399");
        assert_eq!(tv.as_str(), "tmdb:tv:1399");
        assert_eq!(
            tv.tmdb_ref(),
            Some(TmdbRef {
                kind: ContentType::Tv,
                id: 1399
            })
        );
        assert_eq!(tv.slug(), None);
        assert_eq!(
            key("gozu").slug().map(|s| s.url()).as_deref(),
            Some("https://letterboxd.com/film/gozu/")
        );
        assert_eq!(key("gozu").tmdb_ref(), None);
    }

    #[test]
    fn rejects_garbage() {
        for raw in [
            "",
            "/",
            "a b",
            "../etc",
            "-x",
            "é",
            "film:",
            "film:12a",
            "a:1",
            "tmdb:603",
            "tmdb:film:603",
            "tmdb:movie:",
            "tmdb:movie:-1",
            "film:99999999999999999999",
        ] {
            assert!(FilmKey::parse(raw).is_err(), "{raw} accepted");
        }
        assert!(Slug::parse("film:12").is_err());
    }

    proptest! {
        #[test]
        fn parse_never_panics_and_round_trips(raw in ".{0,64}") {
            if let Ok(key) = FilmKey::parse(&raw) {
                prop_assert_eq!(FilmKey::parse(key.as_str()).unwrap(), key);
            }
        }

        #[test]
        fn every_tmdb_ref_round_trips(id in 0u64..10_000_000_000, tv: bool) {
            let tmdb = TmdbRef { kind: if tv { ContentType::Tv } else { ContentType::Movie }, id };
            prop_assert_eq!(FilmKey::tmdb(tmdb).tmdb_ref(), Some(tmdb));
            prop_assert_eq!(FilmKey::parse(FilmKey::tmdb(tmdb).as_str()).unwrap().tmdb_ref(), Some(tmdb));
        }
    }
}
