//! `reel catalog refresh`: re-scrapes every active film and every queued slug.
//!
//! A run is the set of film jobs in the crawl queue. Starting a worker queues every active film
//! whose last refresh failed or is older than [`CrawlSettings::refresh_after`], and leaves alone
//! what is queued, claimed or refreshed recently: so a run killed half-way, or cut by its budget,
//! continues where it stopped, and several workers share one run. A film Letterboxd answers
//! 404/410 for is marked gone; a film that fails otherwise keeps its stored data and is retried
//! by the next run. When the queue is empty the catalog version is bumped once, and running
//! servers swap the new catalog in.

use std::sync::atomic::{AtomicU64, Ordering};

use letterboxd::client::{Client, ClientError};
use model::{Film, FilmKey};

use super::error::JobError;
use super::progress::Progress;
use super::worker::{self, Crawl, CrawlReport, CrawlSettings, Fetched};
use crate::store::crawl::CrawlKind;
use crate::store::{Store, StoreError};

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
    let crawl = FilmCrawl {
        client,
        store,
        gone: AtomicU64::new(0),
    };
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
        gone: crawl.gone.load(Ordering::Relaxed),
        crawl: report,
        queued,
        catalog_version,
    })
}

struct FilmCrawl<'a> {
    client: &'a Client,
    store: &'a Store,
    gone: AtomicU64,
}

enum FilmPage {
    Found(Box<Film>),
    Gone(FilmKey),
}

impl Crawl for FilmCrawl<'_> {
    type Item = FilmPage;
    const KIND: CrawlKind = CrawlKind::Film;

    async fn fetch(&self, key: &str) -> Fetched<FilmPage> {
        let Ok(slug) = FilmKey::parse(key) else {
            return Fetched::Failed(format!("`{key}` is not a film slug"));
        };
        match self.client.fetch_film(&slug).await {
            Ok(mut film) => {
                // The row asked for is the one refreshed, whatever slug the page names itself by.
                film.slug = slug.slug().or(film.slug);
                film.key = slug;
                Fetched::Ok(FilmPage::Found(Box::new(film)))
            }
            Err(ClientError::FilmNotFound(_))
            | Err(ClientError::UnexpectedStatus { status: 410, .. }) => {
                Fetched::Ok(FilmPage::Gone(slug))
            }
            Err(error) => classify(error),
        }
    }

    async fn record(&self, worker: &str, items: Vec<(i64, FilmPage)>) -> Result<(), StoreError> {
        let mut found = Vec::new();
        let mut gone = Vec::new();
        let mut ids = Vec::with_capacity(items.len());
        for (id, page) in items {
            ids.push(id);
            match page {
                FilmPage::Found(film) => found.push(*film),
                FilmPage::Gone(slug) => gone.push(slug),
            }
        }
        self.store
            .record_crawled_films(worker, &found, &gone, &ids)
            .await?;
        self.gone.fetch_add(gone.len() as u64, Ordering::Relaxed);
        Ok(())
    }
}

/// Whether a client error is about this page (fail the item) or Letterboxd as a whole (stop).
pub(crate) fn classify<T>(error: ClientError) -> Fetched<T> {
    match error {
        ClientError::UpstreamBlocked { .. }
        | ClientError::RateLimited { .. }
        | ClientError::InvalidUrl(_)
        | ClientError::Build(_) => Fetched::Stop(error),
        other => Fetched::Failed(other.to_string()),
    }
}
