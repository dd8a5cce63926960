//! The real server on port 0 over its own database, in one of two shapes:
//! - the whole service ([`TestApp::spawn`]): the API over Redis (under a prefix of its own) and the
//!   simulated Letterboxd, with a small world of films and members the tests know by heart;
//! - the skeleton alone ([`TestApp::skeleton`]): health, errors, CORS and limits over an empty
//!   store and an in-memory cache.

use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::ServerHandle;
use letterboxd::client::ClientConfig;
use letterboxd_sim::{
    Diary, DiaryEntry, FaultPlan, Faults, SimHandle, SimServer, SyntheticSpec, World,
};
use model::{Film, Rating, Username};
use reel::cache::{MemoryCache, RedisCache, SharedCache};
use reel::catalog::CatalogHandle;
use reel::config::{AllowedOrigins, Secret};
use reel::http::{AppState, Application, HttpSettings};
use reel::limits::Limit;
use reel::store::Store;
use reel::wiring::{Api, ApiSettings};

use super::database::TestDatabase;

pub const ADMIN_TOKEN: &str = "an-admin-token-for-tests";
pub const REDIS_URL: &str = "redis://127.0.0.1:6379";
/// The one origin CORS lets in.
pub const ALLOWED_ORIGIN: &str = "https://app.example.com";
/// The skeleton's body limit: small, so tests exceed it cheaply.
pub const BODY_LIMIT: usize = 1024;

/// Films in the simulated world; the catalog holds them all.
pub const FILMS: usize = 400;

/// How the app under test starts.
pub struct Options {
    /// The API over [`world`], Redis and the simulated Letterboxd; without it, the skeleton alone
    /// over an empty store and an in-memory cache, and the next four options do nothing.
    pub api: bool,
    pub rate_limits: Vec<Limit>,
    pub faults: FaultPlan,
    /// The Redis behind the cache, the scrape locks and the rate limits.
    pub redis_url: String,
    /// The prefix of this server's keys in Redis; a fresh one per server when `None`. Two servers
    /// given the same prefix are two replicas of one deployment.
    pub redis_prefix: Option<String>,
    /// `CORS_ALLOWED_ORIGINS`; `None` leaves it unset (the server binds 127.0.0.1).
    pub allowed_origins: Option<AllowedOrigins>,
    /// How long parsed profiles stay in process in front of Redis (zero: every read goes to Redis).
    pub parsed_profile_ttl: Duration,
    pub request_timeout: Duration,
    pub body_limit: usize,
    /// Load the catalog before serving (as `serve` does).
    pub load_catalog: bool,
    /// Poll the catalog version this often (no poller when `None`).
    pub catalog_poll: Option<Duration>,
    /// Pages a second the service may read from the simulated Letterboxd.
    pub letterboxd_requests_per_second: u32,
    /// TMDB (a simulated one the test started) for export rows the catalog lacks; off by default.
    pub tmdb: Option<tmdb::TmdbConfig>,
    /// A language model (a simulated one the test started) reading descriptions; off by default.
    pub llm: Option<reel::services::adapters::LanguageModelConfig>,
    /// Store the world's films and diaries before serving (an empty store without it).
    pub store_world: bool,
    /// Run `serve`'s first-run setup from this dataset; off by default, as `AUTO_SETUP=off`.
    pub setup_dataset: Option<reel::config::DatasetFiles>,
    /// Each in-process cache's bytes (`MEMORY_BUDGET`'s default shares with Redis by default).
    pub caches: reel::config::CacheShares,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            api: true,
            rate_limits: Vec::new(),
            faults: FaultPlan::default(),
            redis_url: REDIS_URL.to_owned(),
            redis_prefix: None,
            allowed_origins: Some(AllowedOrigins::Only(vec![ALLOWED_ORIGIN.to_owned()])),
            parsed_profile_ttl: reel::services::profiles::PARSED_PROFILE_TTL,
            request_timeout: Duration::from_secs(60),
            body_limit: 256 * 1024,
            load_catalog: true,
            tmdb: None,
            llm: None,
            catalog_poll: None,
            letterboxd_requests_per_second: 200,
            store_world: true,
            setup_dataset: None,
            caches: reel::config::CacheShares::default(),
        }
    }
}

impl Options {
    /// The skeleton alone, its catalog (empty) loaded.
    pub fn skeleton() -> Self {
        Self {
            api: false,
            body_limit: BODY_LIMIT,
            ..Self::default()
        }
    }
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub store: Store,
    pub catalog: CatalogHandle,
    server: ServerHandle,
    /// Absent from the skeleton.
    api: Option<ApiParts>,
    // Dropped last: the server's connections go first.
    _database: TestDatabase,
}

