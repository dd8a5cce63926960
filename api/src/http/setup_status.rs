//! Where the first-run setup of `reel serve` is, as `/health/ready` reports it: written by the
//! background setup, read by readiness probes.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

use serde::Serialize;
use utoipa::ToSchema;

/// The first-run setup: `inactive` (none runs: `AUTO_SETUP=off`, or no dataset found), `pending` (about to
/// check what is missing), `importing`, `training` or `statistics` (building that, while the API
/// serves), `done` (nothing was missing, or all of it was built) or `failed` (the log says why;
/// the next start tries again).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SetupState {
    /// No setup runs: `AUTO_SETUP=off`, or no dataset was found.
    Inactive,
    /// About to check what is missing.
    Pending,
    /// Importing the dataset into the empty catalog.
    Importing,
    /// Training the general model.
    Training,
    /// Computing member statistics (the percentiles' population).
    Statistics,
    /// Nothing was missing, or everything missing was built.
    Done,
    /// A step failed (the log says why); the next start tries again.
    Failed,
}

impl SetupState {
    const ALL: [SetupState; 7] = [
        SetupState::Inactive,
        SetupState::Pending,
        SetupState::Importing,
        SetupState::Training,
        SetupState::Statistics,
        SetupState::Done,
        SetupState::Failed,
    ];

    /// Still building: data may be missing because it is on its way.
    pub fn is_running(self) -> bool {
        matches!(
            self,
            SetupState::Pending
                | SetupState::Importing
                | SetupState::Training
                | SetupState::Statistics
        )
    }
}

/// The shared state of the setup; clones share it. `inactive` until a setup starts.
#[derive(Debug, Clone, Default)]
pub struct SetupStatus(Arc<AtomicU8>);

impl SetupStatus {
    pub fn set(&self, state: SetupState) {
        let at = SetupState::ALL
            .iter()
            .position(|known| *known == state)
            .unwrap_or(0);
        self.0
            .store(u8::try_from(at).unwrap_or(0), Ordering::Relaxed);
    }

    pub fn get(&self) -> SetupState {
        SetupState::ALL
            .get(usize::from(self.0.load(Ordering::Relaxed)))
            .copied()
            .unwrap_or(SetupState::Inactive)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_reads_back_what_was_set() {
        let status = SetupStatus::default();
        assert_eq!(status.get(), SetupState::Inactive);
        for state in SetupState::ALL {
            status.clone().set(state);
            assert_eq!(status.get(), state);
        }
        assert!(SetupState::Training.is_running());
        assert!(!SetupState::Done.is_running() && !SetupState::Failed.is_running());
    }
}
