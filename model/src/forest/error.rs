//! Everything that can go wrong training, using or loading a forest.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum ForestError {
    #[error("invalid forest parameters: {0}")]
    InvalidParams(&'static str),
    #[error("cannot train a forest on zero rows")]
    EmptyDataset,
    #[error("cannot train a forest on zero features")]
    NoFeatures,
    #[error("{rows} rows but {targets} targets")]
    MismatchedShapes { rows: usize, targets: usize },
    #[error("{rows} rows but {weights} sample weights")]
    MismatchedWeights { rows: usize, weights: usize },
    #[error("a feature, target or weight is NaN or infinite, or a weight is negative")]
    NonFinite,
    #[error("more features ({0}) than a forest supports")]
    TooManyFeatures(usize),
    #[error("the forest was trained on {expected} features but got {found}")]
    FeatureCount { expected: usize, found: usize },
    #[error("serialized forest has format version {found}, this build reads version {expected}")]
    UnsupportedFormat { found: u32, expected: u32 },
    #[error("not a serialized forest")]
    NotAForest,
    #[error("serialized forest is corrupt: {0}")]
    Corrupt(&'static str),
    #[error("cannot encode or decode the forest: {0}")]
    Codec(#[from] postcard::Error),
    /// linfa's `Fit` requires its errors to convert into ours.
    #[cfg(feature = "linfa")]
    #[error(transparent)]
    Linfa(#[from] linfa::Error),
}
