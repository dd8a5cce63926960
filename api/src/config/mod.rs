//! Service configuration. Every setting is an environment variable that a flag overrides (clap
//! `env`); clap only collects the raw text, and [`Config::from_args`] validates all of it before
//! anything starts, so a bad value stops the process with one line naming the variable and what is
//! wrong (clap's own errors name the flag and span several lines).

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use tracing_subscriber::EnvFilter;
use url::Url;

use crate::cli::job_args::{parse_duration, parse_user_agent};
use crate::telemetry::LogFormat;

mod database;
mod origins;

pub use database::DatabaseArgs;
pub use origins::AllowedOrigins;

/// The raw settings of `reel serve`, as given in the environment or on the command line.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8080, or 0.0.0.0:$PORT when PORT is set].
    #[arg(long, env = "BIND_ADDR")]
    pub bind_addr: Option<String>,
    /// Port set by platforms such as Render; used (on 0.0.0.0) only when BIND_ADDR is not set.
    #[arg(long, env = "PORT")]
    pub port: Option<String>,
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Redis for the shared cache (redis://[:password@]host:port[/db]); in-process cache without it.
    #[arg(long, env = "REDIS_URL", hide_env_values = true)]
    pub redis_url: Option<String>,
    /// Base URL of Letterboxd (the simulated server's in tests).
    #[arg(
        long,
        env = "LETTERBOXD_BASE_URL",
        default_value = "https://letterboxd.com"
    )]
    pub letterboxd_base_url: String,
    /// After Letterboxd answers with a bot challenge, scraping fails fast for this long (`15m`;
    /// `0s` retries at once): a block does not lift in seconds, and hammering it prolongs it.
    #[arg(long, env = "LETTERBOXD_BLOCK_COOLDOWN", default_value = "15m")]
    pub letterboxd_block_cooldown: String,
    /// The User-Agent sent to Letterboxd, naming a contact (a URL or an e-mail address) for this
    /// deployment [default: reel's, with a placeholder contact].
    #[arg(long, env = "LETTERBOXD_USER_AGENT")]
    pub letterboxd_user_agent: Option<String>,
    /// Comma-separated origins a browser may call the API from (`https://app.example.com`), or `*`.
    #[arg(long, env = "CORS_ALLOWED_ORIGINS", default_value = "")]
    pub cors_allowed_origins: String,
    /// Bearer token for the admin routes (at least 16 characters); admin routes are off without it.
    #[arg(long, env = "ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    #[command(flatten)]
    pub log: LogArgs,
    /// Deadline of one request (`120s`, `2m`); past it the client gets 504 and the work is dropped.
    #[arg(long, env = "REQUEST_TIMEOUT", default_value = "120s")]
    pub request_timeout: String,
    /// Largest request body accepted, in bytes or with a KiB/MiB suffix.
    #[arg(long, env = "BODY_LIMIT", default_value = "256KiB")]
    pub body_limit: String,
    /// How often the catalog version is checked for a reload (`30s`).
    #[arg(long, env = "CATALOG_POLL_INTERVAL", default_value = "30s")]
    pub catalog_poll_interval: String,
    /// Comma-separated proxies (IPs or CIDR blocks) whose `X-Forwarded-For` is believed for the
    /// per-client rate limits; none by default.
    #[arg(long, env = "TRUSTED_PROXIES", default_value = "")]
    pub trusted_proxies: String,
    /// Memory for members' predictions kept between requests (`64MiB`; a 7,500-film catalog
    /// takes 30 KiB a member); `off` trains on every request.
    #[arg(long, env = "SCORE_CACHE", default_value = "64MiB")]
    pub score_cache: String,
    /// Requests per client and feature: `10/min,50/h,250/day`; `off` disables the limits.
    #[arg(long, env = "RATE_LIMITS", default_value = "10/min,50/h,250/day")]
    pub rate_limits: String,
}

/// Logging settings, shared by every subcommand that logs.
#[derive(Debug, Clone, clap::Args)]
pub struct LogArgs {
    /// `pretty` for people, `json` for log collectors.
    #[arg(long, env = "LOG_FORMAT", default_value = "pretty")]
    pub log_format: String,
    /// Log filter in tracing's EnvFilter syntax (`info`, `reel=debug,actix_server=warn`).
    #[arg(long, env = "RUST_LOG", default_value = "info")]
    pub rust_log: String,
}

