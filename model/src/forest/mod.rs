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
//! With the `linfa` feature it also plugs into linfa: `params.fit(&dataset)` (linfa's `Fit`) on a
//! dataset of `f32` records and targets, and `forest.predict(&records)` (linfa's `Predict`).

mod contributions;
mod error;
#[allow(clippy::module_inception)]
mod forest;
mod format;
#[cfg(feature = "linfa")]
mod linfa_traits;
mod params;
mod split;
mod tree;

#[cfg(test)]
mod tests;

pub use contributions::Contributions;
pub use error::ForestError;
pub use forest::RandomForest;
pub use format::FORMAT_VERSION;
pub use params::{ForestParams, MaxFeatures, PRESET_NAMES};
