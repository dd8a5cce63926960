//! The film catalog in memory: loaded from the store at start, then swapped atomically for a new
//! one whenever the store's catalog version moves (a crawl or import finished), without a restart.
//! Requests take a snapshot (`current()`) and keep using it even if a swap happens meanwhile.
//!
//! Films the store knows only from TMDB get Letterboxd-scale figures first
//! ([`calibrated_catalog`]), so the models, the popularity bands and "highly rated" read them.

use std::sync::Arc;
use std::time::{Duration, Instant};

use arc_swap::ArcSwapOption;
use chrono::{DateTime, Utc};
use model::calibration::{CalibrationOutcome, calibrate};
use model::{Catalog, Film};
use tokio::sync::Mutex;
use tokio::task::JoinHandle;

use crate::store::{Store, StoreError};

/// What the log and `/health/ready` say when the catalog holds no film.
pub const EMPTY_HINT: &str = "the catalog holds no film: import the dataset (`reel import --films \
    ... --ratings ...`) or sync it from TMDB (`reel catalog sync --source tmdb`)";

/// The catalog of stored films, each missing Letterboxd average and rating count filled from
/// the film's TMDB figures by a calibration fitted on the films that have both (the default one
/// when too few have); stored Letterboxd figures are kept as they are. Logs the calibration.
pub fn calibrated_catalog(mut films: Vec<Film>) -> Catalog {
    let outcome = calibrate(&mut films);
    log_calibration(&outcome);
    Catalog::from_films(films)
}

fn log_calibration(outcome: &CalibrationOutcome) {
    tracing::info!(
        calibration.fitted_on = outcome.calibration.fitted_on(),
        calibration.fallback = outcome.fallback.as_ref().map(ToString::to_string),
        calibration.filled_averages = outcome.filled.averages,
        calibration.filled_counts = outcome.filled.counts,
        calibration.params = %outcome.calibration.params(),
        "tmdb calibration"
    );
}

/// One loaded catalog and what it was loaded from.
#[derive(Debug)]
pub struct LoadedCatalog {
    /// The store's catalog version read before the films were.
    pub version: i64,
    pub catalog: Arc<Catalog>,
    pub loaded_at: DateTime<Utc>,
}

/// Shared handle on the current catalog; cheap to clone. Empty until the first load succeeds,
/// which the readiness check reports.
#[derive(Debug, Clone, Default)]
pub struct CatalogHandle {
    current: Arc<ArcSwapOption<LoadedCatalog>>,
    /// Serialises loads (poller and admin reload), so two never hold a catalog copy each.
    loading: Arc<Mutex<()>>,
}

impl CatalogHandle {
    /// A handle with no catalog yet.
    pub fn empty() -> Self {
        Self::default()
    }

    /// The catalog requests should use now, if one is loaded.
    pub fn current(&self) -> Option<Arc<LoadedCatalog>> {
        self.current.load_full()
    }

    /// Puts `catalog` in place; requests that already hold the previous one finish with it.
    pub fn swap(&self, version: i64, catalog: Catalog) -> Arc<LoadedCatalog> {
        let loaded = Arc::new(LoadedCatalog {
            version,
            catalog: Arc::new(catalog),
            loaded_at: Utc::now(),
        });
        self.current.store(Some(Arc::clone(&loaded)));
        loaded
    }

    /// Loads the catalog from the store and swaps it in, whatever the version (the admin reload).
    pub async fn reload(&self, store: &Store) -> Result<Arc<LoadedCatalog>, StoreError> {
        let _loading = self.loading.lock().await;
        self.load(store).await
    }

    /// Reloads only when the store's version differs from the loaded one (or none is loaded).
    /// Returns the new catalog when it swapped one in.
    pub async fn reload_if_changed(
        &self,
        store: &Store,
    ) -> Result<Option<Arc<LoadedCatalog>>, StoreError> {
        let _loading = self.loading.lock().await;
        let version = store.catalog_version().await?;
        if self
            .current()
            .is_some_and(|loaded| loaded.version == version)
        {
            return Ok(None);
        }
        self.load(store).await.map(Some)
    }

