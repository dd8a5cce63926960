//! A cache that lost its contents (Redis flushed or restarted empty) must not send every member
//! back to the scraper's queue: members scraped before are served from the diary stored with
//! their last scrape and refreshed in the background once it is old; a burst of scrapes the
//! scraper's rate cannot finish before the deadline is shed with 503 + `Retry-After`.

use std::time::Duration;

use crate::support::app::REDIS_URL;
use crate::support::{Options, TestApp, json, problem};
use futures::future::join_all;
use model::Username;
use reel::cache::{Cache, RedisCache};
use reel::services::profiles::{PROFILE_TTL, cache_key};

fn user(raw: &str) -> Username {
    Username::parse(raw).unwrap()
}

/// Drops the member's cached profile, as a flush of Redis would (only this server's prefix).
async fn flush(app: &TestApp, member: &str) {
    let redis = RedisCache::new(REDIS_URL, app.cache_prefix()).unwrap();
    redis.delete(&cache_key(&user(member))).await;
}

/// Times the service read the first page of the member's films: once per scrape.
fn scrapes(app: &TestApp, member: &str) -> u32 {
    app.sim()
        .faults()
        .requests_to(&format!("/{member}/films/page/1/"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flushed_cache_serves_the_stored_scrape_and_refreshes_it_once_in_the_background() {
    let app = TestApp::spawn_with(Options {
        // Every read goes to Redis: the in-process copy of parsed profiles would hide the flush.
        parsed_profile_ttl: Duration::ZERO,
        ..Options::default()
    })
    .await;
    let statistics = "/statistics?member=alice";

    let first = json(app.get(statistics).await, 200).await;
    assert_eq!(first["member"]["source"], "scraped");
    assert_eq!(scrapes(&app, "alice"), 1);
    let upstream = app.sim().faults().total_requests();

    // The cache loses alice: the next request is answered from the store, without Letterboxd.
    flush(&app, "alice").await;
    let served = json(app.get(statistics).await, 200).await;
    assert_eq!(served["member"]["source"], "cached");
    assert_eq!(served["ratings"], first["ratings"]);
    assert_eq!(served["member"]["watchlist"], first["member"]["watchlist"]);
    assert_eq!(
        app.sim().faults().total_requests(),
        upstream,
        "a member scraped before is not scraped again when the cache loses it"
    );
    // ... and put back in the cache: later requests do not read the store.
    let cached = RedisCache::new(REDIS_URL, app.cache_prefix()).unwrap();
    assert!(cached.get(&cache_key(&user("alice"))).await.is_some());

    // The stored scrape grows older than the cache's lifetime, and the cache loses it again:
    // a burst is served from the store at once, and one scrape refreshes it in the background.
    let alice = user("alice");
    let profile = app.store.load_profile(&alice).await.unwrap().unwrap();
    let long_ago = chrono::Utc::now() - PROFILE_TTL * 2;
    app.store
        .save_scraped_profile(&alice, &profile, long_ago)
        .await
        .unwrap();
    flush(&app, "alice").await;
    let burst = join_all((0..8).map(|_| app.get(statistics))).await;
    for response in burst {
        let body = json(response, 200).await;
        assert_eq!(body["member"]["source"], "cached");
    }
    let mut refreshed = false;
    for _ in 0..200 {
        let (_, scraped_at) = app
            .store
            .load_scraped_profile(&alice)
            .await
            .unwrap()
            .unwrap();
        if scraped_at > long_ago {
            refreshed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(refreshed, "the stale stored profile was never refreshed");
    assert_eq!(scrapes(&app, "alice"), 2, "one background refresh");

    // Fresh again: further requests, even after another flush, scrape nothing.
    for _ in 0..4 {
        json(app.get(statistics).await, 200).await;
    }
    flush(&app, "alice").await;
    json(app.get(statistics).await, 200).await;
    assert_eq!(scrapes(&app, "alice"), 2);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_never_seen_still_scrapes_in_the_request() {
    let app = TestApp::spawn().await;
    // Never scraped: there is no stored scrape to serve, so the request scrapes.
    let body = json(app.get("/statistics?member=carol").await, 200).await;
    assert_eq!(body["member"]["source"], "scraped");
    assert_eq!(scrapes(&app, "carol"), 1);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_the_scraper_cannot_finish_before_the_deadline_is_shed_with_retry_after() {
    // Two pages a second (as in production) and a 3 s deadline: about one member's scrape fits.
    let app = TestApp::spawn_with(Options {
        letterboxd_requests_per_second: 2,
        request_timeout: Duration::from_secs(3),
        ..Options::default()
    })
    .await;
    let members = ["alice", "bob", "carol", "newbie", "nowatch"];
    let paths: Vec<String> = members
        .iter()
        .map(|member| format!("/statistics?member={member}"))
        .collect();
    let responses = join_all(paths.iter().map(|path| app.get(path))).await;
    let mut served = Vec::new();
    let mut shed = Vec::new();
    for (member, response) in members.iter().zip(responses) {
        match response.status().as_u16() {
            503 => {
                let retry_after: u64 = response.headers()["retry-after"]
                    .to_str()
                    .unwrap()
                    .parse()
                    .unwrap();
                assert!(retry_after >= 1);
                let body = problem(response, 503, "scrape_queue_full").await;
                assert!(
                    body["detail"].as_str().unwrap().contains("export"),
                    "{body}"
                );
                shed.push(*member);
            }
            status => {
                // Served (or refused on its own merits), never left to time out.
                assert_ne!(status, 504, "{member}: {}", response.text().await.unwrap());
                served.push(*member);
            }
        }
    }
    assert!(!served.is_empty(), "the first scrape fits the deadline");
    assert!(!shed.is_empty(), "the excess is shed: served {served:?}");
    for member in &shed {
        assert_eq!(scrapes(&app, member), 0, "{member} was shed, not scraped");
    }
    app.stop().await;
}
