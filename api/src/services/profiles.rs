//! Who a member is, as a profile: a username goes cache -> single flight -> the diary stored from
//! its last scrape (refreshed in the background once older than the cache's TTL) -> Letterboxd ->
//! store; an upload id goes to the uploaded export kept for 24 hours. A scrape that could not end
//! before the request's deadline is refused at once.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::Utc;
use futures::FutureExt;
use model::{Catalog, FilmKey, Profile, Username};
use tokio::sync::Semaphore;

use super::ports::{DistributedLock, KeyValue, MemberStore, ProfileSource, SourceError};
use super::single_flight::SingleFlight;
use super::uploads::Uploads;
use super::uses::UseCounter;
use super::{ServiceError, deadline};
use crate::domain::{MemberRef, ProfileOrigin, ResolvedProfile};
use crate::metrics;

/// A cached profile is never scraped again within this time.
pub const PROFILE_TTL: Duration = Duration::from_secs(60 * 60);
/// How long one replica may hold a member's scrape lock: longer than a large scrape takes, short
/// enough that a crashed replica delays the others by no more than this.
pub const SCRAPE_LOCK_TTL: Duration = Duration::from_secs(90);
/// How often a replica waiting on another's scrape looks in the cache.
const LOCK_POLL: Duration = Duration::from_millis(200);
/// Parsed profiles are also kept in this process this long (by default): parsing a profile from
/// the shared cache was most of a warm request's work. Short, so a replica never serves a profile
/// much past the shared entry's lifetime.
pub const PARSED_PROFILE_TTL: Duration = Duration::from_secs(60);

// A stored profile older than [`PROFILE_TTL`] is cached this long while it is refreshed in the
/// background: a refresh that failed or was skipped is tried again this soon.
pub const STALE_PROFILE_TTL: Duration = Duration::from_secs(10 * 60);
/// Background refreshes waiting at once in a process; past it a stale profile is refreshed on a
/// later miss. Bounds the tasks a flushed cache can start.
const MAX_PENDING_REFRESHES: usize = 10_000;
/// Pages a scrape is assumed to read before any scrape has said: the films grid's first page,
/// the watchlist and one more.
const FIRST_GUESS_PAGES: f64 = 3.0;

type Flight = Result<(Arc<Profile>, ProfileOrigin), ServiceError>;

/// How parsed profiles are kept in this process in front of the shared cache: how long and in
/// how many bytes (either zero: not at all).
#[derive(Debug, Clone, Copy)]
pub struct ParsedCopies {
    pub ttl: Duration,
    pub bytes: u64,
}

pub struct ProfileResolver {
    inner: Arc<Inner>,
    uploads: Arc<Uploads>,
    uses: Arc<UseCounter>,
    flights: SingleFlight<Username, Flight>,
}

/// What a flight and a background refresh share.
struct Inner {
    source: Arc<dyn ProfileSource>,
    cache: Arc<dyn KeyValue>,
    lock: Arc<dyn DistributedLock>,
    store: Arc<dyn MemberStore>,
    /// Profiles parsed lately, in front of the shared cache; `None` when turned off.
    parsed: Option<moka::future::Cache<Username, Arc<Profile>>>,
    /// The bytes `parsed` may hold (estimated, see [`profile_weight`]): its share of
    /// `MEMORY_BUDGET`.
    parsed_bytes: u64,
    /// Lookups in `parsed`.
    parsed_hits: AtomicU64,
    parsed_misses: AtomicU64,
    queue: ScrapeQueue,
    /// Members whose stored profile is being refreshed in the background.
    refreshing: Mutex<HashSet<Username>>,
    /// One background refresh at a time, so refreshes never crowd out members scraped in a
    /// request.
    refresh_slot: Semaphore,
}
/// Roughly what a parsed profile occupies: its films, each a slug and a little more.
fn profile_weight(_: &Username, profile: &Arc<Profile>) -> u32 {
    let films = profile.ratings.len()
        + profile.likes.len()
        + profile.watched.len()
        + profile.watchlist.len()
        + 2 * profile.films_seen.len();
    u32::try_from(films * 64 + 256).unwrap_or(u32::MAX)
}

pub fn cache_key(user: &Username) -> String {
    // Usernames are normalised (lowercase) when parsed, so `Dave` and a pasted URL share a key;
    // v2: scraped profiles carry their diary dates, which v1 entries lack.
    format!("profile:v2:{}", user.as_str())
}

fn lock_key(user: &Username) -> String {
    format!("lock:scrape:{}", user.as_str())
}

