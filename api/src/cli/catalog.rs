//! `reel catalog`: film catalog jobs.

use anyhow::Context;
use letterboxd::client::Client;

use super::job_args::{LetterboxdArgs, StoreArgs, WorkerArgs, cancel_on_signal};
use crate::config::TmdbArgs;
use crate::jobs::{self, CrawlSettings, Progress, Stop, TmdbSyncSettings};
use crate::sources::TmdbSource;

#[derive(Debug, clap::Subcommand)]
pub enum CatalogCommand {
    /// Fill and refresh the catalog from a film source (resumable; several workers may share a
    /// run). TMDB (the default) seeds from its daily id file on the first run and follows its
    /// changes feed afterwards; `--source letterboxd` is `catalog refresh`.
    Sync(Box<SyncArgs>),
    /// Re-scrape every active film and every queued slug (resumable; several workers may share a
    /// run). When the run completes, the catalog version is bumped and servers swap it in.
    Refresh(WorkerArgs),
    /// Queue films from popular members' profiles, so a fresh deployment has a catalog.
    Seed(SeedArgs),
}

/// The film sources a sync can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SourceName {
    /// The Movie Database's API and daily id files (needs `TMDB_API_TOKEN`).
    Tmdb,
    /// Letterboxd's film pages, scraped politely. Its terms forbid automated collection and its
    /// Cloudflare front answers scripts with a challenge: use it only where you may.
    Letterboxd,
}

#[derive(Debug, Clone, clap::Args)]
pub struct SyncArgs {
    #[arg(long, value_enum, default_value = "tmdb")]
    pub source: SourceName,

    /// The seed keeps this many movies of TMDB's id file, the most popular first.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 100_000,
        value_parser = clap::value_parser!(u32).range(1..=2_000_000)
    )]
    pub max_films: u32,

    /// The seed never keeps a movie below this TMDB popularity.
    #[arg(long, value_name = "POPULARITY", default_value_t = 0.0)]
    pub min_popularity: f64,

    /// The id file to seed from (`YYYY-MM-DD`); yesterday's by default.
    #[arg(long, value_name = "DATE")]
    pub id_file_date: Option<chrono::NaiveDate>,

    #[command(flatten)]
    pub tmdb: TmdbArgs,

    #[command(flatten)]
    pub worker: WorkerArgs,
}

#[derive(Debug, Clone, clap::Args)]
pub struct SeedArgs {
    /// How many pages of Letterboxd's popular-members list to read (30 members a page).
    #[arg(
        long,
        value_name = "N",
        default_value_t = 5,
        value_parser = clap::value_parser!(u32).range(1..=256)
    )]
    pub pages: u32,

    #[command(flatten)]
    pub letterboxd: LetterboxdArgs,

    #[command(flatten)]
    pub store: StoreArgs,
}

pub async fn run(command: CatalogCommand) -> anyhow::Result<()> {
    match command {
        CatalogCommand::Sync(args) if args.source == SourceName::Letterboxd => {
            let worker = args.worker;
            worker
                .store
                .clone()
                .run(async |store| refresh(store, &worker).await)
                .await
        }
        CatalogCommand::Sync(args) => {
            args.worker
                .store
                .clone()
                .run(async |store| sync(store, &args).await)
                .await
        }
        CatalogCommand::Refresh(args) => {
            args.store
                .clone()
                .run(async |store| refresh(store, &args).await)
                .await
        }
        CatalogCommand::Seed(args) => {
            args.store
                .clone()
                .run(async |store| seed(store, &args).await)
                .await
        }
    }
}

async fn refresh(store: &crate::store::Store, args: &WorkerArgs) -> anyhow::Result<()> {
    let client = Client::new(args.letterboxd.client_config())
        .context("cannot build the Letterboxd client")?;
    let settings = crawl_settings(args);
    let progress = Progress::new("catalog refresh", None);
    let report = jobs::refresh_catalog(store, &client, &settings, &progress).await?;
    progress.finish();
    let crawl = &report.crawl;
    tracing::info!(
        worker = settings.worker_id,
        films_done = crawl.done,
        films_gone = report.gone,
        films_failed = crawl.failed,
        films_released = crawl.released,
        films_per_second = format!("{:.1}", progress.rate()),
        elapsed_s = progress.elapsed().as_secs(),
        run_complete = crawl.drained,
        catalog_version = report.catalog_version,
        "catalog refresh finished"
    );
    stop_outcome("catalog refresh", crawl.stop.as_ref(), crawl.drained)
}

async fn sync(store: &crate::store::Store, args: &SyncArgs) -> anyhow::Result<()> {
    let Some(config) = args.tmdb.client_config() else {
        anyhow::bail!(
            "TMDB_API_TOKEN is not set: the TMDB sync needs TMDB's API read access token"
        );
    };
    let client = tmdb::Client::new(config).context("cannot build the TMDB client")?;
    let source = TmdbSource::connect(client).await.map_err(|err| match err {
        tmdb::TmdbError::BadToken { .. } => {
            anyhow::anyhow!("TMDB_API_TOKEN: TMDB rejected the token (HTTP 401)")
        }
        other => anyhow::anyhow!("cannot reach TMDB: {other}"),
    })?;
    let mut settings = TmdbSyncSettings::new(args.worker.worker_id());
    settings.crawl = crawl_settings(&args.worker);
    settings.crawl.concurrency = args.tmdb.tmdb_concurrency as usize;
    settings.max_films = args.max_films as usize;
    settings.min_popularity = args.min_popularity;
    settings.id_file_date = args.id_file_date;
    let progress = Progress::new("catalog sync", None);
    let report = jobs::sync_tmdb(store, &source, &settings, &progress).await?;
    progress.finish();
    let crawl = &report.crawl;
    tracing::info!(
        worker = settings.crawl.worker_id,
        start = ?report.start,
        films_done = crawl.done,
        films_gone = report.gone,
        films_failed = crawl.failed,
        films_released = crawl.released,
        films_per_second = format!("{:.1}", progress.rate()),
        elapsed_s = progress.elapsed().as_secs(),
        run_complete = crawl.drained,
        catalog_version = report.catalog_version,
        "catalog sync finished"
    );
    stop_outcome("catalog sync", crawl.stop.as_ref(), crawl.drained)
}

