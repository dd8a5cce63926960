//! A keyed rate limiter enforcing several windows at once (10 a minute, 50 an hour, 250 a day).
//!
//! Each window is a GCRA (generic cell rate algorithm) cell: `n` requests per `period` means one
//! request every `period / n`, with a burst of `n`. GCRA keeps one timestamp per window and key
//! instead of a log of requests, and checking every window before charging any of them makes a
//! denied request cost nothing, so a client that waits out `Retry-After` is let through.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The features limited separately: using one does not use up another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Feature {
    Recommendations,
    Statistics,
    Watchlist,
    Upload,
    Compatibility,
    Predictions,
    /// Failed `Authorization` attempts on the admin routes (see `Limits::admin_locked`).
    FailedAdminAuth,
}

/// `requests` per `period`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub requests: u32,
    pub period: Duration,
}

impl Limit {
    pub const fn per_minute(requests: u32) -> Self {
        Self {
            requests,
            period: Duration::from_secs(60),
        }
    }
    pub const fn per_hour(requests: u32) -> Self {
        Self {
            requests,
            period: Duration::from_secs(3_600),
        }
    }
    pub const fn per_day(requests: u32) -> Self {
        Self {
            requests,
            period: Duration::from_secs(86_400),
        }
    }

    /// Time between two requests at the sustained rate, in whole milliseconds: Redis keeps the
    /// shared limits in milliseconds, and both limiters must agree on what is left.
    pub fn interval(self) -> Duration {
        let period_ms = u64::try_from(self.period.as_millis()).unwrap_or(u64::MAX);
        Duration::from_millis((period_ms / u64::from(self.requests.max(1))).max(1))
    }
}

impl Feature {
    /// The feature's name in shared keys.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Recommendations => "recommendations",
            Self::Statistics => "statistics",
            Self::Watchlist => "watchlist",
            Self::Upload => "upload",
            Self::Compatibility => "compatibility",
            Self::Predictions => "predictions",
            Self::FailedAdminAuth => "failed_admin_auth",
        }
    }
}

/// Where a client stands after a charge (or a refusal, which charges nothing): for each limit,
/// how far its theoretical arrival time is ahead of now (zero: the whole quota is there), and how
/// long it must wait before one more request fits every limit (zero: this one was let through).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Standing {
    pub horizons: Vec<Duration>,
    pub wait: Duration,
}

impl Standing {
    pub fn verdict(&self) -> Result<(), Denied> {
        if self.wait.is_zero() {
            Ok(())
        } else {
            Err(Denied {
                retry_after: self.wait,
            })
        }
    }
}

/// A request over one of the limits, and how long until it would be allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Denied {
    pub retry_after: Duration,
}

/// How often idle keys are swept, in checks: keeps memory bounded by the clients of the last day.
const SWEEP_EVERY: u64 = 4_096;

/// Most (client, feature) keys kept, about 100 bytes each: 10 MB at most, however many addresses
/// a client rotates through. See [`State::make_room`] for what happens when it is reached.
pub const MAX_KEYS: usize = 100_000;

/// Limits per (client, feature), shared by all workers of one process.
#[derive(Debug)]
pub struct RateLimiter {
    limits: Vec<Limit>,
    max_keys: usize,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// Theoretical arrival time of the next request, one per limit.
    cells: HashMap<(IpAddr, Feature), Vec<Instant>>,
    checks: u64,
}

impl RateLimiter {
    /// The service's defaults: 10 a minute, 50 an hour, 250 a day.
    pub fn with_defaults() -> Self {
        Self::new(vec![
            Limit::per_minute(10),
            Limit::per_hour(50),
            Limit::per_day(250),
        ])
    }

    /// A limiter enforcing every limit given; with none, everything is allowed.
    pub fn new(limits: Vec<Limit>) -> Self {
        let limits = limits.into_iter().filter(|l| l.requests > 0).collect();
        Self {
            limits,
            max_keys: MAX_KEYS,
            state: Mutex::new(State::default()),
        }
    }

