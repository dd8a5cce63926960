//! What recommendation, watchlist ranking and evaluation need from a trained model.

use crate::catalog::{Catalog, FilmIndex};
use crate::models::Explainer;

/// A model trained for one member (or for everyone) that predicts ratings for catalog films.
pub trait Predictor: Send + Sync {
    /// Predicted ratings in stars, clipped to 0.5..=5.0, for the catalog films at the indices
    /// `films`, in the same order.
    fn predict(&self, catalog: &Catalog, films: &[FilmIndex]) -> Vec<f32>;

    /// What can say which of the member's ratings moved a prediction; `None` for a model that
    /// cannot (only the default model's neighbour stage can).
    fn explainer(&self) -> Option<Explainer> {
        None
    }
}
