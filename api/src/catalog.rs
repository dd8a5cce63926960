//! The film catalog in memory: loaded from the store at start, then swapped atomically for a new
//! one whenever the store's catalog version moves (a crawl or import finished), without a restart.
//! Requests take a snapshot (`current()`) and keep using it even if a swap happens meanwhile.

use std::sync::Arc;
use std::time::{Duration, Instant};

use arc_swap::ArcSwapOption;
use chrono::{DateTime, Utc};
use model::Catalog;
use tokio::sync::Mutex;
use tokio::task::JoinHandle;

use crate::store::{Store, StoreError};

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
        let catalog = Catalog::from_films(films);
        let films = catalog.len();
        let loaded = self.swap(version, catalog);
        tracing::info!(
            catalog.version = version,
            catalog.films = films,
            duration_ms = crate::telemetry::millis(started.elapsed()),
            "catalog loaded"
        );
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
