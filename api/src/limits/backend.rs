//! Where the limits are kept: in this process, or in Redis shared by every replica with this
//! process's limiter standing in whenever Redis does not answer. Never "no limit" and never an
//! error for the client: a Redis outage only makes the limits per replica for a while.

use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, Ordering};

use super::shared::RedisQuota;
use super::{Feature, Limit, RateLimiter, Standing};

#[derive(Debug)]
pub enum QuotaBackend {
    Process(RateLimiter),
    Redis {
        redis: RedisQuota,
        fallback: RateLimiter,
        /// False during an outage, so that it is logged when it starts and ends, not per request.
        available: AtomicBool,
    },
}

impl QuotaBackend {
    /// In Redis when `redis_url` is given, else in this process.
    pub fn new(limits: Vec<Limit>, redis_url: Option<&str>, prefix: &str) -> Self {
        let fallback = RateLimiter::new(limits);
        let Some(url) = redis_url else {
            tracing::info!("rate limits: per process (no REDIS_URL)");
            return Self::Process(fallback);
        };
        match RedisQuota::new(url, prefix, fallback.limits().to_vec()) {
            Ok(redis) => {
                tracing::info!("rate limits: in Redis, shared by every replica");
                Self::Redis {
                    redis,
                    fallback,
                    available: AtomicBool::new(true),
                }
            }
            Err(err) => {
                tracing::warn!(error = %err, "rate limits kept per process: Redis cannot be used");
                Self::Process(fallback)
            }
        }
    }

    pub fn limits(&self) -> &[Limit] {
        match self {
            Self::Process(limiter)
            | Self::Redis {
                fallback: limiter, ..
            } => limiter.limits(),
        }
    }

    pub async fn charge(&self, client: IpAddr, feature: Feature) -> Standing {
        match self {
            Self::Process(limiter) => limiter.charge(client, feature),
            Self::Redis {
                redis,
                fallback,
                available,
            } => {
                if fallback.limits().is_empty() {
                    return Standing::default();
                }
                match redis.charge(client, feature).await {
                    Ok(standing) => {
                        if !available.swap(true, Ordering::Relaxed) {
                            tracing::info!("Redis answers again; rate limits are shared again");
                        }
                        standing
                    }
                    Err(err) => {
                        crate::metrics::rate_limit_fallback();
                        if available.swap(false, Ordering::Relaxed) {
                            tracing::warn!(
                                error = %err,
                                "Redis does not answer; rate limits are per process until it does"
                            );
                        }
                        fallback.charge(client, feature)
                    }
                }
            }
        }
    }
}
