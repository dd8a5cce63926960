//! Switchable misbehaviour for the simulated TMDB: latency, 429s with `Retry-After`, 5xx, a
//! rejected token and truncated JSON, for every path or per path prefix, and optionally only
//! for the first requests to each path. Also TMDB's own ceiling: past `ceiling_per_second`
//! requests a second, 429. Settable per run (flags), from tests (a shared [`Faults`] handle)
//! and over HTTP (`GET`/`PUT /__sim/faults`).
//!
//! Every draw is a hash of (seed, path, how many times that path was asked before), so the same
//! requests meet the same faults in any order.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use serde::{Deserialize, Serialize};

use crate::seed::{hash, unit};

/// What goes wrong, and how often.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Knobs {
    /// Added to every response.
    pub latency_ms: u64,
    /// Share of requests answered 429 with `Retry-After: retry_after_secs`.
    pub rate_limited: f64,
    pub retry_after_secs: u64,
    /// Share of requests answered 500, 502 or 503.
    pub server_errors: f64,
    /// Every request answered 401, whatever its token.
    pub bad_token: bool,
    /// Share of JSON bodies cut off partway (200, shorter body).
    pub truncated: f64,
    /// The knobs apply only to the first this-many requests to each path.
    pub first_hits: Option<u32>,
}

/// Faults for the paths starting with `prefix` (`/3/movie/`), instead of the general knobs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PathFaults {
    pub prefix: String,
    pub knobs: Knobs,
}

/// The whole fault configuration of a server.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultPlan {
    pub all: Knobs,
    /// The first rule whose prefix matches a path replaces `all` for it.
    pub paths: Vec<PathFaults>,
    /// TMDB's own limit: requests beyond this many a second (burst of the same size) get 429.
    pub ceiling_per_second: Option<u32>,
    pub seed: u64,
}

impl FaultPlan {
    fn knobs_for(&self, path: &str) -> &Knobs {
        self.paths
            .iter()
            .find(|rule| path.starts_with(&rule.prefix))
            .map_or(&self.all, |rule| &rule.knobs)
    }
}

/// What the server does with one request.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Action {
    /// Serve, cut to this share of the body if set.
    Serve {
        truncate_at: Option<f64>,
    },
    BadToken,
    RateLimited {
        retry_after_secs: u64,
    },
    ServerError(u16),
}

/// A shared, live-editable fault plan, and what the server saw.
#[derive(Clone, Default)]
pub struct Faults {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    plan: RwLock<FaultPlan>,
    ceiling: RwLock<Option<DefaultDirectRateLimiter>>,
    seen: Mutex<Seen>,
}

#[derive(Default)]
struct Seen {
    hits: HashMap<String, u32>,
    /// Per path, until when its last 429 asked the client to wait.
    wait_until: HashMap<String, Instant>,
    early_retries: u64,
    ceiling_hits: u64,
}

impl Faults {
    pub fn new(plan: FaultPlan) -> Self {
        let faults = Self::default();
        faults.set(plan);
        faults
    }

    pub fn plan(&self) -> FaultPlan {
        self.inner
            .plan
            .read()
            .map(|plan| plan.clone())
            .unwrap_or_default()
    }

    pub fn set(&self, plan: FaultPlan) {
        let ceiling = plan
            .ceiling_per_second
            .and_then(NonZeroU32::new)
            .map(|rate| RateLimiter::direct(Quota::per_second(rate).allow_burst(rate)));
        if let Ok(mut current) = self.inner.ceiling.write() {
            *current = ceiling;
        }
        if let Ok(mut current) = self.inner.plan.write() {
            *current = plan;
        }
    }

    fn seen<T>(&self, read: impl FnOnce(&mut Seen) -> T) -> Option<T> {
        self.inner.seen.lock().ok().map(|mut seen| read(&mut seen))
    }

    /// Requests the server received for `path` (API and file paths, not `/__sim/`).
    pub fn requests_to(&self, path: &str) -> u32 {
        self.seen(|seen| seen.hits.get(path).copied().unwrap_or(0))
            .unwrap_or(0)
    }

    /// Every request received.
    pub fn total_requests(&self) -> u64 {
        self.seen(|seen| seen.hits.values().map(|&n| u64::from(n)).sum())
            .unwrap_or(0)
    }

    /// Requests that came back to a path before the `Retry-After` of its last 429 had passed.
    pub fn early_retries(&self) -> u64 {
        self.seen(|seen| seen.early_retries).unwrap_or(0)
    }

