//! What the test modules share: paths beside the repository, worlds, a running simulator, a fast
//! client.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a failure is a failed test"
)]

use std::net::SocketAddr;
use std::sync::Arc;

use letterboxd::client::{Client, ClientConfig};
use letterboxd_sim::{
    Diary, DiaryEntry, FaultPlan, Faults, SimHandle, SimServer, SyntheticSpec, World,
};
use model::{Rating, Username};

mod paths;

pub use paths::{dataset_dir, fixture};

/// The member with 2,000 films (and a 100-film watchlist) the acceptance criteria name.
pub const BIG_MEMBER: &str = "twothousand";
pub const BIG_FILMS: usize = 2_000;
pub const BIG_WATCHLIST: usize = 100;

/// The world of the shared `letterboxd-1m` dataset, loaded once per test binary.
pub fn dataset_world() -> Arc<World> {
    static WORLD: std::sync::OnceLock<Arc<World>> = std::sync::OnceLock::new();
    WORLD
        .get_or_init(|| Arc::new(World::from_dataset(&dataset_dir()).unwrap()))
        .clone()
}

/// A synthetic world of 5,000 films and 50 members, plus [`BIG_MEMBER`].
pub fn world_with_big_member() -> World {
    let mut world = World::synthetic(SyntheticSpec {
        films: 5_000,
        members: 50,
        seed: 11,
    });
    let entries = (0..BIG_FILMS as u32)
        .map(|i| DiaryEntry {
            film: i * 2,
            // Every tenth film watched without a rating.
            rating: (i % 10 != 0).then(|| Rating::from_half_stars((i % 10) as u8 + 1).unwrap()),
            liked: i % 7 == 0,
        })
        .collect();
    let watchlist = (0..BIG_WATCHLIST as u32).map(|i| i * 2 + 1).collect();
    world.insert_member(big_member(), Diary { entries, watchlist });
    world
}

pub fn big_member() -> Username {
    Username::parse(BIG_MEMBER).unwrap()
}

pub struct Sim {
    pub addr: SocketAddr,
    pub handle: SimHandle,
    pub world: Arc<World>,
}

impl Sim {
    pub async fn start(world: World, plan: FaultPlan) -> Sim {
        Self::start_shared(Arc::new(world), plan).await
    }

    pub async fn start_shared(world: Arc<World>, plan: FaultPlan) -> Sim {
        let (addr, handle) = SimServer::start(world.clone(), Faults::new(plan))
            .await
            .unwrap();
        Sim {
            addr,
            handle,
            world,
        }
    }

    /// Polite limits, but no waiting: a high rate limit and millisecond backoff.
    pub fn client(&self) -> Client {
        Client::new(self.config()).unwrap()
    }

    pub fn config(&self) -> ClientConfig {
        ClientConfig {
            requests_per_second: 10_000,
            max_attempts: 12,
            ..ClientConfig::for_base_url(format!("http://{}", self.addr)).fast_retries()
        }
    }

    pub fn faults(&self) -> &Faults {
        self.handle.faults()
    }
}

/// Diary pages a default scrape of `name` reads: the diary's pages, at most the client's bound.
pub fn diary_pages(world: &World, name: &Username) -> usize {
    let entries = world.diary_log(name).unwrap().len();
    let bound = ClientConfig::default().diary_pages_per_profile as usize;
    entries
        .div_ceil(letterboxd_sim::DIARY_PAGE_SIZE)
        .clamp(1, bound)
}

/// The catalog already holds every film: no film pages are fetched.
pub fn has_all(_: &model::FilmKey) -> bool {
    false
}
