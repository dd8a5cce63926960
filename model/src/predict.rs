//! What recommendation, watchlist ranking and evaluation need from a trained model.

use crate::catalog::{Catalog, FilmIndex};

/// A model trained for one member (or for everyone) that predicts ratings for catalog films.
pub trait Predictor: Send + Sync {
    /// Predicted ratings in stars, clipped to 0.5..=5.0, for the catalog films at the indices
    /// `films`, in the same order.
    fn predict(&self, catalog: &Catalog, films: &[FilmIndex]) -> Vec<f32>;
}
