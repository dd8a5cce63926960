//! `GET /statistics`' `diary`: what the member's dated watches say.

use model::WatchDate;
use model::stats::{DiaryStats, Watched};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct WatchedInView {
    /// `YYYY-MM` for a month, `YYYY` for a year.
    #[schema(example = "2024-02")]
    pub period: String,
    /// Watches (rewatches included).
    pub films: u32,
    /// Hours watched, from the runtimes the catalog knows (a film without one adds none).
    pub hours: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct WeekdayView {
    #[schema(example = "Monday")]
    pub weekday: String,
    pub films: u32,
}

/// From the dated watches of an uploaded export's `diary.csv`, or of a scraped member's diary
/// pages (the newest 20 pages, about 1,000 watches, at most); a profile without dated watches has
/// none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DiaryStatsView {
    /// Diary entries, rewatches included.
    pub watches: u32,
    pub rewatches: u32,
    /// Oldest first; months without a watch are absent.
    pub per_month: Vec<WatchedInView>,
    /// Oldest first.
    pub per_year: Vec<WatchedInView>,
    /// The most consecutive days with at least one watch.
    pub longest_streak_days: u32,
    /// Monday first, all seven days.
    pub weekdays: Vec<WeekdayView>,
    /// `YYYY-MM-DD`.
    #[schema(example = "2019-04-27")]
    pub first_watch: String,
    #[schema(example = "2026-12-06")]
    pub latest_watch: String,
}

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

fn date(d: WatchDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

fn watched(period: String, w: Watched) -> WatchedInView {
    WatchedInView {
        period,
        films: w.films,
        // Two decimals: minutes / 60 to the nearest 36 seconds.
        hours: (f64::from(w.minutes) / 60.0 * 100.0).round() / 100.0,
    }
}

impl From<&DiaryStats> for DiaryStatsView {
    fn from(s: &DiaryStats) -> Self {
        Self {
            watches: s.watches,
            rewatches: s.rewatches,
            per_month: s
                .by_month
                .iter()
                .map(|&((y, m), w)| watched(format!("{y:04}-{m:02}"), w))
                .collect(),
            per_year: s
                .by_year
                .iter()
                .map(|&(y, w)| watched(format!("{y:04}"), w))
                .collect(),
            longest_streak_days: s.longest_streak_days,
            weekdays: WEEKDAYS
                .iter()
                .zip(s.weekdays)
                .map(|(day, films)| WeekdayView {
                    weekday: (*day).to_string(),
                    films,
                })
                .collect(),
            first_watch: date(s.first_watch),
            latest_watch: date(s.latest_watch),
        }
    }
}
