//! What the API does, between the handlers (which parse and render) and the outside world (behind
//! the traits in [`ports`]): one function per capability.

pub mod adapters;
mod error;
pub mod exports;
pub mod ports;
pub mod profiles;
mod recommendations;
mod single_flight;
mod statistics;
pub mod training;
pub mod uploads;
mod usage;
mod watchlist;

#[cfg(test)]
mod tests;

use std::sync::Arc;

use model::Catalog;

pub use error::ServiceError;
pub use profiles::{ProfileOrigin, ProfileResolver, ResolvedProfile};
pub use recommendations::{Recommendations, RecommendedFilm};
pub use single_flight::SingleFlight;
pub use statistics::Statistics;
pub use watchlist::Watchlist;

use ports::{
    CatalogSnapshot, CatalogSource, DistributedLock, KeyValue, MemberStore, ProfileSource, Trainer,
};
use statistics::Histograms;
use training::Training;
use uploads::Uploads;

use crate::views::MemberRef;

/// Everything the services are built from.
pub struct Ports {
    pub catalog: Arc<dyn CatalogSource>,
    pub source: Arc<dyn ProfileSource>,
    pub cache: Arc<dyn KeyValue>,
    pub lock: Arc<dyn DistributedLock>,
    pub store: Arc<dyn MemberStore>,
    pub trainer: Arc<dyn Trainer>,
    /// Trainings at once; [`Training::slots_for_this_machine`] in the service.
    pub training_slots: usize,
}

/// The services, shared by every worker.
pub struct Services {
    catalog: Arc<dyn CatalogSource>,
    store: Arc<dyn MemberStore>,
    profiles: ProfileResolver,
    uploads: Arc<Uploads>,
    training: Training,
    histograms: Histograms,
}

impl Services {
    pub fn new(ports: Ports) -> Self {
        let uploads = Arc::new(Uploads::new(Arc::clone(&ports.cache)));
        Self {
            profiles: ProfileResolver::new(
                ports.source,
                ports.cache,
                ports.lock,
                Arc::clone(&ports.store),
                Arc::clone(&uploads),
            ),
            catalog: ports.catalog,
            store: ports.store,
            uploads,
            training: Training::new(ports.trainer, ports.training_slots),
            histograms: Histograms::default(),
        }
    }

    pub fn uploads(&self) -> &Uploads {
        &self.uploads
    }

    fn catalog(&self) -> Result<CatalogSnapshot, ServiceError> {
        self.catalog.current().ok_or(ServiceError::CatalogNotLoaded)
    }

    /// Every member's profile, fetched side by side, in request order.
    async fn resolve_all(
        &self,
        members: &[MemberRef],
        catalog: &Arc<Catalog>,
    ) -> Result<Vec<ResolvedProfile>, ServiceError> {
        futures::future::try_join_all(
            members
                .iter()
                .map(|member| self.profiles.resolve(member, catalog)),
        )
        .await
    }
}
