//! Where each syncing film source stands: when its id file seeded the catalog, and up to when its
//! changes feed has been queued.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date, Text, Timestamptz};
use diesel_async::RunQueryDsl;

use super::{Store, StoreError};

/// A source's sync state.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct SourceSync {
    #[diesel(sql_type = Timestamptz)]
    pub seeded_at: DateTime<Utc>,
    #[diesel(sql_type = Date)]
    pub seeded_from: NaiveDate,
    #[diesel(sql_type = Timestamptz)]
    pub changes_until: DateTime<Utc>,
}

#[derive(QueryableByName)]
struct Key {
    #[diesel(sql_type = Text)]
    key: String,
}

impl Store {
    /// `source`'s state; `None` before its first seed finished.
    pub async fn source_sync(&self, source: &str) -> Result<Option<SourceSync>, StoreError> {
        let mut conn = self.conn().await?;
        Ok(diesel::sql_query(
            "SELECT seeded_at, seeded_from, changes_until FROM source_syncs WHERE source = $1",
        )
        .bind::<Text, _>(source)
        .get_result(&mut conn)
        .await
        .optional()?)
    }

    /// Records that `source` was seeded from the id file of `from`; its changes count from `at`.
    pub async fn record_source_seed(
        &self,
        source: &str,
        from: NaiveDate,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut conn = self.conn().await?;
        diesel::sql_query(
            "INSERT INTO source_syncs (source, seeded_at, seeded_from, changes_until) \
             VALUES ($1, $3, $2, $3) \
             ON CONFLICT (source) DO UPDATE SET seeded_at = $3, seeded_from = $2, changes_until = $3",
        )
        .bind::<Text, _>(source)
        .bind::<Date, _>(from)
        .bind::<Timestamptz, _>(at)
        .execute(&mut conn)
        .await?;
        Ok(())
    }

    /// Records that `source`'s changes up to `until` are queued.
    pub async fn advance_source_changes(
        &self,
        source: &str,
        until: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut conn = self.conn().await?;
        diesel::sql_query(
            "UPDATE source_syncs SET changes_until = greatest(changes_until, $2) WHERE source = $1",
        )
        .bind::<Text, _>(source)
        .bind::<Timestamptz, _>(until)
        .execute(&mut conn)
        .await?;
        Ok(())
    }

    /// The `tmdb:<kind>:<id>` keys of the active films holding one of `ids` as their TMDB record
    /// of `kind` (`movie` or `tv`): the films a changes feed concerns.
    pub async fn tmdb_keys_among(
        &self,
        kind: &str,
        ids: &[u64],
    ) -> Result<Vec<String>, StoreError> {
        let ids: Vec<i64> = ids
            .iter()
            .filter_map(|&id| i64::try_from(id).ok())
            .collect();
        let mut conn = self.conn().await?;
        let keys: Vec<Key> = diesel::sql_query(
            "SELECT 'tmdb:' || tmdb_kind || ':' || tmdb_id AS key FROM films \
             WHERE status = 'active' AND tmdb_kind = $1 AND tmdb_id = ANY($2) ORDER BY tmdb_id",
        )
        .bind::<Text, _>(kind)
        .bind::<Array<BigInt>, _>(ids)
        .load(&mut conn)
        .await?;
        Ok(keys.into_iter().map(|k| k.key).collect())
    }
}
