//! How much the service was used.

use chrono::NaiveDate;

/// One day of the usage series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UsageDay {
    pub day: NaiveDate,
    pub members: u32,
    pub uses: u32,
}
