//! How popular a film is, in three bands of its Letterboxd rating count.
//!
//! The original site's edges (25,000 and 100,000 ratings) fit Letterboxd's own counts over its
//! whole catalog, but a catalog's counts depend on where they come from: on the letterboxd-1m
//! sample the most rated film has 40,089, so "high" never matched. The bands are therefore
//! relative to the catalog in use: the 5% most rated films are high, the next 20% medium.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PopularityBand {
    Low,
    Medium,
    High,
}

/// The rating counts where a catalog's bands end: low <= `low_max` < medium <= `medium_max` <
/// high. A film without a rating count has no community ratings yet, so it counts as 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PopularityScale {
    low_max: u32,
    medium_max: u32,
}

impl PopularityScale {
    /// The original site's edges, on Letterboxd's own counts.
    pub const LETTERBOXD: Self = Self {
        low_max: 25_000,
        medium_max: 100_000,
    };
    /// Share of a catalog's films, most rated first, in the high band.
    pub const HIGH_SHARE: f64 = 0.05;
    /// Share of a catalog's films, most rated first, in the high and medium bands together.
    pub const HIGH_OR_MEDIUM_SHARE: f64 = 0.25;

    /// The scale of a catalog with these rating counts: the count of the film at the 5% (25%)
    /// mark, most rated first, ends the medium (low) band, so ties at an edge stay together in
    /// the lower band. No films gives [`PopularityScale::LETTERBOXD`].
    pub fn of_counts(counts: impl IntoIterator<Item = Option<u32>>) -> Self {
        let mut counts: Vec<u32> = counts.into_iter().map(|c| c.unwrap_or(0)).collect();
        if counts.is_empty() {
            return Self::LETTERBOXD;
        }
        counts.sort_unstable_by(|a, b| b.cmp(a));
        let at = |share: f64| {
            let rank = (counts.len() as f64 * share).ceil() as usize;
            counts[rank.min(counts.len() - 1)]
        };
        Self {
            low_max: at(Self::HIGH_OR_MEDIUM_SHARE),
            medium_max: at(Self::HIGH_SHARE),
        }
    }

    pub fn band(&self, rating_count: Option<u32>) -> PopularityBand {
        match rating_count.unwrap_or(0) {
            n if n <= self.low_max => PopularityBand::Low,
            n if n <= self.medium_max => PopularityBand::Medium,
            _ => PopularityBand::High,
        }
    }

    /// Upper bound (inclusive) of the low band.
    pub fn low_max(&self) -> u32 {
        self.low_max
    }

    /// Upper bound (inclusive) of the medium band.
    pub fn medium_max(&self) -> u32 {
        self.medium_max
    }
}

impl Default for PopularityScale {
    fn default() -> Self {
        Self::LETTERBOXD
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letterboxd_edges_are_the_originals() {
        let scale = PopularityScale::LETTERBOXD;
        assert_eq!(scale.band(Some(0)), PopularityBand::Low);
        assert_eq!(scale.band(None), PopularityBand::Low);
        assert_eq!(scale.band(Some(25_000)), PopularityBand::Low);
        assert_eq!(scale.band(Some(25_001)), PopularityBand::Medium);
        assert_eq!(scale.band(Some(100_000)), PopularityBand::Medium);
        assert_eq!(scale.band(Some(100_001)), PopularityBand::High);
    }

    #[test]
    fn a_catalog_splits_five_twenty_and_seventy_five_percent() {
        // Counts 1..=100: the five most rated (96..=100) are high, the next twenty medium.
        let scale = PopularityScale::of_counts((1..=100).map(Some));
        let bands: Vec<PopularityBand> = (1..=100).map(|n| scale.band(Some(n))).collect();
        let count = |band| bands.iter().filter(|&&b| b == band).count();
        assert_eq!(count(PopularityBand::High), 5);
        assert_eq!(count(PopularityBand::Medium), 20);
        assert_eq!(count(PopularityBand::Low), 75);
        assert_eq!(scale.band(Some(96)), PopularityBand::High);
        assert_eq!(scale.band(Some(95)), PopularityBand::Medium);
        assert_eq!(scale.band(Some(75)), PopularityBand::Low);
    }

    #[test]
    fn the_most_rated_film_of_any_catalog_is_high_unless_all_tie() {
        // letterboxd-1m's largest count is 40,089, under the original's high edge.
        let scale = PopularityScale::of_counts([Some(40_089), Some(10), None, Some(3)]);
        assert_eq!(scale.band(Some(40_089)), PopularityBand::High);
        assert_eq!(scale.band(None), PopularityBand::Low);
        let flat = PopularityScale::of_counts([Some(7); 10]);
        assert_eq!(flat.band(Some(7)), PopularityBand::Low);
        assert_eq!(PopularityScale::of_counts([]), PopularityScale::LETTERBOXD);
    }
}
