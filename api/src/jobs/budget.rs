//! How much one worker of a crawl may do: a time budget (a scheduled run is capped by its
//! platform) and, optionally, a number of items. Once it is spent the worker claims nothing new,
//! finishes what is in flight and gives the rest back to the queue.

use std::time::{Duration, Instant};

/// The limits of one run, before it starts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Budget {
    time: Option<Duration>,
    items: Option<u64>,
}

impl Budget {
    /// No limit: the run goes on until no work is left.
    pub fn unlimited() -> Self {
        Self::default()
    }

    /// At most `time` of work (none when `None`).
    pub fn time(time: Option<Duration>) -> Self {
        Self { time, items: None }
    }

    /// Also at most `items` items (what an operator or a test uses to stop a run half-way).
    pub fn with_items(self, items: u64) -> Self {
        Self {
            items: Some(items),
            ..self
        }
    }

    /// Starts the clock now.
    pub fn start(self) -> BudgetClock {
        self.start_at(Instant::now())
    }

    /// Starts the clock at `started` (tests pass a moment in the past).
    pub fn start_at(self, started: Instant) -> BudgetClock {
        BudgetClock {
            deadline: self.time.and_then(|time| started.checked_add(time)),
            items_left: self.items,
        }
    }
}

/// A running budget.
#[derive(Debug, Clone)]
pub struct BudgetClock {
    deadline: Option<Instant>,
    items_left: Option<u64>,
}

impl BudgetClock {
    /// True once the time is up or every allowed item was taken.
    pub fn is_spent(&self) -> bool {
        self.items_left == Some(0) || self.deadline.is_some_and(|end| Instant::now() >= end)
    }

    /// Takes one item from the budget; false (taking nothing) once it is spent.
    pub fn take(&mut self) -> bool {
        if self.is_spent() {
            return false;
        }
        if let Some(left) = &mut self.items_left {
            *left -= 1;
        }
        true
    }

    /// How many items to claim next: a batch, or fewer when fewer items are left.
    pub fn claim_limit(&self, batch: u32) -> u32 {
        match self.items_left {
            Some(left) => u32::try_from(left).unwrap_or(u32::MAX).min(batch),
            None => batch,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unlimited_never_runs_out() {
        let mut clock = Budget::unlimited().start();
        assert!((0..10_000).all(|_| clock.take()));
        assert!(!clock.is_spent());
        assert_eq!(clock.claim_limit(100), 100);
    }

    #[test]
    fn an_item_budget_gives_exactly_that_many_items() {
        let mut clock = Budget::unlimited().with_items(3).start();
        assert_eq!(clock.claim_limit(100), 3);
        assert!(clock.take());
        assert_eq!(clock.claim_limit(100), 2);
        assert!(clock.take() && clock.take());
        assert!(clock.is_spent());
        assert!(!clock.take());
        assert_eq!(clock.claim_limit(100), 0);
    }

    #[test]
    fn a_time_budget_is_spent_once_its_deadline_passed() {
        let hour = Duration::from_secs(3_600);
        let Some(two_hours_ago) = Instant::now().checked_sub(2 * hour) else {
            return; // a clock this close to its epoch cannot express the past
        };
        let mut over = Budget::time(Some(hour)).start_at(two_hours_ago);
        assert!(over.is_spent());
        assert!(!over.take());
        let mut fresh = Budget::time(Some(hour)).start();
        assert!(!fresh.is_spent());
        assert!(fresh.take());
    }
}
