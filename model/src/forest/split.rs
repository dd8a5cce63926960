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

/// How a feature is searched for splits, decided once per training set.
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// One value only: never split on.
    Constant,
    /// Exactly two values (genre flags, is-movie): bit `bit` of a row's mask is set when the row
    /// has the higher value, and a node's split is read off one pass over its samples' masks.
    Binary { bit: u32, threshold: f32 },
    /// Anything else: scanned in sorted order; `slot` is its list among the sorted features.
    Sorted { slot: usize },
}

/// At most this many two-valued features use the bit-mask path (a `u64` per row); any more
/// are scanned like the others.
const MAX_BINARY: u32 = 64;

/// The training matrix column by column, each feature's kind, the sort order of the sorted
/// ones, and every row's mask of two-valued features.
pub(crate) struct Columns {
    pub n_rows: usize,
    pub n_features: usize,
    /// `values[f * n_rows + i]` is feature `f` of row `i`.
    values: Vec<f32>,
    kinds: Vec<Kind>,
    /// The features scanned in sorted order, by slot.
    sorted: Vec<usize>,
    /// `order[slot * n_rows ..][..n_rows]` lists the rows by increasing value of the sorted
    /// feature in that slot (ties by row).
    order: Vec<u32>,
    /// Per row, bit `b` set when the row has the high value of binary feature `b`.
    masks: Vec<u64>,
    /// Per bit, the feature it stands for.
    binary: Vec<usize>,
    /// Per sorted slot, how many distinct values the feature has.
    distinct: Vec<usize>,
}

impl Columns {
    pub fn new(x: ArrayView2<'_, f32>) -> Self {
        let (n_rows, n_features) = x.dim();
        let mut values = Vec::with_capacity(n_rows * n_features);
        for column in x.columns() {
            values.extend(column.iter().copied());
        }
        let mut kinds = Vec::with_capacity(n_features);
        let (mut sorted, mut binary) = (Vec::new(), Vec::new());
        let mut masks = vec![0u64; n_rows];
        for f in 0..n_features {
            let column = &values[f * n_rows..(f + 1) * n_rows];
            let kind = match two_values(column) {
                Some((low, high)) if low == high => Kind::Constant,
                Some((low, high)) if (binary.len() as u32) < MAX_BINARY => {
                    let bit = binary.len() as u32;
                    binary.push(f);
                    for (mask, &v) in masks.iter_mut().zip(column) {
                        *mask |= u64::from(v == high) << bit;
                    }
                    Kind::Binary {
                        bit,
                        threshold: midpoint(low, high),
                    }
                }
                _ => {
                    sorted.push(f);
                    Kind::Sorted {
                        slot: sorted.len() - 1,
                    }
                }
            };
            kinds.push(kind);
        }
        let mut order = vec![0u32; n_rows * sorted.len()];
        let sort = |(slot, out): (usize, &mut [u32])| {
            let f = sorted[slot];
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
        let distinct = (0..sorted.len())
            .map(|slot| {
                let column = &values[sorted[slot] * n_rows..(sorted[slot] + 1) * n_rows];
                let order = &order[slot * n_rows..(slot + 1) * n_rows];
                1 + order
                    .windows(2)
                    .filter(|w| column[w[1] as usize] > column[w[0] as usize])
                    .count()
            })
            .collect();
        Columns {
            n_rows,
            n_features,
            values,
            kinds,
            sorted,
            order,
            masks,
            binary,
            distinct,
        }
    }

    fn column(&self, f: usize) -> &[f32] {
        &self.values[f * self.n_rows..(f + 1) * self.n_rows]
    }
}

/// The lowest and highest value of a column holding at most two distinct values, else `None`.
fn two_values(column: &[f32]) -> Option<(f32, f32)> {
    let first = *column.first()?;
    let mut other = first;
    for &v in column {
        if v != first && v != other {
            if other != first {
                return None;
            }
            other = v;
        }
    }
    Some((first.min(other), first.max(other)))
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
    /// Number of samples that go left.
    n_left: usize,
    threshold: f32,
}

struct Task {
    node: u32,
    start: usize,
    end: usize,
    depth: usize,
}

/// Weight, weighted target sum and sample count of a set of samples.
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    w: f64,
    wy: f64,
    count: usize,
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

    // The in-bag samples, and per sorted feature the same samples in that feature's order.
    let members: Vec<u32> = (0..n as u32)
        .filter(|&s| weight[s as usize] > 0.0)
        .collect();
    let in_bag = members.len();
    let mut lists = Vec::with_capacity(in_bag * data.sorted.len());
    for slot in 0..data.sorted.len() {
        let order = &data.order[slot * n..(slot + 1) * n];
        lists.extend(order.iter().copied().filter(|&s| weight[s as usize] > 0.0));
    }
    let candidates = (0..data.n_features)
        .filter(|&f| !matches!(data.kinds[f], Kind::Constant))
        .collect();

