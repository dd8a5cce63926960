//! What the services need from the outside world, as small traits: the service wires the real
//! store, cache, Letterboxd client, catalog and models in `serve`; unit tests pass fakes.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use futures::future::BoxFuture;
use model::stats::StatsSnapshot;
use model::{Catalog, CountryCode, Film, FilmKey, Offer, OfferKind, Predictor, Profile, Username};

use super::ServiceError;
pub use crate::domain::{CumulativeDay, StoredMember, UsageDay};
use crate::domain::{Fallback, ModelChoice, StoredUpload, UploadId};

/// Counts of 0.5, 1.0, ... 5.0 stars.
pub type Histogram = [u32; 10];

/// A store failure: its cause goes to the log, never to the client.
pub type PortResult<T> = Result<T, anyhow::Error>;

/// The context an adapter puts on a port error when the backend could not be reached or dropped
/// the connection (the database down or restarting), rather than failing the request:
/// [`ServiceError::internal`] makes such an error `StoreUnavailable` (503 with `Retry-After`).
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("the database is unavailable")]
pub struct Unavailable;

/// The catalog requests use now, with the store version it was loaded at.
#[derive(Debug, Clone)]
pub struct CatalogSnapshot {
    pub version: i64,
    pub catalog: Arc<Catalog>,
}

pub trait CatalogSource: Send + Sync {
    /// `None` until the first load succeeded.
    fn current(&self) -> Option<CatalogSnapshot>;

    /// Adds films found outside the catalog (an upload's rows resolved on TMDB): the store keeps
    /// them, the catalog version moves (other replicas reload), and this process's catalog is
    /// reloaded at once so the request that found them can use them.
    fn add_films(&self, films: Vec<Film>) -> BoxFuture<'_, PortResult<CatalogSnapshot>>;
}

/// A member's profile as scraped from Letterboxd.
#[derive(Debug, Clone, Default)]
pub struct Scraped {
    pub profile: Profile,
    /// Pages of films the catalog lacked, fetched during the scrape.
    pub films: Vec<Film>,
    /// Films the catalog lacks that were not fetched: for the crawl queue.
    pub queued: Vec<FilmKey>,
    /// Pages the scrape read from Letterboxd, retries included.
    pub requests: u32,
}

/// The diary the service last scraped of a member, as stored, and when it was scraped.
#[derive(Debug, Clone)]
pub struct StoredProfile {
    pub profile: Profile,
    pub scraped_at: DateTime<Utc>,
}

/// Why a profile could not be scraped, in the terms the API answers with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    #[error("no such member")]
    MemberNotFound,
    #[error("the profile is private")]
    ProfilePrivate,
    #[error("Letterboxd blocked the request")]
    Blocked,
    #[error("Letterboxd is unavailable: {0}")]
    Unavailable(String),
    #[error("Letterboxd asked to wait {0:?}")]
    RateLimited(Duration),
}

/// Where members' profiles come from: the polite Letterboxd client in the service.
pub trait ProfileSource: Send + Sync {
    /// Scrapes `user`; film pages are fetched only for films `catalog` lacks.
    fn scrape<'a>(
        &'a self,
        user: &'a Username,
        catalog: &'a Catalog,
    ) -> BoxFuture<'a, Result<Scraped, SourceError>>;

    /// Pages a second the source reads at most, shared by every scrape; `None` when unbounded.
    fn pages_per_second(&self) -> Option<f64> {
        None
    }
}

/// Bytes under string keys with a time to live: Redis or the in-process cache. Never fails: a
/// broken backend reads as a miss.
pub trait KeyValue: Send + Sync {
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Option<Vec<u8>>>;
    fn set<'a>(&'a self, key: &'a str, value: Vec<u8>, ttl: Duration) -> BoxFuture<'a, ()>;
    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, ()>;
}

/// A lock shared by every replica (Redis `SET NX PX`), held at most `ttl` so a crashed holder
/// cannot block others forever. A single instance uses [`LocalOnly`].
pub trait DistributedLock: Send + Sync {
    /// A token proving ownership when the lock was free, `None` when another holder has it.
    fn try_acquire<'a>(&'a self, key: &'a str, ttl: Duration) -> BoxFuture<'a, Option<String>>;
    /// Releases the lock if `token` still owns it.
    fn release<'a>(&'a self, key: &'a str, token: &'a str) -> BoxFuture<'a, ()>;
}

/// No other replica to coordinate with: the in-process single flight is enough.
#[derive(Debug, Default, Clone, Copy)]
pub struct LocalOnly;

impl DistributedLock for LocalOnly {
    fn try_acquire<'a>(&'a self, _key: &'a str, _ttl: Duration) -> BoxFuture<'a, Option<String>> {
        Box::pin(async { Some(String::new()) })
    }

    fn release<'a>(&'a self, _key: &'a str, _token: &'a str) -> BoxFuture<'a, ()> {
        Box::pin(async {})
    }
}

/// Uses of a known member on one UTC day, counted in memory before they are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountedUses {
    pub member: StoredMember,
    pub day: NaiveDate,
    pub uses: u32,
    /// The latest of them.
    pub last_seen: DateTime<Utc>,
}

/// A member's latest statistics snapshot.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StoredSnapshot {
    pub member: StoredMember,
    pub computed_at: DateTime<Utc>,
    pub snapshot: StatsSnapshot,
}

