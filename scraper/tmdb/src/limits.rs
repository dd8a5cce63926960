//! The process-wide limits every request passes: a concurrency cap, a rate limit, and a shared
//! pause when TMDB asks us to slow down.

use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use tokio::sync::{Semaphore, SemaphorePermit};
use tokio::time::Instant;

pub(crate) struct Limits {
    in_flight: Semaphore,
    rate: DefaultDirectRateLimiter,
    /// Until when every request waits (the longest `Retry-After` seen).
    paused_until: Mutex<Option<Instant>>,
}

impl Limits {
    pub(crate) fn new(max_in_flight: usize, requests_per_second: u32) -> Self {
        let per_second = NonZeroU32::new(requests_per_second).unwrap_or(NonZeroU32::MIN);
        Self {
            in_flight: Semaphore::new(max_in_flight.max(1)),
            // Burst of one: requests are spread evenly, never sent in clumps that trip TMDB's
            // per-second ceiling.
            rate: RateLimiter::direct(Quota::per_second(per_second).allow_burst(NonZeroU32::MIN)),
            paused_until: Mutex::new(None),
        }
    }

    /// Waits for a pause to end, a free slot and the rate limiter. `None` only if the semaphore
    /// were closed, which never happens.
    pub(crate) async fn admit(&self) -> Option<SemaphorePermit<'_>> {
        let pause = self.paused_until.lock().ok().and_then(|guard| *guard);
        if let Some(until) = pause {
            tokio::time::sleep_until(until).await;
        }
        let permit = self.in_flight.acquire().await.ok();
        self.rate.until_ready().await;
        permit
    }

    /// Every request after this one waits at least `wait`: a 429 is about the token, not about
    /// one request.
    pub(crate) fn pause_for(&self, wait: Duration) {
        let until = Instant::now() + wait;
        if let Ok(mut guard) = self.paused_until.lock() {
            *guard = Some(guard.map_or(until, |current| current.max(until)));
        }
    }
}
