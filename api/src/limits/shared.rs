//! The limits of every replica in one Redis, so that two instances do not double each quota.
//!
//! Each charge is one round trip: `gcra.lua` checks and charges every limit of a (client,
//! feature) atomically, the same GCRA as the process limiter (`quota.rs`). GCRA rather than fixed
//! windows (INCR and PEXPIRE per window): no burst of twice the quota across a window's edge, one
//! small hash per client and feature, and the same answers as the process limiter that stands in
//! when Redis is away, so a client sees the same headers either way. The script reads Redis's
//! clock, so replicas need not agree on the time.
//!
//! A charge Redis cannot answer within [`TIMEOUT`] is an error for the caller to fall back on;
//! after one, Redis is left alone for [`RETRY_INTERVAL`], so an outage costs one timeout per
//! interval, not one per request.

use std::net::IpAddr;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use deadpool_redis::redis::{self, AsyncConnectionConfig};
use deadpool_redis::{Manager, Pool, Runtime};

use super::{Feature, Limit, Standing};

/// Bound on one charge, pool wait included: a healthy Redis answers in well under a millisecond.
pub const TIMEOUT: Duration = Duration::from_millis(100);
const RETRY_INTERVAL: Duration = Duration::from_secs(1);
const POOL_SIZE: usize = 16;

static SCRIPT: LazyLock<redis::Script> =
    LazyLock::new(|| redis::Script::new(include_str!("gcra.lua")));

/// Why a charge did not reach Redis: the caller falls back to its own limiter.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Unavailable(String);

pub struct RedisQuota {
    pool: Pool,
    prefix: String,
    limits: Vec<Limit>,
    /// Until when (milliseconds after `created`) charges skip Redis after a failure.
    retry_at_ms: AtomicU64,
    created: Instant,
}

impl std::fmt::Debug for RedisQuota {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisQuota")
            .field("prefix", &self.prefix)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl RedisQuota {
    /// Limits kept under `prefix` on the Redis at `url`; connects lazily, on first use.
    pub fn new(url: &str, prefix: &str, limits: Vec<Limit>) -> Result<Self, Unavailable> {
        let connection = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(TIMEOUT))
            .set_response_timeout(Some(TIMEOUT));
        // The URL may carry a password: report the kind of error only.
        let manager = Manager::new_with_config(url, connection)
            .map_err(|err| Unavailable(format!("invalid Redis URL ({:?})", err.kind())))?;
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(TIMEOUT))
            .create_timeout(Some(TIMEOUT))
            .recycle_timeout(Some(TIMEOUT))
            .build()
            .map_err(|err| Unavailable(err.to_string()))?;
        Ok(Self {
            pool,
            prefix: prefix.to_owned(),
            limits,
            retry_at_ms: AtomicU64::new(0),
            created: Instant::now(),
        })
    }

    fn elapsed_ms(&self) -> u64 {
        u64::try_from(self.created.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// Charges one request of `feature` to `client` in Redis.
    pub async fn charge(&self, client: IpAddr, feature: Feature) -> Result<Standing, Unavailable> {
        if self.elapsed_ms() < self.retry_at_ms.load(Ordering::Relaxed) {
            return Err(Unavailable(
                "Redis failed less than a second ago".to_owned(),
            ));
        }
        let outcome = tokio::time::timeout(TIMEOUT, self.run(client, feature))
            .await
            .unwrap_or_else(|_| Err(Unavailable("timed out".to_owned())));
        if outcome.is_err() {
            let retry_at = self
                .elapsed_ms()
                .saturating_add(u64::try_from(RETRY_INTERVAL.as_millis()).unwrap_or(u64::MAX));
            self.retry_at_ms.store(retry_at, Ordering::Relaxed);
        }
        outcome
    }

    async fn run(&self, client: IpAddr, feature: Feature) -> Result<Standing, Unavailable> {
        let failed = |err: &dyn std::fmt::Display| Unavailable(err.to_string());
        let mut conn = self.pool.get().await.map_err(|err| failed(&err))?;
        let mut invocation = SCRIPT.key(format!(
            "{}ratelimit:{}:{client}",
            self.prefix,
            feature.as_str()
        ));
        for limit in &self.limits {
            invocation
                .arg(millis(limit.interval()))
                .arg(millis(limit.period));
        }
        let answer: Vec<i64> = invocation
            .invoke_async(&mut conn)
            .await
            .map_err(|err| failed(&err))?;
        parse(&answer, self.limits.len())
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// The script's answer: the wait, then one horizon per limit, in milliseconds.
fn parse(answer: &[i64], limits: usize) -> Result<Standing, Unavailable> {
    let as_duration = |ms: i64| Duration::from_millis(u64::try_from(ms).unwrap_or(0));
    match answer.split_first() {
        Some((&wait, horizons)) if horizons.len() == limits => Ok(Standing {
            horizons: horizons.iter().copied().map(as_duration).collect(),
            wait: as_duration(wait),
        }),
        _ => Err(Unavailable(format!(
            "the rate-limit script answered {answer:?} for {limits} limits"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scripts_answer_is_read_in_milliseconds() {
        assert_eq!(
            parse(&[0, 6_000, 72_000], 2).unwrap(),
            Standing {
                horizons: vec![Duration::from_secs(6), Duration::from_secs(72)],
                wait: Duration::ZERO,
            }
        );
        assert_eq!(
            parse(&[1_500, 60_000], 1)
                .unwrap()
                .verdict()
                .unwrap_err()
                .retry_after,
            Duration::from_millis(1_500)
        );
        assert!(parse(&[0, 1], 2).is_err());
        assert!(parse(&[], 0).is_err());
    }
}
