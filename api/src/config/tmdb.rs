//! How the service and the jobs talk to TMDB. Without a token TMDB is off: everything works from
//! imported data, and export rows that match no catalog film stay unmatched.

use tmdb::TmdbConfig;
use url::Url;

use super::{Secret, parse};

#[derive(Debug, Clone, clap::Args)]
pub struct TmdbArgs {
    /// TMDB API read access token (v4 "API Read Access Token", sent as a bearer token). Turns
    /// TMDB on: the catalog sync, and export rows resolved by title and year. A token TMDB
    /// rejects stops start-up.
    #[arg(long, env = "TMDB_API_TOKEN", hide_env_values = true, value_parser = parse::tmdb_token)]
    pub tmdb_api_token: Option<Secret>,

    /// Base URL of TMDB's API (the simulated server's `http://ADDR/3` in tests).
    #[arg(
        long,
        env = "TMDB_BASE_URL",
        default_value = tmdb::DEFAULT_BASE_URL,
        value_parser = parse::http_url
    )]
    pub tmdb_base_url: Url,

    /// Where TMDB publishes its daily id files (the simulated server's `http://ADDR/p/exports`).
    #[arg(
        long,
        env = "TMDB_FILES_URL",
        default_value = tmdb::DEFAULT_FILES_URL,
        value_parser = parse::http_url
    )]
    pub tmdb_files_url: Url,

    /// Requests per second this process sends to TMDB. TMDB documents about 40 a second per IP;
    /// the default keeps half of that as headroom for other processes.
    #[arg(
        long,
        env = "TMDB_RATE_LIMIT",
        value_name = "PER_SECOND",
        default_value_t = 20,
        value_parser = clap::value_parser!(u32).range(1..=100_000)
    )]
    pub tmdb_rate_limit: u32,

    /// Requests this process has in flight to TMDB at once.
    #[arg(
        long,
        env = "TMDB_CONCURRENCY",
        value_name = "N",
        default_value_t = 8,
        value_parser = clap::value_parser!(u32).range(1..=256)
    )]
    pub tmdb_concurrency: u32,
}

impl TmdbArgs {
    /// The client settings, or `None` when no token turns TMDB on.
    pub fn client_config(&self) -> Option<TmdbConfig> {
        let token = self.tmdb_api_token.as_ref()?;
        let mut config = TmdbConfig::with_token(token.expose());
        config.base_url = self.tmdb_base_url.as_str().trim_end_matches('/').to_owned();
        config.files_url = self
            .tmdb_files_url
            .as_str()
            .trim_end_matches('/')
            .to_owned();
        config.requests_per_second = self.tmdb_rate_limit;
        config.max_in_flight = self.tmdb_concurrency as usize;
        Some(config)
    }
}
