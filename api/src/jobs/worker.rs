//! The worker loop of the resumable crawls: claim a batch from the crawl-jobs table
//! (`FOR UPDATE SKIP LOCKED`, so several workers share a run), fetch its items a few at a time,
//! record what arrived in small groups, and stop cleanly on the budget, a cancel signal or an
//! upstream refusal, handing the claims it did not work on back to the queue.
//!
//! Fetching and recording run side by side in one task: fetches go on while a group is written,
//! and a group is whatever has arrived since the last write (one item when the database keeps up,
//! more when it does not).

use std::collections::VecDeque;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use tokio::sync::mpsc;

use super::budget::Budget;
use super::progress::Progress;
use crate::sources::SourceError;
use crate::store::crawl::{CrawlJob, CrawlKind};
use crate::store::{Store, StoreError};

/// A failure ends an item's job as `failed` at once; the next run queues it again. Retrying
/// within the run would hit the same outage the client's own retries just gave up on.
const MAX_ATTEMPTS: u32 = 1;
/// This many failures in a row mean Letterboxd (or our parser) is broken, not one page: stop.
const FAILURES_BEFORE_STOP: u32 = 20;
/// Most items written in one transaction.
const MAX_GROUP: usize = 256;

/// How one worker takes part in a run.
#[derive(Debug, Clone)]
pub struct CrawlSettings {
    /// Names this worker's claims; one process at a time per id.
    pub worker_id: String,
    /// Items per claim.
    pub batch_size: u32,
    pub budget: Budget,
    /// Items fetched at once. The client's shared limits still bound the requests.
    pub concurrency: usize,
    /// A claim older than this belongs to a dead worker and is taken over.
    pub stale_after: Duration,
    /// Keys finished more recently than this are not queued again by a new run.
    pub refresh_after: Duration,
    /// Set (e.g. on SIGTERM) to stop like a spent budget: claim nothing new, finish what is in
    /// flight, give the rest back.
    pub cancel: Arc<AtomicBool>,
}

impl CrawlSettings {
    /// Settings for `worker_id` with the defaults of a scheduled run.
    pub fn new(worker_id: impl Into<String>) -> Self {
        Self {
            worker_id: worker_id.into(),
            batch_size: 100,
            budget: Budget::unlimited(),
            concurrency: 4,
            stale_after: Duration::from_secs(60 * 60),
            refresh_after: Duration::from_secs(7 * 24 * 60 * 60),
            cancel: Arc::new(AtomicBool::new(false)),
        }
    }
}

/// Why a worker stopped before the queue was empty.
#[derive(Debug)]
pub enum Stop {
    /// The time or item budget was spent.
    Budget,
    /// Cancelled (SIGTERM, Ctrl-C).
    Cancelled,
    /// The source (Letterboxd, TMDB) refused us as a whole; nothing was retried into it.
    Upstream(SourceError),
    /// Too many items failed in a row; the last error.
    Failing(String),
}

/// What one worker did in a run.
#[derive(Debug, Default)]
pub struct CrawlReport {
    /// Items recorded and marked done.
    pub done: u64,
    /// Items that failed, left for the next run (their data untouched).
    pub failed: u64,
    /// Claimed items handed back unworked.
    pub released: u64,
    /// Why the worker stopped early, if it did.
    pub stop: Option<Stop>,
    /// True when, after this worker, nothing is queued or claimed: the run is complete.
    pub drained: bool,
}

/// What fetching one item gave.
pub(crate) enum Fetched<T> {
    Ok(T),
    /// This item failed; its job goes to `failed` for the next run.
    Failed(String),
    /// The source refused us as a whole: stop the worker, hand this item back.
    Stop(SourceError),
}

/// One kind of crawl: how to fetch an item, and how to record a group of fetched items
/// (together with marking their jobs done).
pub(crate) trait Crawl: Sync {
    type Item: Send;

    /// The queue this crawl works on.
    fn kind(&self) -> CrawlKind;

    fn fetch(&self, key: &str) -> impl Future<Output = Fetched<Self::Item>> + Send;

