use std::fmt;

use serde::{Deserialize, Serialize};

use super::ParseError;

/// A rating in half stars: 1..=10 internally, 0.5..=5.0 stars on the outside.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "f32", into = "f32")]
pub struct Rating(u8);

impl Rating {
    pub const MIN: Rating = Rating(1);
    pub const MAX: Rating = Rating(10);

    /// From Letterboxd's `rated-N` class: N half stars, 1..=10.
    pub fn from_half_stars(half_stars: u8) -> Result<Self, ParseError> {
        if (1..=10).contains(&half_stars) {
            Ok(Self(half_stars))
        } else {
            Err(ParseError::Rating(half_stars.to_string()))
        }
    }

    /// From a star value such as `3.5`; only exact half-star steps are ratings.
    pub fn from_stars(stars: f32) -> Result<Self, ParseError> {
        let doubled = stars * 2.0;
        if stars.is_finite() && (doubled - doubled.round()).abs() < 1e-3 {
            Self::from_half_stars(doubled.round() as u8)
                .map_err(|_| ParseError::Rating(stars.to_string()))
        } else {
            Err(ParseError::Rating(stars.to_string()))
        }
    }

    /// From text: `3.5`, `4`, or Letterboxd's star glyphs `★★★½`.
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let trimmed = raw.trim();
        if trimmed.contains('★') || trimmed.contains('½') {
            let stars = trimmed.chars().filter(|&c| c == '★').count();
            let half = trimmed.chars().filter(|&c| c == '½').count();
            let other = trimmed
                .chars()
                .any(|c| c != '★' && c != '½' && !c.is_whitespace());
            if other || half > 1 {
                return Err(ParseError::Rating(raw.to_owned()));
            }
            let half_stars =
                u8::try_from(stars * 2 + half).map_err(|_| ParseError::Rating(raw.to_owned()))?;
            return Self::from_half_stars(half_stars)
                .map_err(|_| ParseError::Rating(raw.to_owned()));
        }
        trimmed
            .parse::<f32>()
            .map_err(|_| ParseError::Rating(raw.to_owned()))
            .and_then(Self::from_stars)
            .map_err(|_| ParseError::Rating(raw.to_owned()))
    }

    pub fn half_stars(self) -> u8 {
        self.0
    }

    pub fn stars(self) -> f32 {
        f32::from(self.0) / 2.0
    }
}

impl fmt::Display for Rating {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.stars())
    }
}

impl TryFrom<f32> for Rating {
    type Error = ParseError;
    fn try_from(value: f32) -> Result<Self, Self::Error> {
        Self::from_stars(value)
    }
}

impl From<Rating> for f32 {
    fn from(rating: Rating) -> Self {
        rating.stars()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_every_form() {
        assert_eq!(Rating::from_half_stars(7).unwrap().stars(), 3.5);
        assert_eq!(Rating::parse("3.5").unwrap().half_stars(), 7);
        assert_eq!(Rating::parse("★★★½").unwrap().half_stars(), 7);
        assert_eq!(Rating::parse("½").unwrap().half_stars(), 1);
        assert_eq!(Rating::parse("★★★★★").unwrap().half_stars(), 10);
    }

    #[test]
    fn rejects_out_of_range_and_off_grid() {
        for raw in ["0", "5.5", "3.3", "-1", "NaN", "", "★★★★★★", "½½", "★x"] {
            assert!(Rating::parse(raw).is_err(), "{raw} accepted");
        }
        assert!(Rating::from_half_stars(0).is_err());
        assert!(Rating::from_half_stars(11).is_err());
    }

    proptest! {
        #[test]
        fn half_stars_round_trip(n in 1u8..=10) {
            let rating = Rating::from_half_stars(n).unwrap();
            prop_assert_eq!(Rating::from_stars(rating.stars()).unwrap(), rating);
            prop_assert_eq!(Rating::parse(&rating.to_string()).unwrap(), rating);
        }

        #[test]
        fn parse_never_panics(raw in ".{0,16}") {
            let _ = Rating::parse(&raw);
        }
    }
}