impl ProfileResolver {
    pub fn new(
        source: Arc<dyn ProfileSource>,
        cache: Arc<dyn KeyValue>,
        lock: Arc<dyn DistributedLock>,
        store: Arc<dyn MemberStore>,
        uploads: Arc<Uploads>,
        uses: Arc<UseCounter>,
        parsed: ParsedCopies,
    ) -> Self {
        let ParsedCopies {
            ttl: parsed_ttl,
            bytes: parsed_bytes,
        } = parsed;
        let queue = ScrapeQueue::new(source.pages_per_second());
        Self {
            inner: Arc::new(Inner {
                source,
                cache,
                lock,
                store,
                parsed: (!parsed_ttl.is_zero() && parsed_bytes > 0).then(|| {
                    moka::future::Cache::builder()
                        .max_capacity(parsed_bytes)
                        .weigher(profile_weight)
                        .time_to_live(parsed_ttl)
                        .build()
                }),
                parsed_bytes,
                parsed_hits: AtomicU64::new(0),
                parsed_misses: AtomicU64::new(0),
                queue,
                refreshing: Mutex::default(),
                refresh_slot: Semaphore::new(1),
            }),
            uploads,
            uses,
            flights: SingleFlight::default(),
        }
    }

    /// The member's profile. Every username resolved counts a use of the member for the day.
    #[tracing::instrument(skip_all)]
    pub async fn resolve(
        &self,
        member: &MemberRef,
        catalog: &Arc<Catalog>,
    ) -> Result<ResolvedProfile, ServiceError> {
        match member {
            MemberRef::Upload(id) => {
                let upload = self
                    .uploads
                    .get(*id)
                    .await?
                    .ok_or_else(|| ServiceError::ProfileNotFound(id.to_string()))?;
                Ok(ResolvedProfile {
                    member: member.clone(),
                    profile: Arc::new(upload.profile),
                    origin: ProfileOrigin::Upload,
                    stored: None,
                })
            }
            MemberRef::Username(user) => {
                let (profile, origin) = self.profile_of(user, catalog).await?;
                let stored = self.uses.record(user, Utc::now()).await?;
                Ok(ResolvedProfile {
                    member: member.clone(),
                    profile,
                    origin,
                    stored: Some(stored),
                })
            }
        }
    }

    /// The parsed profiles' size, bound and lookups, for `/metrics`.
    pub async fn parsed_usage(&self) -> metrics::CacheUsage {
        let (bytes, capacity_bytes) = match &self.inner.parsed {
            Some(parsed) => {
                parsed.run_pending_tasks().await;
                (parsed.weighted_size(), self.inner.parsed_bytes)
            }
            // Turned off (`parsed_profile_ttl` zero): holds nothing, may hold nothing.
            None => (0, 0),
        };
        metrics::CacheUsage {
            cache: "profiles",
            bytes,
            capacity_bytes,
            hits: self.inner.parsed_hits.load(Ordering::Relaxed),
            misses: self.inner.parsed_misses.load(Ordering::Relaxed),
        }
    }

    async fn profile_of(
        &self,
        user: &Username,
        catalog: &Arc<Catalog>,
    ) -> Result<(Arc<Profile>, ProfileOrigin), ServiceError> {
        if let Some(parsed) = &self.inner.parsed {
            if let Some(profile) = parsed.get(user).await {
                self.inner.parsed_hits.fetch_add(1, Ordering::Relaxed);
                metrics::profile_cache(true);
                return Ok((profile, ProfileOrigin::Cached));
            }
            self.inner.parsed_misses.fetch_add(1, Ordering::Relaxed);
        }
        if let Some(profile) = read_cached(&*self.inner.cache, user).await {
            self.inner.keep_parsed(user, &profile).await;
            return Ok((profile, ProfileOrigin::Cached));
        }
        let work = {
            let inner = Arc::clone(&self.inner);
            let user = user.clone();
            let catalog = Arc::clone(catalog);
            move || async move { inner.fetch(&user, &catalog).await }.boxed()
        };
        let (profile, origin) = self.flights.run(user.clone(), work).await?;
        self.inner.keep_parsed(user, &profile).await;
        Ok((profile, origin))
    }
}

async fn read_cached(cache: &dyn KeyValue, user: &Username) -> Option<Arc<Profile>> {
    let bytes = cache.get(&cache_key(user)).await;
    let found = bytes.and_then(|bytes| match serde_json::from_slice::<Profile>(&bytes) {
        Ok(profile) => Some(Arc::new(profile)),
        Err(err) => {
            // An entry from an older build: scrape again rather than fail.
            tracing::warn!(error = %err, "unreadable cached profile");
            None
        }
    });
    metrics::profile_cache(found.is_some());
    found
}

async fn write_cached(cache: &dyn KeyValue, user: &Username, profile: &Profile, ttl: Duration) {
    match serde_json::to_vec(profile) {
        Ok(bytes) => cache.set(&cache_key(user), bytes, ttl).await,
        Err(err) => tracing::warn!(error = %err, "profile not cached"),
    }
}

