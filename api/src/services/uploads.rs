//! Uploaded Letterboxd exports, kept for 24 hours under a random id usable wherever a member is.
//! Postgres holds them (so they survive restarts and cache losses); the cache keeps a short copy
//! in front. They are a member's data, deleted on `DELETE`, when read after expiry, and by the
//! sweep every [`SWEEP_EVERY`], so none outlives its expiry by more than that.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, SubsecRound, Utc};
use letterboxd::export::ExportList;
use model::Profile;

use super::ServiceError;
use super::ports::{KeyValue, UploadStore};
use crate::domain::{StoredUpload, UploadId};

/// How long an uploaded export stays usable.
pub const UPLOAD_TTL: Duration = Duration::from_secs(24 * 60 * 60);
/// How long the cache keeps a copy: short, so a replica's in-process copy cannot serve an upload
/// deleted through another replica for long.
const COPY_TTL: Duration = Duration::from_secs(10 * 60);
/// How often expired uploads are deleted.
pub const SWEEP_EVERY: Duration = Duration::from_secs(60 * 60);

pub struct Uploads {
    store: Arc<dyn UploadStore>,
    cache: Arc<dyn KeyValue>,
}

fn key(id: UploadId) -> String {
    // v2: copies of rows in Postgres (v1 entries were the only copy, and are not read).
    format!("upload:v2:{id}")
}

fn unavailable(err: anyhow::Error) -> ServiceError {
    ServiceError::StoreUnavailable(Arc::new(err))
}

impl Uploads {
    pub fn new(store: Arc<dyn UploadStore>, cache: Arc<dyn KeyValue>) -> Self {
        Self { store, cache }
    }

    /// Keeps `profile` and its `lists` for [`UPLOAD_TTL`] under a new id. Fails unless it is
    /// stored: an id is only handed out once it works.
    pub async fn put(
        &self,
        profile: Profile,
        lists: Vec<ExportList>,
    ) -> Result<(UploadId, StoredUpload), ServiceError> {
        let id = UploadId(uuid::Uuid::new_v4());
        // Postgres keeps microseconds: the copy then equals the row.
        let now = Utc::now().trunc_subsecs(6);
        let upload = StoredUpload {
            profile,
            lists,
            uploaded_at: now,
            expires_at: now
                + chrono::Duration::from_std(UPLOAD_TTL).map_err(ServiceError::internal)?,
        };
        self.store
            .save_upload(id, &upload)
            .await
            .map_err(unavailable)?;
        self.keep_copy(id, &upload, now).await;
        Ok((id, upload))
    }

    /// The upload, or `None` when it expired, was deleted or never existed.
    pub async fn get(&self, id: UploadId) -> Result<Option<StoredUpload>, ServiceError> {
        let now = Utc::now();
        if let Some(bytes) = self.cache.get(&key(id)).await {
            // An unreadable copy is a miss: the row decides.
            if let Ok(upload) = serde_json::from_slice::<StoredUpload>(&bytes)
                && upload.expires_at > now
            {
                return Ok(Some(upload));
            }
            self.cache.delete(&key(id)).await;
        }
        let upload = self.store.load_upload(id, now).await.map_err(unavailable)?;
        if let Some(upload) = &upload {
            self.keep_copy(id, upload, now).await;
        }
        Ok(upload)
    }

    /// Removes the upload from the store and the cache; `false` when there was none.
    pub async fn delete(&self, id: UploadId) -> Result<bool, ServiceError> {
        self.cache.delete(&key(id)).await;
        self.store
            .remove_upload(id, Utc::now())
            .await
            .map_err(unavailable)
    }

    /// Deletes every expired upload; returns how many.
    pub async fn sweep(&self) -> Result<usize, ServiceError> {
        self.store
            .sweep_uploads(Utc::now())
            .await
            .map_err(unavailable)
    }

    /// Sweeps at once, then every [`SWEEP_EVERY`], until the task is aborted. Every replica
    /// sweeps: the delete is idempotent and reads only the expiry index.
    pub fn spawn_sweeper(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let uploads = Arc::clone(self);
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(SWEEP_EVERY);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                match uploads.sweep().await {
                    Ok(0) => {}
                    Ok(deleted) => tracing::info!(deleted, "expired uploads deleted"),
                    Err(err) => tracing::warn!(error = %err, "expired uploads not swept; retrying"),
                }
            }
        })
    }

    /// Copies the upload into the cache, for at most [`COPY_TTL`] and never past its expiry.
    async fn keep_copy(&self, id: UploadId, upload: &StoredUpload, now: DateTime<Utc>) {
        let left = (upload.expires_at - now).to_std().unwrap_or(Duration::ZERO);
        let ttl = left.min(COPY_TTL);
        if ttl.is_zero() {
            return;
        }
        match serde_json::to_vec(upload) {
            Ok(bytes) => self.cache.set(&key(id), bytes, ttl).await,
            Err(err) => tracing::warn!(error = %err, "upload not copied to the cache"),
        }
    }
}
