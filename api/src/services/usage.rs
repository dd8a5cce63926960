//! `GET /metrics/usage`: the daily series of members and uses, and their running totals.

use super::{ServiceError, Services};
use crate::domain::{UsageRange, UsageReport};

impl Services {
    /// The daily series over `range` (days nobody used are absent) and the cumulative one (every
    /// day, from the first day of use or `range.cumulative_from`), oldest first.
    pub async fn usage(&self, range: UsageRange) -> Result<UsageReport, ServiceError> {
        // Today's latest uses may still be in memory.
        self.flush_uses().await?;
        let days = self
            .store
            .usage_series(range.from, range.to)
            .await
            .map_err(ServiceError::internal)?;
        let cumulative = self
            .store
            .cumulative_usage(range.cumulative_from, range.to)
            .await
            .map_err(ServiceError::internal)?;
        Ok(UsageReport {
            range,
            days,
            cumulative,
        })
    }

    /// Members the store knows, for the metrics gauge.
    pub async fn members_known(&self) -> Result<u64, ServiceError> {
        self.store
            .count_members()
            .await
            .map_err(ServiceError::internal)
    }
}
