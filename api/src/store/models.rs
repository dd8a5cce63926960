//! Trained models: serialised bytes and evaluation metrics, versioned per model name.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel_async::{AsyncConnection, RunQueryDsl};

use super::schema::models;
use super::{Store, StoreError};

/// A model's version without its bytes: what servers poll to notice a new one.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = models, check_for_backend(diesel::pg::Pg))]
pub struct ModelVersion {
    pub name: String,
    pub version: i32,
    pub trained_at: DateTime<Utc>,
    pub metrics: serde_json::Value,
}

/// A stored model with its serialised bytes.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = models, check_for_backend(diesel::pg::Pg))]
pub struct StoredModel {
    pub name: String,
    pub version: i32,
    pub trained_at: DateTime<Utc>,
    pub metrics: serde_json::Value,
    pub bytes: Vec<u8>,
}

impl Store {
    /// Stores a new version of model `name` (one more than its latest) and returns the version.
    /// Concurrent saves of the same name are serialised by a transaction-scoped advisory lock.
    pub async fn save_model(
        &self,
        name: &str,
        trained_at: DateTime<Utc>,
        metrics: &serde_json::Value,
        bytes: &[u8],
    ) -> Result<i32, StoreError> {
        let mut conn = self.conn().await?;
        conn.transaction::<_, StoreError, _>(async |conn| {
            diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext('reel.models.' || $1))")
                .bind::<Text, _>(name)
                .execute(conn)
                .await?;
            let latest: Option<i32> = models::table
                .filter(models::name.eq(name))
                .select(diesel::dsl::max(models::version))
                .first(conn)
                .await?;
            let version = latest.unwrap_or(0) + 1;
            diesel::insert_into(models::table)
                .values((
                    models::name.eq(name),
                    models::version.eq(version),
                    models::trained_at.eq(trained_at),
                    models::metrics.eq(metrics),
                    models::bytes.eq(bytes),
                ))
                .execute(conn)
                .await?;
            Ok(version)
        })
        .await
    }

    /// The newest version of model `name`, without its bytes.
    pub async fn latest_model_version(
        &self,
        name: &str,
    ) -> Result<Option<ModelVersion>, StoreError> {
        let mut conn = self.conn().await?;
        Ok(models::table
            .filter(models::name.eq(name))
            .order(models::version.desc())
            .select(ModelVersion::as_select())
            .first(&mut conn)
            .await
            .optional()?)
    }

    /// The newest version of model `name`, bytes included.
    pub async fn latest_model(&self, name: &str) -> Result<Option<StoredModel>, StoreError> {
        let mut conn = self.conn().await?;
        Ok(models::table
            .filter(models::name.eq(name))
            .order(models::version.desc())
            .select(StoredModel::as_select())
            .first(&mut conn)
            .await
            .optional()?)
    }

    /// One version of model `name`.
    pub async fn load_model(
        &self,
        name: &str,
        version: i32,
    ) -> Result<Option<StoredModel>, StoreError> {
        let mut conn = self.conn().await?;
        Ok(models::table
            .find((name, version))
            .select(StoredModel::as_select())
            .first(&mut conn)
            .await
            .optional()?)
    }

    /// Deletes all but the newest `keep` versions of model `name`; returns how many went.
    pub async fn prune_models(&self, name: &str, keep: u32) -> Result<usize, StoreError> {
        let mut conn = self.conn().await?;
        let kept: Vec<i32> = models::table
            .filter(models::name.eq(name))
            .order(models::version.desc())
            .limit(i64::from(keep))
            .select(models::version)
            .load(&mut conn)
            .await?;
        Ok(diesel::delete(
            models::table
                .filter(models::name.eq(name))
                .filter(models::version.ne_all(kept)),
        )
        .execute(&mut conn)
        .await?)
    }
}
