//! The flat node layout every tree of a forest lives in, and the walk that predicts from it.

use serde::{Deserialize, Serialize};

/// One node of a tree, 16 bytes, in a single array shared by every tree of the forest.
///
/// A split sends a row to `left` when `x[feature] <= threshold` (and when it is NaN) and to
/// `left + 1` otherwise: siblings are adjacent, so one index and one comparison pick the child
/// without a branch. A leaf is its own left child with an infinite threshold, so walking on from
/// a leaf stays on it; prediction therefore walks every row exactly `depth` steps, which keeps
/// several rows in flight at once instead of waiting on one row's mispredicted branches.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub(crate) struct Node {
    pub feature: u32,
    pub threshold: f32,
    pub left: u32,
    /// The mean target of the node's training samples: the prediction at a leaf.
    pub value: f32,
}

impl Node {
    pub fn leaf(index: u32, value: f32) -> Self {
        Node {
            feature: 0,
            threshold: f32::INFINITY,
            left: index,
            value,
        }
    }
}

/// Where a tree starts in the node array and how many levels its deepest leaf is below the root.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct TreeInfo {
    pub root: u32,
    pub depth: u8,
}

/// Rows walked together: enough independent walks to hide the latency of each step's loads.
const LANES: usize = 8;

/// Adds the tree's prediction for every row of `x` (row-major, `n_features` columns) to `out`.
pub(crate) fn accumulate(
    nodes: &[Node],
    tree: TreeInfo,
    x: &[f32],
    n_features: usize,
    out: &mut [f32],
) {
    let root = tree.root as usize;
    let depth = usize::from(tree.depth);
    let mut rows = x.chunks_exact(n_features * LANES);
    let mut outs = out.chunks_exact_mut(LANES);
    for (block, out) in (&mut rows).zip(&mut outs) {
        let mut at = [root; LANES];
        for _ in 0..depth {
            for (lane, at) in at.iter_mut().enumerate() {
                let node = &nodes[*at];
                let v = block[lane * n_features + node.feature as usize];
                *at = node.left as usize + usize::from(v > node.threshold);
            }
        }
        for (o, at) in out.iter_mut().zip(at) {
            *o += nodes[at].value;
        }
    }
    for (row, o) in rows
        .remainder()
        .chunks_exact(n_features)
        .zip(outs.into_remainder())
    {
        *o += walk(nodes, tree, row);
    }
}

/// The tree's prediction for one row.
pub(crate) fn walk(nodes: &[Node], tree: TreeInfo, row: &[f32]) -> f32 {
    let mut at = tree.root as usize;
    for _ in 0..tree.depth {
        let node = &nodes[at];
        at = node.left as usize + usize::from(row[node.feature as usize] > node.threshold);
    }
    nodes[at].value
}
