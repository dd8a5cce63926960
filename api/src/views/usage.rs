//! `GET /metrics/usage` and `POST /admin/catalog/reload`: the operator-facing views.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::domain::{CumulativeDay, UsageDay, UsageDays, UsageReport};

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UsageParams {
    /// How many days back from today (UTC), 1 to 366 (default 30).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 366, default = 30)]
    pub days: Option<UsageDays>,
    /// First day (UTC, `YYYY-MM-DD`) of both series; replaces `days`. Without it, the daily
    /// series covers the last `days` days and the cumulative one starts at the first day of use.
    #[param(value_type = Option<String>, format = Date, example = "2026-11-01")]
    pub from: Option<NaiveDate>,
    /// Last day (UTC) of both series; default today.
    #[param(value_type = Option<String>, format = Date, example = "2026-12-07")]
    pub to: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct UsageDayView {
    pub day: NaiveDate,
    /// Distinct members whose profile was used that day.
    pub members: u32,
    /// Requests that used a member's profile.
    pub uses: u32,
}

impl From<UsageDay> for UsageDayView {
    fn from(d: UsageDay) -> Self {
        Self {
            day: d.day,
            members: d.members,
            uses: d.uses,
        }
    }
}

/// Running totals up to one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CumulativeDayView {
    pub day: NaiveDate,
    /// Distinct members ever seen, up to and including this day.
    pub members: u64,
    /// Every use up to and including this day.
    pub uses: u64,
}

impl From<CumulativeDay> for CumulativeDayView {
    fn from(d: CumulativeDay) -> Self {
        Self {
            day: d.day,
            members: d.members,
            uses: d.uses,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct UsageResponse {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Oldest first; days nobody used are absent.
    pub days: Vec<UsageDayView>,
    /// Every day from the first day of use (or `from`, if asked) to `to`, oldest first, days
    /// without use included: totals since the first day, as the metrics page plots them. Empty
    /// before any use.
    pub cumulative: Vec<CumulativeDayView>,
}

impl From<UsageReport> for UsageResponse {
    fn from(report: UsageReport) -> Self {
        Self {
            from: report.range.from,
            to: report.range.to,
            days: report.days.into_iter().map(Into::into).collect(),
            cumulative: report.cumulative.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CatalogReloadResponse {
    pub catalog_version: i64,
    pub films: usize,
    pub loaded_at: DateTime<Utc>,
}
