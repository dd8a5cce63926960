//! `MEMORY_BUDGET`: the bytes this process's in-memory caches may hold between them, and the share
//! each takes. One number to size for the instance, instead of one constant per cache.
//!
//! The default, 192 MiB, is sized for a 512 MB instance (Render's starter). The rest of the
//! 512 MB is not the caches': `reel serve` was measured at 127 MB resident (138 MB peak) after
//! start and catalog load over the 97,001-movie synced catalog (`docs/performance.md`): the
//! binary, the catalog and its features, the general model (10 MB stored), the Postgres and
//! Redis pools and the HTTP workers. That leaves about 180 MB for what comes and goes: a training
//! per slot (a member's forest and its buffers), upload bodies (up to their 32 MiB cap) and
//! request buffers, and the allocator's slack, so a burst of trainings or uploads does not end in
//! the kernel's out-of-memory killer. The first-run setup's general-model training (319 MiB peak,
//! `docs/models.md`) does not fit beside full caches: a 512 MB deployment runs with
//! `AUTO_SETUP=off`, as `render.yaml` sets it.
//!
//! | cache | share | without Redis |
//! |---|---|---|
//! | members' predictions (`services/scores.rs`) | 50% | 50% |
//! | the in-process shared cache (`cache/memory.rs`: profiles, uploads) | - | 25% |
//! | members' parsed profiles (`services/profiles.rs`) | 15% | 15% |
//! | films looked up by title or key (3/4), the language model's readings (1/4) | 10% | 10% |
//!
//! With Redis there is no in-process shared cache, and its 25% goes to the predictions (75%).
//! Every cache first gets a floor of [`FLOOR_BYTES`] (less when the budget cannot hold every
//! floor), so a tiny budget shrinks the caches without turning one off; the predictions take
//! what is left after the others, so the shares never add up to more than the budget.
//!
//! `SCORE_CACHE`, when set, overrides the predictions' share (`off` keeps none); the other
//! caches keep their shares of the budget, so the process may then hold more than the budget.

use std::fmt;

use super::parse;

/// `MEMORY_BUDGET`'s default: the caches' part of a 512 MB instance.
pub const DEFAULT_MEMORY_BUDGET: u64 = 192 << 20;
/// The least a cache gets while the budget can give every cache this much.
pub const FLOOR_BYTES: u64 = 1 << 20;

/// The bytes every in-memory cache of the process may hold between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryBudget {
    total: u64,
}

/// What each cache may hold, in bytes; what [`MemoryBudget::shares`] gives out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheShares {
    /// Members' predictions for the whole catalog (`services/scores.rs`); 0 keeps none.
    pub scores: u64,
    /// The in-process shared cache used without Redis (`cache/memory.rs`); 0 with Redis.
    pub memory: u64,
    /// Members' parsed profiles in front of the shared cache (`services/profiles.rs`).
    pub profiles: u64,
    /// Films looked up by title or key (`services/film_lookup.rs`) and the language model's
    /// readings of descriptions.
    pub lookups: u64,
}

impl CacheShares {
    /// Every share added up.
    pub fn total(&self) -> u64 {
        self.scores + self.memory + self.profiles + self.lookups
    }
}

impl Default for CacheShares {
    /// The default budget's shares with Redis.
    fn default() -> Self {
        MemoryBudget::default().shares(true)
    }
}

impl MemoryBudget {
    pub fn new(total: u64) -> Self {
        Self { total }
    }

    pub fn total(&self) -> u64 {
        self.total
    }

    /// Each cache's share; `redis` says whether the shared cache lives in Redis rather than in
    /// this process.
    pub fn shares(&self, redis: bool) -> CacheShares {
        let total = self.total;
        let caches = if redis { 3 } else { 4 };
        let floor = FLOOR_BYTES.min(total / caches);
        let percent = |part: u64| (total / 100 * part + total % 100 * part / 100).max(floor);
        let memory = if redis { 0 } else { percent(25) };
        let profiles = percent(15);
        let lookups = percent(10);
        CacheShares {
            scores: total - memory - profiles - lookups,
            memory,
            profiles,
            lookups,
        }
    }
}

