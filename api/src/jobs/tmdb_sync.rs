//! `reel catalog sync --source tmdb`: the catalog from TMDB, without scraping.
//!
//! The first run seeds: it streams TMDB's daily id file (gzip, one JSON object a line, never held
//! whole), keeps the most popular movies (`max_films`, above `min_popularity`), and queues their
//! `tmdb:movie:<id>` keys in the crawl-jobs table. Every run then fetches the queued details
//! (one request per film, several workers sharing the queue with `SKIP LOCKED`, within a budget),
//! and the store merges each into the catalog: a film the catalog already holds by its TMDB record
//! keeps its key and Letterboxd figures and gains TMDB's. A later run, once the queue is empty,
//! reads TMDB's changes feed since the last run and queues only the films it holds that changed.
//! A run killed half-way continues where it stopped; a film is fetched once per run. When the
//! queue drains, the catalog version is bumped and running servers swap the new catalog in.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use chrono::{DateTime, Duration as Days, NaiveDate, Utc};
use model::{ContentType, FilmKey, TmdbRef};
use tmdb::{IdFilter, IdKind};

use super::error::JobError;
use super::film_crawl::FilmCrawl;
use super::progress::Progress;
use super::worker::{self, CrawlReport, CrawlSettings};
use crate::sources::TmdbSource;
use crate::store::Store;
use crate::store::crawl::CrawlKind;
use crate::store::films::FilmsFrom;

const SOURCE: &str = "tmdb";
const JOB: &str = "catalog sync";
/// TMDB's changes feed answers at most 14 days per request.
const CHANGES_WINDOW_DAYS: i64 = 14;
/// Keys per queueing statement.
const QUEUE_BATCH: usize = 10_000;

/// How one worker of a TMDB sync runs.
#[derive(Debug, Clone)]
pub struct TmdbSyncSettings {
    pub crawl: CrawlSettings,
    /// Most movies the seed keeps, the most popular first: the catalog's size.
    pub max_films: usize,
    /// Movies below this TMDB popularity are never kept.
    pub min_popularity: f64,
    /// The id file to seed from; by default yesterday's (TMDB publishes each day's at about
    /// 08:00 UTC).
    pub id_file_date: Option<NaiveDate>,
}

impl TmdbSyncSettings {
    /// The defaults of a scheduled run: about the original's 100,000 films.
    pub fn new(worker_id: impl Into<String>) -> Self {
        Self {
            crawl: CrawlSettings::new(worker_id),
            max_films: 100_000,
            min_popularity: 0.0,
            id_file_date: None,
        }
    }
}

/// How a run found its work.
#[derive(Debug, Clone, PartialEq)]
pub enum SyncStart {
    /// The first run: the id file of `date` had `lines` entries, `kept` were queued.
    Seeded {
        date: NaiveDate,
        lines: u64,
        kept: usize,
    },
    /// A later run: the changes feed named `changed` movies, `queued` of them in the catalog.
    Changes { changed: usize, queued: usize },
    /// A run was under way (killed, or cut by its budget): this one continues it.
    Resumed,
}

/// What one worker of a TMDB sync did.
#[derive(Debug)]
pub struct TmdbSyncReport {
    pub start: SyncStart,
    pub crawl: CrawlReport,
    /// Films TMDB no longer has (marked gone when only TMDB knew them).
    pub gone: u64,
    /// The new catalog version, when this worker completed the run.
    pub catalog_version: Option<i64>,
}

/// Runs one worker of a TMDB sync.
pub async fn sync_tmdb(
    store: &Store,
    source: &TmdbSource,
    settings: &TmdbSyncSettings,
    progress: &Progress,
) -> Result<TmdbSyncReport, JobError> {
    let worker_id = settings.crawl.worker_id.as_str();
    let released = store.release_claims_of(CrawlKind::Tmdb, worker_id).await?;
    if released > 0 {
        tracing::info!(
            worker = worker_id,
            released,
            "took back the claims of an earlier run"
        );
    }
    let now = Utc::now();
    let under_way = !store
        .crawl_queue_counts(CrawlKind::Tmdb)
        .await?
        .is_drained();
    let start = match store.source_sync(SOURCE).await? {
        _ if under_way => SyncStart::Resumed,
        None => seed(store, source, settings, now).await?,
        Some(state) => queue_changes(store, source, state.changes_until, now).await?,
    };
    let counts = store.crawl_queue_counts(CrawlKind::Tmdb).await?;
    tracing::info!(
        worker = worker_id,
        ?start,
        to_do = counts.queued,
        claimed_by_others = counts.claimed,
        "TMDB sync started"
    );
    progress.set_total(u64::try_from(counts.queued).unwrap_or(0));
    let crawl = FilmCrawl::new(source, store, CrawlKind::Tmdb, || {
        FilmsFrom::tmdb(Utc::now())
    });
    let report = worker::run(&crawl, store, &settings.crawl, progress).await?;
    let catalog_version = if report.drained {
        store.bump_catalog_version_if_refreshed().await?
    } else {
        None
    };
    if let Some(version) = catalog_version {
        tracing::info!(version, "TMDB sync complete; catalog version bumped");
    }
    Ok(TmdbSyncReport {
        start,
        gone: crawl.gone(),
        crawl: report,
        catalog_version,
    })
}

