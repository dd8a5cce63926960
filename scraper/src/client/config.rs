//! What the client is allowed to do: where it points, how it introduces itself, how hard it may push.

use std::time::Duration;

/// Settings for [`super::Client`]. The defaults are the polite production values; tests shrink the
/// backoff so retries take milliseconds.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientConfig {
    /// `https://letterboxd.com` in production, the simulated server in tests.
    pub base_url: String,
    /// Sent on every request: names the service and where to reach its operators.
    pub user_agent: String,
    /// Requests in flight at once, for the whole process.
    pub max_in_flight: usize,
    /// Requests started per second, for the whole process.
    pub requests_per_second: u32,
    pub connect_timeout: Duration,
    /// Whole request, connect to last byte.
    pub request_timeout: Duration,
    /// Attempts per page, the first included.
    pub max_attempts: u32,
    /// Time budget per page for all its attempts and the waits between them.
    pub max_retry_time: Duration,
    /// First backoff delay; doubles each attempt, with full jitter.
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    /// After a Cloudflare challenge, every request fails fast for this long: a block does not lift
    /// in seconds, and hammering it only prolongs it.
    pub block_cooldown: Duration,
    /// Film pages fetched per profile scrape; the other missing films are returned as queued.
    pub film_pages_per_profile: usize,
    /// Diary pages (50 entries each, newest first) read per profile scrape for the watch dates;
    /// 0 reads none. A longer diary is cut and the scrape says so ([`super::DiaryRead`]).
    pub diary_pages_per_profile: u32,
}

/// The User-Agent unless configured otherwise: honest about being a bot and whose it is. Deployments
/// set their own contact (`reel.example` is a placeholder; reel reads `LETTERBOXD_USER_AGENT`).
pub const DEFAULT_USER_AGENT: &str = concat!(
    "reel/",
    env!("CARGO_PKG_VERSION"),
    " (film recommendations for Letterboxd members; +https://reel.example/bot)"
);

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            base_url: "https://letterboxd.com".to_owned(),
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            max_in_flight: 4,
            requests_per_second: 2,
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(20),
            max_attempts: 5,
            max_retry_time: Duration::from_secs(120),
            backoff_base: Duration::from_millis(500),
            backoff_max: Duration::from_secs(30),
            block_cooldown: Duration::from_secs(15 * 60),
            film_pages_per_profile: 50,
            // About 1,000 watches: years of a keen member's diary for 20 polite requests.
            diary_pages_per_profile: 20,
        }
    }
}

impl ClientConfig {
    /// The defaults pointed at another base URL (the simulated server, a proxy).
    pub fn for_base_url(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            ..Self::default()
        }
    }

    /// Millisecond backoff and no cooldown: what tests against the simulated server use.
    pub fn fast_retries(mut self) -> Self {
        self.backoff_base = Duration::from_millis(1);
        self.backoff_max = Duration::from_millis(20);
        self.max_retry_time = Duration::from_secs(30);
        self.block_cooldown = Duration::ZERO;
        self
    }
}
