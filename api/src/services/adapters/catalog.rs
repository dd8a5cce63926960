//! [`CatalogSource`] on the in-memory catalog holder and the store behind it.

use std::sync::Arc;

use chrono::Utc;
use futures::future::BoxFuture;
use model::Film;

use super::StorePort;
use crate::catalog::CatalogHandle;
use crate::services::ports::{CatalogSnapshot, CatalogSource, PortResult};
use crate::store::Store;
use crate::store::films::FilmsFrom;

/// The catalog this process serves, and the store it is loaded from.
#[derive(Clone)]
pub struct StoredCatalog {
    pub handle: CatalogHandle,
    pub store: Store,
}

impl CatalogSource for StoredCatalog {
    fn current(&self) -> Option<CatalogSnapshot> {
        self.handle.current().map(|loaded| CatalogSnapshot {
            version: loaded.version,
            catalog: Arc::clone(&loaded.catalog),
        })
    }

    fn add_films(&self, films: Vec<Film>) -> BoxFuture<'_, PortResult<CatalogSnapshot>> {
        async move {
            self.store
                .upsert_films(&films, FilmsFrom::tmdb(Utc::now()))
                .await?;
            self.store.bump_catalog_version().await?;
            let loaded = self.handle.reload(&self.store).await?;
            Ok(CatalogSnapshot {
                version: loaded.version,
                catalog: Arc::clone(&loaded.catalog),
            })
        }
        .into_port()
    }
}
