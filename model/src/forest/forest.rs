//! The trained forest: training across trees in parallel, and batch prediction.

use ndarray::ArrayView2;
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::split::{self, Columns, TreeLimits};
use super::tree::{self, Node, TreeInfo};
use super::{ForestError, ForestParams};

/// Rows per unit of work when predicting: enough to amortise a pass over every tree, few enough
/// that the rows stay in L1/L2 while the trees stream past.
const PREDICT_CHUNK: usize = 512;

/// A trained regression forest. Every tree lives in one flat node array (see [`Node`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RandomForest {
    pub(crate) params: ForestParams,
    pub(crate) n_features: usize,
    pub(crate) nodes: Vec<Node>,
    pub(crate) trees: Vec<TreeInfo>,
    pub(crate) importances: Vec<f32>,
}

impl ForestParams {
    /// Trains a forest on the rows of `x` (one row per sample) and their targets `y`.
    pub fn fit_rows(&self, x: ArrayView2<'_, f32>, y: &[f32]) -> Result<RandomForest, ForestError> {
        self.fit_weighted(x, y, None)
    }

    /// Like [`ForestParams::fit_rows`], each sample counting `weights[i]` times (non-negative).
    pub fn fit_weighted(
        &self,
        x: ArrayView2<'_, f32>,
        y: &[f32],
        weights: Option<&[f32]>,
    ) -> Result<RandomForest, ForestError> {
        self.validate()?;
        let (n_rows, n_features) = x.dim();
        check_inputs(x, y, weights)?;
        let limits = TreeLimits {
            max_depth: self.max_depth,
            min_samples_split: self.min_samples_split,
            min_samples_leaf: self.min_samples_leaf,
            max_features: self.max_features.resolve(n_features),
            bootstrap: self.bootstrap,
        };
        let columns = Columns::new(x);
        debug_assert_eq!(columns.n_rows, n_rows);

        // One seed per tree, drawn up front, so a tree does not depend on which thread grew it.
        let mut master = ChaCha8Rng::seed_from_u64(self.seed);
        let seeds: Vec<u64> = (0..self.n_trees).map(|_| master.next_u64()).collect();
        let grown: Vec<_> = seeds
            .par_iter()
            .map(|&seed| split::grow(&columns, y, weights, &limits, seed))
            .collect();

        let mut nodes = Vec::with_capacity(grown.iter().map(|t| t.nodes.len()).sum());
        let mut trees = Vec::with_capacity(grown.len());
        let mut importances = vec![0f64; n_features];
        for tree in grown {
            let offset = nodes.len() as u32;
            trees.push(TreeInfo {
                root: offset,
                depth: tree.depth as u8,
            });
            nodes.extend(tree.nodes.into_iter().map(|node| Node {
                left: node.left + offset,
                ..node
            }));
            // Each tree's importances sum to 1 before averaging, as in scikit-learn.
            let total: f64 = tree.importances.iter().sum();
            if total > 0.0 {
                for (sum, imp) in importances.iter_mut().zip(&tree.importances) {
                    *sum += imp / total;
                }
            }
        }
        let total: f64 = importances.iter().sum();
        let importances = importances
            .iter()
            .map(|&imp| {
                if total > 0.0 {
                    (imp / total) as f32
                } else {
                    0.0
                }
            })
            .collect();
        Ok(RandomForest {
            params: self.clone(),
            n_features,
            nodes,
            trees,
            importances,
        })
    }
}

fn check_inputs(
    x: ArrayView2<'_, f32>,
    y: &[f32],
    weights: Option<&[f32]>,
) -> Result<(), ForestError> {
    let (n_rows, n_features) = x.dim();
    if n_rows == 0 {
        return Err(ForestError::EmptyDataset);
    }
    if n_features == 0 {
        return Err(ForestError::NoFeatures);
    }
    if n_features > u32::MAX as usize || n_rows > u32::MAX as usize {
        return Err(ForestError::TooManyFeatures(n_features));
    }
    if y.len() != n_rows {
        return Err(ForestError::MismatchedShapes {
            rows: n_rows,
            targets: y.len(),
        });
    }
    if let Some(weights) = weights {
        if weights.len() != n_rows {
            return Err(ForestError::MismatchedWeights {
                rows: n_rows,
                weights: weights.len(),
            });
        }
        if weights.iter().any(|w| !w.is_finite() || *w < 0.0) {
            return Err(ForestError::NonFinite);
        }
    }
    if !y.iter().all(|v| v.is_finite()) || !x.iter().all(|v| v.is_finite()) {
        return Err(ForestError::NonFinite);
    }
    Ok(())
}

