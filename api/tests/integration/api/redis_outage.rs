//! Redis is a cache, not a dependency: with it gone mid-traffic every request still succeeds (as a
//! cache miss, answered from the profile stored with the last scrape), and once it is back cached
//! profiles are served from it again.

use futures::future::join_all;
use model::Username;
use reel::cache::{Cache, RedisCache};
use reel::services::profiles::cache_key;

use crate::support::redis::{RedisServer, free_port, until_reachable};
use crate::support::{Options, TestApp, json};

const STATISTICS: &str = "/statistics?member=alice";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_redis_under_load_turns_hits_into_misses_without_a_5xx() {
    let port = free_port();
    let redis_url = format!("redis://127.0.0.1:{port}");
    let redis = RedisServer::start(port);
    until_reachable(&RedisCache::new(&redis_url, "probe:").unwrap()).await;
    let app = TestApp::spawn_with(Options {
        redis_url: redis_url.clone(),
        // Every read goes to Redis: the in-process copy of parsed profiles would hide its absence.
        parsed_profile_ttl: std::time::Duration::ZERO,
        ..Options::default()
    })
    .await;
    let upstream = || app.sim().faults().total_requests();

    // Warm: the first request scrapes alice, the second is served from Redis.
    json(app.get(STATISTICS).await, 200).await;
    let after_scrape = upstream();
    assert!(after_scrape > 0);
    json(app.get(STATISTICS).await, 200).await;
    assert_eq!(
        upstream(),
        after_scrape,
        "a cached profile is not scraped again"
    );

    // Redis goes away in the middle of a burst.
    let burst = |n: usize| join_all((0..n).map(|_| app.get(STATISTICS)));
    let (before, _) = tokio::join!(burst(16), async { drop(redis) });
    let during = burst(16).await;
    for response in before.into_iter().chain(during) {
        let status = response.status();
        assert!(
            status.is_success(),
            "{status}: {}",
            response.text().await.unwrap()
        );
    }
    assert_eq!(
        upstream(),
        after_scrape,
        "without Redis every request is a miss, answered from the stored scrape, not Letterboxd"
    );

    // Redis returns (empty): the stored profile fills it again, after which hits are back.
    let redis = RedisServer::start(port);
    let cache = RedisCache::new(&redis_url, app.cache_prefix()).unwrap();
    until_reachable(&cache).await;
    let key = cache_key(&Username::parse("alice").unwrap());
    // The cache skips Redis for a moment after a failure; give it time to try again.
    let mut refilled = false;
    for _ in 0..40 {
        json(app.get(STATISTICS).await, 200).await;
        if cache.get(&key).await.is_some() {
            refilled = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(refilled, "the profile never went back into Redis");
    assert_eq!(
        upstream(),
        after_scrape,
        "and Letterboxd was not asked again"
    );
    drop(redis);
    app.stop().await;
}