    /// Charges one request of `feature` to `client`, or says how long it must wait.
    pub fn check(&self, client: IpAddr, feature: Feature) -> Result<(), Denied> {
        self.check_at(client, feature, Instant::now())
    }

    /// Like [`Self::check`], with where the client stands in every limit afterwards.
    pub fn charge(&self, client: IpAddr, feature: Feature) -> Standing {
        self.charge_at(client, feature, Instant::now())
    }

    /// The limits enforced (those of zero requests left out).
    pub fn limits(&self) -> &[Limit] {
        &self.limits
    }

    /// Whether [`Self::check`] would let one more request of `feature` from `client` through,
    /// without charging it.
    pub fn peek(&self, client: IpAddr, feature: Feature) -> Result<(), Denied> {
        self.peek_at(client, feature, Instant::now())
    }

    fn peek_at(&self, client: IpAddr, feature: Feature, now: Instant) -> Result<(), Denied> {
        let state = self
            .state
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        match state.cells.get(&(client, feature)) {
            Some(cells) => self.wait(cells, now),
            None => Ok(()),
        }
    }

    /// How long before one more request fits every limit, given a key's cells.
    fn wait(&self, cells: &[Instant], now: Instant) -> Result<(), Denied> {
        let wait = self
            .limits
            .iter()
            .zip(cells.iter())
            .map(|(limit, &tat)| {
                let burst = limit.period - limit.interval();
                let allowed_from = tat.checked_sub(burst).unwrap_or(now);
                allowed_from.saturating_duration_since(now)
            })
            .max()
            .unwrap_or_default();
        if wait.is_zero() {
            Ok(())
        } else {
            Err(Denied { retry_after: wait })
        }
    }

    fn check_at(&self, client: IpAddr, feature: Feature, now: Instant) -> Result<(), Denied> {
        self.charge_at(client, feature, now).verdict()
    }

    fn charge_at(&self, client: IpAddr, feature: Feature, now: Instant) -> Standing {
        if self.limits.is_empty() {
            return Standing::default();
        }
        // A poisoned lock only means another request panicked mid-update: the counters are
        // still usable, and failing every request afterwards would be worse.
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        state.checks += 1;
        if state.checks.is_multiple_of(SWEEP_EVERY) {
            state
                .cells
                .retain(|_, cells| cells.iter().any(|&tat| tat > now));
        }
        if state.cells.len() >= self.max_keys && !state.cells.contains_key(&(client, feature)) {
            state.make_room(self.max_keys, now);
        }
        let cells = state
            .cells
            .entry((client, feature))
            .or_insert_with(|| vec![now; self.limits.len()]);

        let wait = match self.wait(cells, now) {
            Ok(()) => {
                for (limit, tat) in self.limits.iter().zip(cells.iter_mut()) {
                    *tat = (*tat).max(now) + limit.interval();
                }
                Duration::ZERO
            }
            Err(denied) => denied.retry_after,
        };
        Standing {
            horizons: cells
                .iter()
                .map(|tat| tat.saturating_duration_since(now))
                .collect(),
            wait,
        }
    }
}

