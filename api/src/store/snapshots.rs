//! Member statistics snapshots: every computation is kept; percentiles compare a member against
//! the latest snapshot of everyone else.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use model::stats::StatsSnapshot;

use super::members::MemberId;
use super::schema::member_stats_snapshots as snapshots;
use super::{Store, StoreError};

#[derive(Queryable, Selectable)]
#[diesel(table_name = snapshots, check_for_backend(diesel::pg::Pg))]
struct SnapshotRow {
    member_id: i64,
    computed_at: DateTime<Utc>,
    ratings: i32,
    mean_rating: f64,
    mean_letterboxd_average: Option<f64>,
    mean_differential: Option<f64>,
    mean_rating_count: Option<f64>,
}

/// A member's latest statistics snapshot.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatestSnapshot {
    pub member: MemberId,
    pub computed_at: DateTime<Utc>,
    pub snapshot: StatsSnapshot,
}

impl SnapshotRow {
    fn snapshot(&self) -> StatsSnapshot {
        StatsSnapshot {
            ratings: u32::try_from(self.ratings).unwrap_or(0),
            mean_rating: self.mean_rating,
            mean_letterboxd_average: self.mean_letterboxd_average,
            mean_differential: self.mean_differential,
            mean_rating_count: self.mean_rating_count,
        }
    }
}

impl Store {
    /// Stores a member's statistics as computed at `computed_at`.
    pub async fn insert_stats_snapshot(
        &self,
        member: MemberId,
        snapshot: &StatsSnapshot,
        computed_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let ratings = i32::try_from(snapshot.ratings)
            .map_err(|_| StoreError::invalid("snapshot ratings", snapshot.ratings))?;
        let mut conn = self.conn().await?;
        diesel::insert_into(snapshots::table)
            .values((
                snapshots::member_id.eq(member.0),
                snapshots::computed_at.eq(computed_at),
                snapshots::ratings.eq(ratings),
                snapshots::mean_rating.eq(snapshot.mean_rating),
                snapshots::mean_letterboxd_average.eq(snapshot.mean_letterboxd_average),
                snapshots::mean_differential.eq(snapshot.mean_differential),
                snapshots::mean_rating_count.eq(snapshot.mean_rating_count),
            ))
            .execute(&mut conn)
            .await?;
        Ok(())
    }

    /// Whether any member's statistics were ever stored (percentiles have something to rank
    /// against).
    pub async fn has_stats_snapshots(&self) -> Result<bool, StoreError> {
        let mut conn = self.conn().await?;
        Ok(
            diesel::select(diesel::dsl::exists(snapshots::table.select(snapshots::id)))
                .get_result(&mut conn)
                .await?,
        )
    }

    /// Every member's latest snapshot, with whose it is and when it was computed.
    pub async fn latest_stats_snapshots_by_member(
        &self,
    ) -> Result<Vec<LatestSnapshot>, StoreError> {
        let mut conn = self.conn().await?;
        let rows: Vec<SnapshotRow> = snapshots::table
            .distinct_on(snapshots::member_id)
            .order((
                snapshots::member_id,
                snapshots::computed_at.desc(),
                snapshots::id.desc(),
            ))
            .select(SnapshotRow::as_select())
            .load(&mut conn)
            .await?;
        Ok(rows
            .iter()
            .map(|row| LatestSnapshot {
                member: MemberId(row.member_id),
                computed_at: row.computed_at,
                snapshot: row.snapshot(),
            })
            .collect())
    }

    /// A member's snapshots, newest first.
    pub async fn stats_snapshots_of(
        &self,
        member: MemberId,
    ) -> Result<Vec<(DateTime<Utc>, StatsSnapshot)>, StoreError> {
        let mut conn = self.conn().await?;
        let rows: Vec<SnapshotRow> = snapshots::table
            .filter(snapshots::member_id.eq(member.0))
            .order((snapshots::computed_at.desc(), snapshots::id.desc()))
            .select(SnapshotRow::as_select())
            .load(&mut conn)
            .await?;
        Ok(rows
            .iter()
            .map(|row| (row.computed_at, row.snapshot()))
            .collect())
    }
}
