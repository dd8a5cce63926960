//! A member's statistics, as computed for a request.

use chrono::{DateTime, Utc};
use model::stats::{DiaryStats, MemberStatistics};

use super::profile::ResolvedProfile;
use super::top_films::TopFilms;

#[derive(Debug, Clone)]
pub struct Statistics {
    pub member: ResolvedProfile,
    pub statistics: MemberStatistics,
    /// Top and bottom rated films, with cards.
    pub rated_films: TopFilms,
    /// From the dated watches; `None` without any.
    pub diary: Option<DiaryStats>,
    pub catalog_version: i64,
    pub computed_at: DateTime<Utc>,
}
