//! `GET /statistics`: a member's statistics against the catalog, the community and every other
//! member's stored snapshot; computing them stores the member's own snapshot.

use std::sync::{Arc, Mutex, PoisonError};

use chrono::Utc;
use model::stats::{StatsError, member_statistics};
use model::{Catalog, FilmIndex};

use super::ports::{CatalogSnapshot, Histogram, MemberStore};

/// Histograms by catalog index.
type ByFilm = Arc<Vec<Option<Histogram>>>;
use super::{ServiceError, Services};
use crate::domain::{MemberRef, Statistics};

/// Community histograms by catalog index, for the catalog version they were read for. Reading
/// every rating is the expensive part of statistics, so it happens once per catalog version.
#[derive(Default)]
pub struct Histograms {
    current: Mutex<Option<(i64, ByFilm)>>,
}

impl Histograms {
    async fn for_catalog(
        &self,
        store: &dyn MemberStore,
        snapshot: &CatalogSnapshot,
    ) -> Result<ByFilm, ServiceError> {
        if let Some((version, histograms)) = &*self.lock()
            && *version == snapshot.version
        {
            return Ok(Arc::clone(histograms));
        }
        let rows = store
            .rating_histograms()
            .await
            .map_err(ServiceError::internal)?;
        let histograms = Arc::new(by_index(&snapshot.catalog, rows));
        *self.lock() = Some((snapshot.version, Arc::clone(&histograms)));
        Ok(histograms)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<(i64, ByFilm)>> {
        self.current.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn by_index(catalog: &Catalog, rows: Vec<(model::FilmKey, Histogram)>) -> Vec<Option<Histogram>> {
    let mut histograms = vec![None; catalog.len()];
    for (slug, histogram) in rows {
        if let Some(at) = catalog.index_of(&slug) {
            histograms[usize::from(at)] = Some(histogram);
        }
    }
    histograms
}

impl Services {
    #[tracing::instrument(skip_all)]
    pub async fn statistics(&self, member: MemberRef) -> Result<Statistics, ServiceError> {
        let catalog = self.catalog()?;
        let resolved = self.profiles.resolve(&member, &catalog.catalog).await?;
        let (others, histograms) = futures::try_join!(
            self.snapshots.others(&*self.store, resolved.stored),
            self.histograms.for_catalog(&*self.store, &catalog),
        )?;
        let community = |film: FilmIndex| film.get(&histograms).copied().flatten();
        let statistics = member_statistics(
            &resolved.profile.ratings,
            &catalog.catalog,
            &community,
            &others,
        )
        .map_err(|StatsError::NotEnoughRatings { have }| {
            ServiceError::NotEnoughRatings {
                member: resolved.name(),
                have,
                need: model::recommend::MIN_RATINGS,
            }
        })?;
        let rated_films =
            super::top_films::top_films(&resolved.profile.ratings, &catalog.catalog, &community);
        let computed_at = Utc::now();
        if let Some(stored) = resolved.stored {
            self.snapshots
                .save(&*self.store, stored, statistics.snapshot(), computed_at)
                .await?;
        }
        let diary = model::stats::diary_stats(&resolved.profile.diary, &catalog.catalog);
        Ok(Statistics {
            member: resolved,
            statistics,
            rated_films,
            diary,
            catalog_version: catalog.version,
            computed_at,
        })
    }
}
