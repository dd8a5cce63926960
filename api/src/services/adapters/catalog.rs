//! [`CatalogSource`] on the in-memory catalog holder.

use std::sync::Arc;

use crate::catalog::CatalogHandle;
use crate::services::ports::{CatalogSnapshot, CatalogSource};

impl CatalogSource for CatalogHandle {
    fn current(&self) -> Option<CatalogSnapshot> {
        CatalogHandle::current(self).map(|loaded| CatalogSnapshot {
            version: loaded.version,
            catalog: Arc::clone(&loaded.catalog),
        })
    }
}