async fn seed(store: &crate::store::Store, args: &SeedArgs) -> anyhow::Result<()> {
    let mut config = args.letterboxd.client_config();
    // Films are queued for `catalog refresh`, which fetches them within its budget; the seed wants
    // ratings, not watch dates, so it reads no diary pages.
    config.film_pages_per_profile = 0;
    config.diary_pages_per_profile = 0;
    let concurrency = config.max_in_flight;
    let client = Client::new(config).context("cannot build the Letterboxd client")?;
    let progress = Progress::new("catalog seed", None);
    let report = jobs::seed_catalog(store, &client, args.pages, concurrency, &progress).await?;
    progress.finish();
    tracing::info!(
        members = report.members,
        members_skipped = report.skipped,
        films_queued = report.films_queued,
        "catalog seed finished; run `reel catalog refresh` to fetch the queued films"
    );
    Ok(())
}

/// The worker settings from the command line, cancelled on SIGINT/SIGTERM.
pub(super) fn crawl_settings(args: &WorkerArgs) -> CrawlSettings {
    let mut settings = CrawlSettings::new(args.worker_id());
    settings.batch_size = args.batch_size;
    settings.budget = jobs::Budget::time(args.budget);
    settings.concurrency = args.letterboxd.letterboxd_concurrency as usize;
    settings.cancel = cancel_on_signal();
    settings
}

/// A stop by budget or signal is a normal end (the next run continues); a stop by Letterboxd
/// is an error, so schedulers show the run as failed.
pub(super) fn stop_outcome(job: &str, stop: Option<&Stop>, drained: bool) -> anyhow::Result<()> {
    match stop {
        Some(Stop::Upstream(error)) => Err(anyhow::anyhow!(
            "{job} stopped: {error}; nothing was retried into it, and the next run continues where this one stopped"
        )),
        Some(Stop::Failing(error)) => Err(anyhow::anyhow!(
            "{job} stopped after too many failures in a row (last: {error}); the failed items keep their data and are retried by the next run"
        )),
        _ if drained => Ok(()),
        None => {
            tracing::info!("{job}: other workers still hold claims of this run");
            Ok(())
        }
        Some(Stop::Budget) => {
            tracing::info!("{job}: budget spent; the next run continues where this one stopped");
            Ok(())
        }
        Some(Stop::Cancelled) => {
            tracing::info!(
                "{job}: stopped by a signal; the next run continues where this one stopped"
            );
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use clap::Parser;

    use super::*;
    use crate::cli::{Cli, Command};

    fn parse(args: &[&str]) -> Result<CatalogCommand, clap::Error> {
        let cli = Cli::try_parse_from(["reel", "catalog"].iter().chain(args))?;
        match cli.command {
            Command::Catalog(command) => Ok(command),
            other => panic!("parsed as {other:?}"),
        }
    }

    #[test]
    fn refresh_takes_budget_batch_size_and_worker_id() {
        let command = parse(&[
            "refresh",
            "--budget",
            "11h",
            "--batch-size",
            "250",
            "--worker-id",
            "cron-1",
        ])
        .unwrap();
        let CatalogCommand::Refresh(args) = command else {
            panic!("parsed as {command:?}");
        };
        assert_eq!(args.budget, Some(Duration::from_secs(11 * 3_600)));
        assert_eq!(args.batch_size, 250);
        assert_eq!(args.worker_id.as_deref(), Some("cron-1"));
    }

    #[test]
    fn refresh_defaults_to_no_budget_and_batches_of_100() {
        let CatalogCommand::Refresh(args) = parse(&["refresh"]).unwrap() else {
            panic!("not a refresh");
        };
        assert_eq!(args.budget, None);
        assert_eq!(args.batch_size, 100);
        assert_eq!(args.worker_id, None);
    }

    #[test]
    fn refresh_rejects_bad_values() {
        assert!(parse(&["refresh", "--budget", "11"]).is_err());
        assert!(parse(&["refresh", "--batch-size", "0"]).is_err());
        assert!(parse(&["refresh", "--worker-id", "a b"]).is_err());
    }

    #[test]
    fn seed_reads_pages() {
        let CatalogCommand::Seed(args) = parse(&["seed", "--pages", "3"]).unwrap() else {
            panic!("not a seed");
        };
        assert_eq!(args.pages, 3);
        let CatalogCommand::Seed(args) = parse(&["seed"]).unwrap() else {
            panic!("not a seed");
        };
        assert_eq!(args.pages, 5);
        assert!(parse(&["seed", "--pages", "0"]).is_err());
    }
}
