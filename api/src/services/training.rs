//! Training members' models off the async workers: on the blocking pool, at most one training per
//! core at a time, so a burst of requests queues here instead of exhausting memory and CPU. What a
//! training predicts is kept in the [`ScoreCache`], so a member is trained once per profile,
//! catalog and general model rather than once per request.

use std::sync::Arc;
use std::time::Instant;

use model::{Catalog, Profile};
use tokio::sync::Semaphore;

use super::ServiceError;
use super::ports::{CatalogSnapshot, Trainer};
use super::scores::{ScoreCache, ScoreKey, Scores};
use crate::domain::ModelChoice;
use crate::metrics;

pub struct Training {
    trainer: Arc<dyn Trainer>,
    permits: Arc<Semaphore>,
    scores: ScoreCache,
}

impl Training {
    /// `slots` trainings at once (the service passes the number of cores); at most
    /// `score_cache_bytes` of predictions kept (0: every request trains).
    /// What the match ranking reads for `catalog`, when a general model is loaded.
    pub fn match_signals(
        &self,
        catalog: &Arc<model::Catalog>,
    ) -> Option<Arc<model::recommend::MatchSignals>> {
        self.trainer.match_signals(catalog)
    }

    pub fn new(trainer: Arc<dyn Trainer>, slots: usize, score_cache_bytes: u64) -> Self {
        Self {
            trainer,
            permits: Arc::new(Semaphore::new(slots.max(1))),
            scores: ScoreCache::new(score_cache_bytes),
        }
    }

    pub fn slots_for_this_machine() -> usize {
        std::thread::available_parallelism().map_or(1, usize::from)
    }

    /// The kept scores' size, bound and lookups, for `/metrics`.
    pub async fn score_cache_usage(&self) -> crate::metrics::CacheUsage {
        self.scores.usage().await
    }

    /// One member's model: its kept scores, or a training whose scores are then kept.
    pub async fn train(
        &self,
        choice: ModelChoice,
        catalog: &CatalogSnapshot,
        profile: Arc<Profile>,
    ) -> Result<Arc<Scores>, ServiceError> {
        let key = ScoreKey::new(choice, catalog.version, self.trainer.generation(), &profile);
        let catalog = Arc::clone(&catalog.catalog);
        self.scores
            .get_or_train(key, self.train_now(choice, catalog, profile))
            .await
    }

    /// Trains one member's model and scores the whole catalog with it. Waiting for a slot is
    /// cancelled with the request; a training already running finishes on its thread.
    async fn train_now(
        &self,
        choice: ModelChoice,
        catalog: Arc<Catalog>,
        profile: Arc<Profile>,
    ) -> Result<Arc<Scores>, ServiceError> {
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(ServiceError::internal)?;
        let trainer = Arc::clone(&self.trainer);
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let started = Instant::now();
            let trained = trainer.train(choice, &catalog, &profile)?;
            metrics::model_trained(trained.model, started.elapsed());
            let started = Instant::now();
            let scores = Scores::of(&trained, &catalog);
            metrics::model_predicted(trained.model, started.elapsed());
            Ok(Arc::new(scores))
        })
        .await
        .map_err(ServiceError::internal)?
    }

    /// Trains every member's model, side by side within the slots, in member order.
    pub async fn train_all(
        &self,
        choice: ModelChoice,
        catalog: &CatalogSnapshot,
        profiles: &[Arc<Profile>],
    ) -> Result<Vec<Arc<Scores>>, ServiceError> {
        futures::future::try_join_all(
            profiles
                .iter()
                .map(|profile| self.train(choice, catalog, Arc::clone(profile))),
        )
        .await
    }
}