    async fn load(&self, store: &Store) -> Result<Arc<LoadedCatalog>, StoreError> {
        let started = Instant::now();
        // Version first: if films change while they load, the next poll sees a newer version and
        // loads again, rather than the new films being labelled with a version that hides them.
        let version = store.catalog_version().await?;
        let films = store.load_catalog_films().await?;
        let catalog = calibrated_catalog(films);
        let films = catalog.len();
        let loaded = self.swap(version, catalog);
        tracing::info!(
            catalog.version = version,
            catalog.films = films,
            duration_ms = crate::telemetry::millis(started.elapsed()),
            "catalog loaded"
        );
        if films == 0 {
            tracing::warn!("{EMPTY_HINT}");
        }
        Ok(loaded)
    }

    /// Checks the store's version every `interval` and reloads when it moved. Errors are logged
    /// and retried at the next tick; the running catalog stays in use meanwhile. Abort the
    /// returned task to stop polling.
    pub fn spawn_poller(&self, store: Store, interval: Duration) -> JoinHandle<()> {
        let handle = self.clone();
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(interval);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            ticks.tick().await; // the first tick is immediate; the caller just loaded
            loop {
                ticks.tick().await;
                if let Err(err) = handle.reload_if_changed(&store).await {
                    tracing::warn!(
                        error = format!("{err:#}"),
                        "catalog reload failed; keeping the loaded one"
                    );
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use model::calibration::{MIN_FIT_FILMS, TmdbCalibration};
    use model::recommend::{Filters, PopularityBand, PopularityScale};
    use model::{FilmKey, Slug};

    use super::*;

    /// A film with both sets of figures: TMDB's vote average is `2 + 1.3 x` Letterboxd's, its
    /// votes as many as Letterboxd's ratings.
    fn both(i: usize) -> Film {
        let slug = Slug::parse(&format!("film-{i}")).unwrap();
        let mut film = Film::stub(FilmKey::from(slug), format!("Film {i}"));
        let average = 1.5 + (i % 30) as f32 / 10.0;
        let count = 1_000 * (1 + (i as u32 * 7) % 97);
        film.lb_average = Some(average);
        film.lb_rating_count = Some(count);
        film.tmdb_vote_average = Some(2.0 + 1.3 * average);
        film.tmdb_vote_count = Some(count);
        film.tmdb_popularity = Some(count as f32 / 1_000.0);
        film
    }

    fn tmdb_only() -> Film {
        let mut film = Film::stub(FilmKey::parse("tmdb:movie:603").unwrap(), "The Matrix");
        film.tmdb_vote_average = Some(8.2);
        film.tmdb_vote_count = Some(150_000);
        film.tmdb_popularity = Some(150.0);
        film
    }

    #[test]
    fn a_tmdb_only_film_gets_letterboxd_figures_fitted_on_the_films_with_both() {
        let mut films: Vec<Film> = (0..MIN_FIT_FILMS + 50).map(both).collect();
        films.push(tmdb_only());
        let catalog = calibrated_catalog(films.clone());
        let matrix = catalog
            .get(&FilmKey::parse("tmdb:movie:603").unwrap())
            .unwrap();
        // On these films the map is linear: 8.2 on TMDB is (8.2 - 2) / 1.3 = 4.77 stars, 150,000 votes 150,000
        // ratings (up to the shrinkage of averages over few votes, which these films barely
        // need).
        let average = matrix.lb_average.unwrap();
        assert!((average - (8.2 - 2.0) / 1.3).abs() < 0.01, "{average}");
        let count = matrix.lb_rating_count.unwrap();
        assert!((140_000..=160_000).contains(&count), "{count}");
        assert_eq!(
            PopularityScale::LETTERBOXD.band(Some(count)),
            PopularityBand::High
        );
        let highly_rated = Filters {
            highly_rated: true,
            ..Filters::default()
        };
        assert!(highly_rated.matches(matrix, PopularityScale::LETTERBOXD));
        // Films with Letterboxd figures keep theirs.
        for (film, served) in films.iter().zip(catalog.films()).take(MIN_FIT_FILMS + 50) {
            assert_eq!(film, served);
        }
    }

    #[test]
    fn with_too_few_films_of_both_kinds_the_default_calibration_serves() {
        let films = vec![both(1), both(2), tmdb_only()];
        let catalog = calibrated_catalog(films);
        let matrix = catalog
            .get(&FilmKey::parse("tmdb:movie:603").unwrap())
            .unwrap();
        let default = TmdbCalibration::default();
        assert_eq!(matrix.lb_average, default.average(8.2, 150_000));
        assert_eq!(
            matrix.lb_rating_count,
            Some(default.rating_count(150_000, Some(150.0)))
        );
    }
}
