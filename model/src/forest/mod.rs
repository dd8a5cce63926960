//! Our random-forest regressor: bootstrap samples, exact squared-error splits, rayon across
//! trees, prediction from one flat node array, and a versioned serialized form.
//!
//! ```
//! use model::forest::{ForestParams, MaxFeatures};
//! use ndarray::array;
//!
//! let x = array![[1.0f32, 0.0], [2.0, 1.0], [3.0, 0.0], [4.0, 1.0]];
//! let y = [1.0f32, 1.0, 4.0, 4.0];
//! let forest = ForestParams::original()
//!     .n_trees(10)
//!     .min_samples_split(2)
//!     .max_features(MaxFeatures::All)
//!     .bootstrap(false)
//!     .fit_rows(x.view(), &y)
//!     .unwrap();
//! assert_eq!(forest.predict_rows(x.view()), vec![1.0, 1.0, 4.0, 4.0]);
//! ```
//!
//! It also plugs into linfa: `params.fit(&dataset)` ([`linfa::traits::Fit`]) on a dataset of
//! `f32` records and targets, and `forest.predict(&records)` ([`linfa::traits::Predict`]).

mod error;
#[allow(clippy::module_inception)]
mod forest;
mod format;
mod params;
mod split;
mod tree;

#[cfg(test)]
mod tests;

use linfa::dataset::{AsTargets, DatasetBase};
use linfa::traits::{Fit, PredictInplace};
use ndarray::{Array1, ArrayBase, Data, Ix2};

pub use error::ForestError;
pub use forest::RandomForest;
pub use format::FORMAT_VERSION;
pub use params::{ForestParams, MaxFeatures, PRESET_NAMES};

impl<D, T> Fit<ArrayBase<D, Ix2>, T, ForestError> for ForestParams
where
    D: Data<Elem = f32>,
    T: AsTargets<Elem = f32>,
{
    type Object = RandomForest;

    /// Trains on the dataset's records and its single target column, honouring its sample
    /// weights when it has any.
    fn fit(
        &self,
        dataset: &DatasetBase<ArrayBase<D, Ix2>, T>,
    ) -> Result<RandomForest, ForestError> {
        let targets = dataset.targets.as_targets();
        // One value per row: a 1-d target array, or a 2-d one with a single column.
        let y: Vec<f32> = targets.iter().copied().collect();
        let rows = dataset.records.nrows();
        if y.len() != rows {
            return Err(ForestError::MismatchedShapes {
                rows,
                targets: y.len(),
            });
        }
        self.fit_weighted(dataset.records.view(), &y, dataset.weights())
    }
}

impl<D: Data<Elem = f32>> PredictInplace<ArrayBase<D, Ix2>, Array1<f32>> for RandomForest {
    /// # Panics
    /// When `x` does not have the forest's number of columns or `y` is not one value per row.
    fn predict_inplace(&self, x: &ArrayBase<D, Ix2>, y: &mut Array1<f32>) {
        let result = match y.as_slice_mut() {
            Some(out) => self.predict_into(x.view(), out),
            None => {
                let predicted = self.predict_rows(x.view());
                y.iter_mut().zip(predicted).for_each(|(y, p)| *y = p);
                Ok(())
            }
        };
        if let Err(error) = result {
            panic!("RandomForest::predict_inplace: {error}");
        }
    }

    fn default_target(&self, x: &ArrayBase<D, Ix2>) -> Array1<f32> {
        Array1::zeros(x.nrows())
    }
}
