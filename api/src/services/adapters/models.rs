//! [`Trainer`] on the model crate's registry ([`model::models::ModelKind`]): the member forest,
//! the general model's fold-in and the residual chain. Without a stored general model, `general` and `default` fall back to the
//! personalized forest, and the response says so.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};

use arc_swap::ArcSwapOption;

use model::models::{Community, GeneralModel, Personalizer, RatedFilm};
use model::recommend::{MIN_RATINGS, MatchSignals};
use model::{Catalog, Profile};

use crate::domain::ModelChoice;
use crate::services::ServiceError;
use crate::services::ports::{Trained, Trainer};

pub struct ModelsTrainer {
    /// Swapped when `train general` stores a newer version (see `wiring`'s model poller).
    general: ArcSwapOption<GeneralModel>,
    /// The general model lined up with the catalog last used: lining up costs a pass over the
    /// factors, once per (catalog, general model) rather than per request.
    aligned: Mutex<Option<Aligned>>,
    /// Bumped on every replacement of the general model.
    generation: AtomicU64,
}

struct Aligned {
    catalog: Weak<Catalog>,
    general: Weak<GeneralModel>,
    factors: Arc<Community>,
    signals: Arc<MatchSignals>,
}

impl ModelsTrainer {
    pub fn new(general: Option<GeneralModel>) -> Self {
        Self {
            general: ArcSwapOption::from(general.map(Arc::new)),
            aligned: Mutex::new(None),
            generation: AtomicU64::new(0),
        }
    }

    /// Serves `general` from the next request on; requests already training keep theirs.
    pub fn replace_general(&self, general: GeneralModel) {
        self.general.store(Some(Arc::new(general)));
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    fn factors(&self, catalog: &Arc<Catalog>) -> Option<Arc<Community>> {
        self.aligned(catalog).map(|(factors, _)| factors)
    }

    fn aligned(&self, catalog: &Arc<Catalog>) -> Option<(Arc<Community>, Arc<MatchSignals>)> {
        let general = self.general.load_full()?;
        let mut aligned = self.aligned.lock().unwrap_or_else(PoisonError::into_inner);
        // Live models are the same ones only if they are the same allocations.
        let same = |seen: &Weak<Catalog>, model: &Weak<GeneralModel>| {
            seen.upgrade()
                .is_some_and(|seen| Arc::ptr_eq(&seen, catalog))
                && model
                    .upgrade()
                    .is_some_and(|model| Arc::ptr_eq(&model, &general))
        };
        if let Some(hit) = &*aligned
            && same(&hit.catalog, &hit.general)
        {
            return Some((Arc::clone(&hit.factors), Arc::clone(&hit.signals)));
        }
        let factors = Arc::new(general.for_catalog(catalog));
        let signals = Arc::new(MatchSignals::new(catalog, Arc::clone(&factors)));
        *aligned = Some(Aligned {
            catalog: Arc::downgrade(catalog),
            general: Arc::downgrade(&general),
            factors: Arc::clone(&factors),
            signals: Arc::clone(&signals),
        });
        Some((factors, signals))
    }
}

impl Trainer for ModelsTrainer {
    fn train(
        &self,
        choice: ModelChoice,
        catalog: &Arc<Catalog>,
        profile: &Profile,
    ) -> Result<Trained, ServiceError> {
        let ratings: Vec<RatedFilm> = profile
            .ratings
            .iter()
            .filter_map(|(slug, rating)| Some((catalog.index_of(slug)?, rating.stars())))
            .collect();
        // Ratings of films the catalog does not know yet teach a model nothing.
        if ratings.len() < MIN_RATINGS {
            return Err(ServiceError::NotEnoughRatings {
                member: profile
                    .username
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                have: ratings.len(),
                need: MIN_RATINGS,
            });
        }
        // Without community factors, every choice falls back to the member's own forest.
        let factors = self.factors(catalog);
        // `default` is the best model there is, the member's own forest before any training;
        // `general` is the community model and nothing else, so without it the answer is no.
        let model = match (choice, &factors) {
            (ModelChoice::Default | ModelChoice::General, Some(_)) => choice,
            (ModelChoice::General, None) => return Err(ServiceError::ModelNotLoaded),
            _ => ModelChoice::Personalized,
        };
        let personalizer: Box<dyn Personalizer> =
            model.kind().personalizer(factors.as_ref()).ok_or_else(|| {
                ServiceError::internal(anyhow::anyhow!("a community model without factors"))
            })?;
        let predictor = personalizer
            .fit(catalog, &ratings)
            .map_err(ServiceError::internal)?;
        Ok(Trained { model, predictor })
    }

    fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    fn match_signals(&self, catalog: &Arc<Catalog>) -> Option<Arc<MatchSignals>> {
        self.aligned(catalog).map(|(_, signals)| signals)
    }
}
