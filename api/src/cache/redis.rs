//! The Redis cache, through a deadpool-redis pool. Every operation is bounded by a short timeout
//! and any failure becomes a miss: a dead Redis slows no request by more than the timeout and fails
//! none; after a failure Redis is retried at most once a second, so an outage costs one timeout a
//! second rather than one per request. The pool drops broken connections and opens new ones, so
//! the cache is used again as soon as Redis is back. An outage is logged when it starts and ends.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use deadpool_redis::redis::{self, AsyncConnectionConfig, FromRedisValue};
use deadpool_redis::{Manager, Pool, Runtime};
use futures::FutureExt;
use futures::future::BoxFuture;

use super::{Cache, CacheStats, Counters};

/// Keys the service writes start with this, so a shared Redis can hold other data too.
pub const DEFAULT_PREFIX: &str = "reel:";
/// Bound on connecting, on one command, and on waiting for a pooled connection. Redis answers in
/// well under a millisecond when healthy; past this it is treated as down.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_millis(250);
const POOL_SIZE: usize = 16;
/// After a failure, Redis is left alone this long: during an outage only one operation per
/// interval waits on a timeout, every other one is an immediate miss.
const RETRY_INTERVAL_MS: u64 = 1_000;

#[derive(Debug, thiserror::Error)]
#[error("cannot set up the Redis cache: {0}")]
pub struct RedisCacheError(String);

pub struct RedisCache {
    pool: Pool,
    prefix: String,
    timeout: Duration,
    counters: Counters,
    /// False during an outage, so that it is logged once rather than per request.
    available: AtomicBool,
    /// Until when (milliseconds after `created`) operations skip Redis after a failure.
    retry_at_ms: AtomicU64,
    created: Instant,
}

impl std::fmt::Debug for RedisCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisCache")
            .field("prefix", &self.prefix)
            .field("available", &self.available.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl RedisCache {
    /// A cache on the Redis at `url`; connects lazily, on first use.
    pub fn new(url: &str, prefix: &str) -> Result<Self, RedisCacheError> {
        Self::with_timeout(url, prefix, DEFAULT_TIMEOUT)
    }

    pub fn with_timeout(
        url: &str,
        prefix: &str,
        timeout: Duration,
    ) -> Result<Self, RedisCacheError> {
        let connection = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(timeout))
            .set_response_timeout(Some(timeout));
        // The URL may carry a password: report the kind of error only.
        let manager = Manager::new_with_config(url, connection)
            .map_err(|err| RedisCacheError(format!("invalid Redis URL ({:?})", err.kind())))?;
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(timeout))
            .create_timeout(Some(timeout))
            .recycle_timeout(Some(timeout))
            .build()
            .map_err(|err| RedisCacheError(err.to_string()))?;
        Ok(Self {
            pool,
            prefix: prefix.to_owned(),
            timeout,
            counters: Counters::default(),
            available: AtomicBool::new(true),
            retry_at_ms: AtomicU64::new(0),
            created: Instant::now(),
        })
    }

    /// Whether Redis answers a PING now (logged at start so an operator sees a bad REDIS_URL).
    pub async fn ping(&self) -> bool {
        self.run::<String>(redis::cmd("PING")).await.is_some()
    }

    fn elapsed_ms(&self) -> u64 {
        u64::try_from(self.created.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    /// Runs one command; `None` when Redis failed, was unreachable or too slow.
    async fn run<T: FromRedisValue>(&self, cmd: redis::Cmd) -> Option<T> {
        let now_ms = self.elapsed_ms();
        if now_ms < self.retry_at_ms.load(Ordering::Relaxed) {
            self.counters.error();
            return None;
        }
        // The pool and connection timeouts bound each step; this bounds the whole.
        let outcome = tokio::time::timeout(self.timeout * 3, async {
            let mut conn = self.pool.get().await.map_err(|err| err.to_string())?;
            cmd.query_async::<T>(&mut conn)
                .await
                .map_err(|err| err.to_string())
        })
        .await
        .unwrap_or_else(|_| Err("timed out".to_owned()));
        match outcome {
            Ok(value) => {
                if !self.available.swap(true, Ordering::Relaxed) {
                    tracing::info!(
                        cache.prefix = %self.prefix,
                        "Redis is reachable again; the cache is back in use"
                    );
                }
                Some(value)
            }
            Err(error) => {
                self.counters.error();
                let retry_at = self.elapsed_ms().saturating_add(RETRY_INTERVAL_MS);
                self.retry_at_ms.store(retry_at, Ordering::Relaxed);
                if self.available.swap(false, Ordering::Relaxed) {
                    tracing::warn!(
                        cache.prefix = %self.prefix,
                        error,
                        "Redis is unreachable; cache reads are misses until it returns"
                    );
                }
                None
            }
        }
    }
}

impl Cache for RedisCache {
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Option<Vec<u8>>> {
        async move {
            let value = self
                .run::<Option<Vec<u8>>>(redis::cmd("GET").arg(self.key(key)).clone())
                .await
                .flatten();
            self.counters.read(value.is_some());
            value
        }
        .boxed()
    }

    fn set<'a>(&'a self, key: &'a str, value: Vec<u8>, ttl: Duration) -> BoxFuture<'a, ()> {
        async move {
            // PX takes whole milliseconds; a shorter TTL still lives one.
            let millis = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1);
            let mut cmd = redis::cmd("SET");
            cmd.arg(self.key(key)).arg(value).arg("PX").arg(millis);
            let _stored: Option<()> = self.run(cmd).await;
        }
        .boxed()
    }

    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, ()> {
        async move {
            let _removed: Option<u64> =
                self.run(redis::cmd("DEL").arg(self.key(key)).clone()).await;
        }
        .boxed()
    }

    fn stats(&self) -> CacheStats {
        self.counters.snapshot()
    }

    fn backend(&self) -> &'static str {
        "redis"
    }
}