    fn record(
        &self,
        worker: &str,
        items: Vec<(i64, Self::Item)>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
}

enum Outcome<T> {
    Done(i64, T),
    Failed(i64, String),
    Release(i64),
}

/// Runs one worker until the queue is empty, the budget is spent, or it is stopped.
pub(crate) async fn run<C: Crawl>(
    crawl: &C,
    store: &Store,
    settings: &CrawlSettings,
    progress: &Progress,
) -> Result<CrawlReport, StoreError> {
    let (tx, rx) = mpsc::channel(settings.concurrency.max(1) * 4);
    let (claimed, recorded) = tokio::join!(
        claim_and_fetch(crawl, store, settings, tx),
        record_outcomes(crawl, store, &settings.worker_id, rx, progress),
    );
    let mut report = recorded?;
    report.stop = claimed?;
    report.drained = store.crawl_queue_counts(crawl.kind()).await?.is_drained();
    Ok(report)
}

/// The fetching half: claims batches and fetches their items, sending every outcome to the
/// recording half. Returns why it stopped early, if it did.
async fn claim_and_fetch<C: Crawl>(
    crawl: &C,
    store: &Store,
    settings: &CrawlSettings,
    tx: mpsc::Sender<Outcome<C::Item>>,
) -> Result<Option<Stop>, StoreError> {
    let worker = settings.worker_id.as_str();
    let concurrency = settings.concurrency.max(1);
    let mut clock = settings.budget.start();
    let mut stop = None;
    let mut failures_in_a_row = 0;
    let cancelled = || settings.cancel.load(Ordering::Relaxed);
    while stop.is_none() {
        if cancelled() {
            stop = Some(Stop::Cancelled);
            break;
        }
        if clock.is_spent() {
            stop = Some(Stop::Budget);
            break;
        }
        let limit = clock.claim_limit(settings.batch_size);
        let batch = store
            .claim_crawl_jobs(crawl.kind(), worker, limit, settings.stale_after)
            .await?;
        if batch.is_empty() {
            break;
        }
        tracing::debug!(worker, items = batch.len(), "claimed a batch");
        let mut pending: VecDeque<CrawlJob> = batch.into();
        let mut in_flight = FuturesUnordered::new();
        loop {
            while stop.is_none() && in_flight.len() < concurrency && !pending.is_empty() {
                if cancelled() {
                    stop = Some(Stop::Cancelled);
                } else if !clock.take() {
                    stop = Some(Stop::Budget);
                } else if let Some(job) = pending.pop_front() {
                    in_flight.push(async move {
                        let fetched = crawl.fetch(&job.key).await;
                        (job, fetched)
                    });
                }
            }
            let Some((job, fetched)) = in_flight.next().await else {
                break;
            };
            let outcome = match fetched {
                Fetched::Ok(item) => {
                    failures_in_a_row = 0;
                    Outcome::Done(job.id, item)
                }
                Fetched::Failed(error) => {
                    tracing::warn!(worker, key = %job.key, %error, "item failed; left for the next run");
                    failures_in_a_row += 1;
                    if failures_in_a_row >= FAILURES_BEFORE_STOP && stop.is_none() {
                        stop = Some(Stop::Failing(error.clone()));
                    }
                    Outcome::Failed(job.id, error)
                }
                Fetched::Stop(error) => {
                    if stop.is_none() {
                        tracing::error!(worker, error = %error, "the source refused the crawl; stopping");
                        stop = Some(Stop::Upstream(error));
                    }
                    Outcome::Release(job.id)
                }
            };
            if tx.send(outcome).await.is_err() {
                // The recording half failed; it reports why.
                return Ok(stop);
            }
        }
        for job in pending {
            if tx.send(Outcome::Release(job.id)).await.is_err() {
                return Ok(stop);
            }
        }
    }
    Ok(stop)
}

/// The recording half: writes outcomes in groups as they arrive.
async fn record_outcomes<C: Crawl>(
    crawl: &C,
    store: &Store,
    worker: &str,
    mut rx: mpsc::Receiver<Outcome<C::Item>>,
    progress: &Progress,
) -> Result<CrawlReport, StoreError> {
    let mut report = CrawlReport::default();
    while let Some(first) = rx.recv().await {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match rx.try_recv() {
                Ok(outcome) => group.push(outcome),
                Err(_) => break,
            }
        }
        let mut done = Vec::new();
        let mut released = Vec::new();
        let mut failed = Vec::new();
        for outcome in group {
            match outcome {
                Outcome::Done(id, item) => done.push((id, item)),
                Outcome::Failed(id, error) => failed.push((id, error)),
                Outcome::Release(id) => released.push(id),
            }
        }
        let finished = (done.len() + failed.len()) as u64;
        if !done.is_empty() {
            let recorded = done.len() as u64;
            crawl.record(worker, done).await?;
            report.done += recorded;
        }
        for (id, error) in &failed {
            store
                .fail_crawl_job(worker, *id, error, MAX_ATTEMPTS)
                .await?;
        }
        report.failed += failed.len() as u64;
        if !released.is_empty() {
            report.released += store.release_crawl_jobs(worker, &released).await? as u64;
        }
        progress.inc(finished);
    }
    Ok(report)
}