impl State {
    /// Called when the map is full and a new key arrives. Keys that went idle are dropped first:
    /// forgetting them changes nothing. If that is not enough (more live keys than the cap, which
    /// takes a client holding that many addresses or /64s), the keys closest to going idle are
    /// dropped until an eighth of the map is free: they are the lightest users, each given a fresh
    /// budget, while a client being limited has the furthest horizon of all and is dropped only
    /// after everyone lighter, so resetting one costs an attacker `max_keys` keys each used more
    /// than the victim. Freeing an eighth at a time keeps the cost amortised over many inserts.
    fn make_room(&mut self, max_keys: usize, now: Instant) {
        self.cells
            .retain(|_, cells| cells.iter().any(|&tat| tat > now));
        if self.cells.len() < max_keys {
            return;
        }
        let keep = max_keys - max_keys.div_ceil(8);
        let mut horizons: Vec<(Instant, (IpAddr, Feature))> = self
            .cells
            .iter()
            .map(|(key, cells)| (cells.iter().copied().max().unwrap_or(now), *key))
            .collect();
        let drop = horizons.len().saturating_sub(keep);
        if drop == 0 {
            return;
        }
        horizons.select_nth_unstable_by_key(drop - 1, |(horizon, _)| *horizon);
        for (_, key) in &horizons[..drop] {
            self.cells.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use super::*;

    #[test]
    fn peeking_charges_nothing() {
        let limiter = RateLimiter::new(vec![Limit::per_minute(2)]);
        let now = Instant::now();
        for _ in 0..5 {
            assert!(
                limiter
                    .peek_at(ALICE, Feature::FailedAdminAuth, now)
                    .is_ok()
            );
        }
        assert_eq!(
            allowed(&limiter, ALICE, Feature::FailedAdminAuth, now, 3),
            2
        );
        let denied = limiter
            .peek_at(ALICE, Feature::FailedAdminAuth, now)
            .unwrap_err();
        assert_eq!(denied.retry_after, Duration::from_secs(30));
        assert!(limiter.peek_at(BOB, Feature::FailedAdminAuth, now).is_ok());
        let later = now + Duration::from_secs(30);
        assert!(
            limiter
                .peek_at(ALICE, Feature::FailedAdminAuth, later)
                .is_ok()
        );
    }

    const ALICE: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
    const BOB: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 2));

    fn allowed(
        limiter: &RateLimiter,
        who: IpAddr,
        feature: Feature,
        at: Instant,
        n: usize,
    ) -> usize {
        (0..n)
            .filter(|_| limiter.check_at(who, feature, at).is_ok())
            .count()
    }

    #[test]
    fn a_charge_says_where_the_client_stands_in_every_limit() {
        let limiter = RateLimiter::new(vec![Limit::per_minute(10), Limit::per_hour(50)]);
        let now = Instant::now();
        assert_eq!(
            limiter.charge_at(ALICE, Feature::Statistics, now),
            Standing {
                horizons: vec![Duration::from_secs(6), Duration::from_secs(72)],
                wait: Duration::ZERO,
            }
        );
        assert_eq!(allowed(&limiter, ALICE, Feature::Statistics, now, 9), 9);
        // Refused: nothing charged, and the minute's next request fits in one interval.
        assert_eq!(
            limiter.charge_at(ALICE, Feature::Statistics, now),
            Standing {
                horizons: vec![Duration::from_secs(60), Duration::from_secs(720)],
                wait: Duration::from_secs(6),
            }
        );
        // A limit that does not divide its window: whole milliseconds, as in Redis.
        assert_eq!(
            Limit::per_hour(7).interval(),
            Duration::from_millis(514_285)
        );
    }

    #[test]
    fn a_burst_gets_exactly_the_per_minute_limit() {
        let limiter = RateLimiter::with_defaults();
        let now = Instant::now();
        assert_eq!(
            allowed(&limiter, ALICE, Feature::Recommendations, now, 25),
            10
        );
        let denied = limiter
            .check_at(ALICE, Feature::Recommendations, now)
            .unwrap_err();
        // One request every 6 s at the sustained per-minute rate.
        assert_eq!(denied.retry_after, Duration::from_secs(6));
    }

    #[test]
    fn clients_and_features_are_limited_separately() {
        let limiter = RateLimiter::new(vec![Limit::per_minute(2)]);
        let now = Instant::now();
        assert_eq!(allowed(&limiter, ALICE, Feature::Statistics, now, 5), 2);
        assert_eq!(allowed(&limiter, BOB, Feature::Statistics, now, 5), 2);
        assert_eq!(allowed(&limiter, ALICE, Feature::Watchlist, now, 5), 2);
    }

    #[test]
    fn waiting_out_retry_after_lets_the_next_request_through() {
        let limiter = RateLimiter::new(vec![Limit::per_minute(3)]);
        let start = Instant::now();
        assert_eq!(allowed(&limiter, ALICE, Feature::Upload, start, 3), 3);
        let denied = limiter.check_at(ALICE, Feature::Upload, start).unwrap_err();
        let later = start + denied.retry_after;
        assert!(limiter.check_at(ALICE, Feature::Upload, later).is_ok());
        assert!(limiter.check_at(ALICE, Feature::Upload, later).is_err());
    }

