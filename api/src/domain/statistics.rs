//! A member's statistics, as computed for a request.

use chrono::{DateTime, Utc};
use model::stats::{DiaryStats, MemberStatistics};

use super::profile::ResolvedProfile;

#[derive(Debug, Clone)]
pub struct Statistics {
    pub member: ResolvedProfile,
    pub statistics: MemberStatistics,
    /// From the dated watches; `None` without any.
    pub diary: Option<DiaryStats>,
    pub catalog_version: i64,
    pub computed_at: DateTime<Utc>,
}