impl Inner {
    async fn keep_parsed(&self, user: &Username, profile: &Arc<Profile>) {
        if let Some(parsed) = &self.parsed {
            parsed.insert(user.clone(), Arc::clone(profile)).await;
        }
    }

    /// One cache miss of one member, shared by every request waiting for it: the profile the
    /// store kept from the last scrape when there is one (the cache lost it: expired, flushed,
    /// or Redis restarted empty), else a scrape.
    async fn fetch(self: Arc<Self>, user: &Username, catalog: &Arc<Catalog>) -> Flight {
        match self.store.stored_profile(user).await {
            Ok(Some(stored)) => {
                let age = (Utc::now() - stored.scraped_at)
                    .to_std()
                    .unwrap_or(Duration::ZERO);
                let profile = Arc::new(stored.profile);
                let ttl = match PROFILE_TTL.checked_sub(age) {
                    Some(left) => left.max(Duration::from_secs(1)),
                    None => {
                        self.refresh_later(user, catalog);
                        STALE_PROFILE_TTL
                    }
                };
                write_cached(&*self.cache, user, &profile, ttl).await;
                metrics::profile_miss(metrics::ProfileMiss::Stored);
                return Ok((profile, ProfileOrigin::Cached));
            }
            Ok(None) => {}
            // The store is down: scraping still answers.
            Err(err) => tracing::warn!(error = format!("{err:#}"), "stored profile unreadable"),
        }
        self.scrape_with_lock(user, catalog).await
    }

    /// Takes the member's scrape lock (shared by every replica) and scrapes, unless the cache
    /// fills meanwhile: while another replica holds the lock, wait for its result in the cache,
    /// and take the lock as soon as it is free (the holder may have failed). Past the lock's
    /// lifetime, scrape regardless.
    async fn scrape_with_lock(&self, user: &Username, catalog: &Catalog) -> Flight {
        let key = lock_key(user);
        let give_up = tokio::time::Instant::now() + SCRAPE_LOCK_TTL;
        loop {
            if let Some(token) = self.lock.try_acquire(&key, SCRAPE_LOCK_TTL).await {
                // Another replica may have finished between our cache read and the lock.
                let outcome = match read_cached(&*self.cache, user).await {
                    Some(profile) => Ok((profile, ProfileOrigin::Cached)),
                    None => self
                        .scrape(user, catalog)
                        .await
                        .map(|profile| (profile, ProfileOrigin::Scraped)),
                };
                self.lock.release(&key, &token).await;
                return outcome;
            }
            if tokio::time::Instant::now() >= give_up {
                tracing::warn!("scrape lock held too long; scraping without it");
                return self
                    .scrape(user, catalog)
                    .await
                    .map(|profile| (profile, ProfileOrigin::Scraped));
            }
            tokio::time::sleep(LOCK_POLL).await;
            if let Some(profile) = read_cached(&*self.cache, user).await {
                return Ok((profile, ProfileOrigin::Cached));
            }
        }
    }

    /// Refreshes a stale stored profile off the request, at most once at a time per member in
    /// this process; the scrape lock keeps other replicas from refreshing it too.
    fn refresh_later(self: &Arc<Self>, user: &Username, catalog: &Arc<Catalog>) {
        {
            let mut refreshing = self
                .refreshing
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if refreshing.len() >= MAX_PENDING_REFRESHES || !refreshing.insert(user.clone()) {
                return;
            }
        }
        let inner = Arc::clone(self);
        let user = user.clone();
        let catalog = Arc::clone(catalog);
        tokio::spawn(async move {
            inner.refresh(&user, &catalog).await;
            inner
                .refreshing
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .remove(&user);
        });
    }

    async fn refresh(&self, user: &Username, catalog: &Catalog) {
        let Ok(_slot) = self.refresh_slot.acquire().await else {
            return;
        };
        let key = lock_key(user);
        // Held elsewhere: another replica scrapes the member now.
        let Some(token) = self.lock.try_acquire(&key, SCRAPE_LOCK_TTL).await else {
            return;
        };
        // Another replica may have refreshed it while this one waited for its slot.
        let fresh = match self.store.stored_profile(user).await {
            Ok(Some(stored)) => (Utc::now() - stored.scraped_at)
                .to_std()
                .is_ok_and(|age| age < PROFILE_TTL),
            _ => false,
        };
        if !fresh {
            match self.scrape(user, catalog).await {
                Ok(profile) => {
                    metrics::profile_miss(metrics::ProfileMiss::Refreshed);
                    self.keep_parsed(user, &profile).await;
                }
                Err(ServiceError::MemberNotFound(_) | ServiceError::ProfilePrivate(_)) => {
                    // Gone or private now: stop serving what was public before; the next
                    // request scrapes and is told why.
                    if let Err(err) = self.store.forget_scrape(user).await {
                        tracing::warn!(error = format!("{err:#}"), "stored profile not forgotten");
                    }
                    self.cache.delete(&cache_key(user)).await;
                    if let Some(parsed) = &self.parsed {
                        parsed.invalidate(user).await;
                    }
                }
                Err(err) => tracing::warn!(error = %err, "stored profile not refreshed"),
            }
        }
        self.lock.release(&key, &token).await;
    }

