//! In-memory stand-ins for the ports, so the services are tested without Postgres, Redis or
//! Letterboxd (the HTTP tests in `api/tests/` use the real ones).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use futures::future::BoxFuture;
use model::stats::StatsSnapshot;
use model::{
    Catalog, Film, FilmIndex, FilmKey, FilmRef, Genre, GenreSet, Predictor, Profile, Rating,
    Username,
};
use tokio::sync::Semaphore;

use crate::domain::{ModelChoice, StoredUpload, UploadId};
use crate::services::ports::*;
use crate::services::{Ports, ServiceError, Services};

pub fn slug(raw: &str) -> FilmKey {
    FilmKey::parse(raw).unwrap()
}

pub fn user(raw: &str) -> Username {
    Username::parse(raw).unwrap()
}

/// Films `f00`..`f{n-1}`: dramas from 1990 on, averages from 2.0 up, more popular as they go.
pub fn catalog(n: usize) -> Catalog {
    Catalog::from_films((0..n).map(|i| {
        let mut film = Film::stub(slug(&format!("f{i:02}")), format!("Film {i}"));
        film.year = Some(1990 + i as u16);
        film.runtime_minutes = Some(100);
        film.genres = GenreSet::from_iter([Genre::Drama]);
        film.lb_average = Some(2.0 + (i % 7) as f32 * 0.4);
        film.lb_rating_count = Some(1_000 * (i as u32 + 1));
        film
    }))
}

/// Rates `rated` films with the given stars; watchlists `watchlist`.
pub fn profile(name: &str, rated: &[(&str, f32)], watchlist: &[&str]) -> Profile {
    Profile {
        username: Some(user(name)),
        ratings: rated
            .iter()
            .map(|(s, stars)| (slug(s), Rating::from_stars(*stars).unwrap()))
            .collect(),
        watchlist: watchlist.iter().map(|s| slug(s)).collect(),
        films_seen: rated
            .iter()
            .map(|(s, _)| FilmRef::new(slug(s)))
            .chain(watchlist.iter().map(|s| FilmRef::new(slug(s))))
            .collect(),
        ..Profile::default()
    }
}

pub struct FixedCatalog(pub CatalogSnapshot);

impl CatalogSource for FixedCatalog {
    fn current(&self) -> Option<CatalogSnapshot> {
        Some(self.0.clone())
    }

    /// A fixed catalog takes no film: the unit tests run without a film source.
    fn add_films(
        &self,
        _films: Vec<model::Film>,
    ) -> futures::future::BoxFuture<'_, crate::services::ports::PortResult<CatalogSnapshot>> {
        Box::pin(async { Err(anyhow::anyhow!("the fixed catalog takes no film")) })
    }
}

/// Profiles by username; a scrape waits for a permit when `gate` is closed.
#[derive(Default)]
pub struct FakeSource {
    pub profiles: Mutex<HashMap<String, Result<Profile, SourceError>>>,
    pub scrapes: AtomicUsize,
    pub gate: Option<Arc<Semaphore>>,
}

impl FakeSource {
    pub fn with(profiles: Vec<(&str, Result<Profile, SourceError>)>) -> Self {
        Self {
            profiles: Mutex::new(
                profiles
                    .into_iter()
                    .map(|(name, p)| (name.to_owned(), p))
                    .collect(),
            ),
            ..Self::default()
        }
    }
}

impl ProfileSource for FakeSource {
    fn scrape<'a>(
        &'a self,
        user: &'a Username,
        _catalog: &'a Catalog,
    ) -> BoxFuture<'a, Result<Scraped, SourceError>> {
        Box::pin(async move {
            self.scrapes.fetch_add(1, Ordering::SeqCst);
            if let Some(gate) = &self.gate {
                let _permit = gate.acquire().await.unwrap();
            }
            let found = self.profiles.lock().unwrap().get(user.as_str()).cloned();
            let profile = found.unwrap_or(Err(SourceError::MemberNotFound))?;
            Ok(Scraped {
                profile,
                films: Vec::new(),
                queued: Vec::new(),
                requests: 0,
            })
        })
    }
}

