//! `reel catalog sync --source tmdb` against the simulated TMDB: a full seed and sync of a large
//! world, killed half-way and resumed without a film lost or fetched twice; a later run that
//! fetches only what the changes feed names; and TMDB refusing us, which stops the run with its
//! typed error and loses nothing.

use std::sync::Arc;

use chrono::Utc;
use model::{ContentType, FilmKey, TmdbRef};
use reel::jobs::{Budget, Progress, Stop, SyncStart, TmdbSyncSettings, sync_tmdb};
use reel::sources::{SourceError, TmdbSource};
use reel::store::Store;
use tmdb::TmdbConfig;
use tmdb_sim::{FaultPlan, Faults, Kind, Knobs, SimHandle, SimServer, World};

use crate::support::TestDatabase;

const TOKEN: &str = "sim-token-for-the-sync";

struct Sync {
    database: TestDatabase,
    sim: SimHandle,
    addr: std::net::SocketAddr,
    world: Arc<World>,
}

impl Sync {
    async fn start(films: usize) -> Sync {
        let world = Arc::new(World::build(tmdb_sim::synthetic::films(films, 11), 11));
        let (addr, sim) = SimServer::start(world.clone(), Some(TOKEN.into()), Faults::default())
            .await
            .unwrap();
        Sync {
            database: TestDatabase::new().await,
            sim,
            addr,
            world,
        }
    }

    fn store(&self) -> &Store {
        self.database.store()
    }

    /// A source of its own, as another process would have, with no rate limit worth the name.
    async fn source(&self) -> TmdbSource {
        let config = TmdbConfig {
            requests_per_second: 100_000,
            max_in_flight: 64,
            ..TmdbConfig::with_token(TOKEN)
                .pointed_at(&format!("http://{}", self.addr))
                .fast_retries()
        };
        TmdbSource::connect(tmdb::Client::new(config).unwrap())
            .await
            .unwrap()
    }

    fn movie_ids(&self) -> Vec<u64> {
        self.world
            .films()
            .iter()
            .filter(|film| film.kind == Kind::Movie)
            .map(|film| film.id)
            .collect()
    }

    fn details_requests(&self, id: u64) -> u32 {
        self.sim.faults().requests_to(&format!("/3/movie/{id}"))
    }
}

fn settings(worker: &str) -> TmdbSyncSettings {
    let mut settings = TmdbSyncSettings::new(worker);
    settings.crawl.concurrency = 32;
    settings.crawl.batch_size = 500;
    settings.id_file_date = Some(Utc::now().date_naive());
    settings
}

