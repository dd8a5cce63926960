//! `GET /metrics/usage`: the daily series of members and uses.

use chrono::{Duration, NaiveDate, Utc};

use super::ports::UsageDay;
use super::{ServiceError, Services};
use crate::domain::UsageDays;

impl Services {
    /// The last `days` days up to today (UTC), oldest first; days nobody used are absent.
    pub async fn usage(
        &self,
        days: UsageDays,
    ) -> Result<(NaiveDate, NaiveDate, Vec<UsageDay>), ServiceError> {
        let days = days.get();
        let to = Utc::now().date_naive();
        let from = to - Duration::days(i64::from(days - 1));
        // Today's latest uses may still be in memory.
        self.flush_uses().await?;
        let series = self
            .store
            .usage_series(from, to)
            .await
            .map_err(ServiceError::internal)?;
        Ok((from, to, series))
    }

    /// Members the store knows, for the metrics gauge.
    pub async fn members_known(&self) -> Result<u64, ServiceError> {
        self.store
            .count_members()
            .await
            .map_err(ServiceError::internal)
    }
}
