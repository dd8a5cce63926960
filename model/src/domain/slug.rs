use std::fmt;

use serde::{Deserialize, Serialize};

use super::ParseError;

/// A Letterboxd film slug, the film's stable key (`the-zone-of-interest`).
///
/// Accepts a bare slug or a film path/URL (`/film/slug/`, `https://letterboxd.com/film/slug/`);
/// always stored lowercase.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

impl Slug {
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
        // `film:151796`: a film known only by its Letterboxd id, as the letterboxd-1m dataset
        // names one film; kept as is so its ratings still count.
        if let Some(id) = slug.strip_prefix("film:") {
            if !id.is_empty() && id.len() <= 20 && id.bytes().all(|b| b.is_ascii_digit()) {
                return Ok(Self(slug));
            }
            return Err(ParseError::Slug(raw.to_owned()));
        }
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
        format!("https://letterboxd.com/film/{}/", self.0)
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Slug {
    fn as_ref(&self) -> &str {
        &self.0
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

    #[test]
    fn parses_bare_and_url_forms() {
        assert_eq!(
            Slug::parse("the-zone-of-interest").unwrap().as_str(),
            "the-zone-of-interest"
        );
        assert_eq!(Slug::parse("/film/Gozu/").unwrap().as_str(), "gozu");
        assert_eq!(
            Slug::parse("https://letterboxd.com/film/city-of-god/reviews/")
                .unwrap()
                .as_str(),
            "city-of-god"
        );
    }

    #[test]
    fn keeps_an_id_only_film() {
        assert_eq!(Slug::parse("film:151796").unwrap().as_str(), "film:151796");
    }

    #[test]
    fn rejects_garbage() {
        for raw in [
            "", "/", "a b", "../etc", "-x", "é", "film:", "film:12a", "a:1",
        ] {
            assert!(Slug::parse(raw).is_err(), "{raw} accepted");
        }
    }

    proptest! {
        #[test]
        fn parse_never_panics_and_round_trips(raw in ".{0,64}") {
            if let Ok(slug) = Slug::parse(&raw) {
                prop_assert_eq!(Slug::parse(slug.as_str()).unwrap(), slug);
            }
        }
    }
}
