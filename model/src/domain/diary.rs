//! When a member watched a film: the diary entries an export (or a diary page) carries.

use serde::{Deserialize, Serialize};

use super::FilmKey;

/// A calendar day (proleptic Gregorian), checked when built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "(u16, u8, u8)", into = "(u16, u8, u8)")]
pub struct WatchDate {
    year: u16,
    month: u8,
    day: u8,
}

impl WatchDate {
    /// `None` for a day that does not exist (month 13, 30 February).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days)
            .contains(&day)
            .then_some(Self { year, month, day })
    }

    pub fn year(self) -> u16 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`): consecutive days differ by 1.
    pub fn day_number(self) -> i64 {
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// 0 for Monday through 6 for Sunday (1970-01-01 was a Thursday).
    pub fn weekday(self) -> u8 {
        // `rem_euclid(7)` is below 7, so it fits a u8.
        u8::try_from((self.day_number() + 3).rem_euclid(7)).unwrap_or(0)
    }
}

impl TryFrom<(u16, u8, u8)> for WatchDate {
    type Error = String;

    fn try_from((year, month, day): (u16, u8, u8)) -> Result<Self, Self::Error> {
        Self::new(year, month, day).ok_or_else(|| format!("{year}-{month}-{day} is not a day"))
    }
}

impl From<WatchDate> for (u16, u8, u8) {
    fn from(d: WatchDate) -> Self {
        (d.year, d.month, d.day)
    }
}

/// One watch of a film.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiaryEntry {
    pub key: FilmKey,
    pub date: WatchDate,
    /// The member marked it as a rewatch.
    pub rewatch: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_checked_numbered_and_named() {
        assert!(WatchDate::new(2024, 2, 29).is_some());
        assert!(WatchDate::new(2023, 2, 29).is_none());
        assert!(WatchDate::new(2023, 13, 1).is_none());
        let epoch = WatchDate::new(1970, 1, 1).unwrap();
        assert_eq!((epoch.day_number(), epoch.weekday()), (0, 3));
        let a = WatchDate::new(2024, 2, 28).unwrap();
        let b = WatchDate::new(2024, 3, 1).unwrap();
        assert_eq!(b.day_number() - a.day_number(), 2);
        // 2026-12-07 is a Monday.
        assert_eq!(WatchDate::new(2026, 12, 7).unwrap().weekday(), 0);
    }
}
