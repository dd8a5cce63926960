//! An uploaded Letterboxd export, as kept and as the upload request gets it back.

use chrono::{DateTime, Utc};
use letterboxd::export::{ExportCounts, ExportList, UnmatchedRow};
use model::Profile;
use serde::{Deserialize, Serialize};

use super::member::UploadId;

/// An uploaded export as stored.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredUpload {
    pub profile: Profile,
    /// The export's lists (`lists/*.csv`); none in copies written before lists were kept.
    #[serde(default)]
    pub lists: Vec<ExportList>,
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
    /// What looking the catalog's unknown rows up in a film source did; `None` without one.
    pub resolution: Option<Resolution>,
}

/// Rows the catalog did not know, looked up in a film source (TMDB) by title and year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    /// `tmdb`.
    pub source: &'static str,
    /// Rows matched through films the source found (and the catalog now holds).
    pub resolved_rows: usize,
    /// Distinct titles found, not found, and not looked up (past the upload's limits, or after
    /// the source refused us).
    pub films_found: usize,
    pub titles_not_found: usize,
    pub titles_skipped: usize,
    /// Why lookups stopped early (`rate_limited`, `bad_token`, `unavailable`), if they did.
    pub stopped_by: Option<&'static str>,
}
