//! The data jobs behind `reel catalog` (the Letterboxd crawls and the TMDB sync), `reel ratings`, `reel train`, `reel stats` and
//! `reel usage`: one file per job, and the pieces the crawls share (time budget, progress
//! reporting, the worker loop that claims batches from the crawl-jobs table).
//!
//! The CLI in `cli/` parses arguments and opens the store and the Letterboxd client; everything
//! here takes them as parameters, so tests run the same code against a per-test database and the
//! simulated Letterboxd.

mod budget;
mod catalog_refresh;
mod catalog_seed;
mod dataset_import;
mod error;
mod film_crawl;
mod first_run;
mod progress;
mod ratings_refresh;
mod stats_refresh;
mod tmdb_sync;
mod train_general;
mod usage_snapshot;
mod worker;

pub use budget::{Budget, BudgetClock};
pub use catalog_refresh::{CatalogRefreshReport, refresh_catalog};
pub use catalog_seed::{SeedReport, seed_catalog};
pub use dataset_import::{RatingsFile, import_dataset_files, read_ratings};
pub use error::JobError;
pub use first_run::{FirstRunReport, SetupStep, first_run};
pub use progress::Progress;
pub use ratings_refresh::{RatingsRefreshReport, refresh_ratings};
pub use stats_refresh::{StatsRefreshReport, refresh_stats};
pub use tmdb_sync::{SyncStart, TmdbSyncReport, TmdbSyncSettings, sync_tmdb};
pub use train_general::{GENERAL_MODEL, Holdout, TrainReport, train_general, train_general_with};
pub use usage_snapshot::snapshot_usage;
pub use worker::{CrawlReport, CrawlSettings, Stop};

/// The catalog a job computes over: the stored films with TMDB figures calibrated onto
/// Letterboxd's where Letterboxd's are missing, as serving loads them (`catalog.rs`), so what a
/// job stores agrees with what is served.
fn calibrated_catalog(mut films: Vec<model::Film>) -> model::Catalog {
    let outcome = model::calibration::calibrate(&mut films);
    tracing::info!(
        calibration.fitted_on = outcome.calibration.fitted_on(),
        calibration.fallback = outcome.fallback.as_ref().map(ToString::to_string),
        calibration.filled_averages = outcome.filled.averages,
        calibration.filled_counts = outcome.filled.counts,
        calibration.params = %outcome.calibration.params(),
        "tmdb calibration"
    );
    model::Catalog::from_films(films)
}