    /// Requests turned away by the ceiling.
    pub fn ceiling_hits(&self) -> u64 {
        self.seen(|seen| seen.ceiling_hits).unwrap_or(0)
    }

    /// Counts the request and decides its fate; `authorized` is whether its token was right.
    pub(crate) fn decide(&self, path: &str, authorized: bool) -> (Duration, Action) {
        let now = Instant::now();
        let hit = self
            .seen(|seen| {
                if seen.wait_until.get(path).is_some_and(|&until| now < until) {
                    seen.early_retries += 1;
                }
                let count = seen.hits.entry(path.to_owned()).or_insert(0);
                *count += 1;
                *count - 1
            })
            .unwrap_or(0);
        let plan = self.plan();
        let knobs = plan.knobs_for(path);
        let latency = Duration::from_millis(knobs.latency_ms);
        let over_ceiling = self
            .inner
            .ceiling
            .read()
            .ok()
            .is_some_and(|ceiling| ceiling.as_ref().is_some_and(|c| c.check().is_err()));
        let draw = |salt: &str| {
            let key = format!("{salt}\u{0}{path}\u{0}{hit}");
            unit(hash(plan.seed, key.as_bytes()))
        };
        let active = knobs.first_hits.is_none_or(|first| hit < first);
        let action = if over_ceiling {
            self.seen(|seen| seen.ceiling_hits += 1);
            Action::RateLimited {
                retry_after_secs: 1,
            }
        } else if !authorized || (active && knobs.bad_token) {
            Action::BadToken
        } else if active && draw("429") < knobs.rate_limited {
            Action::RateLimited {
                retry_after_secs: knobs.retry_after_secs,
            }
        } else if active && draw("5xx") < knobs.server_errors {
            Action::ServerError([500, 502, 503][(draw("code") * 3.0) as usize % 3])
        } else {
            let cut = active && draw("cut") < knobs.truncated;
            Action::Serve {
                truncate_at: cut.then(|| 0.2 + 0.7 * draw("where")),
            }
        };
        if let Action::RateLimited { retry_after_secs } = action {
            let until = now + Duration::from_secs(retry_after_secs);
            self.seen(|seen| seen.wait_until.insert(path.to_owned(), until));
        }
        (latency, action)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_come_out_near_their_setting_and_repeat_for_the_same_seed() {
        let plan = FaultPlan {
            all: Knobs {
                server_errors: 0.3,
                ..Knobs::default()
            },
            seed: 5,
            ..FaultPlan::default()
        };
        let run = || {
            let faults = Faults::new(plan.clone());
            (0..2_000)
                .map(|i| faults.decide(&format!("/3/movie/{}", i % 100), true).1)
                .collect::<Vec<_>>()
        };
        let first = run();
        assert_eq!(first, run());
        let failed = first
            .iter()
            .filter(|action| matches!(action, Action::ServerError(_)))
            .count();
        assert!((450..750).contains(&failed), "{failed} of 2000");
    }

    #[test]
    fn path_rules_first_hits_and_tokens() {
        let faults = Faults::new(FaultPlan {
            paths: vec![PathFaults {
                prefix: "/3/movie/".to_owned(),
                knobs: Knobs {
                    rate_limited: 1.0,
                    retry_after_secs: 60,
                    first_hits: Some(2),
                    ..Knobs::default()
                },
            }],
            ..FaultPlan::default()
        });
        let limited = Action::RateLimited {
            retry_after_secs: 60,
        };
        assert_eq!(faults.decide("/3/movie/1", true).1, limited);
        assert_eq!(faults.decide("/3/movie/1", true).1, limited);
        assert_eq!(
            faults.decide("/3/movie/1", true).1,
            Action::Serve { truncate_at: None }
        );
        assert_eq!(faults.early_retries(), 2);
        assert_eq!(faults.decide("/3/tv/1", false).1, Action::BadToken);
        assert_eq!(faults.requests_to("/3/movie/1"), 3);
    }

    #[test]
    fn the_ceiling_turns_away_requests_past_its_rate() {
        let faults = Faults::new(FaultPlan {
            ceiling_per_second: Some(5),
            ..FaultPlan::default()
        });
        let limited = (0..50)
            .filter(|i| {
                matches!(
                    faults.decide(&format!("/3/movie/{i}"), true).1,
                    Action::RateLimited { .. }
                )
            })
            .count();
        // A burst of 5 passes; the other 45 arrive within far less than the 9 s it would take
        // the bucket to refill them all.
        assert!(limited >= 30, "{limited}");
        assert_eq!(faults.ceiling_hits(), limited as u64);
    }
}
