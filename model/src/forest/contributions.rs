//! Where a forest's prediction for one row comes from (tree-path, or Saabas, contributions):
//! walking each tree from its root to the row's leaf, the change in node mean at each split is
//! credited to that split's feature. Every node keeps its training samples' mean, so nothing is
//! stored for this; the root means' average is the bias, and bias plus every feature's
//! contribution telescopes to the prediction.

use super::RandomForest;

/// One row's prediction, split by feature.
#[derive(Debug, Clone, PartialEq)]
pub struct Contributions {
    /// The trees' root means, averaged: the prediction before any split.
    pub bias: f64,
    /// Per feature, how far its splits moved the prediction (averaged over the trees):
    /// positive when they raised it.
    pub by_feature: Vec<f64>,
}

impl Contributions {
    /// Bias plus every contribution: the forest's prediction, computed in `f64`.
    pub fn total(&self) -> f64 {
        self.bias + self.by_feature.iter().sum::<f64>()
    }
}

impl RandomForest {
    /// The contributions of each feature to the prediction for `row`; the same walk as
    /// [`RandomForest::predict_one`] (a NaN value goes left).
    ///
    /// # Panics
    /// When `row` does not have the forest's number of features.
    pub fn contributions(&self, row: &[f32]) -> Contributions {
        assert_eq!(
            row.len(),
            self.n_features,
            "RandomForest::contributions: feature count"
        );
        let mut bias = 0.0f64;
        let mut by_feature = vec![0.0f64; self.n_features];
        for tree in &self.trees {
            let mut at = tree.root as usize;
            bias += f64::from(self.nodes[at].value);
            for _ in 0..tree.depth {
                let node = self.nodes[at];
                let next =
                    node.left as usize + usize::from(row[node.feature as usize] > node.threshold);
                // A leaf is its own child: walking on from it moves nothing.
                if next != at {
                    by_feature[node.feature as usize] +=
                        f64::from(self.nodes[next].value) - f64::from(node.value);
                }
                at = next;
            }
        }
        let n = self.trees.len() as f64;
        by_feature.iter_mut().for_each(|c| *c /= n);
        Contributions {
            bias: bias / n,
            by_feature,
        }
    }
}
