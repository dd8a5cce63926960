//! Mean rating and mean differential by genre and by era.

use serde::{Deserialize, Serialize};

use crate::domain::Genre;

/// Film history in four periods, by release year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Era {
    /// Before 1925.
    Silent,
    /// 1925-1964.
    Sound,
    /// 1965-1999.
    Colour,
    /// 2000 on.
    Modern,
}

impl Era {
    pub const ALL: [Era; 4] = [Era::Silent, Era::Sound, Era::Colour, Era::Modern];

    pub fn of(year: u16) -> Self {
        if year < 1925 {
            Era::Silent
        } else if year < 1965 {
            Era::Sound
        } else if year < 2000 {
            Era::Colour
        } else {
            Era::Modern
        }
    }
}

/// The member's mean rating of the films in a group, and the mean of (rating - Letterboxd
/// average) over those with an average. Both `None` when the member rated no film of the group.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GroupMeans {
    pub films: u32,
    pub mean_rating: Option<f64>,
    pub mean_differential: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GenreStats {
    pub genre: Genre,
    #[serde(flatten)]
    pub means: GroupMeans,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EraStats {
    pub era: Era,
    #[serde(flatten)]
    pub means: GroupMeans,
}

/// Running sums for one group.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct GroupSums {
    films: u32,
    ratings: f64,
    with_average: u32,
    differentials: f64,
}

impl GroupSums {
    pub(crate) fn add(&mut self, rating: f64, average: Option<f64>) {
        self.films += 1;
        self.ratings += rating;
        if let Some(average) = average {
            self.with_average += 1;
            self.differentials += rating - average;
        }
    }

    pub(crate) fn means(self) -> GroupMeans {
        GroupMeans {
            films: self.films,
            mean_rating: (self.films > 0).then(|| self.ratings / f64::from(self.films)),
            mean_differential: (self.with_average > 0)
                .then(|| self.differentials / f64::from(self.with_average)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn era_boundaries() {
        assert_eq!(Era::of(1895), Era::Silent);
        assert_eq!(Era::of(1924), Era::Silent);
        assert_eq!(Era::of(1925), Era::Sound);
        assert_eq!(Era::of(1964), Era::Sound);
        assert_eq!(Era::of(1965), Era::Colour);
        assert_eq!(Era::of(1999), Era::Colour);
        assert_eq!(Era::of(2000), Era::Modern);
    }

    #[test]
    fn group_means_skip_missing_averages_for_the_differential_only() {
        let mut sums = GroupSums::default();
        sums.add(4.0, Some(3.0));
        sums.add(2.0, None);
        let means = sums.means();
        assert_eq!(means.films, 2);
        assert_eq!(means.mean_rating, Some(3.0));
        assert_eq!(means.mean_differential, Some(1.0));
        assert_eq!(
            GroupSums::default().means(),
            GroupMeans {
                films: 0,
                mean_rating: None,
                mean_differential: None
            }
        );
    }

    #[test]
    fn genre_stats_serialise_flat_with_null_for_unrated_genres() {
        let stats = GenreStats {
            genre: Genre::ScienceFiction,
            means: GroupSums::default().means(),
        };
        let json = serde_json::to_value(stats).unwrap();
        assert_eq!(json["genre"], "Science Fiction");
        assert_eq!(json["films"], 0);
        assert!(json["mean_rating"].is_null());
    }
}