/// What the whole service runs beside the server.
struct ApiParts {
    world: Arc<World>,
    sim: SimHandle,
    /// The prefix of this server's keys in Redis (cached profiles, scrape locks).
    cache_prefix: String,
    services: actix_web::web::Data<reel::services::Services>,
    model_poller: tokio::task::JoinHandle<()>,
    use_flusher: tokio::task::JoinHandle<()>,
}

fn name(raw: &str) -> Username {
    Username::parse(raw).unwrap()
}

fn rated(films: std::ops::Range<u32>, stars: impl Fn(u32) -> f32) -> Vec<DiaryEntry> {
    films
        .map(|film| DiaryEntry {
            film,
            rating: Some(Rating::from_stars(stars(film)).unwrap()),
            liked: false,
        })
        .collect()
}

/// The synthetic world plus the members the tests name:
/// - `alice`: rates films 0..40 (4 to 5 stars on even films), watchlist 100..120;
/// - `bob`: rates 20..60 low, watchlist 110..130 (overlapping alice's on 110..120);
/// - `carol`: rates 200..230, watchlist 300..305 (no overlap with alice);
/// - `newbie`: three ratings; `nowatch`: ten ratings, empty watchlist.
pub fn world() -> World {
    let mut world = World::synthetic(SyntheticSpec {
        films: FILMS,
        members: 12,
        seed: 7,
    });
    let half = |f: u32| if f.is_multiple_of(2) { 4.5 } else { 3.5 };
    world.insert_member(
        name("alice"),
        Diary {
            entries: rated(0..40, half),
            watchlist: (100..120).collect(),
        },
    );
    world.insert_member(
        name("bob"),
        Diary {
            entries: rated(20..60, |f| if f.is_multiple_of(3) { 1.0 } else { 2.5 }),
            watchlist: (110..130).collect(),
        },
    );
    world.insert_member(
        name("carol"),
        Diary {
            entries: rated(200..230, |f| 0.5 + (f % 10) as f32 * 0.5),
            watchlist: (300..305).collect(),
        },
    );
    world.insert_member(
        name("newbie"),
        Diary {
            entries: rated(0..3, |_| 4.0),
            watchlist: vec![5],
        },
    );
    world.insert_member(
        name("nowatch"),
        Diary {
            entries: rated(50..60, |_| 3.0),
            watchlist: Vec::new(),
        },
    );
    world
}

impl TestApp {
    /// The whole service.
    pub async fn spawn() -> Self {
        Self::spawn_with(Options::default()).await
    }

    /// The skeleton alone.
    pub async fn skeleton() -> Self {
        Self::spawn_with(Options::skeleton()).await
    }

    pub async fn spawn_with(options: Options) -> Self {
        let database = TestDatabase::new().await;
        let store = database.store().clone();
        Self::serve(store, database, options).await
    }

    /// Serves over `store` as it is (tests that break the database or the schema).
    pub async fn serve(store: Store, database: TestDatabase, options: Options) -> Self {
        let world = options.api.then(|| Arc::new(world()));
        if let Some(world) = world.as_ref().filter(|_| options.store_world) {
            store_world(&store, world).await;
        }
        let setup_dataset = options.setup_dataset.clone();
        let catalog = CatalogHandle::empty();
        if options.load_catalog {
            catalog.reload(&store).await.unwrap();
        }
        if let Some(interval) = options.catalog_poll {
            catalog.spawn_poller(store.clone(), interval);
        }
        let settings = HttpSettings {
            bind_addr: "127.0.0.1:0".parse().unwrap(),
            allowed_origins: options.allowed_origins.clone(),
            request_timeout: options.request_timeout,
            body_limit: options.body_limit,
            workers: Some(2),
        };
        let (state, api) = match world {
            Some(world) => {
                let (state, parts) = start_api(world, &store, &catalog, options).await;
                (state, Some(parts))
            }
            None => {
                let cache = Arc::new(MemoryCache::new(1 << 20));
                let state = AppState::new(store.clone(), cache, catalog.clone(), None);
                (state, None)
            }
        };
        if let Some(dataset) = setup_dataset {
            reel::cli::first_run::FirstRun {
                dataset,
                store: store.clone(),
                catalog: catalog.clone(),
                api: state.api.clone(),
                status: state.setup.clone(),
            }
            .spawn()
            .unwrap();
        }
        let app = Application::build(settings, state, reel::router::configure).unwrap();
        let address = format!("http://{}", app.local_addr());
        let server = app.handle();
        tokio::spawn(app.run_until_stopped());
        Self {
            address,
            client: reqwest::Client::new(),
            store,
            catalog,
            server,
            api,
            _database: database,
        }
    }

    /// The world the simulated Letterboxd serves and the store holds.
    pub fn world(&self) -> &World {
        &self.api().world
    }

    pub fn sim(&self) -> &SimHandle {
        &self.api().sim
    }

