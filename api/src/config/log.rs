//! Logging settings, shared by every subcommand that logs.

use super::parse;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines with colours when stderr is a terminal.
    Pretty,
    /// One JSON object per line, the current span's fields included, for log collectors.
    Json,
}

#[derive(Debug, Clone, clap::Args)]
pub struct LogConfig {
    /// `pretty` for people, `json` for log collectors.
    #[arg(
        id = "log_format",
        long = "log-format",
        env = "LOG_FORMAT",
        value_name = "LOG_FORMAT",
        default_value = "pretty",
        value_parser = parse::log_format
    )]
    pub format: LogFormat,
    /// Log filter in tracing's EnvFilter syntax (`info`, `reel=debug,actix_server=warn`).
    #[arg(
        id = "rust_log",
        long = "rust-log",
        env = "RUST_LOG",
        value_name = "RUST_LOG",
        default_value = "info",
        value_parser = parse::log_filter
    )]
    pub filter: String,
}
