//! Daily usage: unique members and uses per UTC day, for the metrics page.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Integer, Nullable};
use diesel_async::RunQueryDsl;

use super::{Store, StoreError};

/// One day of the usage series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, QueryableByName)]
pub struct DailyUsage {
    #[diesel(sql_type = Date)]
    pub day: NaiveDate,
    /// Distinct members whose profile was used that day.
    #[diesel(sql_type = Integer)]
    pub members: i32,
    #[diesel(sql_type = Integer)]
    pub uses: i32,
}

/// One day of the cumulative series: everything since the first day of use, up to that day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, QueryableByName)]
pub struct CumulativeUsage {
    #[diesel(sql_type = Date)]
    pub day: NaiveDate,
    /// Distinct members ever seen up to that day.
    #[diesel(sql_type = BigInt)]
    pub members: i64,
    /// Uses up to that day.
    #[diesel(sql_type = BigInt)]
    pub uses: i64,
}

impl Store {
    /// Writes (or rewrites) `day`'s row of the series from the per-member counts, and returns it.
    /// A day without any use gets a row of zeros, so the series shows it.
    pub async fn snapshot_daily_usage(&self, day: NaiveDate) -> Result<DailyUsage, StoreError> {
        let mut conn = self.conn().await?;
        Ok(diesel::sql_query(
            "INSERT INTO daily_usage (day, members, uses) \
             SELECT $1, count(*)::int4, COALESCE(sum(uses), 0)::int4 \
             FROM member_usage WHERE day = $1 \
             ON CONFLICT (day) DO UPDATE SET members = excluded.members, uses = excluded.uses \
             RETURNING day, members, uses",
        )
        .bind::<Date, _>(day)
        .get_result(&mut conn)
        .await?)
    }

    /// The series from `from` to `to` (inclusive), oldest first: snapshotted days as written,
    /// later days (today, before its snapshot) counted live. Days with no use and no row are
    /// absent.
    pub async fn usage_series(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<DailyUsage>, StoreError> {
        let mut conn = self.conn().await?;
        Ok(diesel::sql_query(
            "SELECT day, members, uses FROM daily_usage WHERE day BETWEEN $1 AND $2 \
             UNION ALL \
             SELECT day, count(*)::int4, sum(uses)::int4 FROM member_usage \
             WHERE day BETWEEN $1 AND $2 \
               AND NOT EXISTS (SELECT 1 FROM daily_usage d WHERE d.day = member_usage.day) \
             GROUP BY day \
             ORDER BY day",
        )
        .bind::<Date, _>(from)
        .bind::<Date, _>(to)
        .load(&mut conn)
        .await?)
    }

    /// The running totals for every day from the first day of use (or `from`, if later) to `to`,
    /// oldest first, days without use included: distinct members ever seen and uses so far.
    /// Empty before any use.
    pub async fn cumulative_usage(
        &self,
        from: Option<NaiveDate>,
        to: NaiveDate,
    ) -> Result<Vec<CumulativeUsage>, StoreError> {
        let mut conn = self.conn().await?;
        Ok(diesel::sql_query(
            "WITH firsts AS ( \
                 SELECT day, count(*) AS members FROM ( \
                     SELECT member_id, min(day) AS day FROM member_usage GROUP BY member_id \
                 ) f GROUP BY day), \
             per_day AS (SELECT day, sum(uses) AS uses FROM member_usage GROUP BY day), \
             series AS ( \
                 SELECT d::date AS day FROM (SELECT min(day) AS first_day FROM member_usage) s, \
                 generate_series(s.first_day, $2::date, interval '1 day') AS d \
                 WHERE s.first_day IS NOT NULL), \
             running AS ( \
                 SELECT series.day, \
                     (sum(COALESCE(firsts.members, 0)) OVER (ORDER BY series.day))::int8 \
                         AS members, \
                     (sum(COALESCE(per_day.uses, 0)) OVER (ORDER BY series.day))::int8 AS uses \
                 FROM series \
                 LEFT JOIN firsts ON firsts.day = series.day \
                 LEFT JOIN per_day ON per_day.day = series.day) \
             SELECT day, members, uses FROM running \
             WHERE $1::date IS NULL OR day >= $1::date \
             ORDER BY day",
        )
        .bind::<Nullable<Date>, _>(from)
        .bind::<Date, _>(to)
        .load(&mut conn)
        .await?)
    }
}
