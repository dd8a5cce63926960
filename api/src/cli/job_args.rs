//! Arguments shared by the jobs: the store and logging of every job, and how the resumable crawls
//! (`catalog refresh`, `ratings refresh`) claim work. How they talk to Letterboxd is `serve`'s
//! [`LetterboxdArgs`], and the parsers of their values are the service's own
//! (`crate::config::parse`).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context;

pub use crate::config::LetterboxdArgs;
use crate::config::{DatabaseArgs, LogConfig, parse};
use crate::store::Store;
use crate::telemetry;

/// How one worker of a resumable crawl claims and bounds its work.
#[derive(Debug, Clone, clap::Args)]
pub struct WorkerArgs {
    /// Stop claiming new batches once this much time has passed (e.g. `11h`, `90m`, `30s`). Work
    /// claimed but not finished is released and picked up by the next run. Without it the run goes
    /// on until no work is left. Scheduled runs set it below their platform's run-time cap.
    #[arg(long, value_name = "DURATION", value_parser = parse::parse_duration)]
    pub budget: Option<Duration>,

    /// How many items one claim takes from the queue (one transaction, `FOR UPDATE SKIP LOCKED`).
    #[arg(
        long,
        value_name = "N",
        default_value_t = 100,
        value_parser = clap::value_parser!(u32).range(1..=10_000)
    )]
    pub batch_size: u32,

    /// Names this worker in the claims it holds and in its logs, so several workers can share one
    /// run. Defaults to the host name and process id.
    #[arg(long, value_name = "ID", value_parser = parse_worker_id)]
    pub worker_id: Option<String>,

    #[command(flatten)]
    pub letterboxd: LetterboxdArgs,

    #[command(flatten)]
    pub store: StoreArgs,
}

impl WorkerArgs {
    /// The worker id given, or `<host>-<pid>`.
    pub fn worker_id(&self) -> String {
        self.worker_id.clone().unwrap_or_else(default_worker_id)
    }
}

/// Where a job's store is and how it logs.
#[derive(Debug, Clone, clap::Args)]
pub struct StoreArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[command(flatten)]
    pub log: LogConfig,
}

impl StoreArgs {
    /// Starts logging, opens the store (migrating it, or starting the embedded cluster when no
    /// `DATABASE_URL` is set), runs `job`, and stops the embedded cluster again.
    pub async fn run<T>(
        &self,
        job: impl AsyncFnOnce(&Store) -> anyhow::Result<T>,
    ) -> anyhow::Result<T> {
        telemetry::init(&self.log);
        let (store, cluster) = self
            .database
            .open()
            .await
            .context("cannot open the store")?;
        let result = job(&store).await;
        drop(store);
        if let Some(cluster) = cluster
            && let Err(err) = cluster.stop().await
        {
            tracing::warn!(error = %err, "could not stop the embedded PostgreSQL cleanly");
        }
        result
    }
}

/// A flag set on the first SIGINT or SIGTERM, so a job stops claiming work, finishes what is in
/// flight and hands the rest back; a second signal exits at once.
pub fn cancel_on_signal() -> Arc<AtomicBool> {
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = cancel.clone();
    tokio::spawn(async move {
        shutdown_signal().await;
        tracing::warn!("stopping: finishing the work in flight (signal again to exit now)");
        flag.store(true, Ordering::Relaxed);
        shutdown_signal().await;
        std::process::exit(130);
    });
    cancel
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// `<host>-<pid>`, reduced to the characters a worker id may hold.
fn default_worker_id() -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .unwrap_or_default();
    let host: String = host
        .trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        .take(48)
        .collect();
    let host = if host.is_empty() {
        "worker".to_owned()
    } else {
        host
    };
    format!("{host}-{}", std::process::id())
}

/// Why a worker id was rejected.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("worker id must be 1 to 64 characters of letters, digits, `.`, `_` or `-`")]
pub struct WorkerIdError;

/// A worker id ends up in the crawl-jobs table and in every log line: keep it short and plain.
pub fn parse_worker_id(text: &str) -> Result<String, WorkerIdError> {
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
    if (1..=64).contains(&text.len()) && text.chars().all(plain) {
        Ok(text.to_owned())
    } else {
        Err(WorkerIdError)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_worker_id_is_a_valid_one() {
        let id = default_worker_id();
        assert_eq!(parse_worker_id(&id), Ok(id.clone()));
        assert!(id.ends_with(&format!("-{}", std::process::id())));
    }

    #[test]
    fn worker_ids_are_plain_and_short() {
        assert_eq!(parse_worker_id("cron-7.a_b"), Ok("cron-7.a_b".to_owned()));
        assert_eq!(parse_worker_id(""), Err(WorkerIdError));
        assert_eq!(parse_worker_id("has space"), Err(WorkerIdError));
        assert_eq!(parse_worker_id("ü"), Err(WorkerIdError));
        assert_eq!(parse_worker_id(&"x".repeat(65)), Err(WorkerIdError));
        assert!(parse_worker_id(&"x".repeat(64)).is_ok());
    }

    #[derive(clap::Parser)]
    struct Jobs {
        #[command(flatten)]
        letterboxd: LetterboxdArgs,
    }

    #[test]
    fn a_job_takes_the_letterboxd_limits_and_cooldown() {
        use clap::Parser as _;
        let jobs = Jobs::try_parse_from([
            "job",
            "--letterboxd-base-url",
            "http://127.0.0.1:9",
            "--letterboxd-rate-limit",
            "50",
            "--letterboxd-concurrency",
            "16",
            "--letterboxd-block-cooldown",
            "0s",
        ])
        .unwrap();
        let config = jobs.letterboxd.client_config();
        assert_eq!(config.base_url, "http://127.0.0.1:9/");
        assert_eq!(config.requests_per_second, 50);
        assert_eq!(config.max_in_flight, 16);
        assert_eq!(config.block_cooldown, Duration::ZERO);
    }

    #[test]
    fn a_job_sends_the_configured_user_agent_or_the_default() {
        use clap::Parser as _;
        let jobs = |argv: &[&str]| {
            Jobs::try_parse_from(std::iter::once("job").chain(argv.iter().copied()))
        };
        let default = jobs(&[]).unwrap().letterboxd.client_config();
        assert_eq!(default.user_agent, letterboxd::client::DEFAULT_USER_AGENT);
        let own = "reel-cron (+https://films.example.org/bot)";
        let set = jobs(&["--letterboxd-user-agent", own]).unwrap();
        assert_eq!(set.letterboxd.client_config().user_agent, own);
        let err = jobs(&["--letterboxd-user-agent", "anonymous"])
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("must name a contact"), "{err}");
    }
}
