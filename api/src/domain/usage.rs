//! How much the service was used.

use chrono::NaiveDate;
use serde::Deserialize;

/// One day of the usage series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UsageDay {
    pub day: NaiveDate,
    pub members: u32,
    pub uses: u32,
}

/// One day of the cumulative series: totals since the first day of use, up to that day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CumulativeDay {
    pub day: NaiveDate,
    /// Distinct members ever seen.
    pub members: u64,
    pub uses: u64,
}

/// The days a usage request covers, defaults resolved and checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UsageRange {
    /// First day of the daily series.
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// First day of the cumulative series: the asked `from`, else the first day of use.
    pub cumulative_from: Option<NaiveDate>,
}

impl UsageRange {
    /// `to` defaults to `today`, `from` to `days` days back from `to` (the cumulative series then
    /// starts at the first day of use). A `from` after `to` is refused.
    pub fn new(
        days: UsageDays,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Result<Self, String> {
        let to = to.unwrap_or(today);
        let daily_from = from.unwrap_or(to - chrono::Duration::days(i64::from(days.get() - 1)));
        if daily_from > to {
            return Err(format!("from ({daily_from}) is after to ({to})"));
        }
        Ok(Self {
            from: daily_from,
            to,
            cumulative_from: from,
        })
    }
}

/// What `GET /metrics/usage` answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageReport {
    pub range: UsageRange,
    pub days: Vec<UsageDay>,
    pub cumulative: Vec<CumulativeDay>,
}

/// How many days back the usage series goes: 1 to [`UsageDays::MAX`], checked where it is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "u32")]
pub struct UsageDays(u32);

impl UsageDays {
    /// A year, leap day included.
    pub const MAX: u32 = 366;

    pub fn get(self) -> u32 {
        self.0
    }
}

impl Default for UsageDays {
    fn default() -> Self {
        Self(30)
    }
}

impl TryFrom<u32> for UsageDays {
    type Error = String;

    fn try_from(days: u32) -> Result<Self, Self::Error> {
        if (1..=Self::MAX).contains(&days) {
            Ok(Self(days))
        } else {
            Err(format!(
                "days must be between 1 and {}; {days} was given",
                Self::MAX
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_resolves_its_defaults_and_cannot_be_inverted() {
        let day = |d: &str| d.parse::<NaiveDate>().unwrap();
        let today = day("2026-12-07");
        let range = UsageRange::new(UsageDays::default(), None, None, today).unwrap();
        assert_eq!(
            (range.from, range.to, range.cumulative_from),
            (day("2026-11-08"), today, None)
        );
        let asked = UsageRange::new(
            UsageDays::default(),
            Some(day("2026-01-01")),
            Some(day("2026-02-01")),
            today,
        )
        .unwrap();
        assert_eq!(
            (asked.from, asked.to, asked.cumulative_from),
            (
                day("2026-01-01"),
                day("2026-02-01"),
                Some(day("2026-01-01"))
            )
        );
        assert!(
            UsageRange::new(UsageDays::default(), Some(day("2026-12-08")), None, today).is_err()
        );
    }

    #[test]
    fn days_outside_one_to_a_year_do_not_parse() {
        assert_eq!(UsageDays::try_from(1).map(UsageDays::get), Ok(1));
        assert_eq!(UsageDays::try_from(366).map(UsageDays::get), Ok(366));
        assert!(UsageDays::try_from(0).is_err());
        assert!(UsageDays::try_from(367).is_err());
    }
}
