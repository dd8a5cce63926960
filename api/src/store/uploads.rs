//! Uploaded exports: the truth about which upload ids exist (the cache only copies them). A row
//! past its `expires_at` is never returned, and is deleted when met.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use model::Profile;
use uuid::Uuid;

use super::schema::uploads;
use super::{Store, StoreError};

/// An upload as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct UploadRow {
    pub id: Uuid,
    pub profile: Profile,
    /// The export's lists as the caller wrote them (the store does not read them).
    pub lists: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = uploads, check_for_backend(diesel::pg::Pg))]
struct Row {
    id: Uuid,
    profile: serde_json::Value,
    lists: serde_json::Value,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
}

impl Store {
    /// Keeps `profile` and its `lists` under `id` until `expires_at`.
    pub async fn insert_upload(
        &self,
        id: Uuid,
        profile: &Profile,
        lists: serde_json::Value,
        created_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let profile =
            serde_json::to_value(profile).map_err(|err| StoreError::invalid("upload", err))?;
        let mut conn = self.conn().await?;
        diesel::insert_into(uploads::table)
            .values((
                uploads::id.eq(id),
                uploads::profile.eq(profile),
                uploads::lists.eq(lists),
                uploads::created_at.eq(created_at),
                uploads::expires_at.eq(expires_at),
            ))
            .execute(&mut conn)
            .await?;
        Ok(())
    }

    /// The upload if it has not expired by `now`. An expired one is deleted here, so a member's
    /// data does not outlive its promise even between sweeps.
    pub async fn live_upload(
        &self,
        id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<Option<UploadRow>, StoreError> {
        let mut conn = self.conn().await?;
        let row: Option<Row> = uploads::table
            .find(id)
            .select(Row::as_select())
            .first(&mut conn)
            .await
            .optional()?;
        let Some(row) = row else {
            return Ok(None);
        };
        if row.expires_at <= now {
            diesel::delete(uploads::table.find(id).filter(uploads::expires_at.le(now)))
                .execute(&mut conn)
                .await?;
            return Ok(None);
        }
        let profile = serde_json::from_value(row.profile)
            .map_err(|err| StoreError::corrupt("uploads", err))?;
        Ok(Some(UploadRow {
            id: row.id,
            profile,
            lists: row.lists,
            created_at: row.created_at,
            expires_at: row.expires_at,
        }))
    }

    /// Deletes the upload; `true` when it existed and had not expired by `now`.
    pub async fn delete_upload(&self, id: Uuid, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let mut conn = self.conn().await?;
        let expired_at: Option<DateTime<Utc>> = diesel::delete(uploads::table.find(id))
            .returning(uploads::expires_at)
            .get_result(&mut conn)
            .await
            .optional()?;
        Ok(expired_at.is_some_and(|at| at > now))
    }

    /// Deletes every upload expired by `now`; returns how many.
    pub async fn delete_expired_uploads(&self, now: DateTime<Utc>) -> Result<usize, StoreError> {
        let mut conn = self.conn().await?;
        Ok(
            diesel::delete(uploads::table.filter(uploads::expires_at.le(now)))
                .execute(&mut conn)
                .await?,
        )
    }
}
