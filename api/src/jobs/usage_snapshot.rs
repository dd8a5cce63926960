//! `reel usage snapshot`: writes one UTC day's row of the usage series (distinct members and
//! uses), replacing the row when the day is snapshotted again.

use chrono::{Days, NaiveDate, Utc};

use super::error::JobError;
use crate::store::Store;
use crate::store::usage::DailyUsage;

/// Snapshots `day`, by default yesterday (UTC): the last complete day.
pub async fn snapshot_usage(store: &Store, day: Option<NaiveDate>) -> Result<DailyUsage, JobError> {
    let today = Utc::now().date_naive();
    let day = match day {
        Some(day) => day,
        None => today
            .checked_sub_days(Days::new(1))
            .ok_or_else(|| JobError::Invalid("no day before today".to_owned()))?,
    };
    if day > today {
        return Err(JobError::Invalid(format!("{day} is in the future")));
    }
    let row = store.snapshot_daily_usage(day).await?;
    tracing::info!(day = %row.day, members = row.members, uses = row.uses, "usage snapshot written");
    Ok(row)
}
