//! Uploaded Letterboxd exports, kept for 24 hours under a random id usable wherever a member is.
//! They live in the cache (Redis or in-process), which expires them on its own; `DELETE` removes
//! one at once.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use model::Profile;

use super::ServiceError;
use super::ports::KeyValue;
use crate::domain::{StoredUpload, UploadId};

/// How long an uploaded export stays usable.
pub const UPLOAD_TTL: Duration = Duration::from_secs(24 * 60 * 60);

pub struct Uploads {
    cache: Arc<dyn KeyValue>,
}

fn key(id: UploadId) -> String {
    format!("upload:v1:{id}")
}

impl Uploads {
    pub fn new(cache: Arc<dyn KeyValue>) -> Self {
        Self { cache }
    }

    /// Keeps `profile` for [`UPLOAD_TTL`] under a new id.
    pub async fn put(&self, profile: Profile) -> Result<(UploadId, StoredUpload), ServiceError> {
        let id = UploadId(uuid::Uuid::new_v4());
        let now = Utc::now();
        let upload = StoredUpload {
            profile,
            uploaded_at: now,
            expires_at: now
                + chrono::Duration::from_std(UPLOAD_TTL).map_err(ServiceError::internal)?,
        };
        let bytes = serde_json::to_vec(&upload).map_err(ServiceError::internal)?;
        self.cache.set(&key(id), bytes, UPLOAD_TTL).await;
        Ok((id, upload))
    }

    /// The upload, or `None` when it expired, was deleted or never existed.
    pub async fn get(&self, id: UploadId) -> Result<Option<StoredUpload>, ServiceError> {
        let Some(bytes) = self.cache.get(&key(id)).await else {
            return Ok(None);
        };
        let upload: StoredUpload =
            serde_json::from_slice(&bytes).map_err(ServiceError::internal)?;
        Ok((upload.expires_at > Utc::now()).then_some(upload))
    }

    /// Removes the upload; `false` when there was none.
    pub async fn delete(&self, id: UploadId) -> Result<bool, ServiceError> {
        let existed = self.get(id).await?.is_some();
        self.cache.delete(&key(id)).await;
        Ok(existed)
    }
}
