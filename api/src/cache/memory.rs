//! The in-process cache (moka), for a single instance without Redis. Bounded by the bytes it
//! holds, least recently used entries go first; each entry expires after its own TTL.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::FutureExt;
use futures::future::BoxFuture;
use moka::Expiry;
use moka::future::Cache as Moka;

use super::{Cache, CacheStats, Counters, MemoryUse};

#[derive(Clone)]
struct Entry {
    value: Arc<[u8]>,
    ttl: Duration,
}

/// Each entry lives for the TTL it was last stored with.
struct PerEntryTtl;

impl Expiry<String, Entry> for PerEntryTtl {
    fn expire_after_create(&self, _key: &String, entry: &Entry, _now: Instant) -> Option<Duration> {
        Some(entry.ttl)
    }

    // moka keeps the old expiry on overwrite by default; a `set` starts a new TTL, as in Redis.
    fn expire_after_update(
        &self,
        _key: &String,
        entry: &Entry,
        _now: Instant,
        _remaining: Option<Duration>,
    ) -> Option<Duration> {
        Some(entry.ttl)
    }
}

pub struct MemoryCache {
    entries: Moka<String, Entry>,
    capacity_bytes: u64,
    counters: Counters,
}

impl std::fmt::Debug for MemoryCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryCache")
            .field("entries", &self.entries.entry_count())
            .finish_non_exhaustive()
    }
}

impl MemoryCache {
    /// At most `capacity_bytes` of keys and values (`serve` gives it its share of
    /// `MEMORY_BUDGET`).
    pub fn new(capacity_bytes: u64) -> Self {
        let entries = Moka::builder()
            .max_capacity(capacity_bytes)
            .weigher(|key: &String, entry: &Entry| {
                u32::try_from(key.len() + entry.value.len()).unwrap_or(u32::MAX)
            })
            .expire_after(PerEntryTtl)
            .build();
        Self {
            entries,
            capacity_bytes,
            counters: Counters::default(),
        }
    }
}

impl Cache for MemoryCache {
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Option<Vec<u8>>> {
        async move {
            let value = self
                .entries
                .get(key)
                .await
                .map(|entry| entry.value.to_vec());
            self.counters.read(value.is_some());
            value
        }
        .boxed()
    }

    fn set<'a>(&'a self, key: &'a str, value: Vec<u8>, ttl: Duration) -> BoxFuture<'a, ()> {
        async move {
            let entry = Entry {
                value: value.into(),
                ttl,
            };
            self.entries.insert(key.to_owned(), entry).await;
        }
        .boxed()
    }

    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, ()> {
        async move {
            self.entries.invalidate(key).await;
        }
        .boxed()
    }

    fn stats(&self) -> CacheStats {
        self.counters.snapshot()
    }

    fn backend(&self) -> &'static str {
        "memory"
    }

    fn memory_use(&self) -> Option<MemoryUse> {
        Some(MemoryUse {
            bytes: self.entries.weighted_size(),
            capacity_bytes: self.capacity_bytes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn stores_reads_deletes_and_expires_per_entry() {
        let cache = MemoryCache::new(1024 * 1024);
        cache
            .set("long", b"kept".to_vec(), Duration::from_secs(3600))
            .await;
        cache
            .set("short", b"gone".to_vec(), Duration::from_millis(20))
            .await;
        cache
            .set("doomed", b"x".to_vec(), Duration::from_secs(3600))
            .await;
        // Overwriting starts the new TTL: this one lives, though first stored for 20 ms.
        cache
            .set("renewed", b"old".to_vec(), Duration::from_millis(20))
            .await;
        cache
            .set("renewed", b"new".to_vec(), Duration::from_secs(3600))
            .await;
        cache.delete("doomed").await;

        assert_eq!(cache.get("long").await.as_deref(), Some(&b"kept"[..]));
        assert_eq!(cache.get("doomed").await, None);
        assert_eq!(cache.get("absent").await, None);
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(cache.get("short").await, None, "expired after its TTL");
        assert_eq!(cache.get("long").await.as_deref(), Some(&b"kept"[..]));
        assert_eq!(cache.get("renewed").await.as_deref(), Some(&b"new"[..]));
        assert_eq!(
            cache.stats(),
            CacheStats {
                hits: 3,
                misses: 3,
                errors: 0
            }
        );
    }
}