fn key(id: u64) -> FilmKey {
    FilmKey::tmdb(TmdbRef {
        kind: ContentType::Movie,
        id,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_full_sync_of_50_000_films_killed_half_way_resumes_without_losing_or_refetching() {
    let sync = Sync::start(50_000).await;
    let source = sync.source().await;
    let movies = sync.movie_ids();
    assert!(movies.len() >= 45_000, "{} movies", movies.len());

    // The first worker is cut off half-way (its budget), as a killed run would be.
    let mut first = settings("first");
    first.crawl.budget = Budget::unlimited().with_items(movies.len() as u64 / 2);
    let report = sync_tmdb(
        sync.store(),
        &source,
        &first,
        &Progress::logs_only("t", None),
    )
    .await
    .unwrap();
    assert!(
        matches!(report.start, SyncStart::Seeded { kept, .. } if kept == movies.len()),
        "{:?}",
        report.start
    );
    assert!(matches!(report.crawl.stop, Some(Stop::Budget)));
    assert!(!report.crawl.drained);
    assert_eq!(report.catalog_version, None, "a cut run does not publish");
    let half = sync.store().count_films(true).await.unwrap();
    assert!(
        half > 0 && (half as usize) < movies.len(),
        "{half} films after half a run"
    );

    // A second worker continues the same run.
    let report = sync_tmdb(
        sync.store(),
        &sync.source().await,
        &settings("second"),
        &Progress::logs_only("t", None),
    )
    .await
    .unwrap();
    assert_eq!(report.start, SyncStart::Resumed);
    assert!(report.crawl.drained && report.crawl.stop.is_none());
    assert!(
        report.catalog_version.is_some(),
        "a finished run bumps the version"
    );
    assert_eq!(
        sync.store().count_films(true).await.unwrap() as usize,
        movies.len(),
        "every movie of the id file is in the catalog"
    );
    let refetched: Vec<u64> = movies
        .iter()
        .copied()
        .filter(|&id| sync.details_requests(id) != 1)
        .collect();
    assert!(
        refetched.is_empty(),
        "fetched other than once: {:?}",
        &refetched[..refetched.len().min(10)]
    );

    // What a film looks like once synced: TMDB's figures, no Letterboxd ones, its TMDB key.
    let sample = sync
        .store()
        .find_film(&key(movies[0]))
        .await
        .unwrap()
        .unwrap();
    let expected = sync.world.get(Kind::Movie, movies[0]).unwrap();
    assert_eq!(sample.title, expected.title);
    assert_eq!(sample.tmdb_vote_count, Some(expected.vote_count as u32));
    assert!(sample.lb_average.is_none() && sample.slug.is_none());
    assert!(sample.poster_url.is_some());
}

#[tokio::test]
async fn a_later_run_fetches_only_what_the_changes_feed_names() {
    let sync = Sync::start(600).await;
    let source = sync.source().await;
    let first = sync_tmdb(
        sync.store(),
        &source,
        &settings("w"),
        &Progress::logs_only("t", None),
    )
    .await
    .unwrap();
    assert!(first.crawl.drained);
    let movies = sync.movie_ids();
    // Where films stream comes with their details, and is kept per country.
    let keys: Vec<FilmKey> = movies.iter().map(|&id| key(id)).collect();
    let offers = sync
        .store()
        .offers_in(model::CountryCode::parse("US").unwrap(), &keys)
        .await
        .unwrap();
    assert!(
        offers.len() > movies.len() / 10,
        "{} US offers",
        offers.len()
    );
    let changed: Vec<u64> = movies.iter().copied().step_by(40).collect();
    sync.sim
        .changes()
        .mark(Kind::Movie, &changed, Utc::now().date_naive());

    let second = sync_tmdb(
        sync.store(),
        &source,
        &settings("w"),
        &Progress::logs_only("t", None),
    )
    .await
    .unwrap();
    assert_eq!(
        second.start,
        SyncStart::Changes {
            changed: changed.len(),
            queued: changed.len()
        }
    );
    assert_eq!(second.crawl.done, changed.len() as u64);
    for &id in &movies {
        let expected = if changed.contains(&id) { 2 } else { 1 };
        assert_eq!(sync.details_requests(id), expected, "movie {id}");
    }
    assert!(
        second.catalog_version > first.catalog_version,
        "changed films publish a new catalog"
    );
}

#[tokio::test]
async fn tmdb_refusing_us_stops_the_run_with_its_typed_error_and_loses_nothing() {
    let sync = Sync::start(300).await;
    let source = sync.source().await;
    // Every details request answers 429 with a Retry-After longer than the client waits.
    sync.sim.faults().set(FaultPlan {
        paths: vec![tmdb_sim::PathFaults {
            prefix: "/3/movie/".into(),
            knobs: Knobs {
                rate_limited: 1.0,
                retry_after_secs: 3_600,
                ..Knobs::default()
            },
        }],
        ..FaultPlan::default()
    });
    let report = sync_tmdb(
        sync.store(),
        &source,
        &settings("w"),
        &Progress::logs_only("t", None),
    )
    .await
    .unwrap();
    match &report.crawl.stop {
        Some(Stop::Upstream(SourceError::Refused { code, .. })) => {
            assert_eq!(*code, "rate_limited")
        }
        other => panic!("stopped by {other:?}"),
    }
    assert_eq!(sync.store().count_films(true).await.unwrap(), 0);

    // Once TMDB answers again, the next run picks the whole queue up.
    sync.sim.faults().set(FaultPlan::default());
    let report = sync_tmdb(
        sync.store(),
        &source,
        &settings("w"),
        &Progress::logs_only("t", None),
    )
    .await
    .unwrap();
    assert_eq!(report.start, SyncStart::Resumed);
    assert!(report.crawl.drained);
    assert_eq!(
        sync.store().count_films(true).await.unwrap() as usize,
        sync.movie_ids().len()
    );
}
