//! `GET /metrics/usage` and `POST /admin/catalog/reload`: the operator-facing views.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::domain::{UsageDay, UsageDays};

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UsageParams {
    /// How many days back from today (UTC), 1 to 366 (default 30).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 366, default = 30)]
    pub days: Option<UsageDays>,
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct UsageResponse {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Oldest first; days nobody used are absent.
    pub days: Vec<UsageDayView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CatalogReloadResponse {
    pub catalog_version: i64,
    pub films: usize,
    pub loaded_at: DateTime<Utc>,
}
