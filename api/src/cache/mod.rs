//! The cache: bytes under string keys, each entry with its own time to live. Redis when
//! `REDIS_URL` is set (shared by replicas), an in-process moka cache otherwise. A cache is an
//! optimisation, never a dependency: when Redis fails, reads are misses and writes are dropped,
//! and the caller never sees an error.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures::future::BoxFuture;

pub mod memory;
pub mod redis;

pub use memory::MemoryCache;
pub use redis::{RedisCache, RedisCacheError};

/// Shared handle on whichever cache the service runs with.
pub type SharedCache = Arc<dyn Cache>;

/// The one cache interface. Futures are boxed so the service can hold a `dyn Cache`.
pub trait Cache: Send + Sync + fmt::Debug {
    /// The value under `key`, or `None` when absent, expired or the backend is unreachable.
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Option<Vec<u8>>>;
    /// Stores `value` under `key` for `ttl`; silently dropped when the backend is unreachable.
    fn set<'a>(&'a self, key: &'a str, value: Vec<u8>, ttl: Duration) -> BoxFuture<'a, ()>;
    /// Removes `key` (no-op when absent).
    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, ()>;
    /// Hits, misses and backend errors so far.
    fn stats(&self) -> CacheStats;
    /// `redis` or `memory`, for logs and metrics.
    fn backend(&self) -> &'static str;
    /// The bytes it holds in this process and may hold, when it lives in this process (the
    /// in-memory cache); `None` for Redis.
    fn memory_use(&self) -> Option<MemoryUse> {
        None
    }
}

/// An in-process cache's weighted size and its bound, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryUse {
    pub bytes: u64,
    pub capacity_bytes: u64,
}

/// Counters a cache keeps; the metrics endpoint exports them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    pub hits: u64,
    pub misses: u64,
    /// Operations the backend failed (each also counted as a miss when it was a read).
    pub errors: u64,
}

/// Atomic counters behind [`CacheStats`].
#[derive(Debug, Default)]
struct Counters {
    hits: AtomicU64,
    misses: AtomicU64,
    errors: AtomicU64,
}

impl Counters {
    fn read(&self, found: bool) {
        let counter = if found { &self.hits } else { &self.misses };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    fn error(&self) {
        self.errors.fetch_add(1, Ordering::Relaxed);
    }

    fn snapshot(&self) -> CacheStats {
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            errors: self.errors.load(Ordering::Relaxed),
        }
    }
}