    #[test]
    fn the_hourly_limit_binds_a_client_that_respects_the_minute_limit() {
        let limiter = RateLimiter::with_defaults();
        let start = Instant::now();
        // One request every 6 s never trips the minute window; the hour window stops it at 50
        // plus what the hour's steady rate (one per 72 s) has refilled meanwhile.
        let mut served = 0;
        let mut first_denied = None;
        for i in 0..200u32 {
            let at = start + Duration::from_secs(6) * i;
            match limiter.check_at(ALICE, Feature::Recommendations, at) {
                Ok(()) => served += 1,
                Err(_) => {
                    first_denied = Some(i);
                    break;
                }
            }
        }
        let first_denied = first_denied.expect("the hourly limit denies at some point");
        assert_eq!(served, first_denied);
        // The burst of 50, plus one refill per 72 s over the 318 s the 54th request arrives at.
        assert_eq!(served, 54);
    }

    #[test]
    fn a_denied_request_costs_nothing() {
        let limiter = RateLimiter::new(vec![Limit::per_minute(1), Limit::per_hour(2)]);
        let start = Instant::now();
        assert!(limiter.check_at(ALICE, Feature::Statistics, start).is_ok());
        for _ in 0..100 {
            assert!(limiter.check_at(ALICE, Feature::Statistics, start).is_err());
        }
        // The hour still has its second request once the minute has passed.
        let later = start + Duration::from_secs(60);
        assert!(limiter.check_at(ALICE, Feature::Statistics, later).is_ok());
    }

    #[test]
    fn no_limits_allow_everything() {
        let limiter = RateLimiter::new(vec![Limit::per_minute(0)]);
        assert_eq!(
            allowed(&limiter, ALICE, Feature::Upload, Instant::now(), 1_000),
            1_000
        );
    }

    fn capped(limits: Vec<Limit>, max_keys: usize) -> RateLimiter {
        RateLimiter {
            max_keys,
            ..RateLimiter::new(limits)
        }
    }

    #[test]
    fn a_full_map_stays_bounded_and_keeps_limiting_a_limited_client() {
        let limiter = capped(vec![Limit::per_minute(3)], 64);
        let start = Instant::now();
        assert_eq!(allowed(&limiter, ALICE, Feature::Upload, start, 5), 3);
        // An attacker rotating through fresh addresses, one request each, all still live.
        for i in 0..10_000u32 {
            let client = IpAddr::V4(Ipv4Addr::from(0x0a00_0000 + i));
            assert!(limiter.check_at(client, Feature::Upload, start).is_ok());
            assert!(limiter.state.lock().unwrap().cells.len() <= 64);
        }
        assert!(
            limiter.check_at(ALICE, Feature::Upload, start).is_err(),
            "the limited client was not reset by the flood"
        );
    }

    #[test]
    fn a_full_map_forgets_idle_keys_first() {
        let limiter = capped(vec![Limit::per_minute(10)], 8);
        let start = Instant::now();
        for i in 0..8u32 {
            let client = IpAddr::V4(Ipv4Addr::from(i));
            assert!(limiter.check_at(client, Feature::Upload, start).is_ok());
        }
        let later = start + Duration::from_secs(3_600);
        assert!(limiter.check_at(ALICE, Feature::Upload, later).is_ok());
        assert_eq!(limiter.state.lock().unwrap().cells.len(), 1);
    }

    #[test]
    fn idle_clients_are_forgotten() {
        let limiter = RateLimiter::new(vec![Limit::per_minute(10)]);
        let start = Instant::now();
        for i in 0..SWEEP_EVERY as u32 - 1 {
            let client = IpAddr::V4(Ipv4Addr::from(i));
            assert!(limiter.check_at(client, Feature::Upload, start).is_ok());
        }
        let later = start + Duration::from_secs(3_600);
        assert!(limiter.check_at(ALICE, Feature::Upload, later).is_ok());
        let state = limiter.state.lock().unwrap();
        assert_eq!(
            state.cells.len(),
            1,
            "only the client active in the last period is kept"
        );
    }
}
