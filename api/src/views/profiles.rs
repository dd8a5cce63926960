//! `POST /profiles`: the uploaded export's response.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::Upload;

/// What was read from the export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct UploadCountsView {
    pub ratings: usize,
    pub watched: usize,
    pub watchlist: usize,
    pub likes: usize,
    pub diary_entries: usize,
    /// Rows whose film the catalog knows.
    pub matched_rows: usize,
    pub unmatched_rows: usize,
}

/// A row whose film the catalog does not know (yet): it is not silently dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct UnmatchedRowView {
    #[schema(example = "ratings.csv")]
    pub file: String,
    /// 1-based; the header is line 1.
    pub line: u64,
    pub name: String,
    pub year: Option<u16>,
    pub uri: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProfileUploadResponse {
    /// Usable wherever a member is (`members`, `member`) until `expires_at`.
    pub id: uuid::Uuid,
    /// The export's owner, when the export names them.
    pub username: Option<String>,
    pub counts: UploadCountsView,
    /// The first unmatched rows, in file order (at most 500).
    pub unmatched: Vec<UnmatchedRowView>,
    /// Unmatched rows left out of `unmatched`: `counts.unmatched_rows` less those listed.
    #[serde(default)]
    pub unmatched_omitted: usize,
    pub expires_at: DateTime<Utc>,
}

/// The multipart body of `POST /profiles`: the export zip, or its CSV files, as `file` parts.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct ProfileUploadForm {
    /// `letterboxd-USER-YYYY-MM-DD-HH-MM-utc.zip`, or `ratings.csv`, `watched.csv`, ...
    #[schema(value_type = Vec<String>, format = Binary)]
    pub file: Vec<Vec<u8>>,
}

impl From<Upload> for ProfileUploadResponse {
    fn from(upload: Upload) -> Self {
        let counts = &upload.counts;
        let unmatched_omitted = counts.unmatched_rows.saturating_sub(upload.unmatched.len());
        Self {
            id: upload.id.0,
            username: upload
                .stored
                .profile
                .username
                .as_ref()
                .map(ToString::to_string),
            counts: UploadCountsView {
                ratings: upload.stored.profile.ratings.len(),
                watched: upload.stored.profile.watched.len(),
                watchlist: upload.stored.profile.watchlist.len(),
                likes: upload.stored.profile.likes.len(),
                diary_entries: counts.diary_rows,
                matched_rows: counts.matched_rows,
                unmatched_rows: counts.unmatched_rows,
            },
            unmatched: upload
                .unmatched
                .into_iter()
                .map(|row| UnmatchedRowView {
                    file: row.file.to_owned(),
                    line: row.line,
                    name: row.name,
                    year: row.year,
                    uri: row.uri,
                })
                .collect(),
            unmatched_omitted,
            expires_at: upload.stored.expires_at,
        }
    }
}
