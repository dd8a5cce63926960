//! When the simulated members watched their films. The dataset has no dates, so each member's
//! diary is generated from a hash of the name: the same dates on every run and machine, with
//! runs of consecutive days, month and year boundaries, and some rewatches.

use model::{Rating, Username, WatchDate};
use rand::Rng;

use crate::seed::{hash, rng_for};
use crate::world::Diary;

/// Diary entries per diary page, as on letterboxd.com.
pub const DIARY_PAGE_SIZE: usize = 50;

/// One entry of a simulated member's diary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoggedWatch {
    /// Index of the film in the world.
    pub film: u32,
    pub date: WatchDate,
    pub rewatch: bool,
    pub rating: Option<Rating>,
    pub liked: bool,
}

/// `name`'s diary, oldest first: about seven in eight of the films grid's films are logged, one
/// day to three apart, and about one entry in ten is followed by a rewatch of an earlier film.
pub(crate) fn watch_log(name: &Username, diary: &Diary) -> Vec<LoggedWatch> {
    let mut rng = rng_for(hash(0, b"diary"), name.as_str(), 0);
    // Days 1 to 28 exist in every month: the start is always a day.
    let Some(mut date) = WatchDate::new(
        rng.random_range(2012..=2019),
        rng.random_range(1..=12),
        rng.random_range(1..=28),
    ) else {
        return Vec::new();
    };
    let mut log: Vec<LoggedWatch> =
        Vec::with_capacity(diary.entries.len() + diary.entries.len() / 8);
    for entry in &diary.entries {
        if !rng.random_bool(0.875) {
            continue;
        }
        for _ in 0..rng.random_range(0..=2) {
            date = next_day(date);
        }
        log.push(LoggedWatch {
            film: entry.film,
            date,
            rewatch: false,
            rating: entry.rating,
            liked: entry.liked,
        });
        if rng.random_bool(0.1) {
            let earlier = log[rng.random_range(0..log.len())];
            date = next_day(date);
            log.push(LoggedWatch {
                date,
                rewatch: true,
                ..earlier
            });
        }
    }
    log
}

fn next_day(date: WatchDate) -> WatchDate {
    let (y, m, d) = (date.year(), date.month(), date.day());
    WatchDate::new(y, m, d + 1)
        .or_else(|| WatchDate::new(y, m + 1, 1))
        .or_else(|| WatchDate::new(y + 1, 1, 1))
        .unwrap_or(date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::DiaryEntry;

    #[test]
    fn logs_repeat_for_a_name_and_move_forward_through_the_calendar() {
        let diary = Diary {
            entries: (0..400)
                .map(|film| DiaryEntry {
                    film,
                    rating: None,
                    liked: false,
                })
                .collect(),
            watchlist: vec![],
        };
        let ann = Username::parse("ann").unwrap();
        let log = watch_log(&ann, &diary);
        assert_eq!(log, watch_log(&ann, &diary));
        assert_ne!(log, watch_log(&Username::parse("bob").unwrap(), &diary));
        assert!(log.windows(2).all(|pair| pair[0].date <= pair[1].date));
        let rewatches = log.iter().filter(|watch| watch.rewatch).count();
        assert!((10..=80).contains(&rewatches), "{rewatches}");
        assert!((330..=440).contains(&log.len()), "{}", log.len());
        assert_eq!(
            next_day(WatchDate::new(2023, 12, 31).unwrap()),
            WatchDate::new(2024, 1, 1).unwrap()
        );
        assert_eq!(
            next_day(WatchDate::new(2024, 2, 28).unwrap()),
            WatchDate::new(2024, 2, 29).unwrap()
        );
    }
}
