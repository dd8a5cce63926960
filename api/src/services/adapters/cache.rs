//! [`KeyValue`] on the service's cache, and the cross-replica scrape lock on Redis.

use std::time::Duration;

use deadpool_redis::redis;
use deadpool_redis::{Config, Pool, Runtime};
use futures::FutureExt;
use futures::future::BoxFuture;

use crate::cache::SharedCache;
use crate::services::ports::{DistributedLock, KeyValue};

/// The shared cache as the services see it.
#[derive(Debug, Clone)]
pub struct CacheKv(pub SharedCache);

impl KeyValue for CacheKv {
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Option<Vec<u8>>> {
        self.0.get(key)
    }
    fn set<'a>(&'a self, key: &'a str, value: Vec<u8>, ttl: Duration) -> BoxFuture<'a, ()> {
        self.0.set(key, value, ttl)
    }
    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, ()> {
        self.0.delete(key)
    }
}

/// Bound on one lock command: past it, Redis counts as down.
const LOCK_TIMEOUT: Duration = Duration::from_millis(250);

/// `SET key token NX PX ttl` to take, compare-and-delete to release. When Redis is unreachable
/// the lock is granted: replicas may then scrape a member twice, which is better than failing.
pub struct RedisLock {
    pool: Pool,
    prefix: String,
}

impl std::fmt::Debug for RedisLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisLock")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

const RELEASE: &str = "if redis.call('GET', KEYS[1]) == ARGV[1] then \
                       return redis.call('DEL', KEYS[1]) else return 0 end";

impl RedisLock {
    pub fn new(url: &str, prefix: &str) -> anyhow::Result<Self> {
        let pool = Config::from_url(url)
            .create_pool(Some(Runtime::Tokio1))
            .map_err(|err| anyhow::anyhow!("cannot set up the Redis lock pool: {err}"))?;
        Ok(Self {
            pool,
            prefix: prefix.to_owned(),
        })
    }

    async fn run<T: redis::FromRedisValue>(&self, cmd: &redis::Cmd) -> Option<T> {
        let outcome = tokio::time::timeout(LOCK_TIMEOUT, async {
            let mut conn = self.pool.get().await.ok()?;
            cmd.query_async::<T>(&mut conn).await.ok()
        })
        .await;
        outcome.ok().flatten()
    }
}

impl DistributedLock for RedisLock {
    fn try_acquire<'a>(&'a self, key: &'a str, ttl: Duration) -> BoxFuture<'a, Option<String>> {
        async move {
            let token = uuid::Uuid::new_v4().to_string();
            let millis = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1);
            let mut cmd = redis::cmd("SET");
            cmd.arg(format!("{}{key}", self.prefix))
                .arg(&token)
                .arg("NX")
                .arg("PX")
                .arg(millis);
            match self.run::<Option<String>>(&cmd).await {
                Some(Some(_ok)) => Some(token),
                // Held by another replica.
                Some(None) => None,
                None => {
                    tracing::warn!("Redis lock unavailable; scraping without it");
                    Some(token)
                }
            }
        }
        .boxed()
    }

    fn release<'a>(&'a self, key: &'a str, token: &'a str) -> BoxFuture<'a, ()> {
        async move {
            let mut cmd = redis::cmd("EVAL");
            cmd.arg(RELEASE)
                .arg(1)
                .arg(format!("{}{key}", self.prefix))
                .arg(token);
            let _released: Option<i64> = self.run(&cmd).await;
        }
        .boxed()
    }
}
