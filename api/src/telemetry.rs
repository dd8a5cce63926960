//! Structured logs through `tracing`: an env filter (`RUST_LOG`) and a pretty or JSON format
//! (`LOG_FORMAT`). Fields of the enclosing spans (the request id among them) go on every line.

use tracing::Subscriber;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

use crate::config::{LogConfig, LogFormat};

/// A subscriber for `config` writing to `writer`; [`init`] installs one on stderr.
pub fn subscriber<W>(config: &LogConfig, writer: W) -> Box<dyn Subscriber + Send + Sync>
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    // The filter was validated with the rest of the configuration; an empty one logs nothing.
    let filter = EnvFilter::try_new(&config.filter).unwrap_or_else(|_| EnvFilter::new("off"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer);
    match config.format {
        LogFormat::Pretty => Box::new(builder.with_ansi(stderr_is_terminal()).finish()),
        LogFormat::Json => Box::new(
            builder
                .json()
                .flatten_event(true)
                .with_current_span(true)
                .with_span_list(false)
                .finish(),
        ),
    }
}

/// Installs the process-wide subscriber on stderr, and routes `log` records (from dependencies
/// that use the `log` crate) into it. A second call keeps the first subscriber.
pub fn init(config: &LogConfig) {
    use tracing_subscriber::util::SubscriberInitExt;
    let _already_set = subscriber(config, std::io::stderr).try_init();
}

/// A duration in whole milliseconds for a log field. `Duration::as_millis` is a `u128`, which
/// tracing's JSON layer writes as a string; a `u64` is written as a number.
pub fn millis(duration: std::time::Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

fn stderr_is_terminal() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal()
}
