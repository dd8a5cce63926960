//! The typed outcomes of talking to Letterboxd, one variant per thing a caller handles differently.

use std::time::Duration;

use model::{FilmKey, Username};

/// Why a page could not be had.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("no Letterboxd member `{0}`")]
    MemberNotFound(Username),
    #[error("no Letterboxd film `{0}`")]
    FilmNotFound(FilmKey),
    #[error("the Letterboxd profile of `{0}` is private")]
    ProfilePrivate(Username),
    /// Cloudflare answered with a challenge: a browser check no polite client passes. Not retried.
    #[error("Letterboxd's Cloudflare front answered {url} with a challenge; not retrying")]
    UpstreamBlocked { url: String },
    /// Retries exhausted (5xx, timeouts, truncated pages), the last attempt not a 429.
    #[error("Letterboxd unavailable for {url} after {attempts} attempts: {last}")]
    UpstreamUnavailable {
        url: String,
        attempts: u32,
        last: String,
    },
    /// Letterboxd asked us to wait longer than the retry budget allows, or answered 429 to every
    /// attempt: `retry_after` is its last `Retry-After` (a minute when it named none).
    #[error("Letterboxd asked to wait {}s before {url}", .retry_after.as_secs())]
    RateLimited { url: String, retry_after: Duration },
    /// A status no retry can fix (400, 410, ...).
    #[error("Letterboxd answered {url} with HTTP {status}")]
    UnexpectedStatus { url: String, status: u16 },
    /// The page arrived but its markup is not what the parser knows.
    #[error("cannot read {url}: {message}")]
    Parse { url: String, message: String },
    /// The base URL or a path does not make a valid URL.
    #[error("invalid URL `{0}`")]
    InvalidUrl(String),
    #[error("cannot build the HTTP client: {0}")]
    Build(String),
}

impl ClientError {
    /// A short stable name for logs, metrics labels and the API's problem codes.
    pub fn code(&self) -> &'static str {
        match self {
            ClientError::MemberNotFound(_) => "member_not_found",
            ClientError::FilmNotFound(_) => "film_not_found",
            ClientError::ProfilePrivate(_) => "profile_private",
            ClientError::UpstreamBlocked { .. } => "upstream_blocked",
            ClientError::UpstreamUnavailable { .. } => "upstream_unavailable",
            ClientError::RateLimited { .. } => "rate_limited",
            ClientError::UnexpectedStatus { .. } => "unexpected_status",
            ClientError::Parse { .. } => "parse",
            ClientError::InvalidUrl(_) => "invalid_url",
            ClientError::Build(_) => "build",
        }
    }

    /// Whether the failure says something about Letterboxd as a whole (stop the scrape) rather
    /// than about one page.
    pub fn stops_the_crawl(&self) -> bool {
        matches!(
            self,
            ClientError::UpstreamBlocked { .. }
                | ClientError::UpstreamUnavailable { .. }
                | ClientError::RateLimited { .. }
        )
    }
}
