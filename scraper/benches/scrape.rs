//! Wall time and request count of scraping a 2,000-film member (100-film watchlist, a diary cut at
//! the default 20 pages) from the in-process simulated Letterboxd, no added latency.
//!
//! `cargo bench -p letterboxd --bench scrape`: criterion measures the scrape with the rate limit
//! lifted (what the client and parsers cost); then one scrape with the default politeness
//! (4 in flight, 2 requests/s) is timed and printed, since at 2 requests/s it is the rate limit,
//! not the code, that sets the time.
#![expect(clippy::unwrap_used, reason = "a benchmark aborts on any failure")]

use std::sync::Arc;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use letterboxd::client::{Client, ClientConfig};
use letterboxd_sim::{Diary, DiaryEntry, Faults, SimServer, SyntheticSpec, World};
use model::{FilmKey, Rating, Username};

const FILMS: u32 = 2_000;
const WATCHLIST: u32 = 100;

fn world() -> World {
    let mut world = World::synthetic(SyntheticSpec {
        films: 10_000,
        members: 100,
        seed: 3,
    });
    let entries = (0..FILMS)
        .map(|i| DiaryEntry {
            film: i * 3,
            rating: (i % 10 != 0).then(|| Rating::from_half_stars((i % 10) as u8 + 1).unwrap()),
            liked: i % 7 == 0,
        })
        .collect();
    let watchlist = (0..WATCHLIST).map(|i| i * 3 + 1).collect();
    world.insert_member(member(), Diary { entries, watchlist });
    world
}

fn member() -> Username {
    Username::parse("twothousand").unwrap()
}

fn has_all(_: &FilmKey) -> bool {
    false
}

fn scrape(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let world = Arc::new(world());
    let user = member();
    let diary_pages = (world.diary_log(&user).unwrap().len() as u32)
        .div_ceil(letterboxd_sim::DIARY_PAGE_SIZE as u32)
        .clamp(1, ClientConfig::default().diary_pages_per_profile);
    let (addr, _handle) = runtime
        .block_on(SimServer::start(world, Faults::default()))
        .unwrap();
    let base = format!("http://{addr}");
    let expected_requests = FILMS.div_ceil(72) + WATCHLIST.div_ceil(72) + diary_pages;

    let unlimited = Client::new(ClientConfig {
        requests_per_second: 100_000,
        ..ClientConfig::for_base_url(base.clone())
    })
    .unwrap();
    let mut group = c.benchmark_group("scrape_profile");
    group.sample_size(20);
    group.bench_function("2000_films_no_rate_limit", |b| {
        b.iter(|| {
            let scraped = runtime
                .block_on(unlimited.scrape_profile(&user, &has_all))
                .unwrap();
            assert_eq!(scraped.requests, expected_requests);
            scraped
        });
    });
    group.finish();

    let polite = Client::new(ClientConfig::for_base_url(base)).unwrap();
    let started = Instant::now();
    let scraped = runtime
        .block_on(polite.scrape_profile(&user, &has_all))
        .unwrap();
    let elapsed = started.elapsed();
    assert_eq!(scraped.requests, expected_requests);
    println!(
        "scrape_profile/2000_films_default_politeness: {} requests in {:.2} s \
(4 in flight, 2 requests/s)",
        scraped.requests,
        elapsed.as_secs_f64()
    );
}

criterion_group!(benches, scrape);
criterion_main!(benches);