impl RandomForest {
    /// Predictions for every row of `x` (rows are samples, columns the training features).
    /// Runs on rayon's pool when there are enough rows to share.
    ///
    /// # Panics
    /// When `x` does not have the forest's number of columns.
    pub fn predict_rows(&self, x: ArrayView2<'_, f32>) -> Vec<f32> {
        let mut out = vec![0.0; x.nrows()];
        if let Err(error) = self.predict_into(x, &mut out) {
            panic!("RandomForest::predict_rows: {error}");
        }
        out
    }

    /// Writes the prediction for row `i` of `x` into `out[i]`. Reads `x` in place when it is
    /// row-major (standard layout), otherwise copies it once.
    pub fn predict_into(&self, x: ArrayView2<'_, f32>, out: &mut [f32]) -> Result<(), ForestError> {
        if x.ncols() != self.n_features {
            return Err(ForestError::FeatureCount {
                expected: self.n_features,
                found: x.ncols(),
            });
        }
        if out.len() != x.nrows() {
            return Err(ForestError::MismatchedShapes {
                rows: x.nrows(),
                targets: out.len(),
            });
        }
        match x.as_slice() {
            Some(rows) => self.predict_slice(rows, out),
            None => {
                let rows: Vec<f32> = x.iter().copied().collect();
                self.predict_slice(&rows, out);
            }
        }
        Ok(())
    }

    /// Predictions for row-major `rows` (`out.len()` rows of `n_features` values each).
    fn predict_slice(&self, rows: &[f32], out: &mut [f32]) {
        let width = self.n_features * PREDICT_CHUNK;
        let work = |(rows, out): (&[f32], &mut [f32])| self.predict_chunk(rows, out);
        if out.len() > 2 * PREDICT_CHUNK {
            rows.par_chunks(width)
                .zip(out.par_chunks_mut(PREDICT_CHUNK))
                .for_each(work);
        } else {
            rows.chunks(width)
                .zip(out.chunks_mut(PREDICT_CHUNK))
                .for_each(work);
        }
    }

    fn predict_chunk(&self, rows: &[f32], out: &mut [f32]) {
        out.fill(0.0);
        for &tree in &self.trees {
            tree::accumulate(&self.nodes, tree, rows, self.n_features, out);
        }
        let scale = 1.0 / self.trees.len() as f32;
        for o in out {
            *o *= scale;
        }
    }

    /// The prediction for one row.
    ///
    /// # Panics
    /// When `row` does not have the forest's number of features.
    pub fn predict_one(&self, row: &[f32]) -> f32 {
        assert_eq!(
            row.len(),
            self.n_features,
            "RandomForest::predict_one: feature count"
        );
        // Same order of operations as the batch path, so both give bit-identical results.
        let sum = self
            .trees
            .iter()
            .fold(0.0, |sum, &tree| sum + tree::walk(&self.nodes, tree, row));
        sum * (1.0 / self.trees.len() as f32)
    }

    /// The parameters the forest was trained with.
    pub fn params(&self) -> &ForestParams {
        &self.params
    }

    pub fn n_features(&self) -> usize {
        self.n_features
    }

    pub fn n_trees(&self) -> usize {
        self.trees.len()
    }

    /// Total nodes over every tree (a measure of the model's size).
    pub fn n_nodes(&self) -> usize {
        self.nodes.len()
    }

    /// Depth of the deepest tree.
    pub fn depth(&self) -> usize {
        self.trees
            .iter()
            .map(|t| usize::from(t.depth))
            .max()
            .unwrap_or(0)
    }

    /// The share of the training squared error each feature's splits removed (mean decrease in
    /// impurity, normalised per tree then over the forest); sums to 1 unless no tree split.
    pub fn feature_importances(&self) -> &[f32] {
        &self.importances
    }
}
