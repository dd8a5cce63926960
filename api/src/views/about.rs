//! `GET /faq` and `GET /release-notes`: the service's own pages.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::{FaqEntry, Release};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FaqEntryView {
    /// A stable anchor for the entry.
    #[schema(example = "uploaded-exports")]
    pub id: String,
    pub question: String,
    /// Plain text; `code` is marked with backticks.
    pub answer: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FaqResponse {
    /// In reading order.
    pub entries: Vec<FaqEntryView>,
}

impl From<&[FaqEntry]> for FaqResponse {
    fn from(entries: &[FaqEntry]) -> Self {
        Self {
            entries: entries
                .iter()
                .map(|e| FaqEntryView {
                    id: e.id.to_string(),
                    question: e.question.to_string(),
                    // The source wraps long answers; a client gets one line.
                    answer: e.answer.split_whitespace().collect::<Vec<_>>().join(" "),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ReleaseSectionView {
    /// `Added`, `Changed`, `Deprecated`, `Removed`, `Fixed` or `Security`.
    #[schema(example = "Added")]
    pub kind: String,
    /// One Markdown line each.
    pub items: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ReleaseView {
    /// `Unreleased` or a version number.
    #[schema(example = "0.1.0")]
    pub version: String,
    /// `YYYY-MM-DD`; null for `Unreleased`.
    #[schema(example = "2026-12-01")]
    pub date: Option<String>,
    pub summary: Option<String>,
    pub sections: Vec<ReleaseSectionView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ReleaseNotesResponse {
    /// Newest first.
    pub releases: Vec<ReleaseView>,
}

impl From<&[Release]> for ReleaseNotesResponse {
    fn from(releases: &[Release]) -> Self {
        Self {
            releases: releases
                .iter()
                .map(|r| ReleaseView {
                    version: r.version.clone(),
                    date: r.date.clone(),
                    summary: r.summary.clone(),
                    sections: r
                        .sections
                        .iter()
                        .map(|s| ReleaseSectionView {
                            kind: s.kind.clone(),
                            items: s.items.clone(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}
