//! The members a response was computed for.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::{ProfileOrigin, ResolvedProfile};

/// Where the member's profile came from for this request: `scraped` (read from Letterboxd for
/// this request), `cached` (from the service's cache, where profiles are kept for an hour) or
/// `upload` (from an uploaded export).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ProfileSourceView {
    /// Read from Letterboxd for this request.
    Scraped,
    /// From the service's cache (profiles are kept for an hour), or from the copy of the last
    /// scrape the service stored (refreshed in the background once over an hour old).
    Cached,
    /// From an uploaded export.
    Upload,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MemberView {
    /// The normalised username, or the upload id.
    #[schema(example = "schaffrillas")]
    pub member: String,
    pub source: ProfileSourceView,
    /// Films the member rated.
    pub ratings: usize,
    /// Films on the member's watchlist.
    pub watchlist: usize,
}

impl From<&ResolvedProfile> for MemberView {
    fn from(resolved: &ResolvedProfile) -> Self {
        Self {
            member: resolved.name(),
            source: match resolved.origin {
                ProfileOrigin::Scraped => ProfileSourceView::Scraped,
                ProfileOrigin::Cached => ProfileSourceView::Cached,
                ProfileOrigin::Upload => ProfileSourceView::Upload,
            },
            ratings: resolved.profile.ratings.len(),
            watchlist: resolved.profile.watchlist.len(),
        }
    }
}
