//! Who a member is, as a profile: a username goes cache -> single flight -> Letterboxd -> store;
//! an upload id goes to the uploaded export kept for 24 hours.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use futures::FutureExt;
use model::{Catalog, Profile, Slug, Username};

use super::ServiceError;
use super::ports::{DistributedLock, KeyValue, MemberStore, ProfileSource, SourceError};
use super::single_flight::SingleFlight;
use super::uploads::Uploads;
use super::uses::UseCounter;
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
/// Memory for those parsed profiles (estimated, see [`profile_weight`]).
const LOCAL_BYTES: u64 = 32 << 20;

type Flight = Result<(Arc<Profile>, ProfileOrigin), ServiceError>;

pub struct ProfileResolver {
    source: Arc<dyn ProfileSource>,
    cache: Arc<dyn KeyValue>,
    lock: Arc<dyn DistributedLock>,
    store: Arc<dyn MemberStore>,
    uploads: Arc<Uploads>,
    uses: Arc<UseCounter>,
    flights: SingleFlight<Username, Flight>,
    /// Profiles parsed lately, in front of the shared cache; `None` when turned off.
    parsed: Option<moka::future::Cache<Username, Arc<Profile>>>,
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
    // Usernames are normalised (lowercase) when parsed, so `Dave` and a pasted URL share a key.
    format!("profile:v1:{}", user.as_str())
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
        parsed_ttl: Duration,
    ) -> Self {
        Self {
            source,
            cache,
            lock,
            store,
            uploads,
            uses,
            flights: SingleFlight::default(),
            parsed: (!parsed_ttl.is_zero()).then(|| {
                moka::future::Cache::builder()
                    .max_capacity(LOCAL_BYTES)
                    .weigher(profile_weight)
                    .time_to_live(parsed_ttl)
                    .build()
            }),
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

    async fn profile_of(
        &self,
        user: &Username,
        catalog: &Arc<Catalog>,
    ) -> Result<(Arc<Profile>, ProfileOrigin), ServiceError> {
        if let Some(parsed) = &self.parsed
            && let Some(profile) = parsed.get(user).await
        {
            metrics::profile_cache(true);
            return Ok((profile, ProfileOrigin::Cached));
        }
        if let Some(profile) = read_cached(&*self.cache, user).await {
            self.keep_parsed(user, &profile).await;
            return Ok((profile, ProfileOrigin::Cached));
        }
        let work = {
            let source = Arc::clone(&self.source);
            let cache = Arc::clone(&self.cache);
            let lock = Arc::clone(&self.lock);
            let store = Arc::clone(&self.store);
            let user = user.clone();
            let catalog = Arc::clone(catalog);
            move || {
                async move {
                    let fetch = Fetch {
                        source: &*source,
                        cache: &*cache,
                        lock: &*lock,
                        store: &*store,
                    };
                    fetch.run(&user, &catalog).await
                }
                .boxed()
            }
        };
        let (profile, origin) = self.flights.run(user.clone(), work).await?;
        self.keep_parsed(user, &profile).await;
        Ok((profile, origin))
    }

    async fn keep_parsed(&self, user: &Username, profile: &Arc<Profile>) {
        if let Some(parsed) = &self.parsed {
            parsed.insert(user.clone(), Arc::clone(profile)).await;
        }
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

/// One scrape of one member, shared by every request waiting for it.
struct Fetch<'a> {
    source: &'a dyn ProfileSource,
    cache: &'a dyn KeyValue,
    lock: &'a dyn DistributedLock,
    store: &'a dyn MemberStore,
}

impl Fetch<'_> {
    /// Takes the member's scrape lock (shared by every replica) and scrapes, unless the cache
    /// fills meanwhile: while another replica holds the lock, wait for its result in the cache,
    /// and take the lock as soon as it is free (the holder may have failed). Past the lock's
    /// lifetime, scrape regardless.
    async fn run(&self, user: &Username, catalog: &Catalog) -> Flight {
        let key = lock_key(user);
        let give_up = tokio::time::Instant::now() + SCRAPE_LOCK_TTL;
        loop {
            if let Some(token) = self.lock.try_acquire(&key, SCRAPE_LOCK_TTL).await {
                // Another replica may have finished between our cache read and the lock.
                let outcome = match read_cached(self.cache, user).await {
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
            if let Some(profile) = read_cached(self.cache, user).await {
                return Ok((profile, ProfileOrigin::Cached));
            }
        }
    }

    async fn scrape(
        &self,
        user: &Username,
        catalog: &Catalog,
    ) -> Result<Arc<Profile>, ServiceError> {
        let name = user.to_string();
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
        match serde_json::to_vec(&scraped.profile) {
            Ok(bytes) => self.cache.set(&cache_key(user), bytes, PROFILE_TTL).await,
            Err(err) => tracing::warn!(error = %err, "profile not cached"),
        }
        // The diary is kept for the general model and the catalog grows from what profiles
        // mention; neither may fail the request that brought them.
        if let Err(err) = self.store.save_scrape(user, &scraped).await {
            tracing::warn!(error = format!("{err:#}"), "scraped profile not stored");
        }
        let fetched: HashSet<&Slug> = scraped.films.iter().map(|film| &film.slug).collect();
        let mut unknown: Vec<Slug> = scraped
            .profile
            .films_seen
            .iter()
            .map(|film| &film.slug)
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
