//! An uploaded Letterboxd export, as kept and as the upload request gets it back.

use chrono::{DateTime, Utc};
use letterboxd::export::{ExportCounts, UnmatchedRow};
use model::Profile;
use serde::{Deserialize, Serialize};

use super::member::UploadId;

/// An uploaded export as stored.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredUpload {
    pub profile: Profile,
    pub uploaded_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// What reading an upload gave: its id, the profile kept, and the rows the catalog did not match.
#[derive(Debug, Clone)]
pub struct Upload {
    pub id: UploadId,
    pub stored: StoredUpload,
    pub counts: ExportCounts,
    pub unmatched: Vec<UnmatchedRow>,
}
