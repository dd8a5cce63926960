//! Training members' models off the async workers: on the blocking pool, at most one training per
//! core at a time, so a burst of requests queues here instead of exhausting memory and CPU.

use std::sync::Arc;
use std::time::Instant;

use model::{Catalog, Profile};
use tokio::sync::Semaphore;

use super::ServiceError;
use super::ports::{Trained, Trainer};
use crate::metrics;
use crate::views::ModelChoice;

pub struct Training {
    trainer: Arc<dyn Trainer>,
    permits: Arc<Semaphore>,
}

impl Training {
    /// `slots` trainings at once; the service passes the number of cores.
    pub fn new(trainer: Arc<dyn Trainer>, slots: usize) -> Self {
        Self {
            trainer,
            permits: Arc::new(Semaphore::new(slots.max(1))),
        }
    }

    pub fn slots_for_this_machine() -> usize {
        std::thread::available_parallelism().map_or(1, usize::from)
    }

    /// Trains one member's model. Waiting for a slot is cancelled with the request; a training
    /// already running finishes on its thread and its result is dropped.
    pub async fn train(
        &self,
        choice: ModelChoice,
        catalog: Arc<Catalog>,
        profile: Arc<Profile>,
    ) -> Result<Trained, ServiceError> {
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(ServiceError::internal)?;
        let trainer = Arc::clone(&self.trainer);
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let started = Instant::now();
            let trained = trainer.train(choice, &catalog, &profile);
            if let Ok(trained) = &trained {
                metrics::model_trained(trained.model, started.elapsed());
            }
            trained
        })
        .await
        .map_err(ServiceError::internal)?
    }

    /// Trains every member's model, side by side within the slots, in member order.
    pub async fn train_all(
        &self,
        choice: ModelChoice,
        catalog: &Arc<Catalog>,
        profiles: &[Arc<Profile>],
    ) -> Result<Vec<Trained>, ServiceError> {
        futures::future::try_join_all(
            profiles
                .iter()
                .map(|profile| self.train(choice, Arc::clone(catalog), Arc::clone(profile))),
        )
        .await
    }
}
