//! What the API does, between the handlers (which parse and render) and the outside world (behind
//! the traits in [`ports`]): one function per capability. Takes and returns [`crate::domain`]
//! values; never imports `views` or `handlers`.

pub mod adapters;
mod compatibility;
pub mod deadline;
mod described_filters;
mod error;
mod explanations;
pub mod exports;
pub mod film_lookup;
mod match_order;
pub mod ports;
mod predictions;
pub mod profiles;
mod reason_memo;
mod recommendations;
pub mod scores;
mod single_flight;
pub mod snapshots;
mod statistics;
mod top_films;
pub mod training;
pub mod uploads;
mod usage;
pub mod uses;
mod watchlist;
mod where_to_watch;

#[cfg(test)]
mod tests;

use std::sync::Arc;

use model::Catalog;

pub use error::ServiceError;
pub use profiles::ProfileResolver;
pub use single_flight::SingleFlight;

use ports::{
    CatalogSnapshot, CatalogSource, DistributedLock, KeyValue, MemberStore, ProfileSource, Trainer,
    UploadStore,
};
use snapshots::Snapshots;
use statistics::Histograms;
use training::Training;
use uploads::Uploads;
use uses::UseCounter;

use crate::domain::{MemberRef, ResolvedProfile};

/// Everything the services are built from.
pub struct Ports {
    pub catalog: Arc<dyn CatalogSource>,
    pub source: Arc<dyn ProfileSource>,
    pub cache: Arc<dyn KeyValue>,
    pub lock: Arc<dyn DistributedLock>,
    pub store: Arc<dyn MemberStore>,
    /// Uploaded exports (Postgres in the service).
    pub uploads: Arc<dyn UploadStore>,
    pub trainer: Arc<dyn Trainer>,
    /// Trainings at once; [`Training::slots_for_this_machine`] in the service.
    pub training_slots: usize,
    /// Bytes of members' predictions kept between requests (0: every request trains).
    pub score_cache_bytes: u64,
    /// How long a parsed profile is kept in process in front of the shared cache (0: not at
    /// all); [`profiles::PARSED_PROFILE_TTL`] in the service.
    pub parsed_profile_ttl: std::time::Duration,
    /// Bytes of parsed profiles kept in process (0: none).
    pub parsed_profile_bytes: u64,
    /// Bytes of film lookups remembered ([`film_lookup::ANSWER_BYTES`] an answer).
    pub film_lookup_bytes: u64,
    /// Where export rows the catalog does not know are looked up (TMDB); none without a token.
    pub films: Option<Arc<dyn crate::sources::FilmSource>>,
    /// Where films stream, per country.
    pub offers: Arc<dyn ports::OfferStore>,
    /// The language model that reads descriptions; the embedded parser alone without one.
    pub reader: Option<Arc<dyn ports::DescriptionReader>>,
}

/// The services, shared by every worker.
pub struct Services {
    catalog: Arc<dyn CatalogSource>,
    film_lookup: Option<film_lookup::FilmLookup>,
    offers: Arc<dyn ports::OfferStore>,
    reader: Option<Arc<dyn ports::DescriptionReader>>,
    store: Arc<dyn MemberStore>,
    profiles: ProfileResolver,
    uploads: Arc<Uploads>,
    training: Training,
    histograms: Histograms,
    snapshots: Snapshots,
    uses: Arc<UseCounter>,
}

impl Services {
    pub fn new(ports: Ports) -> Self {
        let uploads = Arc::new(Uploads::new(ports.uploads, Arc::clone(&ports.cache)));
        let uses = Arc::new(UseCounter::new(Arc::clone(&ports.store)));
        Self {
            profiles: ProfileResolver::new(
                ports.source,
                ports.cache,
                ports.lock,
                Arc::clone(&ports.store),
                Arc::clone(&uploads),
                Arc::clone(&uses),
                profiles::ParsedCopies {
                    ttl: ports.parsed_profile_ttl,
                    bytes: ports.parsed_profile_bytes,
                },
            ),
            catalog: ports.catalog,
            offers: ports.offers,
            reader: ports.reader,
            film_lookup: ports.films.map(|source| {
                film_lookup::FilmLookup::keeping(
                    source,
                    Default::default(),
                    ports.film_lookup_bytes,
                )
            }),
            store: ports.store,
            uploads,
            training: Training::new(ports.trainer, ports.training_slots, ports.score_cache_bytes),
            histograms: Histograms::default(),
            snapshots: Snapshots::default(),
            uses,
        }
    }

    /// Uses are counted in memory and written in batches: this writes them every
    /// [`uses::FLUSH_EVERY`] until the returned task is aborted.
    pub fn spawn_use_flusher(&self) -> tokio::task::JoinHandle<()> {
        self.uses.spawn_flusher()
    }

    /// Deletes expired uploads now and every [`uploads::SWEEP_EVERY`] until the returned task is
    /// aborted.
    pub fn spawn_upload_sweeper(&self) -> tokio::task::JoinHandle<()> {
        self.uploads.spawn_sweeper()
    }

    /// Writes the uses counted so far (on shutdown, and before reading the usage series).
    pub async fn flush_uses(&self) -> Result<(), ServiceError> {
        self.uses.flush().await
    }

    /// Requests to the film source export rows are looked up in (TMDB), for `/metrics`.
    pub fn film_source_requests(&self) -> Vec<(&'static str, &'static str, u64)> {
        self.film_lookup
            .as_ref()
            .map_or_else(Vec::new, film_lookup::FilmLookup::request_counts)
    }

    /// The in-process caches the services keep (predictions, parsed profiles, film lookups), as
    /// they are now, for `/metrics`.
    pub async fn cache_usage(&self) -> Vec<crate::metrics::CacheUsage> {
        let mut caches = vec![
            self.training.score_cache_usage().await,
            self.profiles.parsed_usage().await,
        ];
        if let Some(lookup) = &self.film_lookup {
            caches.push(lookup.usage().await);
        }
        caches.extend(self.reader.as_ref().and_then(|reader| reader.kept()));
        caches
    }

    /// Whether a general model lined up with `catalog` is loaded: without one, `model: default`
    /// serves each member's own forest and lists are ordered by predicted rating.
    pub fn general_model_serves(&self, catalog: &Arc<Catalog>) -> bool {
        self.training.match_signals(catalog).is_some()
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
