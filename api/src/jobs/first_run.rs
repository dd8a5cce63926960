//! The first-run setup `reel serve` runs in the background: what `reel import`, `reel train
//! general` and `reel stats refresh` would do, each only when its data is missing. Resumable by
//! construction: the import is one transaction, the model is stored whole, so a run killed half
//! way redoes on the next start exactly what it had not finished.

use std::path::Path;

use super::error::JobError;
use super::progress::Progress;
use super::{GENERAL_MODEL, import_dataset_files, refresh_stats, train_general};
use crate::store::Store;

/// The step the setup is at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetupStep {
    /// Importing the dataset into an empty catalog.
    Importing,
    /// Training the general model.
    Training,
    /// Computing every member's statistics (the percentiles' population).
    Statistics,
}

/// What the setup did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct FirstRunReport {
    pub imported: bool,
    pub trained: bool,
    pub statistics: bool,
}

/// Imports `films` and `ratings` when the catalog is empty, trains the general model when none is
/// stored (or the import just changed the ratings), and computes statistics when none are stored
/// (or a step before changed what they rank). `step` hears each step as it starts; `after` runs
/// after each step, so the caller can serve what it built at once.
pub async fn first_run(
    store: &Store,
    films: &Path,
    ratings: &Path,
    step: impl Fn(SetupStep),
    after: impl AsyncFn(SetupStep),
) -> Result<FirstRunReport, JobError> {
    let mut report = FirstRunReport::default();
    if store.count_films(true).await? == 0 {
        step(SetupStep::Importing);
        tracing::info!(
            setup.films = %films.display(),
            setup.ratings = %ratings.display(),
            "first-run setup: importing the dataset into the empty catalog"
        );
        let changes = import_dataset_files(store, films, ratings).await?;
        tracing::info!(
            films = changes.films_changed,
            members = changes.members_added,
            ratings = changes.ratings_inserted,
            "first-run setup: dataset imported"
        );
        report.imported = true;
        after(SetupStep::Importing).await;
    }
    if report.imported || store.latest_model_version(GENERAL_MODEL).await?.is_none() {
        step(SetupStep::Training);
        tracing::info!("first-run setup: training the general model");
        let trained = train_general(store, None).await?;
        tracing::info!(
            version = trained.version,
            "first-run setup: general model trained"
        );
        report.trained = true;
        after(SetupStep::Training).await;
    }
    if report.imported || !store.has_stats_snapshots().await? {
        step(SetupStep::Statistics);
        tracing::info!("first-run setup: computing member statistics");
        let progress = Progress::logs_only("first-run statistics", None);
        let refreshed = refresh_stats(store, &progress).await?;
        progress.finish();
        tracing::info!(
            snapshots = refreshed.snapshots,
            "first-run setup: member statistics computed"
        );
        report.statistics = true;
        after(SetupStep::Statistics).await;
    }
    Ok(report)
}
