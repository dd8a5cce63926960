//! Films the catalog does not know, looked up in a film source (TMDB): export rows by title and
//! year, a batch per upload; films a prediction names by key (`tmdb:movie:603`), a few per
//! request. Each batch is bounded in number and time, runs concurrently within the source's own
//! rate limit, and is remembered for a day (answers and "not found" alike) so the same title or
//! key is never asked twice in a day.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use futures::StreamExt;
use model::{Film, FilmKey};

use crate::metrics::CacheUsage;
use crate::sources::{FilmSource, SourceError, TitleQuery};

/// How long an answer is remembered.
const REMEMBER_FOR: Duration = Duration::from_secs(24 * 60 * 60);
/// What one remembered answer is taken to occupy: a film is a few hundred bytes (title, slug,
/// genres, countries, figures), its key and moka's bookkeeping about as much again. The caches are
/// bounded by count, this size turning their share of `MEMORY_BUDGET` into entries.
pub const ANSWER_BYTES: u64 = 1024;
/// Memory for remembered answers unless told otherwise (`reel letterboxd` looking films up):
/// 20,000 answers of each kind.
const DEFAULT_BYTES: u64 = 2 * 20_000 * ANSWER_BYTES;

/// Films one request may look up by key: a prediction waits for them, so few.
pub const MAX_KEY_LOOKUPS: usize = 20;

/// How much looking up one upload may do.
#[derive(Debug, Clone, Copy)]
pub struct LookupLimits {
    /// Distinct titles looked up at most; the rest stay unmatched.
    pub max_lookups: usize,
    /// Lookups started after this long are skipped.
    pub time: Duration,
    /// Lookups in flight at once (the source's rate limit still applies).
    pub concurrency: usize,
}

impl Default for LookupLimits {
    fn default() -> Self {
        Self {
            max_lookups: 500,
            time: Duration::from_secs(40),
            concurrency: 8,
        }
    }
}

/// A row to look up: its normalised title and year, and the boxd.it id its URI gave.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Miss {
    pub title_norm: String,
    pub year: Option<u16>,
}

/// What looking up one upload's misses gave.
#[derive(Debug, Default)]
pub struct Lookups {
    /// Films found, by the miss they answer.
    pub found: HashMap<Miss, Film>,
    /// Titles the source does not have.
    pub not_found: usize,
    /// Titles not looked up: past the limits, or after the source refused us.
    pub skipped: usize,
    /// Why lookups stopped early, when the source refused us (`rate_limited`, `bad_token`).
    pub stopped_by: Option<&'static str>,
}

/// Looks films up in one source and remembers the answers.
pub struct FilmLookup {
    source: Arc<dyn FilmSource>,
    remembered: moka::future::Cache<Miss, Option<Film>>,
    remembered_keys: moka::future::Cache<FilmKey, Option<Film>>,
    /// The bytes both hold at most, half each.
    bytes: u64,
    hits: AtomicU64,
    misses: AtomicU64,
    limits: LookupLimits,
}

/// Answers by title or by key, kept alike: a day, and at most `bytes` of [`ANSWER_BYTES`] each.
fn remembered<K>(bytes: u64) -> moka::future::Cache<K, Option<Film>>
where
    K: std::hash::Hash + Eq + Send + Sync + 'static,
{
    moka::future::Cache::builder()
        .max_capacity((bytes / ANSWER_BYTES).max(1))
        .time_to_live(REMEMBER_FOR)
        .build()
}

impl FilmLookup {
    pub fn new(source: Arc<dyn FilmSource>, limits: LookupLimits) -> Self {
        Self::keeping(source, limits, DEFAULT_BYTES)
    }

    /// Remembers at most `bytes` of answers (the service: its share of `MEMORY_BUDGET`), half
    /// by title and half by key.
    pub fn keeping(source: Arc<dyn FilmSource>, limits: LookupLimits, bytes: u64) -> Self {
        Self {
            source,
            remembered: remembered(bytes / 2),
            remembered_keys: remembered(bytes / 2),
            bytes,
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            limits,
        }
    }

    /// What the remembered answers occupy (estimated: [`ANSWER_BYTES`] each), for `/metrics`.
    pub async fn usage(&self) -> CacheUsage {
        self.remembered.run_pending_tasks().await;
        self.remembered_keys.run_pending_tasks().await;
        let entries = self.remembered.entry_count() + self.remembered_keys.entry_count();
        CacheUsage {
            cache: "film_lookups",
            bytes: entries * ANSWER_BYTES,
            capacity_bytes: self.bytes,
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
        }
    }

