//! `reel ratings`: member ratings jobs.

use std::time::Duration;

use anyhow::Context;
use letterboxd::client::Client;

use super::catalog::{crawl_settings, stop_outcome};
use super::job_args::WorkerArgs;
use crate::jobs::{self, Progress};

#[derive(Debug, clap::Subcommand)]
pub enum RatingsCommand {
    /// Re-scrape every known member's ratings for the general model (resumable; several workers
    /// may share a run).
    Refresh(WorkerArgs),
}

pub async fn run(command: RatingsCommand) -> anyhow::Result<()> {
    let RatingsCommand::Refresh(args) = command;
    args.store
        .clone()
        .run(async |store| refresh(store, &args).await)
        .await
}

async fn refresh(store: &crate::store::Store, args: &WorkerArgs) -> anyhow::Result<()> {
    let mut config = args.letterboxd.client_config();
    // Films the members logged are queued for `catalog refresh`, not fetched here.
    config.film_pages_per_profile = 0;
    let client = Client::new(config).context("cannot build the Letterboxd client")?;
    let mut settings = crawl_settings(args);
    // A batch of members can take long (a big diary is dozens of pages at 2 requests a second):
    // wait longer before treating a claim as a dead worker's.
    settings.stale_after = Duration::from_secs(6 * 60 * 60);
    let progress = Progress::new("ratings refresh", None);
    let report = jobs::refresh_ratings(store, &client, &settings, &progress).await?;
    progress.finish();
    let crawl = &report.crawl;
    tracing::info!(
        worker = settings.worker_id,
        members_done = crawl.done,
        members_failed = crawl.failed,
        members_released = crawl.released,
        elapsed_s = progress.elapsed().as_secs(),
        run_complete = crawl.drained,
        "ratings refresh finished"
    );
    stop_outcome("ratings refresh", crawl.stop.as_ref(), crawl.drained)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use clap::Parser;

    use super::*;
    use crate::cli::{Cli, Command};

    fn parse(args: &[&str]) -> Result<RatingsCommand, clap::Error> {
        let cli = Cli::try_parse_from(["reel", "ratings"].iter().chain(args))?;
        match cli.command {
            Command::Ratings(command) => Ok(command),
            other => panic!("parsed as {other:?}"),
        }
    }

    #[test]
    fn refresh_takes_budget_and_batch_size() {
        let RatingsCommand::Refresh(args) =
            parse(&["refresh", "--budget", "90m", "--batch-size", "20"]).unwrap();
        assert_eq!(args.budget, Some(Duration::from_secs(90 * 60)));
        assert_eq!(args.batch_size, 20);
    }

    #[test]
    fn refresh_rejects_a_budget_without_unit() {
        assert!(parse(&["refresh", "--budget", "90"]).is_err());
        assert!(parse(&["refresh", "--batch-size", "10001"]).is_err());
    }
}
