//! How a member's ratings spread over the ten half-star values, beside how the community rated
//! the same films.

use serde::{Deserialize, Serialize};

use crate::catalog::FilmIndex;

/// The community's rating histogram of a catalog film: counts of 0.5, 1.0, ... 5.0 stars. The API
/// reads it from its store; tests pass a closure.
pub trait CommunityHistograms {
    fn histogram(&self, film: FilmIndex) -> Option<[u32; 10]>;
}

impl<F> CommunityHistograms for F
where
    F: Fn(FilmIndex) -> Option<[u32; 10]>,
{
    fn histogram(&self, film: FilmIndex) -> Option<[u32; 10]> {
        self(film)
    }
}

/// Counts per half-star value (index 0 is 0.5 stars, index 9 is 5 stars) and the same as a
/// probability mass: `density[i] = counts[i] / total`, summing to 1. With no ratings at all,
/// `density` is empty rather than a row of zeros pretending to be a distribution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HalfStarDistribution {
    pub counts: [u64; 10],
    pub total: u64,
    pub density: Vec<f64>,
}

impl HalfStarDistribution {
    pub fn from_counts(counts: [u64; 10]) -> Self {
        let total: u64 = counts.iter().sum();
        let density = if total == 0 {
            Vec::new()
        } else {
            counts.iter().map(|&c| c as f64 / total as f64).collect()
        };
        Self {
            counts,
            total,
            density,
        }
    }
}

/// The member's distribution over all their ratings (films missing from the catalog included),
/// and the community's over the member's films that have a known histogram.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RatingDistributions {
    pub member: HalfStarDistribution,
    pub community: HalfStarDistribution,
    /// How many of the member's films the community distribution covers.
    pub community_films: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn density_is_each_count_over_the_total() {
        let dist = HalfStarDistribution::from_counts([0, 1, 0, 0, 0, 0, 0, 2, 0, 1]);
        assert_eq!(dist.total, 4);
        assert_eq!(dist.density[1], 0.25);
        assert_eq!(dist.density[7], 0.5);
        assert_eq!(dist.density[0], 0.0);
        assert!(
            HalfStarDistribution::from_counts([0; 10])
                .density
                .is_empty()
        );
    }

    proptest! {
        #[test]
        fn densities_sum_to_one_or_are_empty(counts in proptest::array::uniform10(0u64..1_000_000)) {
            let dist = HalfStarDistribution::from_counts(counts);
            if dist.total == 0 {
                prop_assert!(dist.density.is_empty());
            } else {
                prop_assert_eq!(dist.density.len(), 10);
                prop_assert!((dist.density.iter().sum::<f64>() - 1.0).abs() < 1e-9);
                prop_assert!(dist.density.iter().all(|d| (0.0..=1.0).contains(d)));
            }
        }
    }
}
