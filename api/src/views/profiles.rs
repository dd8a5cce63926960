//! `POST /profiles`: the uploaded export's response.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::{TMDB_ATTRIBUTION, Upload};

/// What was read from the export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct UploadCountsView {
    pub ratings: usize,
    pub watched: usize,
    pub watchlist: usize,
    pub likes: usize,
    pub diary_entries: usize,
    /// Rows whose film the catalog knows, including `resolved_rows`.
    pub matched_rows: usize,
    /// Of `matched_rows`, rows matched through films a film source (TMDB) found for this
    /// upload and the catalog now holds; 0 without a source.
    #[serde(default)]
    pub resolved_rows: usize,
    pub unmatched_rows: usize,
}

/// What looking up the rows the catalog did not know did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ResolutionView {
    /// The film source asked: `tmdb`.
    #[schema(example = "tmdb")]
    pub source: String,
    /// Distinct films the source found (now in the catalog).
    pub films_found: usize,
    /// Distinct titles the source does not have.
    pub titles_not_found: usize,
    /// Distinct titles not looked up: past one upload's limits (500 titles, 40 seconds), or after
    /// the source refused us. Uploading again looks them up (answers are remembered a day).
    pub titles_skipped: usize,
    /// Why lookups stopped early (`rate_limited`, `bad_token`, `unavailable`), if they did.
    pub stopped_by: Option<String>,
    /// The credit the source requires, if any.
    pub attribution: Option<String>,
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

/// One of the export's lists (`lists/*.csv`): name it in `POST /predictions` (`list`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct UploadedListView {
    #[schema(example = "Festival 2026")]
    pub name: String,
    /// Films on the list.
    pub films: usize,
    /// Of `films`, those the catalog knows (the rest are predicted as `unknown`).
    pub matched: usize,
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
    /// Rows the catalog did not know, looked up in a film source; null when none is configured
    /// or every row matched.
    pub resolution: Option<ResolutionView>,
    /// The export's lists, in the archive's order; empty when it had none.
    pub lists: Vec<UploadedListView>,
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
                resolved_rows: upload.resolution.as_ref().map_or(0, |r| r.resolved_rows),
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
            resolution: upload.resolution.map(|r| ResolutionView {
                source: r.source.to_owned(),
                films_found: r.films_found,
                titles_not_found: r.titles_not_found,
                titles_skipped: r.titles_skipped,
                stopped_by: r.stopped_by.map(str::to_owned),
                attribution: (r.source == "tmdb").then(|| TMDB_ATTRIBUTION.to_owned()),
            }),
            lists: upload
                .stored
                .lists
                .iter()
                .map(|list| UploadedListView {
                    name: list.name.clone(),
                    films: list.films.len(),
                    matched: list.films.iter().filter(|f| f.key.is_some()).count(),
                })
                .collect(),
            expires_at: upload.stored.expires_at,
        }
    }
}