/// Streams the id file and queues the `max_films` most popular movies. The seed is recorded
/// only once every key is queued, so a run killed while seeding seeds again (queueing is
/// idempotent).
async fn seed(
    store: &Store,
    source: &TmdbSource,
    settings: &TmdbSyncSettings,
    now: DateTime<Utc>,
) -> Result<SyncStart, JobError> {
    let date = settings
        .id_file_date
        .unwrap_or_else(|| (now - Days::days(1)).date_naive());
    let filter = IdFilter {
        min_popularity: settings.min_popularity,
        ..IdFilter::default()
    };
    let keep = MostPopular::new(settings.max_films);
    let mut keep = Some(keep);
    let summary = source
        .client()
        .stream_id_file(IdKind::Movie, date, filter, |entry| {
            if let Some(keep) = keep.as_mut() {
                keep.offer(entry.id, entry.popularity);
            }
        })
        .await
        .map_err(|source| JobError::Tmdb { job: JOB, source })?;
    let ids = keep.take().map(MostPopular::into_ids).unwrap_or_default();
    let keys: Vec<String> = ids.iter().map(|&id| movie_key(id)).collect();
    for batch in keys.chunks(QUEUE_BATCH) {
        store.queue_crawl(CrawlKind::Tmdb, batch).await?;
    }
    store.record_source_seed(SOURCE, date, now).await?;
    tracing::info!(%date, lines = summary.lines, kept = keys.len(), "seeded from TMDB's id file");
    Ok(SyncStart::Seeded {
        date,
        lines: summary.lines,
        kept: keys.len(),
    })
}

/// Queues the catalog's movies that TMDB's changes feed names since `since`.
async fn queue_changes(
    store: &Store,
    source: &TmdbSource,
    since: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<SyncStart, JobError> {
    let mut changed = Vec::new();
    let mut start = since.date_naive();
    let today = now.date_naive();
    while start <= today {
        let end = (start + Days::days(CHANGES_WINDOW_DAYS - 1)).min(today);
        let ids = source
            .client()
            .all_movie_changes(Some(start), Some(end))
            .await
            .map_err(|source| JobError::Tmdb { job: JOB, source })?;
        changed.extend(ids);
        start = end + Days::days(1);
    }
    changed.sort_unstable();
    changed.dedup();
    let keys = store.tmdb_keys_among("movie", &changed).await?;
    for batch in keys.chunks(QUEUE_BATCH) {
        store.requeue_crawl(CrawlKind::Tmdb, batch).await?;
    }
    store.advance_source_changes(SOURCE, now).await?;
    Ok(SyncStart::Changes {
        changed: changed.len(),
        queued: keys.len(),
    })
}

fn movie_key(id: u64) -> String {
    FilmKey::tmdb(TmdbRef {
        kind: ContentType::Movie,
        id,
    })
    .to_string()
}

/// The `capacity` most popular ids of a stream, in memory proportional to `capacity` whatever
/// the stream's length: a min-heap whose least popular entry leaves when a better one comes.
struct MostPopular {
    capacity: usize,
    heap: BinaryHeap<Reverse<(Popularity, u64)>>,
}

/// A popularity ordered totally (TMDB's are finite and non-negative; anything else sorts last).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Popularity(f64);

impl Eq for Popularity {}

impl PartialOrd for Popularity {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Popularity {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

impl MostPopular {
    fn new(capacity: usize) -> Self {
        Self {
            capacity,
            heap: BinaryHeap::with_capacity(capacity.min(1 << 20) + 1),
        }
    }

    fn offer(&mut self, id: u64, popularity: f64) {
        if self.capacity == 0 {
            return;
        }
        let popularity = Popularity(if popularity.is_finite() {
            popularity
        } else {
            0.0
        });
        if self.heap.len() < self.capacity {
            self.heap.push(Reverse((popularity, id)));
        } else if let Some(Reverse(least)) = self.heap.peek()
            && (popularity, id) > *least
        {
            self.heap.pop();
            self.heap.push(Reverse((popularity, id)));
        }
    }

    /// The kept ids, most popular first.
    fn into_ids(self) -> Vec<u64> {
        let mut kept: Vec<(Popularity, u64)> = self.heap.into_iter().map(|Reverse(e)| e).collect();
        kept.sort_unstable_by(|a, b| b.cmp(a));
        kept.into_iter().map(|(_, id)| id).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_most_popular_of_a_stream_most_popular_first() {
        let mut keep = MostPopular::new(3);
        for (id, popularity) in [
            (1, 5.0),
            (2, 9.0),
            (3, 1.0),
            (4, 7.0),
            (5, f64::NAN),
            (6, 8.0),
        ] {
            keep.offer(id, popularity);
        }
        assert_eq!(keep.into_ids(), [2, 6, 4]);
    }

    #[test]
    fn keeps_nothing_when_asked_for_nothing() {
        let mut keep = MostPopular::new(0);
        keep.offer(1, 3.0);
        assert!(keep.into_ids().is_empty());
    }
}