    async fn scrape(
        &self,
        user: &Username,
        catalog: &Catalog,
    ) -> Result<Arc<Profile>, ServiceError> {
        let name = user.to_string();
        // Refused before it starts when it would end past the request's deadline: the client
        // hears when to come back instead of waiting to time out.
        let ticket = self
            .queue
            .admit()
            .map_err(|retry_after| ServiceError::ScrapeQueueFull { retry_after })?;
        let scraped = self
            .source
            .scrape(user, catalog)
            .await
            .map_err(|err| match err {
                SourceError::MemberNotFound => ServiceError::MemberNotFound(name.clone()),
                SourceError::ProfilePrivate => ServiceError::ProfilePrivate(name.clone()),
                SourceError::Blocked => ServiceError::UpstreamBlocked,
                SourceError::Unavailable(_) => ServiceError::UpstreamUnavailable,
                SourceError::RateLimited(wait) => ServiceError::UpstreamRateLimited(wait),
            })?;
        ticket.done(scraped.requests);
        write_cached(&*self.cache, user, &scraped.profile, PROFILE_TTL).await;
        // The diary is kept for the general model, to answer from when the cache loses it, and
        // the catalog grows from what profiles mention; none of it may fail the request.
        if let Err(err) = self.store.save_scrape(user, &scraped, Utc::now()).await {
            tracing::warn!(error = format!("{err:#}"), "scraped profile not stored");
        }
        let fetched: HashSet<&FilmKey> = scraped.films.iter().map(|film| &film.key).collect();
        let mut unknown: Vec<FilmKey> = scraped
            .profile
            .films_seen
            .iter()
            .map(|film| &film.key)
            .chain(&scraped.queued)
            .filter(|slug| catalog.index_of(slug).is_none() && !fetched.contains(slug))
            .cloned()
            .collect();
        unknown.sort_unstable();
        unknown.dedup();
        if !unknown.is_empty()
            && let Err(err) = self.store.queue_films(&unknown).await
        {
            tracing::warn!(error = format!("{err:#}"), "unknown films not queued");
        }
        Ok(Arc::new(scraped.profile))
    }
}

/// The scrapes started and not finished in this process, and the pages one reads on average:
/// with the source's rate, how long a new scrape would wait for the ones before it.
struct ScrapeQueue {
    pending: AtomicUsize,
    /// Pages per scrape, a moving average (as `f64` bits).
    pages: AtomicU64,
    pages_per_second: Option<f64>,
}

/// A place in the queue, given back when dropped.
struct Ticket<'a> {
    queue: &'a ScrapeQueue,
}

impl ScrapeQueue {
    fn new(pages_per_second: Option<f64>) -> Self {
        Self {
            pending: AtomicUsize::new(0),
            pages: AtomicU64::new(FIRST_GUESS_PAGES.to_bits()),
            pages_per_second: pages_per_second.filter(|rate| *rate > 0.0),
        }
    }

    /// A place for one more scrape, or how long the queue needs when it could not finish
    /// before the current request's deadline. Outside a request every scrape is let in.
    fn admit(&self) -> Result<Ticket<'_>, Duration> {
        let ahead = self.pending.fetch_add(1, Ordering::SeqCst) + 1;
        let ticket = Ticket { queue: self };
        if let (Some(rate), Some(left)) = (self.pages_per_second, deadline::remaining()) {
            let pages = f64::from_bits(self.pages.load(Ordering::Relaxed));
            // Every scrape ahead shares the one rate; this one ends when they all have.
            let wait =
                Duration::try_from_secs_f64(ahead as f64 * pages / rate).unwrap_or(Duration::MAX);
            if wait > left {
                metrics::profile_miss(metrics::ProfileMiss::Shed);
                return Err(wait);
            }
        }
        Ok(ticket)
    }
}

impl Ticket<'_> {
    /// Counts the pages the scrape read into the average (unknown when zero).
    fn done(self, pages: u32) {
        if pages > 0 {
            let old = f64::from_bits(self.queue.pages.load(Ordering::Relaxed));
            let new = 0.8 * old + 0.2 * f64::from(pages);
            self.queue.pages.store(new.to_bits(), Ordering::Relaxed);
        }
    }
}

impl Drop for Ticket<'_> {
    fn drop(&mut self) {
        self.queue.pending.fetch_sub(1, Ordering::SeqCst);
    }
}
