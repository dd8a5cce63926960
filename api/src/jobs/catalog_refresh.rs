//! `reel catalog refresh`: re-scrapes every active film and every queued slug.
//!
//! A run is the set of film jobs in the crawl queue. Starting a worker queues every active film
//! whose last refresh failed or is older than [`CrawlSettings::refresh_after`], and leaves alone
//! what is queued, claimed or refreshed recently: so a run killed half-way, or cut by its budget,
//! continues where it stopped, and several workers share one run. A film Letterboxd answers
//! 404/410 for is marked gone; a film that fails otherwise keeps its stored data and is retried
//! by the next run. When the queue is empty the catalog version is bumped once, and running
//! servers swap the new catalog in.

use chrono::Utc;
use letterboxd::client::Client;

use super::error::JobError;
use super::film_crawl::FilmCrawl;
use super::progress::Progress;
use super::worker::{self, CrawlReport, CrawlSettings};
use crate::sources::LetterboxdSource;
use crate::store::Store;
use crate::store::crawl::CrawlKind;
use crate::store::films::FilmsFrom;

/// What one worker of a catalog refresh did.
#[derive(Debug)]
pub struct CatalogRefreshReport {
    pub crawl: CrawlReport,
    /// Films queued (or queued again) by this worker's start.
    pub queued: usize,
    /// Of the done items, films Letterboxd no longer has.
    pub gone: u64,
    /// The new catalog version, when this worker completed the run.
    pub catalog_version: Option<i64>,
}

/// Runs one worker of a catalog refresh.
pub async fn refresh_catalog(
    store: &Store,
    client: &Client,
    settings: &CrawlSettings,
    progress: &Progress,
) -> Result<CatalogRefreshReport, JobError> {
    let worker_id = settings.worker_id.as_str();
    let released = store.release_claims_of(CrawlKind::Film, worker_id).await?;
    if released > 0 {
        tracing::info!(
            worker = worker_id,
            released,
            "took back the claims of an earlier run of this worker"
        );
    }
    let queued = store
        .queue_crawl_run(CrawlKind::Film, settings.refresh_after)
        .await?;
    let counts = store.crawl_queue_counts(CrawlKind::Film).await?;
    tracing::info!(
        worker = worker_id,
        queued,
        to_do = counts.queued,
        claimed_by_others = counts.claimed,
        "catalog refresh started"
    );
    progress.set_total(u64::try_from(counts.queued).unwrap_or(0));
    let source = LetterboxdSource::new(client);
    let crawl = FilmCrawl::new(&source, store, CrawlKind::Film, || {
        FilmsFrom::scraped(Utc::now())
    });
    let report = worker::run(&crawl, store, settings, progress).await?;
    // A run that refreshed nothing new leaves the version alone; one with failures still bumps:
    // the failed films keep their old data and the rest is new.
    let catalog_version = if report.drained {
        store.bump_catalog_version_if_refreshed().await?
    } else {
        None
    };
    if let Some(version) = catalog_version {
        tracing::info!(version, "catalog refresh complete; catalog version bumped");
    }
    Ok(CatalogRefreshReport {
        gone: crawl.gone(),
        crawl: report,
        queued,
        catalog_version,
    })
}
