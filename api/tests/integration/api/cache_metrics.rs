//! `/metrics` shows each in-memory cache's bytes, its share of `MEMORY_BUDGET` and its lookups,
//! read from the running server's caches.

use clap::Parser;
use reel::config::Config;
use reel::wiring::ApiSettings;
use serde_json::json;

use crate::support::{Options, TestApp, json};

/// The value of the series `name` (with its labels) in `/metrics`, if shown.
async fn series(app: &TestApp, name: &str) -> Option<f64> {
    let text = app.get("/metrics").await.text().await.unwrap();
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
}

#[tokio::test]
async fn the_score_cache_shows_its_bytes_and_its_hits() {
    let app = TestApp::spawn().await;
    let hits = r#"reel_cache_lookups_total{cache="scores",result="hit"}"#;
    let misses = r#"reel_cache_lookups_total{cache="scores",result="miss"}"#;
    let body = json!({"members": ["alice"], "limit": 3});
    json(app.recommend(body.clone()).await, 200).await;
    let bytes = series(&app, r#"reel_cache_bytes{cache="scores"}"#).await;
    // alice's predictions for every film of the catalog, at least 4 bytes each.
    assert!(
        bytes.is_some_and(|bytes| bytes >= (4 * crate::support::FILMS) as f64),
        "{bytes:?}"
    );
    let missed = series(&app, misses).await.unwrap();
    let hit = series(&app, hits).await.unwrap();
    assert!(missed >= 1.0, "trained on the first request: {missed}");
    // The same request again: the predictions are kept, nothing is trained.
    json(app.recommend(body).await, 200).await;
    assert!(series(&app, hits).await.unwrap() > hit);
    assert_eq!(series(&app, misses).await, Some(missed));
    assert_eq!(
        series(&app, r#"reel_cache_capacity_bytes{cache="scores"}"#).await,
        Some(reel::config::CacheShares::default().scores as f64)
    );
    // The parsed profiles: alice's, found the second time.
    assert!(
        series(
            &app,
            r#"reel_cache_lookups_total{cache="profiles",result="hit"}"#
        )
        .await
        .is_some_and(|hits| hits >= 1.0)
    );
    assert!(
        series(&app, r#"reel_cache_bytes{cache="profiles"}"#)
            .await
            .is_some_and(|bytes| bytes > 0.0)
    );
    app.stop().await;
}

#[derive(Parser)]
struct Serve {
    #[command(flatten)]
    config: Config,
}

#[tokio::test]
async fn a_small_memory_budget_gives_the_score_cache_its_share() {
    // As `serve` reads it: MEMORY_BUDGET=16MiB with Redis, so the predictions take 75% (small
    // enough to differ from the default, large enough that no cache is held at its 1 MiB floor).
    let config = Serve::try_parse_from([
        "reel",
        "--memory-budget",
        "16MiB",
        "--redis-url",
        crate::support::app::REDIS_URL,
    ])
    .unwrap()
    .config;
    let caches = ApiSettings::from_config(&config).caches;
    let app = TestApp::spawn_with(Options {
        caches,
        ..Options::default()
    })
    .await;
    let scores = series(&app, r#"reel_cache_capacity_bytes{cache="scores"}"#)
        .await
        .unwrap();
    assert_eq!(scores, caches.scores as f64);
    // Three quarters of 16 MiB (the byte the other shares' rounding left included).
    assert_eq!((scores as u64) >> 10, 12 << 10);
    assert_eq!(
        series(&app, r#"reel_cache_capacity_bytes{cache="profiles"}"#).await,
        Some(((16u64 << 20) * 15 / 100) as f64)
    );
    // No in-process shared cache with Redis.
    assert_eq!(
        series(&app, r#"reel_cache_capacity_bytes{cache="memory"}"#).await,
        None
    );
    app.stop().await;
}
