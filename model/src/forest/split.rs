//! Growing one regression tree: exact squared-error splits over presorted samples.
//!
//! The training matrix is sorted once per feature for the whole forest ([`Columns`]). Each tree
//! keeps, per feature, its in-bag samples in that order, and every node owns the same contiguous
//! range in each of those lists. Finding a node's best split is one linear scan per feature, and
//! splitting is one stable partition per feature, so a tree costs O(features x samples x depth)
//! with no sorting at all.

use ndarray::ArrayView2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::tree::Node;

/// Consecutive values closer than this are not split between (scikit-learn's FEATURE_THRESHOLD).
const FEATURE_THRESHOLD: f32 = 1e-7;
/// A node whose weighted variance is below this is pure and becomes a leaf.
const PURE: f64 = 1e-7;
/// Below this many rows, sorting the features one after another beats spawning tasks.
const PARALLEL_SORT_ROWS: usize = 16_384;

/// The training matrix column by column, with each column's sort order.
pub(crate) struct Columns {
    pub n_rows: usize,
    pub n_features: usize,
    /// `values[f * n_rows + i]` is feature `f` of row `i`.
    values: Vec<f32>,
    /// `order[f * n_rows ..][..n_rows]` lists the rows by increasing feature `f` (ties by row).
    order: Vec<u32>,
}

impl Columns {
    pub fn new(x: ArrayView2<'_, f32>) -> Self {
        let (n_rows, n_features) = x.dim();
        let mut values = Vec::with_capacity(n_rows * n_features);
        for column in x.columns() {
            values.extend(column.iter().copied());
        }
        let mut order = vec![0u32; n_rows * n_features];
        let sort = |(f, out): (usize, &mut [u32])| {
            let column = &values[f * n_rows..(f + 1) * n_rows];
            for (i, o) in out.iter_mut().enumerate() {
                *o = i as u32;
            }
            out.sort_unstable_by(|&a, &b| {
                column[a as usize]
                    .total_cmp(&column[b as usize])
                    .then(a.cmp(&b))
            });
        };
        if n_rows >= PARALLEL_SORT_ROWS {
            order
                .par_chunks_mut(n_rows.max(1))
                .enumerate()
                .for_each(sort);
        } else {
            order.chunks_mut(n_rows.max(1)).enumerate().for_each(sort);
        }
        Columns {
            n_rows,
            n_features,
            values,
            order,
        }
    }

    fn column(&self, f: usize) -> &[f32] {
        &self.values[f * self.n_rows..(f + 1) * self.n_rows]
    }
}

/// The limits of one tree, resolved against the data.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TreeLimits {
    pub max_depth: usize,
    pub min_samples_split: usize,
    pub min_samples_leaf: usize,
    /// Features examined per split (non-constant ones; constant ones are skipped for free).
    pub max_features: usize,
    pub bootstrap: bool,
}

/// A grown tree: nodes indexed from 0 (the root), its depth, and the squared error each feature's
/// splits removed.
pub(crate) struct GrownTree {
    pub nodes: Vec<Node>,
    pub depth: usize,
    pub importances: Vec<f64>,
}

/// The best split found so far in a node.
#[derive(Clone, Copy)]
struct Split {
    /// `sum_left^2 / w_left + sum_right^2 / w_right`: larger means a smaller squared error.
    proxy: f64,
    feature: usize,
    /// Number of samples (in the feature's sorted order) that go left.
    n_left: usize,
    threshold: f32,
}

struct Task {
    node: u32,
    start: usize,
    end: usize,
    depth: usize,
}

/// Grows one tree on a bootstrap sample (or every row) drawn with the tree's own seed.
pub(crate) fn grow(
    data: &Columns,
    y: &[f32],
    sample_weight: Option<&[f32]>,
    limits: &TreeLimits,
    seed: u64,
) -> GrownTree {
    let n = data.n_rows;
    let n_features = data.n_features;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);

    let mut weight = vec![0f32; n];
    if limits.bootstrap {
        for _ in 0..n {
            weight[rng.random_range(0..n)] += 1.0;
        }
    } else {
        weight.fill(1.0);
    }
    if let Some(sample_weight) = sample_weight {
        for (w, s) in weight.iter_mut().zip(sample_weight) {
            *w *= s;
        }
    }
    let weighted_y: Vec<f32> = weight.iter().zip(y).map(|(w, y)| w * y).collect();

    // Per feature, the in-bag samples in increasing order of that feature.
    let in_bag = weight.iter().filter(|&&w| w > 0.0).count();
    let mut lists = Vec::with_capacity(in_bag * n_features);
    for f in 0..n_features {
        let order = &data.order[f * n..(f + 1) * n];
        lists.extend(order.iter().copied().filter(|&s| weight[s as usize] > 0.0));
    }

    let mut grower = Grower {
        data,
        y,
        weight: &weight,
        weighted_y: &weighted_y,
        limits,
        in_bag,
        lists,
        goes_left: vec![false; n],
        scratch: vec![0; in_bag],
        features: (0..n_features).collect(),
        rng,
        nodes: vec![Node::leaf(0, 0.0)],
        importances: vec![0.0; n_features],
        depth: 0,
    };
    if in_bag > 0 {
        grower.grow();
    }
    GrownTree {
        nodes: grower.nodes,
        depth: grower.depth,
        importances: grower.importances,
    }
}

struct Grower<'a> {
    data: &'a Columns,
    y: &'a [f32],
    weight: &'a [f32],
    weighted_y: &'a [f32],
    limits: &'a TreeLimits,
    in_bag: usize,
    lists: Vec<u32>,
    goes_left: Vec<bool>,
    scratch: Vec<u32>,
    features: Vec<usize>,
    rng: ChaCha8Rng,
    nodes: Vec<Node>,
    importances: Vec<f64>,
    depth: usize,
}

