//! Service configuration. Every setting is an environment variable that a flag overrides (clap
//! `env`), parsed by clap straight into the types below with the parsers of [`parse`], so a bad
//! value stops the process before anything starts. `cli` renders such an error as one line naming
//! the variable and what is wrong ([`InvalidSetting`]; clap's own errors name the flag and span
//! several lines).
//!
//! Each setting has one home from the command line to the code that uses it: the HTTP server
//! takes [`HttpSettings`], the API's services [`Config`]'s other fields (through
//! `wiring::ApiSettings`, which adds what is not configurable), and every job the shared parts.

use std::fmt;
use std::time::Duration;

use crate::limits::{Limit, TrustedProxies};

mod database;
mod errors;
mod http;
mod letterboxd;
mod llm;
mod log;
pub mod memory_budget;
mod origins;
pub mod parse;
mod rate_limits;
pub mod setup;
mod tmdb;

pub use database::DatabaseArgs;
pub use errors::InvalidSetting;
pub use http::{BindAddr, HttpSettings};
pub use letterboxd::LetterboxdArgs;
pub use llm::{LlmArgs, LlmSettings};
pub use log::{LogConfig, LogFormat};
pub use memory_budget::{CacheShares, MemoryBudget};
pub use origins::AllowedOrigins;
pub use parse::{DurationError, parse_duration};
pub use rate_limits::{LOOPBACK_DEFAULT, PUBLIC_DEFAULT, default_rate_limits, rate_limits};
pub use setup::{DatasetFiles, SetupArgs};
pub use tmdb::TmdbArgs;

/// The settings of `reel serve`, from the environment or the command line.
#[derive(Debug, Clone, clap::Args)]
pub struct Config {
    #[command(flatten)]
    pub http: HttpSettings,
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Redis for the shared cache (redis://[:password@]host:port[/db]); in-process cache without it.
    #[arg(long, env = "REDIS_URL", hide_env_values = true, value_parser = parse::redis_url)]
    pub redis_url: Option<Secret>,
    #[command(flatten)]
    pub letterboxd: LetterboxdArgs,
    #[command(flatten)]
    pub tmdb: TmdbArgs,
    #[command(flatten)]
    pub llm: LlmArgs,
    #[command(flatten)]
    pub setup: SetupArgs,
    /// Bearer token for the admin routes (at least 16 characters); admin routes are off without it.
    #[arg(long, env = "ADMIN_TOKEN", hide_env_values = true, value_parser = parse::admin_token)]
    pub admin_token: Option<Secret>,
    #[command(flatten)]
    pub log: LogConfig,
    /// How often the catalog version is checked for a reload (`30s`).
    #[arg(long, env = "CATALOG_POLL_INTERVAL", default_value = "30s", value_parser = parse::parse_duration)]
    pub catalog_poll_interval: Duration,
    /// Comma-separated proxies (IPs or CIDR blocks) whose `X-Forwarded-For` is believed for the
    /// per-client rate limits; none by default. `cloudflare` stands for Cloudflare's published
    /// edge ranges (behind Render and Cloudflare: `10.0.0.0/8,cloudflare`).
    #[arg(long, env = "TRUSTED_PROXIES", default_value = "")]
    pub trusted_proxies: TrustedProxies,
    /// Memory the in-process caches share (`192MiB`, sized for a 512 MB instance; `KiB`, `MiB`,
    /// `GiB`): members' predictions 50% (75% with Redis), the in-process shared cache 25%
    /// (without Redis only), parsed profiles 15%, film lookups and the language model's readings
    /// 10%. The rest of the instance's memory: `docs/performance.md`, "One memory budget".
    #[arg(
        long,
        env = "MEMORY_BUDGET",
        default_value = "192MiB",
        value_parser = memory_budget::memory_budget
    )]
    pub memory_budget: MemoryBudget,
    /// Memory for members' predictions kept between requests, instead of their share of
    /// `MEMORY_BUDGET` (a 7,500-film catalog takes 30 KiB a member); `off` trains on every
    /// request [default: the share].
    #[arg(
        long = "score-cache",
        env = "SCORE_CACHE",
        value_name = "SCORE_CACHE",
        value_parser = parse::byte_size_or_off
    )]
    pub score_cache_bytes: Option<u64>,
    /// Requests per client and feature: `10/min,50/h,250/day`; `off` disables the limits
    /// [default: 10/min,50/h,250/day; 120/min,2000/h,10000/day when bound to a loopback address].
    #[arg(long, env = "RATE_LIMITS", value_parser = rate_limits)]
    // Spelt out so that clap reads one list, not a repeated flag.
    pub rate_limits: Option<::std::vec::Vec<Limit>>,
}

impl Config {
    /// `RATE_LIMITS`, or its default for where the server listens: generous on loopback (a
    /// developer trying the API), strict anywhere else.
    pub fn rate_limits(&self) -> Vec<Limit> {
        self.rate_limits.clone().unwrap_or_else(|| {
            default_rate_limits(self.http.bind_addr.socket_addr().ip().is_loopback())
        })
    }

    /// Each in-memory cache's bytes: its share of `MEMORY_BUDGET` (the shared cache's going to
    /// the predictions with Redis), the predictions' replaced by `SCORE_CACHE` when it is set.
    pub fn cache_shares(&self) -> CacheShares {
        let mut shares = self.memory_budget.shares(self.redis_url.is_some());
        if let Some(bytes) = self.score_cache_bytes {
            shares.scores = bytes;
        }
        shares
    }
}

/// A value that must not reach logs: `Debug` shows only that it is set.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: String) -> Self {
        Self(value)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(..)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests;
