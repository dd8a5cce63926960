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
    fn days_outside_one_to_a_year_do_not_parse() {
        assert_eq!(UsageDays::try_from(1).map(UsageDays::get), Ok(1));
        assert_eq!(UsageDays::try_from(366).map(UsageDays::get), Ok(366));
        assert!(UsageDays::try_from(0).is_err());
        assert!(UsageDays::try_from(367).is_err());
    }
}