impl Grower<'_> {
    fn grow(&mut self) {
        let mut stack = vec![Task {
            node: 0,
            start: 0,
            end: self.in_bag,
            depth: 0,
        }];
        while let Some(task) = stack.pop() {
            let (w, sum, sum_sq) = self.totals(task.start, task.end);
            let mean = sum / w;
            self.nodes[task.node as usize] = Node::leaf(task.node, mean as f32);
            self.depth = self.depth.max(task.depth);
            let count = task.end - task.start;
            let impurity = sum_sq / w - mean * mean;
            if task.depth >= self.limits.max_depth
                || count < self.limits.min_samples_split
                || count < 2 * self.limits.min_samples_leaf
                || impurity <= PURE
            {
                continue;
            }
            let Some(split) = self.best_split(task.start, task.end, w, sum) else {
                continue;
            };
            self.importances[split.feature] += split.proxy - sum * sum / w;
            self.partition(task.start, task.end, &split);

            let left = self.nodes.len() as u32;
            self.nodes.push(Node::leaf(left, 0.0));
            self.nodes.push(Node::leaf(left + 1, 0.0));
            self.nodes[task.node as usize] = Node {
                feature: split.feature as u32,
                threshold: split.threshold,
                left,
                value: mean as f32,
            };
            let middle = task.start + split.n_left;
            stack.push(Task {
                node: left + 1,
                start: middle,
                end: task.end,
                depth: task.depth + 1,
            });
            stack.push(Task {
                node: left,
                start: task.start,
                end: middle,
                depth: task.depth + 1,
            });
        }
    }

    /// Weight, weighted sum and weighted sum of squares of the node's targets.
    fn totals(&self, start: usize, end: usize) -> (f64, f64, f64) {
        let mut totals = (0f64, 0f64, 0f64);
        for &s in &self.lists[start..end] {
            let s = s as usize;
            let w = f64::from(self.weight[s]);
            let y = f64::from(self.y[s]);
            totals.0 += w;
            totals.1 += w * y;
            totals.2 += w * y * y;
        }
        totals
    }

    fn best_split(&mut self, start: usize, end: usize, w: f64, sum: f64) -> Option<Split> {
        let n_features = self.features.len();
        let sample_all = self.limits.max_features >= n_features;
        let mut best: Option<Split> = None;
        let mut examined = 0;
        for i in 0..n_features {
            if examined >= self.limits.max_features {
                break;
            }
            if !sample_all {
                let j = self.rng.random_range(i..n_features);
                self.features.swap(i, j);
            }
            let f = self.features[i];
            let list = &self.lists[f * self.in_bag + start..f * self.in_bag + end];
            let column = self.data.column(f);
            let (Some(&first), Some(&last)) = (list.first(), list.last()) else {
                return None;
            };
            if column[last as usize] <= column[first as usize] + FEATURE_THRESHOLD {
                continue; // constant in this node: not counted against max_features
            }
            examined += 1;
            if let Some(found) = self.scan(f, list, column, w, sum)
                && best.is_none_or(|b| found.proxy > b.proxy)
            {
                best = Some(found);
            }
        }
        best
    }

    /// The best threshold on feature `f` for the samples `list` (sorted by that feature).
    fn scan(&self, f: usize, list: &[u32], column: &[f32], w: f64, sum: f64) -> Option<Split> {
        let min_leaf = self.limits.min_samples_leaf;
        let len = list.len();
        let mut best: Option<Split> = None;
        let (mut w_left, mut sum_left) = (0f64, 0f64);
        let mut previous = column[list[0] as usize];
        for p in 1..len {
            let s = list[p - 1] as usize;
            w_left += f64::from(self.weight[s]);
            sum_left += f64::from(self.weighted_y[s]);
            let value = column[list[p] as usize];
            if value <= previous + FEATURE_THRESHOLD || p < min_leaf {
                previous = value;
                continue;
            }
            if len - p < min_leaf {
                break;
            }
            let w_right = w - w_left;
            let sum_right = sum - sum_left;
            let proxy = sum_left * sum_left / w_left + sum_right * sum_right / w_right;
            if best.is_none_or(|b| proxy > b.proxy) {
                best = Some(Split {
                    proxy,
                    feature: f,
                    n_left: p,
                    threshold: midpoint(previous, value),
                });
            }
            previous = value;
        }
        best
    }

    /// Reorders every feature's list for the node so the left child's samples come first,
    /// keeping each side sorted.
    fn partition(&mut self, start: usize, end: usize, split: &Split) {
        let in_bag = self.in_bag;
        let chosen = &self.lists[split.feature * in_bag + start..split.feature * in_bag + end];
        for (p, &s) in chosen.iter().enumerate() {
            self.goes_left[s as usize] = p < split.n_left;
        }
        for f in 0..self.features.len() {
            if f == split.feature {
                continue;
            }
            let list = &mut self.lists[f * in_bag + start..f * in_bag + end];
            let (mut left, mut right) = (0, 0);
            for i in 0..list.len() {
                let s = list[i];
                let goes_left = self.goes_left[s as usize];
                // Written to both places, kept by one: no branch to mispredict.
                list[left] = s;
                self.scratch[right] = s;
                left += usize::from(goes_left);
                right += usize::from(!goes_left);
            }
            list[left..].copy_from_slice(&self.scratch[..right]);
        }
    }
}

/// The threshold between two consecutive distinct values: their midpoint, or the lower value
/// when rounding would put the midpoint on the upper one.
fn midpoint(low: f32, high: f32) -> f32 {
    let mid = low / 2.0 + high / 2.0;
    if mid >= high || !mid.is_finite() {
        low
    } else {
        mid
    }
}