#[derive(Default)]
pub struct MemoryKv {
    pub entries: Mutex<HashMap<String, (Vec<u8>, Duration)>>,
}

impl KeyValue for MemoryKv {
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Option<Vec<u8>>> {
        Box::pin(async move {
            self.entries
                .lock()
                .unwrap()
                .get(key)
                .map(|(v, _)| v.clone())
        })
    }
    fn set<'a>(&'a self, key: &'a str, value: Vec<u8>, ttl: Duration) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            self.entries
                .lock()
                .unwrap()
                .insert(key.to_owned(), (value, ttl));
        })
    }
    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            self.entries.lock().unwrap().remove(key);
        })
    }
}

/// A lock some other replica always holds.
pub struct HeldElsewhere;

impl DistributedLock for HeldElsewhere {
    fn try_acquire<'a>(&'a self, _key: &'a str, _ttl: Duration) -> BoxFuture<'a, Option<String>> {
        Box::pin(async { None })
    }
    fn release<'a>(&'a self, _key: &'a str, _token: &'a str) -> BoxFuture<'a, ()> {
        Box::pin(async {})
    }
}

#[derive(Default)]
pub struct FakeStore {
    pub members: Mutex<Vec<String>>,
    pub uses: Mutex<Vec<String>>,
    pub snapshots: Mutex<Vec<(StoredMember, StatsSnapshot)>>,
    pub queued: Mutex<Vec<FilmKey>>,
    pub saved: Mutex<Vec<String>>,
}

