//! Where the client points, how it introduces itself, and how hard it may push TMDB.

use std::time::Duration;

/// TMDB's API root in production.
pub const DEFAULT_BASE_URL: &str = "https://api.themoviedb.org/3";
/// Where TMDB publishes its daily id exports.
pub const DEFAULT_FILES_URL: &str = "https://files.tmdb.org/p/exports";

/// Sent on every request unless configured otherwise.
pub const DEFAULT_USER_AGENT: &str = concat!(
    "reel/",
    env!("CARGO_PKG_VERSION"),
    " (film recommendations; +https://reel.example/bot)"
);

/// Settings for [`crate::Client`]. The defaults are the production values; tests shrink the
/// backoff with [`TmdbConfig::fast_retries`].
#[derive(Clone, PartialEq)]
pub struct TmdbConfig {
    /// The API read access token, sent as `Authorization: Bearer` (the service reads
    /// `TMDB_API_TOKEN`).
    pub token: String,
    /// `https://api.themoviedb.org/3`, or a simulated TMDB's `http://ADDR/3`.
    pub base_url: String,
    /// `https://files.tmdb.org/p/exports`, or a simulated TMDB's `http://ADDR/p/exports`.
    pub files_url: String,
    pub user_agent: String,
    /// Requests started per second, for the whole process. TMDB documents a ceiling "in the
    /// 40 requests per second range" and answers 429 above it; half of that leaves headroom for
    /// other processes sharing the token and for TMDB moving the ceiling.
    pub requests_per_second: u32,
    /// Requests in flight at once, for the whole process.
    pub max_in_flight: usize,
    pub connect_timeout: Duration,
    /// Whole request, connect to last byte (API calls; the id files have their own).
    pub request_timeout: Duration,
    /// Whole download of one daily id file (tens of megabytes).
    pub file_timeout: Duration,
    /// Attempts per request, the first included.
    pub max_attempts: u32,
    /// Time budget per request for all its attempts and the waits between them.
    pub max_retry_time: Duration,
    /// First backoff delay; doubles each attempt, with jitter.
    pub backoff_base: Duration,
    pub backoff_max: Duration,
}

impl Default for TmdbConfig {
    fn default() -> Self {
        Self {
            token: String::new(),
            base_url: DEFAULT_BASE_URL.to_owned(),
            files_url: DEFAULT_FILES_URL.to_owned(),
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            requests_per_second: 20,
            max_in_flight: 8,
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(15),
            file_timeout: Duration::from_secs(600),
            max_attempts: 4,
            max_retry_time: Duration::from_secs(60),
            backoff_base: Duration::from_millis(500),
            backoff_max: Duration::from_secs(20),
        }
    }
}

impl TmdbConfig {
    /// The production defaults with `token`.
    pub fn with_token(token: impl Into<String>) -> Self {
        Self {
            token: token.into(),
            ..Self::default()
        }
    }

    /// Both URLs of a simulated TMDB at `root` (`http://127.0.0.1:PORT`).
    pub fn pointed_at(mut self, root: &str) -> Self {
        let root = root.trim_end_matches('/');
        self.base_url = format!("{root}/3");
        self.files_url = format!("{root}/p/exports");
        self
    }

    /// Millisecond backoff: what tests against the simulated TMDB use.
    pub fn fast_retries(mut self) -> Self {
        self.backoff_base = Duration::from_millis(1);
        self.backoff_max = Duration::from_millis(20);
        self
    }
}

// The token is a secret: never in logs or panics.
impl std::fmt::Debug for TmdbConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TmdbConfig")
            .field(
                "token",
                &if self.token.is_empty() {
                    ""
                } else {
                    "<redacted>"
                },
            )
            .field("base_url", &self.base_url)
            .field("files_url", &self.files_url)
            .field("user_agent", &self.user_agent)
            .field("requests_per_second", &self.requests_per_second)
            .field("max_in_flight", &self.max_in_flight)
            .field("max_attempts", &self.max_attempts)
            .finish_non_exhaustive()
    }
}
