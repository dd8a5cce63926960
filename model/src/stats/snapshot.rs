//! The numbers stored for every member whose statistics were computed, and the percentiles of a
//! member against everyone else's.

use serde::{Deserialize, Serialize};

/// What the service keeps of a member's statistics so later members can be compared with them.
/// Means over the films that have the value; `None` when none of the member's films has it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct StatsSnapshot {
    pub ratings: u32,
    pub mean_rating: f64,
    pub mean_letterboxd_average: Option<f64>,
    pub mean_differential: Option<f64>,
    pub mean_rating_count: Option<f64>,
}

/// The share of other members, in percent (0-100), whose mean is strictly below this member's.
///
/// Each percentile is `None` when there is nobody to compare with: no other snapshot has the
/// value (with no other member at all, every percentile is `None`), or this member lacks it. A
/// percentile of 50 would invent a comparison that was never made.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Percentiles {
    /// How many other members' snapshots were compared against.
    pub compared_with: u32,
    pub mean_rating: Option<f64>,
    pub letterboxd_average: Option<f64>,
    pub differential: Option<f64>,
    pub rating_count: Option<f64>,
}

impl Percentiles {
    /// `others` must not contain this member's own earlier snapshot.
    pub fn against(me: &StatsSnapshot, others: &[StatsSnapshot]) -> Self {
        Percentiles {
            compared_with: u32::try_from(others.len()).unwrap_or(u32::MAX),
            mean_rating: strictly_below(
                Some(me.mean_rating),
                others.iter().map(|o| Some(o.mean_rating)),
            ),
            letterboxd_average: strictly_below(
                me.mean_letterboxd_average,
                others.iter().map(|o| o.mean_letterboxd_average),
            ),
            differential: strictly_below(
                me.mean_differential,
                others.iter().map(|o| o.mean_differential),
            ),
            rating_count: strictly_below(
                me.mean_rating_count,
                others.iter().map(|o| o.mean_rating_count),
            ),
        }
    }
}

/// Percent of the known `others` strictly below `value`.
fn strictly_below(value: Option<f64>, others: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    let value = value?;
    let (below, known) = others
        .flatten()
        .fold((0_u32, 0_u32), |(below, known), other| {
            (below + u32::from(other < value), known + 1)
        });
    (known > 0).then(|| f64::from(below) / f64::from(known) * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(differential: Option<f64>) -> StatsSnapshot {
        StatsSnapshot {
            ratings: 10,
            mean_rating: 3.0,
            mean_letterboxd_average: Some(3.2),
            mean_differential: differential,
            mean_rating_count: Some(50_000.0),
        }
    }

    #[test]
    fn percentile_counts_strictly_below_among_known_values() {
        let me = snapshot(Some(0.5));
        let others = [
            snapshot(Some(-1.0)),
            snapshot(Some(0.2)),
            snapshot(Some(0.5)),
            snapshot(Some(2.0)),
            snapshot(None),
        ];
        let percentiles = Percentiles::against(&me, &others);
        assert_eq!(percentiles.compared_with, 5);
        // Two of the four members with a differential are strictly below; the tie is not.
        assert_eq!(percentiles.differential, Some(50.0));
        // Everyone has the same mean rating: nobody is strictly below.
        assert_eq!(percentiles.mean_rating, Some(0.0));
    }

    #[test]
    fn no_other_member_means_no_percentile() {
        let percentiles = Percentiles::against(&snapshot(Some(0.1)), &[]);
        assert_eq!(percentiles.compared_with, 0);
        assert_eq!(percentiles.mean_rating, None);
        assert_eq!(percentiles.differential, None);
        let unknown = Percentiles::against(&snapshot(None), &[snapshot(Some(0.0))]);
        assert_eq!(unknown.differential, None);
        assert_eq!(unknown.mean_rating, Some(0.0));
    }
}