impl MemberStore for FakeStore {
    fn record_use<'a>(
        &'a self,
        user: &'a Username,
        _at: DateTime<Utc>,
    ) -> BoxFuture<'a, PortResult<StoredMember>> {
        Box::pin(async move {
            self.uses.lock().unwrap().push(user.to_string());
            let mut members = self.members.lock().unwrap();
            let at = match members.iter().position(|m| m == user.as_str()) {
                Some(at) => at,
                None => {
                    members.push(user.to_string());
                    members.len() - 1
                }
            };
            Ok(StoredMember(at as i64 + 1))
        })
    }
    fn add_uses<'a>(&'a self, uses: &'a [CountedUses]) -> BoxFuture<'a, PortResult<()>> {
        Box::pin(async move {
            let members = self.members.lock().unwrap();
            let mut recorded = self.uses.lock().unwrap();
            for counted in uses {
                let name = &members[counted.member.0 as usize - 1];
                recorded.extend((0..counted.uses).map(|_| name.clone()));
            }
            Ok(())
        })
    }
    fn save_scrape<'a>(
        &'a self,
        user: &'a Username,
        _scraped: &'a Scraped,
        _at: DateTime<Utc>,
    ) -> BoxFuture<'a, PortResult<()>> {
        Box::pin(async move {
            self.saved.lock().unwrap().push(user.to_string());
            Ok(())
        })
    }
    // Diaries are not kept here: every miss scrapes (the HTTP tests cover the stored ones).
    fn stored_profile<'a>(
        &'a self,
        _user: &'a Username,
    ) -> BoxFuture<'a, PortResult<Option<StoredProfile>>> {
        Box::pin(async { Ok(None) })
    }
    fn forget_scrape<'a>(&'a self, _user: &'a Username) -> BoxFuture<'a, PortResult<()>> {
        Box::pin(async { Ok(()) })
    }
    fn queue_films<'a>(&'a self, slugs: &'a [FilmKey]) -> BoxFuture<'a, PortResult<usize>> {
        Box::pin(async move {
            self.queued.lock().unwrap().extend_from_slice(slugs);
            Ok(slugs.len())
        })
    }
    fn latest_snapshots(&self) -> BoxFuture<'_, PortResult<Vec<StoredSnapshot>>> {
        Box::pin(async move {
            let all = self.snapshots.lock().unwrap();
            let mut latest: HashMap<StoredMember, StoredSnapshot> = HashMap::new();
            for (at, (member, snapshot)) in all.iter().enumerate() {
                let computed_at =
                    DateTime::<Utc>::UNIX_EPOCH + chrono::Duration::seconds(at as i64);
                latest.insert(
                    *member,
                    StoredSnapshot {
                        member: *member,
                        computed_at,
                        snapshot: *snapshot,
                    },
                );
            }
            Ok(latest.into_values().collect())
        })
    }
    fn save_snapshot<'a>(
        &'a self,
        member: StoredMember,
        snapshot: &'a StatsSnapshot,
        _at: DateTime<Utc>,
    ) -> BoxFuture<'a, PortResult<()>> {
        Box::pin(async move {
            self.snapshots.lock().unwrap().push((member, *snapshot));
            Ok(())
        })
    }
    fn rating_histograms(&self) -> BoxFuture<'_, PortResult<Vec<(FilmKey, [u32; 10])>>> {
        Box::pin(async { Ok(vec![(slug("f00"), [0, 0, 0, 0, 0, 1, 2, 1, 0, 0])]) })
    }
    fn cumulative_usage(
        &self,
        _from: Option<NaiveDate>,
        _to: NaiveDate,
    ) -> BoxFuture<'_, PortResult<Vec<crate::domain::CumulativeDay>>> {
        Box::pin(async { Ok(Vec::new()) })
    }
    fn usage_series(
        &self,
        _from: NaiveDate,
        to: NaiveDate,
    ) -> BoxFuture<'_, PortResult<Vec<UsageDay>>> {
        Box::pin(async move {
            let uses = self.uses.lock().unwrap();
            let mut members = uses.clone();
            members.sort();
            members.dedup();
            Ok(vec![UsageDay {
                day: to,
                members: members.len() as u32,
                uses: uses.len() as u32,
            }])
        })
    }
    fn count_members(&self) -> BoxFuture<'_, PortResult<u64>> {
        Box::pin(async { Ok(self.members.lock().unwrap().len() as u64) })
    }
}

/// Predicts the film's Letterboxd average shifted by how far the member rates above it.
pub struct BiasTrainer;

struct Shifted(f32);

impl Predictor for Shifted {
    fn predict(&self, catalog: &Catalog, films: &[FilmIndex]) -> Vec<f32> {
        films
            .iter()
            .map(|&at| {
                let average = catalog.film(at).lb_average.unwrap_or(3.0);
                (average + self.0).clamp(0.5, 5.0)
            })
            .collect()
    }
}

impl Trainer for BiasTrainer {
    fn train(
        &self,
        choice: ModelChoice,
        catalog: &Arc<Catalog>,
        profile: &Profile,
    ) -> Result<Trained, ServiceError> {
        let diffs: Vec<f32> = profile
            .ratings
            .iter()
            .filter_map(|(s, r)| Some(r.stars() - catalog.get(s)?.lb_average?))
            .collect();
        let bias = diffs.iter().sum::<f32>() / diffs.len().max(1) as f32;
        Ok(Trained {
            model: choice,
            predictor: Box::new(Shifted(bias)),
        })
    }

    fn generation(&self) -> u64 {
        0
    }
}

/// Uploads in memory, honouring expiry as the Postgres store does; `down` fails every call.
#[derive(Default)]
pub struct FakeUploads {
    pub rows: Mutex<HashMap<UploadId, StoredUpload>>,
    pub down: AtomicBool,
}

impl FakeUploads {
    fn check(&self) -> PortResult<()> {
        if self.down.load(Ordering::SeqCst) {
            anyhow::bail!("connection refused");
        }
        Ok(())
    }
}

