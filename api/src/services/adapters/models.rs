//! [`Trainer`] on the model crate: the personalized forest, the general model's fold-in and the
//! default blend. Without a stored general model, `general` and `default` fall back to the
//! personalized forest, and the response says so.

use std::sync::{Arc, Mutex, PoisonError, Weak};

use model::models::{
    Community, DefaultModel, DefaultParams, FoldIn, GeneralModel, OriginalForest, Personalizer,
    RatedFilm,
};
use model::recommend::MIN_RATINGS;
use model::{Catalog, Profile};

use crate::services::ServiceError;
use crate::services::ports::{Trained, Trainer};
use crate::views::ModelChoice;

/// The name `train general` stores the general model under.
pub const GENERAL_MODEL: &str = "general";

pub struct ModelsTrainer {
    general: Option<Arc<GeneralModel>>,
    /// The general model lined up with the catalog last used: lining up costs a pass over the
    /// factors, once per catalog rather than per request.
    aligned: Mutex<Option<(Weak<Catalog>, Arc<Community>)>>,
}

impl ModelsTrainer {
    pub fn new(general: Option<GeneralModel>) -> Self {
        Self {
            general: general.map(Arc::new),
            aligned: Mutex::new(None),
        }
    }

    fn factors(&self, catalog: &Arc<Catalog>) -> Option<Arc<Community>> {
        let general = self.general.as_ref()?;
        let mut aligned = self.aligned.lock().unwrap_or_else(PoisonError::into_inner);
        // A live catalog is the same one only if it is the same allocation.
        if let Some((seen, factors)) = &*aligned
            && seen
                .upgrade()
                .is_some_and(|seen| Arc::ptr_eq(&seen, catalog))
        {
            return Some(Arc::clone(factors));
        }
        let factors = Arc::new(general.for_catalog(catalog));
        *aligned = Some((Arc::downgrade(catalog), Arc::clone(&factors)));
        Some(factors)
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
        let (model, personalizer): (ModelChoice, Box<dyn Personalizer>) =
            match (choice, self.factors(catalog)) {
                (ModelChoice::Default, Some(factors)) => (
                    ModelChoice::Default,
                    Box::new(DefaultModel::new(factors, DefaultParams::default())),
                ),
                (ModelChoice::General, Some(factors)) => {
                    (ModelChoice::General, Box::new(FoldIn::new(factors)))
                }
                _ => (
                    ModelChoice::Personalized,
                    Box::new(OriginalForest::default()),
                ),
            };
        let predictor = personalizer
            .fit(catalog, &ratings)
            .map_err(ServiceError::internal)?;
        Ok(Trained { model, predictor })
    }
}