/// Validated configuration of `reel serve`.
#[derive(Debug, Clone)]
pub struct Config {
    pub bind_addr: SocketAddr,
    pub database: DatabaseArgs,
    pub redis_url: Option<Secret>,
    pub letterboxd_base_url: Url,
    pub letterboxd_block_cooldown: Duration,
    /// `None` keeps the scraper's default.
    pub letterboxd_user_agent: Option<String>,
    pub cors_allowed_origins: AllowedOrigins,
    pub admin_token: Option<Secret>,
    pub log: LogConfig,
    pub request_timeout: Duration,
    pub body_limit: usize,
    /// 0 when off.
    pub score_cache_bytes: u64,
    pub catalog_poll_interval: Duration,
    pub trusted_proxies: crate::limits::TrustedProxies,
    pub rate_limits: Vec<crate::limits::Limit>,
}

/// Validated logging settings.
#[derive(Debug, Clone)]
pub struct LogConfig {
    pub format: LogFormat,
    pub filter: String,
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

/// A setting that failed validation: which variable, the value (unless secret), and why.
#[derive(Debug, thiserror::Error)]
#[error("invalid {variable}{}: {problem}", shown(.value))]
pub struct ConfigError {
    pub variable: &'static str,
    value: Option<String>,
    problem: String,
}

fn shown(value: &Option<String>) -> String {
    value
        .as_ref()
        .map(|value| format!(" `{value}`"))
        .unwrap_or_default()
}

impl ConfigError {
    fn new(variable: &'static str, value: &str, problem: impl fmt::Display) -> Self {
        Self {
            variable,
            value: Some(value.to_owned()),
            problem: problem.to_string(),
        }
    }

