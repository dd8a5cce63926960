//! How this process talks to Letterboxd: one set of settings for `reel serve` and the scraping
//! jobs (`catalog refresh`, `catalog seed`, `ratings refresh`), so a limit set once applies to
//! whichever runs. The defaults are polite for letterboxd.com.

use std::time::Duration;

use letterboxd::client::ClientConfig;
use url::Url;

use super::parse;

/// Letterboxd's address, the client's limits and what it says about itself. The limits are per
/// process: every replica and every job worker applies its own, so the load on Letterboxd grows
/// with their number.
#[derive(Debug, Clone, clap::Args)]
pub struct LetterboxdArgs {
    /// Base URL of Letterboxd (the simulated server's in tests and benchmarks).
    #[arg(
        long,
        env = "LETTERBOXD_BASE_URL",
        default_value = "https://letterboxd.com",
        value_parser = parse::http_url
    )]
    pub letterboxd_base_url: Url,

    /// Requests per second this process sends to Letterboxd (`2`). Raise it only against a
    /// server you run yourself (the simulated one). The service's scrape queue sheds a scrape
    /// that this rate could not finish before the request's deadline.
    #[arg(
        long,
        env = "LETTERBOXD_RATE_LIMIT",
        value_name = "PER_SECOND",
        default_value_t = 2,
        value_parser = clap::value_parser!(u32).range(1..=100_000)
    )]
    pub letterboxd_rate_limit: u32,

    /// Requests this process has in flight to Letterboxd at once (`4`).
    #[arg(
        long,
        env = "LETTERBOXD_CONCURRENCY",
        value_name = "N",
        default_value_t = 4,
        value_parser = clap::value_parser!(u32).range(1..=256)
    )]
    pub letterboxd_concurrency: u32,

    /// After Letterboxd answers with a bot challenge, scraping fails fast for this long (`15m`;
    /// `0s` retries at once): a block does not lift in seconds, and hammering it prolongs it.
    #[arg(
        long,
        env = "LETTERBOXD_BLOCK_COOLDOWN",
        default_value = "15m",
        value_parser = parse::duration_or_zero
    )]
    pub letterboxd_block_cooldown: Duration,

    /// The User-Agent sent to Letterboxd: the service's name and a contact (a URL or an e-mail
    /// address) that reaches whoever runs this deployment [default: reel's, with a placeholder
    /// contact].
    #[arg(long, env = "LETTERBOXD_USER_AGENT", value_parser = parse::user_agent)]
    pub letterboxd_user_agent: Option<String>,
}

impl LetterboxdArgs {
    /// The client settings: the scraper's polite defaults with these.
    pub fn client_config(&self) -> ClientConfig {
        let mut config = ClientConfig::for_base_url(self.letterboxd_base_url.as_str());
        config.requests_per_second = self.letterboxd_rate_limit;
        config.max_in_flight = self.letterboxd_concurrency as usize;
        config.block_cooldown = self.letterboxd_block_cooldown;
        if let Some(user_agent) = &self.letterboxd_user_agent {
            config.user_agent.clone_from(user_agent);
        }
        config
    }
}