/// What the services write to and read from the database.
pub trait MemberStore: Send + Sync {
    /// Upserts the member and counts one use for the day of `at`.
    fn record_use<'a>(
        &'a self,
        user: &'a Username,
        at: DateTime<Utc>,
    ) -> BoxFuture<'a, PortResult<StoredMember>>;
    /// Adds uses of known members counted in memory, all or none.
    fn add_uses<'a>(&'a self, uses: &'a [CountedUses]) -> BoxFuture<'a, PortResult<()>>;
    /// Keeps a freshly scraped diary (scraped at `at`) and the film pages read with it.
    fn save_scrape<'a>(
        &'a self,
        user: &'a Username,
        scraped: &'a Scraped,
        at: DateTime<Utc>,
    ) -> BoxFuture<'a, PortResult<()>>;
    /// The diary saved by the member's last [`MemberStore::save_scrape`], if it is still served.
    fn stored_profile<'a>(
        &'a self,
        user: &'a Username,
    ) -> BoxFuture<'a, PortResult<Option<StoredProfile>>>;
    /// Stops serving the member's stored diary (it went private or away).
    fn forget_scrape<'a>(&'a self, user: &'a Username) -> BoxFuture<'a, PortResult<()>>;
    /// Adds films the catalog lacks to the crawl queue (already queued ones are skipped).
    fn queue_films<'a>(&'a self, slugs: &'a [FilmKey]) -> BoxFuture<'a, PortResult<usize>>;
    /// Every member's latest statistics snapshot.
    fn latest_snapshots(&self) -> BoxFuture<'_, PortResult<Vec<StoredSnapshot>>>;
    fn save_snapshot<'a>(
        &'a self,
        member: StoredMember,
        snapshot: &'a StatsSnapshot,
        at: DateTime<Utc>,
    ) -> BoxFuture<'a, PortResult<()>>;
    /// Community rating histograms (counts of 0.5 .. 5.0 stars) by film.
    fn rating_histograms(&self) -> BoxFuture<'_, PortResult<Vec<(FilmKey, Histogram)>>>;
    fn usage_series(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> BoxFuture<'_, PortResult<Vec<UsageDay>>>;
    /// Running totals per day from the first day of use (or `from`, if later) to `to`.
    fn cumulative_usage(
        &self,
        from: Option<NaiveDate>,
        to: NaiveDate,
    ) -> BoxFuture<'_, PortResult<Vec<CumulativeDay>>>;
    fn count_members(&self) -> BoxFuture<'_, PortResult<u64>>;
}

/// Where uploaded exports are kept: the truth about which upload ids exist (the cache in front
/// is only a copy). Every failure here is the database's: the services answer 503, never an id
/// that does not work.
pub trait UploadStore: Send + Sync {
    fn save_upload<'a>(
        &'a self,
        id: UploadId,
        upload: &'a StoredUpload,
    ) -> BoxFuture<'a, PortResult<()>>;
    /// The upload unless it expired by `now`; an expired one is deleted on the way.
    fn load_upload(
        &self,
        id: UploadId,
        now: DateTime<Utc>,
    ) -> BoxFuture<'_, PortResult<Option<StoredUpload>>>;
    /// Deletes the upload; `true` when it existed and had not expired by `now`.
    fn remove_upload(&self, id: UploadId, now: DateTime<Utc>) -> BoxFuture<'_, PortResult<bool>>;
    /// Deletes every upload expired by `now`; returns how many.
    fn sweep_uploads(&self, now: DateTime<Utc>) -> BoxFuture<'_, PortResult<usize>>;
}

/// A trained model, and the name of what was actually trained (the default model may fall back
/// to the personalized forest when no general model is loaded).
pub struct Trained {
    pub model: ModelChoice,
    pub predictor: Box<dyn Predictor>,
}

/// Trains a member's model. Blocking and CPU-bound: the services call it on the blocking pool.
pub trait Trainer: Send + Sync {
    fn train(
        &self,
        choice: ModelChoice,
        catalog: &Arc<Catalog>,
        profile: &Profile,
    ) -> Result<Trained, ServiceError>;

    /// Names the models `train` uses now: it changes whenever they do (a newer general model),
    /// so predictions kept from older ones are not served.
    fn generation(&self) -> u64;

    /// What the match ranking reads (co-watching, popularity) for `catalog`, when a general model
    /// is loaded; `None` orders lists by predicted rating.
    fn match_signals(
        &self,
        _catalog: &Arc<Catalog>,
    ) -> Option<Arc<model::recommend::MatchSignals>> {
        None
    }
}

/// Where films stream (the store keeps it per film and country).
pub trait OfferStore: Send + Sync {
    /// Keys of the films offered in `country` by any of `providers` (any when empty) as any of
    /// `kinds`.
    fn films_offered<'a>(
        &'a self,
        country: CountryCode,
        providers: &'a [u32],
        kinds: &'a [OfferKind],
    ) -> BoxFuture<'a, PortResult<Vec<FilmKey>>>;

    /// The offers in `country` of the films `keys` name.
    fn offers_in<'a>(
        &'a self,
        country: CountryCode,
        keys: &'a [FilmKey],
    ) -> BoxFuture<'a, PortResult<Vec<(FilmKey, Offer)>>>;
}

/// Reads a description into filters: a language model in the service (see
/// `adapters::LanguageModel`). Its filters are checked like a request's; an `Err` says why the
/// embedded parser's reading is used instead.
pub trait DescriptionReader: Send + Sync {
    /// `this_year` anchors words like "recent".
    fn read<'a>(
        &'a self,
        description: &'a str,
        this_year: u16,
    ) -> BoxFuture<'a, Result<model::recommend::describe::Described, Fallback>>;

    /// The readings it keeps in process, for `/metrics`; `None` when it keeps none.
    fn kept(&self) -> Option<crate::metrics::CacheUsage> {
        None
    }
}