impl Default for MemoryBudget {
    fn default() -> Self {
        Self::new(DEFAULT_MEMORY_BUDGET)
    }
}

impl fmt::Display for MemoryBudget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} bytes", self.total)
    }
}

/// `MEMORY_BUDGET`'s parser: a byte size (`192MiB`, `1GiB`) of at least 4 MiB, enough for
/// every cache's floor.
pub fn memory_budget(raw: &str) -> Result<MemoryBudget, String> {
    let bytes = parse::byte_size(raw)? as u64;
    if bytes < 4 * FLOOR_BYTES {
        return Err("expected at least `4MiB`, a MiB for each cache".to_owned());
    }
    Ok(MemoryBudget::new(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIB: u64 = 1 << 20;

    #[test]
    fn the_default_budget_splits_as_documented() {
        let budget = MemoryBudget::default();
        let shares = budget.shares(false);
        assert_eq!(shares.memory, 48 * MIB);
        assert_eq!(shares.profiles, 192 * MIB * 15 / 100);
        assert_eq!(shares.lookups, 192 * MIB / 10);
        // The predictions take the rest: half, and the byte the others' rounding left.
        assert_eq!(shares.scores, 96 * MIB + 1);
        assert_eq!(shares.total(), budget.total());
    }

    #[test]
    fn with_redis_the_shared_caches_share_goes_to_the_predictions() {
        let budget = MemoryBudget::new(100 * MIB);
        let without = budget.shares(false);
        let with = budget.shares(true);
        assert_eq!(with.memory, 0);
        assert_eq!(with.scores, without.scores + without.memory);
        assert_eq!(with.scores, 75 * MIB);
        assert_eq!(
            (with.profiles, with.lookups),
            (without.profiles, without.lookups)
        );
    }

    #[test]
    fn shares_never_add_up_to_more_than_the_budget() {
        for total in [
            0,
            1,
            3,
            4,
            1000,
            MIB,
            3 * MIB + 7,
            4 * MIB,
            10 * MIB - 1,
            192 * MIB,
            u64::MAX / 2,
        ] {
            for redis in [false, true] {
                let shares = MemoryBudget::new(total).shares(redis);
                assert!(shares.total() <= total, "{total} {redis}: {shares:?}");
            }
        }
    }

    #[test]
    fn a_tiny_budget_still_gives_every_cache_a_floor() {
        let shares = MemoryBudget::new(5 * MIB).shares(false);
        for share in [
            shares.scores,
            shares.memory,
            shares.profiles,
            shares.lookups,
        ] {
            assert!(share >= MIB, "{shares:?}");
        }
        assert_eq!(shares.total(), 5 * MIB);
        // Smaller than every floor: each still gets an equal part, none is turned off.
        let shares = MemoryBudget::new(400).shares(false);
        for share in [
            shares.scores,
            shares.memory,
            shares.profiles,
            shares.lookups,
        ] {
            assert!(share >= 100, "{shares:?}");
        }
        let shares = MemoryBudget::new(300).shares(true);
        assert_eq!(shares.memory, 0);
        assert!(shares.scores >= 100 && shares.profiles >= 100 && shares.lookups >= 100);
    }

    #[test]
    fn the_budget_reads_sizes_and_refuses_less_than_the_floors() {
        assert_eq!(memory_budget("192MiB"), Ok(MemoryBudget::new(192 * MIB)));
        assert_eq!(memory_budget("1GiB"), Ok(MemoryBudget::new(1024 * MIB)));
        assert!(
            memory_budget("1MiB")
                .unwrap_err()
                .contains("at least `4MiB`")
        );
        assert!(memory_budget("0").is_err());
        assert!(memory_budget("off").is_err());
    }
}