    fn secret(variable: &'static str, problem: impl fmt::Display) -> Self {
        Self {
            variable,
            value: None,
            problem: problem.to_string(),
        }
    }
}

/// Shortest admin token accepted: anything guessable would open the admin routes.
const MIN_ADMIN_TOKEN_LEN: usize = 16;

impl Config {
    pub fn from_args(args: ServeArgs) -> Result<Self, ConfigError> {
        Ok(Self {
            bind_addr: bind_addr(args.bind_addr.as_deref(), args.port.as_deref())?,
            redis_url: args.redis_url.map(redis_url).transpose()?,
            letterboxd_base_url: base_url("LETTERBOXD_BASE_URL", &args.letterboxd_base_url)?,
            letterboxd_block_cooldown: match args.letterboxd_block_cooldown.trim() {
                "0s" => Duration::ZERO,
                raw => duration("LETTERBOXD_BLOCK_COOLDOWN", raw)?,
            },
            letterboxd_user_agent: args
                .letterboxd_user_agent
                .map(|raw| {
                    parse_user_agent(&raw)
                        .map_err(|problem| ConfigError::new("LETTERBOXD_USER_AGENT", &raw, problem))
                })
                .transpose()?,
            cors_allowed_origins: AllowedOrigins::parse(&args.cors_allowed_origins).map_err(
                |problem| {
                    ConfigError::new("CORS_ALLOWED_ORIGINS", &args.cors_allowed_origins, problem)
                },
            )?,
            admin_token: args.admin_token.map(admin_token).transpose()?,
            log: LogConfig::from_args(&args.log)?,
            request_timeout: duration("REQUEST_TIMEOUT", &args.request_timeout)?,
            body_limit: byte_size("BODY_LIMIT", &args.body_limit)?,
            score_cache_bytes: match args.score_cache.trim() {
                "off" => 0,
                size => byte_size("SCORE_CACHE", size)? as u64,
            },
            catalog_poll_interval: duration("CATALOG_POLL_INTERVAL", &args.catalog_poll_interval)?,
            trusted_proxies: args.trusted_proxies.parse().map_err(|problem| {
                ConfigError::new("TRUSTED_PROXIES", &args.trusted_proxies, problem)
            })?,
            rate_limits: crate::limits::Limit::parse_list(&args.rate_limits)
                .map_err(|problem| ConfigError::new("RATE_LIMITS", &args.rate_limits, problem))?,
            database: args.database,
        })
    }
}

impl LogConfig {
    pub fn from_args(args: &LogArgs) -> Result<Self, ConfigError> {
        let format = match args.log_format.trim() {
            "pretty" => LogFormat::Pretty,
            "json" => LogFormat::Json,
            _ => {
                return Err(ConfigError::new(
                    "LOG_FORMAT",
                    &args.log_format,
                    "expected `pretty` or `json`",
                ));
            }
        };
        EnvFilter::try_new(&args.rust_log).map_err(|err| {
            ConfigError::new(
                "RUST_LOG",
                &args.rust_log,
                format!("not a log filter: {err}"),
            )
        })?;
        Ok(Self {
            format,
            filter: args.rust_log.clone(),
        })
    }
}

/// BIND_ADDR wins; otherwise PORT (set by hosting platforms, which route to every interface);
/// otherwise the loopback default.
fn bind_addr(bind_addr: Option<&str>, port: Option<&str>) -> Result<SocketAddr, ConfigError> {
    if let Some(raw) = bind_addr {
        return raw.trim().parse().map_err(|_| {
            ConfigError::new("BIND_ADDR", raw, "expected IP:PORT such as 127.0.0.1:8080")
        });
    }
    if let Some(raw) = port {
        return match raw.trim().parse::<u16>() {
            Ok(port) if port > 0 => Ok(SocketAddr::from((Ipv4Addr::UNSPECIFIED, port))),
            _ => Err(ConfigError::new(
                "PORT",
                raw,
                "expected a port number from 1 to 65535",
            )),
        };
    }
    Ok(SocketAddr::from(([127, 0, 0, 1], 8080)))
}

fn redis_url(raw: String) -> Result<Secret, ConfigError> {
    // The URL may carry a password: never echo it.
    match Url::parse(raw.trim()) {
        Ok(url) if matches!(url.scheme(), "redis" | "rediss") && url.has_host() => {
            Ok(Secret(raw.trim().to_owned()))
        }
        Ok(_) => Err(ConfigError::secret(
            "REDIS_URL",
            "expected redis://[:password@]host[:port][/db] (or rediss://)",
        )),
        Err(err) => Err(ConfigError::secret(
            "REDIS_URL",
            format!("not a URL ({err}); expected redis://host:port"),
        )),
    }
}

fn base_url(variable: &'static str, raw: &str) -> Result<Url, ConfigError> {
    match Url::parse(raw.trim()) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => Ok(url),
        Ok(_) => Err(ConfigError::new(
            variable,
            raw,
            "expected an http(s) URL such as https://letterboxd.com",
        )),
        Err(err) => Err(ConfigError::new(
            variable,
            raw,
            format!("not a URL ({err})"),
        )),
    }
}

fn admin_token(raw: String) -> Result<Secret, ConfigError> {
    let token = raw.trim();
    if token.chars().count() < MIN_ADMIN_TOKEN_LEN {
        return Err(ConfigError::secret(
            "ADMIN_TOKEN",
            format!(
                "must be at least {MIN_ADMIN_TOKEN_LEN} characters (unset it to turn admin routes off)"
            ),
        ));
    }
    Ok(Secret(token.to_owned()))
}

fn duration(variable: &'static str, raw: &str) -> Result<Duration, ConfigError> {
    match parse_duration(raw) {
        Ok(duration) if !duration.is_zero() => Ok(duration),
        Ok(_) => Err(ConfigError::new(variable, raw, "must be longer than zero")),
        Err(err) => Err(ConfigError::new(variable, raw, err)),
    }
}

/// Bytes, optionally with a `KiB` or `MiB` suffix.
fn byte_size(variable: &'static str, raw: &str) -> Result<usize, ConfigError> {
    let text = raw.trim();
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => text.split_at(at),
        None => (text, ""),
    };
    let multiplier = match unit.trim() {
        "" | "B" => 1,
        "KiB" => 1 << 10,
        "MiB" => 1 << 20,
        _ => {
            return Err(ConfigError::new(
                variable,
                raw,
                "expected a size in bytes, KiB or MiB such as `256KiB`",
            ));
        }
    };
    match number
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_mul(multiplier))
    {
        Some(size) if size > 0 => Ok(size),
        _ => Err(ConfigError::new(
            variable,
            raw,
            "expected a positive size such as `256KiB`",
        )),
    }
}

#[cfg(test)]
mod tests;
