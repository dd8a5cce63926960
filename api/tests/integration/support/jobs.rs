//! Shared by the job tests: a per-test database, the simulated Letterboxd on port 0 with a
//! synthetic world, and a fast client pointed at it.

use std::net::SocketAddr;
use std::sync::Arc;

use letterboxd::client::{Client, ClientConfig};
use letterboxd_sim::{FaultPlan, Faults, SimHandle, SimServer, SyntheticSpec, World};
use model::{Film, FilmKey};
use reel::jobs::{CrawlSettings, Progress};
use reel::store::Store;

use super::database::TestDatabase;

pub struct Setup {
    pub database: TestDatabase,
    pub sim: SimHandle,
    pub addr: SocketAddr,
    pub world: Arc<World>,
}

impl Setup {
    /// A synthetic world of `films` films and `members` members, served with no faults, and an
    /// empty store.
    pub async fn start(films: usize, members: usize) -> Setup {
        let world = Arc::new(World::synthetic(SyntheticSpec {
            films,
            members,
            seed: 7,
        }));
        let (addr, sim) = SimServer::start(world.clone(), Faults::new(FaultPlan::default()))
            .await
            .unwrap();
        Setup {
            database: TestDatabase::new().await,
            sim,
            addr,
            world,
        }
    }

    pub fn store(&self) -> &Store {
        self.database.store()
    }

    /// A client of its own (as another process would have), with millisecond backoff and no
    /// rate limit worth the name.
    pub fn client(&self) -> Client {
        Client::new(self.client_config()).unwrap()
    }

    pub fn client_config(&self) -> ClientConfig {
        let mut config = ClientConfig::for_base_url(format!("http://{}", self.addr)).fast_retries();
        config.requests_per_second = 10_000;
        config.max_in_flight = 4;
        config
    }

    /// Every film of the world, as the catalog knew it before a refresh: same slugs, an old
    /// title and no Letterboxd numbers, never scraped.
    pub fn stale_films(&self) -> Vec<Film> {
        self.world
            .films()
            .map(|film| {
                let mut stale = Film::stub(film.key.clone(), format!("Old title of {}", film.key));
                stale.year = film.year;
                stale
            })
            .collect()
    }

    /// Stores [`Setup::stale_films`]; returns them as stored (with the ids the store gave).
    pub async fn store_stale_catalog(&self) -> Vec<Film> {
        let films = self.stale_films();
        self.store()
            .upsert_films(&films, reel::store::films::FilmsFrom::default())
            .await
            .unwrap();
        self.store().load_catalog_films().await.unwrap()
    }

    /// Requests the simulator received for a film's page.
    pub fn film_requests(&self, slug: &FilmKey) -> u32 {
        self.sim
            .faults()
            .requests_to(&format!("/film/{}/", slug.as_str()))
    }

    pub fn world_film(&self, slug: &FilmKey) -> Film {
        self.world.film_by_slug(slug).unwrap().into_owned()
    }
}

/// Settings for a worker named `worker`: small batches, four items at a time.
pub fn settings(worker: &str) -> CrawlSettings {
    let mut settings = CrawlSettings::new(worker);
    settings.batch_size = 10;
    settings.concurrency = 4;
    settings
}

pub fn progress() -> Progress {
    Progress::logs_only("test", None)
}
