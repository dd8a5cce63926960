use std::fmt;

use serde::{Deserialize, Serialize};

use super::ParseError;

/// An ISO 3166-1 alpha-2 country code, uppercase (`US`, `GB`): where a film streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CountryCode([u8; 2]);

impl CountryCode {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        match raw.trim().as_bytes() {
            [a, b] if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() => {
                Ok(Self([a.to_ascii_uppercase(), b.to_ascii_uppercase()]))
            }
            _ => Err(ParseError::Country(raw.to_owned())),
        }
    }

    pub fn as_str(&self) -> &str {
        // Two ASCII letters by construction.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<String> for CountryCode {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<CountryCode> for String {
    fn from(code: CountryCode) -> Self {
        code.as_str().to_owned()
    }
}

/// How a service offers a film.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OfferKind {
    /// Included in a subscription.
    Flatrate,
    /// Free, with or without ads.
    Free,
    Rent,
    Buy,
}

impl OfferKind {
    pub const ALL: [OfferKind; 4] = [
        OfferKind::Flatrate,
        OfferKind::Free,
        OfferKind::Rent,
        OfferKind::Buy,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OfferKind::Flatrate => "flatrate",
            OfferKind::Free => "free",
            OfferKind::Rent => "rent",
            OfferKind::Buy => "buy",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == raw)
    }
}

/// One service offering a film in one country (TMDB's watch providers, JustWatch's data).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Offer {
    pub country: CountryCode,
    /// TMDB's provider id (8 is Netflix).
    pub provider_id: u32,
    pub provider_name: String,
    pub logo_url: Option<String>,
    pub kind: OfferKind,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_codes_are_two_letters_uppercased() {
        assert_eq!(CountryCode::parse(" us ").unwrap().as_str(), "US");
        for raw in ["", "U", "USA", "1A", "é"] {
            assert!(CountryCode::parse(raw).is_err(), "{raw}");
        }
    }
}