    let mut grower = Grower {
        data,
        y,
        weight: &weight,
        weighted_y: &weighted_y,
        limits,
        in_bag,
        members,
        lists,
        goes_left: vec![false; n],
        scratch: vec![0; in_bag],
        ones: vec![Sums::default(); data.binary.len()],
        candidates,
        rng,
        nodes: vec![Node::leaf(0, 0.0)],
        importances: vec![0.0; data.n_features],
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
    /// The in-bag samples; each node owns a contiguous range.
    members: Vec<u32>,
    /// Per sorted feature, the in-bag samples in that feature's order; same ranges as `members`.
    lists: Vec<u32>,
    goes_left: Vec<bool>,
    scratch: Vec<u32>,
    /// Per binary feature, the sums over the current node's samples with the high value.
    ones: Vec<Sums>,
    /// The features that vary in the training set, in the order splits examine them.
    candidates: Vec<usize>,
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
            let splittable = self.may_split(task.depth, task.end - task.start);
            let (total, sum_sq) = self.node_sums(task.start, task.end, splittable);
            let mean = total.wy / total.w;
            self.nodes[task.node as usize] = Node::leaf(task.node, mean as f32);
            self.depth = self.depth.max(task.depth);
            let impurity = sum_sq / total.w - mean * mean;
            if !splittable || impurity <= PURE {
                continue;
            }
            let Some(split) = self.best_split(task.start, task.end, total) else {
                continue;
            };
            self.importances[split.feature] += split.proxy - total.wy * total.wy / total.w;
            // Children that can never split only need their samples (for their means), not
            // their sorted lists.
            let lists_too = self.may_split(task.depth + 1, split.n_left)
                || self.may_split(task.depth + 1, total.count - split.n_left);
            self.partition(task.start, task.end, &split, lists_too);

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

    /// Whether a node at `depth` with `count` samples is allowed to split at all.
    fn may_split(&self, depth: usize, count: usize) -> bool {
        depth < self.limits.max_depth
            && count >= self.limits.min_samples_split
            && count >= 2 * self.limits.min_samples_leaf
    }

    /// One pass over the node's samples: its totals, its weighted sum of squared targets, and,
    /// when it may split, the high-value side of every binary feature (into `self.ones`).
    fn node_sums(&mut self, start: usize, end: usize, splittable: bool) -> (Sums, f64) {
        let mut total = Sums::default();
        let mut sum_sq = 0f64;
        self.ones.fill(Sums::default());
        for &s in &self.members[start..end] {
            let s = s as usize;
            let w = f64::from(self.weight[s]);
            let wy = f64::from(self.weighted_y[s]);
            total.w += w;
            total.wy += wy;
            sum_sq += wy * f64::from(self.y[s]);
            if !splittable {
                continue;
            }
            let mut mask = self.data.masks[s];
            while mask != 0 {
                let one = &mut self.ones[mask.trailing_zeros() as usize];
                one.w += w;
                one.wy += wy;
                one.count += 1;
                mask &= mask - 1;
            }
        }
        total.count = end - start;
        (total, sum_sq)
    }

    fn best_split(&mut self, start: usize, end: usize, total: Sums) -> Option<Split> {
        let n_candidates = self.candidates.len();
        let sample_all = self.limits.max_features >= n_candidates;
        let mut best: Option<Split> = None;
        let mut examined = 0;
        for i in 0..n_candidates {
            if examined >= self.limits.max_features {
                break;
            }
            if !sample_all {
                let j = self.rng.random_range(i..n_candidates);
                self.candidates.swap(i, j);
            }
            let f = self.candidates[i];
            let found = match self.data.kinds[f] {
                Kind::Constant => continue,
                Kind::Binary { bit, threshold } => {
                    let high = self.ones[bit as usize];
                    if high.count == 0 || high.count == total.count {
                        continue; // constant in this node: not counted against max_features
                    }
                    examined += 1;
                    self.binary_split(f, threshold, high, total)
                }
                Kind::Sorted { slot } => {
                    let list = &self.lists[slot * self.in_bag + start..slot * self.in_bag + end];
                    let column = self.data.column(f);
                    let (Some(&first), Some(&last)) = (list.first(), list.last()) else {
                        return None;
                    };
                    if column[last as usize] <= column[first as usize] + FEATURE_THRESHOLD {
                        continue;
                    }
                    examined += 1;
                    // Long runs of equal values (a year over 600,000 ratings) are skipped
                    // cheaply by a predictable branch; short ones are not worth a branch.
                    if self.data.distinct[slot] * 4 < list.len() {
                        self.scan::<true>(f, list, column, total)
                    } else {
                        self.scan::<false>(f, list, column, total)
                    }
                }
            };
            if let Some(found) = found
                && best.is_none_or(|b| found.proxy > b.proxy)
            {
                best = Some(found);
            }
        }
        best
    }

    /// The split of a two-valued feature: low values left, high values right.
    fn binary_split(&self, f: usize, threshold: f32, high: Sums, total: Sums) -> Option<Split> {
        let n_left = total.count - high.count;
        let min_leaf = self.limits.min_samples_leaf;
        if n_left < min_leaf || high.count < min_leaf {
            return None;
        }
        let (w_left, sum_left) = (total.w - high.w, total.wy - high.wy);
        Some(Split {
            proxy: sum_left * sum_left / w_left + high.wy * high.wy / high.w,
            feature: f,
            n_left,
            threshold,
        })
    }

    /// The best threshold on feature `f` for the samples `list` (sorted by that feature).
    /// With `SKIP_RUNS`, positions inside a run of equal values are skipped by a branch.
    fn scan<const SKIP_RUNS: bool>(
        &self,
        f: usize,
        list: &[u32],
        column: &[f32],
        total: Sums,
    ) -> Option<Split> {
        let min_leaf = self.limits.min_samples_leaf;
        let len = list.len();
        // Best so far as proxy = numerator / denominator, compared by cross-multiplying: the
        // division happens once per improvement instead of once per candidate.
        let (mut best_num, mut best_den) = (f64::NEG_INFINITY, 1f64);
        let mut best_at = 0;
        let (mut w_left, mut sum_left) = (0f64, 0f64);
        let mut previous = column[list[0] as usize];
        // Candidates split after position p - 1; both sides keep at least min_leaf samples.
        // Otherwise the loop body has no data-dependent branch: a rejected candidate just loses
        // the comparison, which is cheaper than mispredicting duplicates and improvements.
        for p in 1..(len + 1).saturating_sub(min_leaf) {
            let s = list[p - 1] as usize;
            w_left += f64::from(self.weight[s]);
            sum_left += f64::from(self.weighted_y[s]);
            let value = column[list[p] as usize];
            let valid = (value > previous + FEATURE_THRESHOLD) & (p >= min_leaf);
            previous = value;
            if SKIP_RUNS && !valid {
                continue;
            }
            let w_right = total.w - w_left;
            let sum_right = total.wy - sum_left;
            let num = sum_left * sum_left * w_right + sum_right * sum_right * w_left;
            let den = w_left * w_right;
            let better = valid & (num * best_den > best_num * den);
            best_num = if better { num } else { best_num };
            best_den = if better { den } else { best_den };
            best_at = if better { p } else { best_at };
        }
        (best_at > 0).then(|| Split {
            proxy: best_num / best_den,
            feature: f,
            n_left: best_at,
            threshold: midpoint(
                column[list[best_at - 1] as usize],
                column[list[best_at] as usize],
            ),
        })
    }

    /// Reorders the node's range of `members` and (with `lists_too`) of every sorted list so
    /// the left child's samples come first, keeping each sorted list sorted.
    fn partition(&mut self, start: usize, end: usize, split: &Split, lists_too: bool) {
        let in_bag = self.in_bag;
        let chosen = match self.data.kinds[split.feature] {
            Kind::Sorted { slot } => Some(slot),
            _ => None,
        };
        match (chosen, self.data.kinds[split.feature]) {
            (Some(slot), _) => {
                let list = &self.lists[slot * in_bag + start..slot * in_bag + end];
                for (p, &s) in list.iter().enumerate() {
                    self.goes_left[s as usize] = p < split.n_left;
                }
            }
            (None, Kind::Binary { bit, .. }) => {
                for &s in &self.members[start..end] {
                    self.goes_left[s as usize] = self.data.masks[s as usize] >> bit & 1 == 0;
                }
            }
            (None, _) => return,
        }
        stable_partition(
            &mut self.members[start..end],
            &self.goes_left,
            &mut self.scratch,
        );
        if !lists_too {
            return;
        }
        for slot in 0..self.data.sorted.len() {
            if Some(slot) != chosen {
                let list = &mut self.lists[slot * in_bag + start..slot * in_bag + end];
                stable_partition(list, &self.goes_left, &mut self.scratch);
            }
        }
    }
}

/// Moves the samples that go left to the front of `list`, keeping both sides in order.
fn stable_partition(list: &mut [u32], goes_left: &[bool], scratch: &mut [u32]) {
    let (mut left, mut right) = (0, 0);
    for i in 0..list.len() {
        let s = list[i];
        let goes_left = goes_left[s as usize];
        // Written to both places, kept by one: no branch to mispredict.
        list[left] = s;
        scratch[right] = s;
        left += usize::from(goes_left);
        right += usize::from(!goes_left);
    }
    list[left..].copy_from_slice(&scratch[..right]);
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
