//! Switchable misbehaviour for the simulated Letterboxd: latency, 429s with `Retry-After`, 5xx,
//! Cloudflare challenges, private profiles, unknown members and truncated pages, for every path
//! or per path prefix. Settable per run (CLI flags), from tests (a shared [`Faults`] handle) and
//! over HTTP (`GET`/`PUT /-/faults`).
//!
//! Every decision is a hash of (seed, path, how many times that path was asked before): the same
//! requests meet the same faults in any order, so a concurrent test is as reproducible as a
//! sequential one.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

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
    /// Share of requests answered 502 or 503.
    pub server_errors: f64,
    /// Every request answered with a Cloudflare challenge (403, `cf-mitigated: challenge`).
    pub challenge: bool,
    /// Share of pages cut off partway (200, no `</html>`).
    pub truncated: f64,
}

/// Faults for the paths starting with `prefix` (`/film/`, `/ann/watchlist/`), instead of the
/// plan's general knobs.
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
    /// Members served as private profiles.
    pub private_members: BTreeSet<String>,
    /// Members answered 404 even if the world has them.
    pub unknown_members: BTreeSet<String>,
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
    Serve { truncate_at: Option<f64> },
    Challenge,
    RateLimited { retry_after_secs: u64 },
    ServerError(u16),
    NotFound,
    Private,
}

/// A shared, live-editable fault plan and the per-path request counts it keys on.
#[derive(Clone, Default)]
pub struct Faults {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    plan: RwLock<FaultPlan>,
    hits: Mutex<HashMap<String, u32>>,
    user_agents: Mutex<BTreeSet<String>>,
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
        if let Ok(mut current) = self.inner.plan.write() {
            *current = plan;
        }
    }

    pub fn update(&self, change: impl FnOnce(&mut FaultPlan)) {
        if let Ok(mut current) = self.inner.plan.write() {
            change(&mut current);
        }
    }

    /// Requests the server received for `path` (data pages only, not `/-/` admin paths).
    pub fn requests_to(&self, path: &str) -> u32 {
        self.inner
            .hits
            .lock()
            .map(|hits| hits.get(path).copied().unwrap_or(0))
            .unwrap_or(0)
    }

    /// Every path asked for and how often.
    pub fn requests(&self) -> HashMap<String, u32> {
        self.inner
            .hits
            .lock()
            .map(|hits| hits.clone())
            .unwrap_or_default()
    }

    /// Every distinct `User-Agent` the server was sent.
    pub fn user_agents(&self) -> BTreeSet<String> {
        self.inner
            .user_agents
            .lock()
            .map(|agents| agents.clone())
            .unwrap_or_default()
    }

    pub(crate) fn saw_user_agent(&self, agent: &str) {
        if let Ok(mut agents) = self.inner.user_agents.lock()
            && !agents.contains(agent)
        {
            agents.insert(agent.to_owned());
        }
    }

    pub fn total_requests(&self) -> u64 {
        self.requests().values().map(|&n| u64::from(n)).sum()
    }

    /// Counts the request and decides its fate. `member` is the member a page belongs to.
    pub(crate) fn decide(&self, path: &str, member: Option<&str>) -> (Duration, Action) {
        let hit = self
            .inner
            .hits
            .lock()
            .map(|mut hits| {
                let count = hits.entry(path.to_owned()).or_insert(0);
                *count += 1;
                *count - 1
            })
            .unwrap_or(0);
        let plan = self
            .inner
            .plan
            .read()
            .map(|plan| plan.clone())
            .unwrap_or_default();
        let knobs = plan.knobs_for(path);
        let draw = |salt: &str| {
            let key = format!("{salt}\u{0}{path}\u{0}{hit}");
            unit(hash(plan.seed, key.as_bytes()))
        };
        let latency = Duration::from_millis(knobs.latency_ms);
        let action = if knobs.challenge {
            Action::Challenge
        } else if draw("429") < knobs.rate_limited {
            Action::RateLimited {
                retry_after_secs: knobs.retry_after_secs,
            }
        } else if draw("5xx") < knobs.server_errors {
            Action::ServerError(if draw("code") < 0.5 { 502 } else { 503 })
        } else if member.is_some_and(|name| plan.unknown_members.contains(name)) {
            Action::NotFound
        } else if member.is_some_and(|name| plan.private_members.contains(name)) {
            Action::Private
        } else {
            let truncate_at = (draw("cut") < knobs.truncated).then(|| 0.2 + 0.7 * draw("where"));
            Action::Serve { truncate_at }
        };
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
                rate_limited: 0.3,
                ..Knobs::default()
            },
            seed: 5,
            ..FaultPlan::default()
        };
        let run = || {
            let faults = Faults::new(plan.clone());
            (0..2_000)
                .map(|i| faults.decide(&format!("/p/{}", i % 100), None).1)
                .collect::<Vec<_>>()
        };
        let first = run();
        assert_eq!(first, run());
        let limited = first
            .iter()
            .filter(|action| matches!(action, Action::RateLimited { .. }))
            .count();
        assert!((450..750).contains(&limited), "{limited} of 2000");
    }

    #[test]
    fn path_rules_override_and_members_are_matched() {
        let faults = Faults::new(FaultPlan {
            paths: vec![PathFaults {
                prefix: "/film/".to_owned(),
                knobs: Knobs {
                    server_errors: 1.0,
                    ..Knobs::default()
                },
            }],
            private_members: ["ann".to_owned()].into(),
            ..FaultPlan::default()
        });
        assert!(matches!(
            faults.decide("/film/heat/", None).1,
            Action::ServerError(_)
        ));
        assert_eq!(
            faults.decide("/ann/films/page/1/", Some("ann")).1,
            Action::Private
        );
        assert_eq!(
            faults.decide("/bob/films/page/1/", Some("bob")).1,
            Action::Serve { truncate_at: None }
        );
        assert_eq!(faults.requests_to("/film/heat/"), 1);
    }
}
