//! The first-run setup of `reel serve`: when data is missing and a dataset is found, import it,
//! train the general model and compute member statistics in the background while the API serves
//! (`jobs::first_run`), serving each piece as soon as it is built. It runs on a thread of its own
//! at the lowest CPU priority, with its own runtime and connection pool, so requests come first;
//! the parallel parts of training run on the shared rayon pool, at the service's priority.

use crate::catalog::CatalogHandle;
use crate::config::DatasetFiles;
use crate::http::{SetupState, SetupStatus};
use crate::jobs::{self, SetupStep};
use crate::store::Store;
use crate::wiring::Api;

/// The lowest scheduling priority (the highest nice value).
const LOWEST_PRIORITY: i32 = 19;

/// What the setup builds and where it serves it.
pub struct FirstRun {
    pub dataset: DatasetFiles,
    pub store: Store,
    pub catalog: CatalogHandle,
    pub api: Option<Api>,
    pub status: SetupStatus,
}

impl FirstRun {
    /// Starts the setup on its own thread; the status moves from `pending` to `done` or `failed`.
    pub fn spawn(self) -> std::io::Result<std::thread::JoinHandle<()>> {
        self.status.set(SetupState::Pending);
        // Threads inherit their creator's priority: the shared pool the models train on (requests
        // too) is started here, at the service's priority, not by the setup's thread.
        rayon::current_num_threads();
        let status = self.status.clone();
        let spawned = std::thread::Builder::new()
            .name("first-run-setup".to_owned())
            .spawn(move || self.run_here());
        if spawned.is_err() {
            status.set(SetupState::Failed);
        }
        spawned
    }

    fn run_here(self) {
        // Threads this one starts (the runtime's blocking pool) inherit its priority.
        let tid = rustix::thread::gettid();
        if let Err(err) = rustix::process::setpriority_process(Some(tid), LOWEST_PRIORITY) {
            tracing::warn!(error = %err, "first-run setup: cannot lower its priority");
        }
        let runtime = match tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            Ok(runtime) => runtime,
            Err(err) => {
                tracing::error!(error = %err, "first-run setup: cannot start its runtime");
                return self.status.set(SetupState::Failed);
            }
        };
        runtime.block_on(self.run());
    }

    async fn run(self) {
        // Connections made on this thread's runtime die with it: keep them out of the service's
        // pool.
        let store = match self.store.reopen() {
            Ok(store) => store,
            Err(err) => {
                tracing::error!(error = %err, "first-run setup: cannot open the store");
                return self.status.set(SetupState::Failed);
            }
        };
        let status = self.status.clone();
        let step = |step: SetupStep| {
            status.set(match step {
                SetupStep::Importing => SetupState::Importing,
                SetupStep::Training => SetupState::Training,
                SetupStep::Statistics => SetupState::Statistics,
            });
        };
        let after = async |step: SetupStep| match step {
            SetupStep::Importing => {
                if let Err(err) = self.catalog.reload(&store).await {
                    tracing::warn!(error = %err, "first-run setup: cannot reload the catalog");
                }
            }
            SetupStep::Training => {
                if let Some(api) = &self.api {
                    api.load_general_model(&store).await;
                }
            }
            SetupStep::Statistics => {}
        };
        let started = std::time::Instant::now();
        match jobs::first_run(
            &store,
            &self.dataset.films,
            &self.dataset.ratings,
            step,
            after,
        )
        .await
        {
            Ok(report) => {
                tracing::info!(
                    setup.imported = report.imported,
                    setup.trained = report.trained,
                    setup.statistics = report.statistics,
                    duration_ms = crate::telemetry::millis(started.elapsed()),
                    "first-run setup: done"
                );
                self.status.set(SetupState::Done);
            }
            Err(err) => {
                tracing::error!(
                    error = format!("{err:#}"),
                    "first-run setup failed; the next start tries again (or run `reel import`, \
                     `reel train general` and `reel stats refresh`)"
                );
                self.status.set(SetupState::Failed);
            }
        }
    }
}