    /// The prefix of this server's keys in Redis (cached profiles, scrape locks).
    pub fn cache_prefix(&self) -> &str {
        &self.api().cache_prefix
    }

    fn api(&self) -> &ApiParts {
        self.api
            .as_ref()
            .expect("the skeleton runs no API, no world and no simulated Letterboxd")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    pub async fn post(&self, path: &str, body: serde_json::Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    pub async fn recommend(&self, body: serde_json::Value) -> reqwest::Response {
        self.post("/recommendations", body).await
    }

    /// Writes the uses the service has counted in memory (it does so every few seconds).
    pub async fn flush_uses(&self) {
        self.api().services.flush_uses().await.unwrap();
    }

    /// Stops the server, letting in-flight requests finish, and what runs beside it.
    pub async fn stop(self) {
        if let Some(api) = &self.api {
            api.model_poller.abort();
            api.use_flusher.abort();
        }
        self.server.stop(true).await;
        if let Some(api) = self.api {
            api.sim.stop().await;
        }
    }
}

/// The catalog holds every film of the world, and the synthetic members' diaries are the
/// community the statistics compare against.
async fn store_world(store: &Store, world: &World) {
    let films: Vec<Film> = world.films().map(|f| f.into_owned()).collect();
    store
        .upsert_films(&films, reel::store::films::FilmsFrom::default())
        .await
        .unwrap();
    for rank in 0..12 {
        let member = world.member_at(rank).unwrap();
        if let Some(profile) = world.profile(&member) {
            store.replace_profile(&member, &profile).await.unwrap();
        }
    }
    store.bump_catalog_version().await.unwrap();
}

/// The simulated Letterboxd serving `world`, and the API over it and Redis.
async fn start_api(
    world: Arc<World>,
    store: &Store,
    catalog: &CatalogHandle,
    options: Options,
) -> (AppState, ApiParts) {
    let (sim_addr, sim) = SimServer::start(Arc::clone(&world), Faults::new(options.faults))
        .await
        .unwrap();
    // A prefix of its own, so parallel tests never see each other's cached profiles.
    let prefix = options
        .redis_prefix
        .clone()
        .unwrap_or_else(|| format!("reel-test:{}:", uuid::Uuid::new_v4()));
    let cache: SharedCache = Arc::new(RedisCache::new(&options.redis_url, &prefix).unwrap());
    let mut letterboxd = ClientConfig::for_base_url(format!("http://{sim_addr}")).fast_retries();
    letterboxd.requests_per_second = options.letterboxd_requests_per_second;
    letterboxd.max_in_flight = 8;
    let settings = ApiSettings {
        letterboxd,
        redis_url: Some(options.redis_url.clone()),
        redis_prefix: prefix.clone(),
        trusted_proxies: "127.0.0.1".parse().unwrap(),
        rate_limits: options.rate_limits,
        training_slots: 2,
        caches: options.caches,
        parsed_profile_ttl: options.parsed_profile_ttl,
        tmdb: options.tmdb.clone(),
        llm: options.llm.clone(),
    };
    let api = Api::build(settings, store, &cache, catalog).await.unwrap();
    // Quick, so a test sees a newly trained general model served within a moment.
    let model_poller = api.spawn_general_model_poller(store.clone(), Duration::from_millis(100));
    let services = api.services.clone();
    let use_flusher = services.spawn_use_flusher();
    let mut state = AppState::new(
        store.clone(),
        cache,
        catalog.clone(),
        Some(Secret::new(ADMIN_TOKEN.to_owned())),
    );
    state.api = Some(api);
    let parts = ApiParts {
        world,
        sim,
        cache_prefix: prefix,
        services,
        model_poller,
        use_flusher,
    };
    (state, parts)
}

/// The body of a successful JSON response, after checking its status.
pub async fn json(response: reqwest::Response, status: u16) -> serde_json::Value {
    let got = response.status().as_u16();
    let body = response.text().await.unwrap();
    assert_eq!(got, status, "{body}");
    serde_json::from_str(&body).unwrap()
}

/// The body of a problem response, after checking its status, content type and code, and that it
/// names the request's id (which is then left out, so tests can compare bodies exactly).
pub async fn problem(response: reqwest::Response, status: u16, code: &str) -> serde_json::Value {
    let got = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|value| value.to_str().unwrap().to_owned());
    let id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let mut body: serde_json::Value = response.json().await.unwrap();
    assert_eq!((got, body["code"].as_str()), (status, Some(code)), "{body}");
    let named = body.as_object_mut().unwrap().remove("request_id");
    assert_eq!(named, Some(id.into()), "the body names the request's id");
    assert_eq!(content_type.as_deref(), Some("application/problem+json"));
    assert_eq!(body["status"], status);
    assert_eq!(body["type"], format!("/problems/{code}"));
    body
}
