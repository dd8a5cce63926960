//! What a member's dated watches say: films and hours per month and year, rewatches, the longest
//! streak of days with a watch, the weekdays, the first and the latest watch.

use std::collections::{BTreeMap, BTreeSet};

use crate::catalog::Catalog;
use crate::domain::{DiaryEntry, WatchDate};

/// Films and minutes watched in one period; minutes count films whose runtime the catalog knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Watched {
    pub films: u32,
    pub minutes: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiaryStats {
    /// Diary entries (watches), rewatches included.
    pub watches: u32,
    pub rewatches: u32,
    /// By (year, month), oldest first; months without a watch are absent.
    pub by_month: Vec<((u16, u8), Watched)>,
    /// By year, oldest first.
    pub by_year: Vec<(u16, Watched)>,
    /// The most consecutive days with at least one watch.
    pub longest_streak_days: u32,
    /// Watches by weekday, Monday first.
    pub weekdays: [u32; 7],
    pub first_watch: WatchDate,
    pub latest_watch: WatchDate,
}

/// The statistics of `diary`; `None` without a single dated watch (not zeros: nothing is known).
pub fn diary_stats(diary: &[DiaryEntry], catalog: &Catalog) -> Option<DiaryStats> {
    let first_watch = diary.iter().map(|e| e.date).min()?;
    let latest_watch = diary.iter().map(|e| e.date).max()?;
    let mut by_month: BTreeMap<(u16, u8), Watched> = BTreeMap::new();
    let mut by_year: BTreeMap<u16, Watched> = BTreeMap::new();
    let mut weekdays = [0u32; 7];
    let mut days: BTreeSet<i64> = BTreeSet::new();
    for entry in diary {
        let minutes = catalog
            .index_of(&entry.key)
            .and_then(|at| catalog.film(at).runtime_minutes)
            .map_or(0, u32::from);
        for watched in [
            by_month
                .entry((entry.date.year(), entry.date.month()))
                .or_default(),
            by_year.entry(entry.date.year()).or_default(),
        ] {
            watched.films += 1;
            watched.minutes += minutes;
        }
        weekdays[usize::from(entry.date.weekday())] += 1;
        days.insert(entry.date.day_number());
    }
    Some(DiaryStats {
        watches: count(diary.len()),
        rewatches: count(diary.iter().filter(|e| e.rewatch).count()),
        by_month: by_month.into_iter().collect(),
        by_year: by_year.into_iter().collect(),
        longest_streak_days: longest_run(&days),
        weekdays,
        first_watch,
        latest_watch,
    })
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The longest run of consecutive numbers in `days`.
fn longest_run(days: &BTreeSet<i64>) -> u32 {
    let (mut best, mut run, mut previous) = (0u32, 0u32, None::<i64>);
    for &day in days {
        run = if previous == Some(day - 1) {
            run + 1
        } else {
            1
        };
        best = best.max(run);
        previous = Some(day);
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recommend::testkit::{catalog_of, slug};

    fn entry(name: &str, (y, m, d): (u16, u8, u8), rewatch: bool) -> DiaryEntry {
        DiaryEntry {
            key: slug(name),
            date: WatchDate::new(y, m, d).unwrap(),
            rewatch,
        }
    }

    #[test]
    fn counts_by_hand() {
        // testkit films run 100 minutes; "stranger" is not in the catalog.
        let catalog = catalog_of(&["a", "b", "c"]);
        let diary = [
            entry("a", (2024, 1, 30), false),       // Tuesday
            entry("b", (2024, 1, 31), false),       // Wednesday
            entry("a", (2024, 2, 1), true),         // Thursday
            entry("c", (2024, 2, 1), false),        // Thursday, same day
            entry("stranger", (2025, 3, 3), false), // Monday
        ];
        let stats = diary_stats(&diary, &catalog).unwrap();
        assert_eq!((stats.watches, stats.rewatches), (5, 1));
        assert_eq!(
            stats.by_month,
            [
                (
                    (2024, 1),
                    Watched {
                        films: 2,
                        minutes: 200
                    }
                ),
                (
                    (2024, 2),
                    Watched {
                        films: 2,
                        minutes: 200
                    }
                ),
                (
                    (2025, 3),
                    Watched {
                        films: 1,
                        minutes: 0
                    }
                ),
            ]
        );
        assert_eq!(
            stats.by_year,
            [
                (
                    2024,
                    Watched {
                        films: 4,
                        minutes: 400
                    }
                ),
                (
                    2025,
                    Watched {
                        films: 1,
                        minutes: 0
                    }
                ),
            ]
        );
        assert_eq!(stats.longest_streak_days, 3);
        assert_eq!(stats.weekdays, [1, 1, 1, 2, 0, 0, 0]);
        assert_eq!(stats.first_watch, WatchDate::new(2024, 1, 30).unwrap());
        assert_eq!(stats.latest_watch, WatchDate::new(2025, 3, 3).unwrap());
    }

    #[test]
    fn no_dates_is_none_not_zeros() {
        assert_eq!(diary_stats(&[], &catalog_of(&["a"])), None);
    }
}
