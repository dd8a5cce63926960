//! The typed outcomes of talking to TMDB, one variant per thing a caller handles differently.

use std::time::Duration;

/// Why an answer could not be had.
#[derive(Debug, thiserror::Error)]
pub enum TmdbError {
    /// 401: the token is missing, wrong or revoked. Not retried; the service stops start-up on it.
    #[error("TMDB rejected the API token (HTTP 401) for {url}")]
    BadToken { url: String },
    /// 404: no such movie, series or file.
    #[error("TMDB has no {url}")]
    NotFound { url: String },
    /// TMDB asked to wait longer than the retry budget allows.
    #[error("TMDB asked to wait {}s before {url}", .retry_after.as_secs())]
    RateLimited { url: String, retry_after: Duration },
    /// Retries exhausted on 5xx, timeouts, refused or reset connections, or 429s.
    #[error("TMDB unavailable for {url} after {attempts} attempts: {last}")]
    Unavailable {
        url: String,
        attempts: u32,
        last: String,
    },
    /// The answer arrived but is not what TMDB documents (bad or truncated JSON, a broken
    /// gzip stream).
    #[error("cannot read TMDB's answer for {url}: {message}")]
    InvalidResponse { url: String, message: String },
    /// A status no retry can fix (400, 422, ...).
    #[error("TMDB answered {url} with HTTP {status}")]
    UnexpectedStatus { url: String, status: u16 },
    /// The configured base URL does not make a valid URL.
    #[error("invalid URL `{0}`")]
    InvalidUrl(String),
    #[error("cannot build the HTTP client: {0}")]
    Build(String),
}

impl TmdbError {
    /// A short stable name for logs, metrics labels and problem codes.
    pub fn code(&self) -> &'static str {
        match self {
            TmdbError::BadToken { .. } => "bad_token",
            TmdbError::NotFound { .. } => "not_found",
            TmdbError::RateLimited { .. } => "rate_limited",
            TmdbError::Unavailable { .. } => "unavailable",
            TmdbError::InvalidResponse { .. } => "invalid_response",
            TmdbError::UnexpectedStatus { .. } => "unexpected_status",
            TmdbError::InvalidUrl(_) => "invalid_url",
            TmdbError::Build(_) => "build",
        }
    }

    /// Whether the failure is about TMDB as a whole (stop a sync and try later) rather than
    /// about one item.
    pub fn stops_the_sync(&self) -> bool {
        matches!(
            self,
            TmdbError::BadToken { .. }
                | TmdbError::RateLimited { .. }
                | TmdbError::Unavailable { .. }
        )
    }
}