    fn count<T>(&self, found: &Option<T>) {
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// The films `keys` name, as far as the source has them: the first [`MAX_KEY_LOOKUPS`] not
    /// remembered are asked, concurrently, each given what is left of `time`; the rest, the
    /// failures and the keys the source lacks give nothing.
    pub async fn films_by_key(&self, keys: &[FilmKey], time: Duration) -> Vec<Film> {
        let started = Instant::now();
        let mut films = Vec::new();
        let mut to_ask = Vec::new();
        for key in keys {
            let remembered = self.remembered_keys.get(key).await;
            self.count(&remembered);
            match remembered {
                Some(Some(film)) => films.push(film),
                Some(None) => {}
                None if to_ask.len() < MAX_KEY_LOOKUPS => to_ask.push(key),
                None => {}
            }
        }
        let answers: Vec<_> = futures::stream::iter(to_ask)
            .map(|key| async move {
                let left = time.saturating_sub(started.elapsed());
                let answer = tokio::time::timeout(left, self.source.film(key)).await;
                (key, answer)
            })
            .buffer_unordered(self.limits.concurrency.max(1))
            .collect()
            .await;
        for (key, answer) in answers {
            match answer {
                Ok(Ok(film)) => {
                    self.remembered_keys
                        .insert(key.clone(), Some(film.clone()))
                        .await;
                    films.push(film);
                }
                Ok(Err(SourceError::NotFound { .. })) => {
                    self.remembered_keys.insert(key.clone(), None).await;
                }
                Ok(Err(error)) => {
                    tracing::warn!(%error, %key, "film lookup failed; the film stays unknown");
                }
                Err(_) => {
                    tracing::warn!(%key, "film lookup ran out of time; the film stays unknown")
                }
            }
        }
        films
    }

    /// The source's name, for responses.
    pub fn source_name(&self) -> &'static str {
        self.source.name()
    }

    /// The source's requests so far, as (endpoint, outcome, count).
    pub fn request_counts(&self) -> Vec<(&'static str, &'static str, u64)> {
        self.source.request_counts()
    }

    /// Looks up `misses` (with the boxd.it id a row gave, set on the film found).
    pub async fn look_up(&self, misses: BTreeMap<Miss, Option<String>>) -> Lookups {
        let started = Instant::now();
        let mut lookups = Lookups::default();
        let mut to_ask = Vec::new();
        for (miss, boxd) in misses {
            let remembered = self.remembered.get(&miss).await;
            self.count(&remembered);
            match remembered {
                Some(Some(film)) => {
                    lookups.found.insert(miss, with_boxd(film, boxd));
                }
                Some(None) => lookups.not_found += 1,
                None if to_ask.len() < self.limits.max_lookups => to_ask.push((miss, boxd)),
                None => lookups.skipped += 1,
            }
        }
        let refused = std::sync::atomic::AtomicBool::new(false);
        let answers: Vec<_> = futures::stream::iter(to_ask)
            .map(|(miss, boxd)| {
                let refused = &refused;
                async move {
                    if refused.load(std::sync::atomic::Ordering::Relaxed)
                        || started.elapsed() > self.limits.time
                    {
                        return (miss, boxd, None);
                    }
                    let query = TitleQuery {
                        title: miss.title_norm.clone(),
                        year: miss.year,
                    };
                    let answer = self.source.find(&query).await;
                    if matches!(answer, Err(SourceError::Refused { .. })) {
                        refused.store(true, std::sync::atomic::Ordering::Relaxed);
                    }
                    (miss, boxd, Some(answer))
                }
            })
            .buffer_unordered(self.limits.concurrency.max(1))
            .collect()
            .await;
        for (miss, boxd, answer) in answers {
            match answer {
                None => lookups.skipped += 1,
                Some(Ok(Some(film))) => {
                    self.remembered
                        .insert(miss.clone(), Some(film.clone()))
                        .await;
                    lookups.found.insert(miss, with_boxd(film, boxd));
                }
                Some(Ok(None)) => {
                    self.remembered.insert(miss, None).await;
                    lookups.not_found += 1;
                }
                Some(Err(error)) => {
                    // Not remembered: the next upload may find TMDB answering again.
                    if let SourceError::Refused { code, .. } = &error {
                        lookups.stopped_by = Some(code);
                    }
                    tracing::warn!(%error, "film lookup failed; the row stays unmatched");
                    lookups.skipped += 1;
                }
            }
        }
        lookups
    }
}

/// The export's boxd.it id is Letterboxd's own link to the film: kept, so the film links back.
fn with_boxd(mut film: Film, boxd: Option<String>) -> Film {
    if film.boxd_id.is_none() {
        film.boxd_id = boxd;
    }
    film
}
