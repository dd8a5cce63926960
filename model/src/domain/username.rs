use std::fmt;

use serde::{Deserialize, Serialize};

use super::ParseError;

/// A Letterboxd member's username, normalised to lowercase.
///
/// Letterboxd usernames are 2-15 characters of letters, digits and underscores; older accounts can be
/// longer, so up to 40 are accepted. A pasted profile URL (`https://letterboxd.com/Name/films/`) or
/// `@name` parses to the same username.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);

impl Username {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let trimmed = raw.trim();
        let without_scheme = trimmed
            .strip_prefix("https://")
            .or_else(|| trimmed.strip_prefix("http://"))
            .unwrap_or(trimmed);
        let candidate = match without_scheme.split_once('/') {
            Some((host, path)) if host.ends_with("letterboxd.com") => {
                path.split('/').next().unwrap_or_default()
            }
            _ => without_scheme.trim_start_matches('@').trim_end_matches('/'),
        };
        let name = candidate.to_ascii_lowercase();
        let valid = (1..=40).contains(&name.len())
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if valid {
            Ok(Self(name))
        } else {
            Err(ParseError::Username(raw.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Username {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Username {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Username> for String {
    fn from(name: Username) -> Self {
        name.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn normalises_case_urls_and_at_signs() {
        for raw in [
            "SamTestAcct",
            "@samtestacct",
            "https://letterboxd.com/samtestacct/",
            "letterboxd.com/SamTestAcct/films/",
            "http://www.letterboxd.com/samtestacct",
        ] {
            assert_eq!(
                Username::parse(raw).unwrap().as_str(),
                "samtestacct",
                "{raw}"
            );
        }
    }

    #[test]
    fn rejects_invalid_names() {
        for raw in [
            "",
            "a b",
            "name!",
            "https://example.com/x/y",
            &"x".repeat(41),
        ] {
            assert!(Username::parse(raw).is_err(), "{raw} accepted");
        }
    }

    proptest! {
        #[test]
        fn parse_never_panics_and_is_idempotent(raw in ".{0,64}") {
            if let Ok(name) = Username::parse(&raw) {
                prop_assert_eq!(Username::parse(name.as_str()).unwrap(), name);
            }
        }
    }
}
