//! The Redis cache against real Redis servers: the machine's at 127.0.0.1:6379 (keys under a
//! random prefix, none left behind), and private `redis-server` processes on free ports that the
//! tests kill and restart to show an outage turns into misses and the cache recovers.

use std::time::Duration;

use reel::cache::{Cache, CacheStats, RedisCache};

use crate::support::redis::{RedisServer, free_port, until_reachable};

const SHARED_REDIS: &str = "redis://127.0.0.1:6379";

fn prefix() -> String {
    format!("reel-test:{}:", uuid::Uuid::new_v4())
}

#[tokio::test]
async fn stores_reads_deletes_and_expires_entries() {
    let cache = RedisCache::new(SHARED_REDIS, &prefix()).unwrap();
    cache
        .set(
            "profile:alice",
            b"{\"ratings\":[]}".to_vec(),
            Duration::from_secs(60),
        )
        .await;
    cache
        .set("short", b"soon gone".to_vec(), Duration::from_millis(50))
        .await;
    assert_eq!(
        cache.get("profile:alice").await.as_deref(),
        Some(&b"{\"ratings\":[]}"[..])
    );
    assert_eq!(cache.get("profile:bob").await, None);

    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(cache.get("short").await, None, "expired after its TTL");

    cache.delete("profile:alice").await;
    assert_eq!(cache.get("profile:alice").await, None);
    assert_eq!(
        cache.stats(),
        CacheStats {
            hits: 1,
            misses: 3,
            errors: 0
        }
    );
}

#[tokio::test]
async fn prefixes_keep_caches_apart() {
    let one = RedisCache::new(SHARED_REDIS, &prefix()).unwrap();
    let two = RedisCache::new(SHARED_REDIS, &prefix()).unwrap();
    one.set("k", b"one".to_vec(), Duration::from_secs(60)).await;
    assert_eq!(two.get("k").await, None);
    one.delete("k").await;
}

#[tokio::test]
async fn a_redis_that_is_not_there_is_a_cache_that_misses() {
    let url = format!("redis://127.0.0.1:{}", free_port());
    let cache = RedisCache::new(&url, &prefix()).unwrap();
    cache.set("k", b"v".to_vec(), Duration::from_secs(60)).await;
    assert_eq!(cache.get("k").await, None);
    cache.delete("k").await;
    let stats = cache.stats();
    assert_eq!((stats.hits, stats.misses, stats.errors), (0, 1, 3));
}

#[tokio::test]
async fn an_outage_turns_into_misses_and_the_cache_recovers_when_redis_returns() {
    let port = free_port();
    let url = format!("redis://127.0.0.1:{port}");
    let server = RedisServer::start(port);
    let cache = RedisCache::new(&url, &prefix()).unwrap();
    until_reachable(&cache).await;
    cache
        .set("k", b"before".to_vec(), Duration::from_secs(60))
        .await;
    assert_eq!(cache.get("k").await.as_deref(), Some(&b"before"[..]));
    let errors_before = cache.stats().errors;

    drop(server);
    assert_eq!(cache.get("k").await, None, "a dead Redis is a miss");
    cache
        .set("k", b"during".to_vec(), Duration::from_secs(60))
        .await;
    cache.delete("k").await;
    assert_eq!(cache.get("k").await, None);
    assert!(
        cache.stats().errors >= errors_before + 4,
        "{:?}",
        cache.stats()
    );

    let _server = RedisServer::start(port);
    until_reachable(&cache).await;
    // The restarted server kept nothing (no persistence); the cache is in use again.
    assert_eq!(cache.get("k").await, None);
    cache
        .set("k", b"after".to_vec(), Duration::from_secs(60))
        .await;
    assert_eq!(cache.get("k").await.as_deref(), Some(&b"after"[..]));
}

/// Every log line of this test binary. One global subscriber: per-thread ones miss events whose
/// callsites another test thread registered first.
fn captured_logs() -> &'static std::sync::Mutex<Vec<u8>> {
    static LOGS: std::sync::OnceLock<&'static std::sync::Mutex<Vec<u8>>> =
        std::sync::OnceLock::new();
    LOGS.get_or_init(|| {
        let logs: &'static std::sync::Mutex<Vec<u8>> = Box::leak(Box::default());
        let config = reel::config::LogConfig {
            format: reel::config::LogFormat::Json,
            filter: "info".to_owned(),
        };
        let subscriber = reel::telemetry::subscriber(&config, move || Captured(logs));
        tracing::subscriber::set_global_default(subscriber).unwrap();
        logs
    })
}

struct Captured(&'static std::sync::Mutex<Vec<u8>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn an_outage_is_logged_once_when_it_starts_and_once_when_it_ends() {
    let logs = captured_logs();
    let port = free_port();
    let prefix = prefix();
    let cache = RedisCache::new(&format!("redis://127.0.0.1:{port}"), &prefix).unwrap();
    for _ in 0..3 {
        assert_eq!(cache.get("k").await, None);
        // Past the retry interval, so each read really tries Redis again.
        tokio::time::sleep(Duration::from_millis(1100)).await;
    }
    let server = RedisServer::start(port);
    until_reachable(&cache).await;
    cache.set("k", b"v".to_vec(), Duration::from_secs(60)).await;
    drop(server);

    let output = String::from_utf8(logs.lock().unwrap().clone()).unwrap();
    let ours: Vec<&str> = output
        .lines()
        .filter(|line| line.contains(&prefix))
        .collect();
    let count = |needle: &str| ours.iter().filter(|line| line.contains(needle)).count();
    assert_eq!(count("Redis is unreachable"), 1, "{ours:#?}");
    assert_eq!(count("Redis is reachable again"), 1, "{ours:#?}");
}
