//! The rating models: what each learns from a member's ratings (and, for the collaborative ones,
//! from the community offline), all behind [`Personalizer`] so evaluation and serving treat them
//! alike.

mod baseline;
mod co_watching;
mod collab;
mod explain;
mod feature_reasons;
mod film_lists;
mod general;
mod knn;
pub(crate) mod linalg;
mod member_forest;
mod registry;
mod residual_chain;

use crate::catalog::{Catalog, FilmIndex};
use crate::predict::Predictor;

pub use baseline::{FilmAverage, MemberBias, film_average, film_averages};
pub use co_watching::{CoWatching, CoWatchingParams, train_co_watching};
pub use collab::{
    CommunityRating, EnsembleMember, FactorEnsemble, Factors, MemberVector, MfParams, train_factors,
};
pub use explain::{Explainer, Explaining, MAX_REASONS, Reason};
pub use feature_reasons::{FeatureReason, MIN_FEATURE_EFFECT};
pub use general::{Community, FoldIn, GENERAL_FORMAT_VERSION, GeneralModel, GeneralParams};
pub use knn::{Appearances, KnnParams, Neighbours, train_neighbours};
pub use member_forest::MemberForest;
pub use registry::{GENERAL_MODEL, ModelKind};
pub use residual_chain::{ResidualChain, ResidualChainParams};

/// A rated film: catalog index and rating in stars.
pub type RatedFilm = (FilmIndex, f32);

/// Lowest and highest prediction, in stars.
pub const MIN_STARS: f32 = 0.5;
pub const MAX_STARS: f32 = 5.0;

/// Clips a prediction to the rating scale.
pub fn clip(stars: f32) -> f32 {
    if stars.is_nan() {
        return MIN_STARS;
    }
    stars.clamp(MIN_STARS, MAX_STARS)
}

/// Why a model could not be trained.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("a model needs at least one rating")]
    NoRatings,
    #[error("rated film {0} is not in the catalog")]
    UnknownFilm(FilmIndex),
    #[error("forest: {0}")]
    Forest(String),
    #[error("cannot read the general model: {0}")]
    Decode(String),
    #[error("an evaluation worker panicked")]
    WorkerPanicked,
    #[error("general model format {found} is not the supported {supported}")]
    Version { found: u32, supported: u32 },
}

/// Trains a member's model from their ratings: cheap for baselines, a forest or a fold-in into
/// community factors for the others.
pub trait Personalizer: Send + Sync {
    fn fit(
        &self,
        catalog: &Catalog,
        ratings: &[RatedFilm],
    ) -> Result<Box<dyn Predictor>, ModelError>;
}

fn check_ratings(catalog: &Catalog, ratings: &[RatedFilm]) -> Result<(), ModelError> {
    if ratings.is_empty() {
        return Err(ModelError::NoRatings);
    }
    match ratings
        .iter()
        .find(|(at, _)| usize::from(*at) >= catalog.len())
    {
        Some(&(at, _)) => Err(ModelError::UnknownFilm(at)),
        None => Ok(()),
    }
}