impl UploadStore for FakeUploads {
    fn save_upload<'a>(
        &'a self,
        id: UploadId,
        upload: &'a StoredUpload,
    ) -> BoxFuture<'a, PortResult<()>> {
        Box::pin(async move {
            self.check()?;
            self.rows.lock().unwrap().insert(id, upload.clone());
            Ok(())
        })
    }
    fn load_upload(
        &self,
        id: UploadId,
        now: DateTime<Utc>,
    ) -> BoxFuture<'_, PortResult<Option<StoredUpload>>> {
        Box::pin(async move {
            self.check()?;
            let mut rows = self.rows.lock().unwrap();
            match rows.get(&id) {
                Some(upload) if upload.expires_at <= now => {
                    rows.remove(&id);
                    Ok(None)
                }
                found => Ok(found.cloned()),
            }
        })
    }
    fn remove_upload(&self, id: UploadId, now: DateTime<Utc>) -> BoxFuture<'_, PortResult<bool>> {
        Box::pin(async move {
            self.check()?;
            let removed = self.rows.lock().unwrap().remove(&id);
            Ok(removed.is_some_and(|upload| upload.expires_at > now))
        })
    }
    fn sweep_uploads(&self, now: DateTime<Utc>) -> BoxFuture<'_, PortResult<usize>> {
        Box::pin(async move {
            self.check()?;
            let mut rows = self.rows.lock().unwrap();
            let before = rows.len();
            rows.retain(|_, upload| upload.expires_at > now);
            Ok(before - rows.len())
        })
    }
}

pub struct World {
    pub services: Services,
    pub source: Arc<FakeSource>,
    pub store: Arc<FakeStore>,
    pub uploads: Arc<FakeUploads>,
    pub cache: Arc<MemoryKv>,
}

pub fn world(source: FakeSource, lock: Arc<dyn DistributedLock>) -> World {
    world_with_catalog(source, lock, catalog(40))
}

pub fn world_with_catalog(
    source: FakeSource,
    lock: Arc<dyn DistributedLock>,
    films: Catalog,
) -> World {
    let source = Arc::new(source);
    let store = Arc::new(FakeStore::default());
    let uploads = Arc::new(FakeUploads::default());
    let cache = Arc::new(MemoryKv::default());
    let services = Services::new(Ports {
        catalog: Arc::new(FixedCatalog(CatalogSnapshot {
            version: 3,
            catalog: Arc::new(films),
        })),
        source: source.clone(),
        cache: cache.clone(),
        lock,
        store: store.clone(),
        uploads: uploads.clone(),
        trainer: Arc::new(BiasTrainer),
        training_slots: 2,
        score_cache_bytes: 1 << 20,
        parsed_profile_ttl: crate::services::profiles::PARSED_PROFILE_TTL,
        parsed_profile_bytes: 1 << 20,
        film_lookup_bytes: 1 << 20,
        films: None,
        offers: Arc::new(NoOffers),
        reader: None,
    });
    World {
        services,
        source,
        store,
        uploads,
        cache,
    }
}

/// Nothing streams anywhere: the unit tests ask for no country.
pub struct NoOffers;

impl crate::services::ports::OfferStore for NoOffers {
    fn films_offered<'a>(
        &'a self,
        _country: model::CountryCode,
        _providers: &'a [u32],
        _kinds: &'a [model::OfferKind],
    ) -> futures::future::BoxFuture<'a, crate::services::ports::PortResult<Vec<FilmKey>>> {
        Box::pin(async { Ok(Vec::new()) })
    }

    fn offers_in<'a>(
        &'a self,
        _country: model::CountryCode,
        _keys: &'a [FilmKey],
    ) -> futures::future::BoxFuture<
        'a,
        crate::services::ports::PortResult<Vec<(FilmKey, model::Offer)>>,
    > {
        Box::pin(async { Ok(Vec::new()) })
    }
}
