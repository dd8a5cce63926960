//! The two labels a member's statistics earn: how they rate against the crowd, and how far off
//! the beaten track they watch.

use serde::{Deserialize, Serialize};

/// A label with the sentence that explains it to the member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Labelled<T> {
    pub label: T,
    pub description: String,
}

/// From the percentile of the member's mean differential (their rating minus the film's
/// Letterboxd average) among other members.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RatingStyle {
    Fanatic,
    Enthusiast,
    Fair,
    Critic,
    Hater,
}

impl RatingStyle {
    /// > 80 Fanatic, > 60 Enthusiast, > 40 Fair, > 20 Critic, else Hater (percent).
    pub fn from_percentile(percentile: f64) -> Self {
        match percentile {
            p if p > 80.0 => RatingStyle::Fanatic,
            p if p > 60.0 => RatingStyle::Enthusiast,
            p if p > 40.0 => RatingStyle::Fair,
            p if p > 20.0 => RatingStyle::Critic,
            _ => RatingStyle::Hater,
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            RatingStyle::Fanatic => {
                "You rate films far above their Letterboxd average: few films leave you unmoved."
            }
            RatingStyle::Enthusiast => {
                "You tend to rate films a little more generously than the Letterboxd crowd."
            }
            RatingStyle::Fair => "Your ratings track the Letterboxd consensus closely.",
            RatingStyle::Critic => {
                "You tend to rate films a little more harshly than the Letterboxd crowd."
            }
            RatingStyle::Hater => {
                "You rate films far below their Letterboxd average: a film has to earn every star."
            }
        }
    }

    pub fn labelled(self) -> Labelled<Self> {
        Labelled {
            label: self,
            description: self.description().to_owned(),
        }
    }
}

/// From the percentile of the mean Letterboxd rating count of the member's films among other
/// members: the fewer people have rated what they watch, the more obscure their taste.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Obscurity {
    Mainstream,
    Popular,
    Average,
    Niche,
    Cult,
    Obscure,
}

impl Obscurity {
    /// > 80 Mainstream, > 60 Popular, > 40 Average, > 25 Niche, > 10 Cult, else Obscure (percent).
    pub fn from_percentile(percentile: f64) -> Self {
        match percentile {
            p if p > 80.0 => Obscurity::Mainstream,
            p if p > 60.0 => Obscurity::Popular,
            p if p > 40.0 => Obscurity::Average,
            p if p > 25.0 => Obscurity::Niche,
            p if p > 10.0 => Obscurity::Cult,
            _ => Obscurity::Obscure,
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Obscurity::Mainstream => {
                "You watch what everyone is watching: the most-rated films on Letterboxd."
            }
            Obscurity::Popular => "Your diary leans toward well-known, widely seen films.",
            Obscurity::Average => {
                "Your mix of famous and lesser-known films is typical of Letterboxd members."
            }
            Obscurity::Niche => "You often seek out films with smaller audiences.",
            Obscurity::Cult => "Much of what you watch has a small but devoted following.",
            Obscurity::Obscure => {
                "You dig deep: most of your films have been rated by only a handful of people."
            }
        }
    }

    pub fn labelled(self) -> Labelled<Self> {
        Labelled {
            label: self,
            description: self.description().to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rating_style_thresholds_are_strict() {
        let cases = [
            (100.0, RatingStyle::Fanatic),
            (80.1, RatingStyle::Fanatic),
            (80.0, RatingStyle::Enthusiast),
            (60.1, RatingStyle::Enthusiast),
            (60.0, RatingStyle::Fair),
            (40.1, RatingStyle::Fair),
            (40.0, RatingStyle::Critic),
            (20.1, RatingStyle::Critic),
            (20.0, RatingStyle::Hater),
            (0.0, RatingStyle::Hater),
        ];
        for (percentile, style) in cases {
            assert_eq!(
                RatingStyle::from_percentile(percentile),
                style,
                "{percentile}"
            );
        }
    }

    #[test]
    fn obscurity_thresholds_are_strict() {
        let cases = [
            (80.1, Obscurity::Mainstream),
            (80.0, Obscurity::Popular),
            (60.1, Obscurity::Popular),
            (60.0, Obscurity::Average),
            (40.1, Obscurity::Average),
            (40.0, Obscurity::Niche),
            (25.1, Obscurity::Niche),
            (25.0, Obscurity::Cult),
            (10.1, Obscurity::Cult),
            (10.0, Obscurity::Obscure),
            (0.0, Obscurity::Obscure),
        ];
        for (percentile, label) in cases {
            assert_eq!(
                Obscurity::from_percentile(percentile),
                label,
                "{percentile}"
            );
        }
    }

    #[test]
    fn labels_serialise_as_lowercase_names_with_their_description() {
        let json = serde_json::to_value(RatingStyle::Fair.labelled()).unwrap();
        assert_eq!(json["label"], "fair");
        assert_eq!(json["description"], RatingStyle::Fair.description());
        let back: Labelled<Obscurity> =
            serde_json::from_value(serde_json::to_value(Obscurity::Cult.labelled()).unwrap())
                .unwrap();
        assert_eq!(back.label, Obscurity::Cult);
    }
}
