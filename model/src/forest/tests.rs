#[cfg(feature = "linfa")]
use linfa::Dataset;
#[cfg(feature = "linfa")]
use linfa::traits::{Fit, Predict};
use ndarray::{Array1, Array2, ArrayView2, array};
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::tree::{self, Node};
use super::*;

/// `n` rows of `f` uniform features in 0..10 and a noisy target depending on three of them.
fn synthetic(n: usize, f: usize, seed: u64) -> (Array2<f32>, Vec<f32>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let x = Array2::from_shape_fn((n, f), |_| rng.random_range(0.0..10.0f32).round());
    let y = x
        .rows()
        .into_iter()
        .map(|r| r[0] * 0.3 + if r[1] > 5.0 { 1.0 } else { 0.0 } - r[2 % f] * 0.1)
        .map(|v| v + rng.random_range(-0.5..0.5f32))
        .collect();
    (x, y)
}

fn exact() -> ForestParams {
    ForestParams::original()
        .n_trees(5)
        .min_samples_split(2)
        .bootstrap(false)
}

/// The depth of every leaf of every tree.
fn leaf_depths(forest: &RandomForest) -> Vec<usize> {
    fn visit(nodes: &[Node], at: usize, depth: usize, out: &mut Vec<usize>) {
        let node = nodes[at];
        if node.left as usize == at {
            out.push(depth);
        } else {
            visit(nodes, node.left as usize, depth + 1, out);
            visit(nodes, node.left as usize + 1, depth + 1, out);
        }
    }
    let mut out = Vec::new();
    for tree in &forest.trees {
        visit(&forest.nodes, tree.root as usize, 0, &mut out);
    }
    out
}

#[test]
fn fits_a_step_function_exactly() {
    let x = Array2::from_shape_fn((40, 2), |(i, j)| if j == 0 { i as f32 } else { 7.0 });
    let y: Vec<f32> = (0..40)
        .map(|i| match i {
            0..10 => 1.0,
            10..25 => 3.5,
            _ => 2.0,
        })
        .collect();
    let forest = exact().fit_rows(x.view(), &y).unwrap();
    assert_eq!(forest.predict_rows(x.view()), y);
    // Thresholds fall midway between the steps.
    assert_eq!(forest.predict_one(&[9.4, 7.0]), 1.0);
    assert_eq!(forest.predict_one(&[9.6, 7.0]), 3.5);
    assert_eq!(forest.predict_one(&[24.6, 0.0]), 2.0);
    // Only the first feature explains anything.
    assert_eq!(forest.feature_importances(), &[1.0, 0.0]);
}

#[test]
fn respects_max_depth() {
    let (x, y) = synthetic(500, 6, 1);
    for depth in [0, 1, 3, 6] {
        let forest = ForestParams::original()
            .n_trees(4)
            .max_depth(depth)
            .min_samples_split(2)
            .fit_rows(x.view(), &y)
            .unwrap();
        let depths = leaf_depths(&forest);
        assert!(depths.iter().all(|&d| d <= depth), "depth {depth}");
        assert_eq!(forest.depth(), depth, "noisy data uses the whole depth");
    }
}

/// Counts how many distinct training rows land in each leaf of the first tree (no bootstrap, so
/// every row is in the bag).
fn leaf_sizes(forest: &RandomForest, x: ArrayView2<f32>) -> Vec<usize> {
    let tree = forest.trees[0];
    let mut counts = std::collections::HashMap::new();
    for row in x.rows() {
        let mut at = tree.root as usize;
        loop {
            let node = forest.nodes[at];
            if node.left as usize == at {
                break;
            }
            at = node.left as usize + usize::from(row[node.feature as usize] > node.threshold);
        }
        *counts.entry(at).or_insert(0usize) += 1;
    }
    counts.into_values().collect()
}

#[test]
fn respects_min_samples_leaf() {
    let (x, y) = synthetic(400, 5, 2);
    let forest = ForestParams::original()
        .n_trees(1)
        .max_depth(20)
        .min_samples_split(2)
        .min_samples_leaf(7)
        .bootstrap(false)
        .fit_rows(x.view(), &y)
        .unwrap();
    let sizes = leaf_sizes(&forest, x.view());
    assert!(sizes.iter().all(|&s| s >= 7), "{sizes:?}");
    assert!(sizes.len() > 10, "the tree did grow");
}

#[test]
fn respects_min_samples_split() {
    let (x, y) = synthetic(400, 5, 3);
    let forest = ForestParams::original()
        .n_trees(1)
        .max_depth(30)
        .min_samples_split(40)
        .bootstrap(false)
        .fit_rows(x.view(), &y)
        .unwrap();
    // Every internal node had >= 40 samples, so a leaf's parent did: siblings sum to >= 40.
    let nodes = &forest.nodes;
    let sizes: std::collections::HashMap<usize, usize> = {
        let tree = forest.trees[0];
        let mut sizes = std::collections::HashMap::new();
        for row in x.rows() {
            let mut at = tree.root as usize;
            *sizes.entry(at).or_insert(0) += 1;
            while nodes[at].left as usize != at {
                let node = nodes[at];
                at = node.left as usize + usize::from(row[node.feature as usize] > node.threshold);
                *sizes.entry(at).or_insert(0) += 1;
            }
        }
        sizes
    };
    for (&at, &size) in &sizes {
        if nodes[at].left as usize != at {
            assert!(size >= 40, "internal node with {size} samples");
        }
    }
    assert!(sizes.len() > 5);
}

#[test]
fn a_seed_makes_training_deterministic_whatever_the_threads() {
    let (x, y) = synthetic(300, 25, 4);
    let params = ForestParams::default().seed(7);
    let on = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| params.fit_rows(x.view(), &y).unwrap())
    };
    let one = on(1);
    let four = on(4);
    assert_eq!(one, four);
    let a = one.predict_rows(x.view());
    let b = four.predict_rows(x.view());
    assert_eq!(
        a.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
        b.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
    );
    let other = params.clone().seed(8).fit_rows(x.view(), &y).unwrap();
    assert_ne!(one.predict_rows(x.view()), other.predict_rows(x.view()));
}

#[test]
fn batch_and_single_row_predictions_agree_bit_for_bit() {
    let (x, y) = synthetic(300, 25, 5);
    let forest = ForestParams::original()
        .n_trees(20)
        .fit_rows(x.view(), &y)
        .unwrap();
    let (queries, _) = synthetic(2_000, 25, 6);
    let batch = forest.predict_rows(queries.view());
    for (row, p) in queries.rows().into_iter().zip(&batch) {
        assert_eq!(
            forest.predict_one(row.as_slice().unwrap()).to_bits(),
            p.to_bits()
        );
    }
    // A column-major view predicts the same.
    let fortran = queries
        .t()
        .as_standard_layout()
        .into_owned()
        .reversed_axes();
    assert!(!fortran.is_standard_layout());
    assert_eq!(forest.predict_rows(fortran.view()), batch);
}

#[test]
fn serialisation_round_trips() {
    let (x, y) = synthetic(300, 25, 7);
    let forest = ForestParams::default().fit_rows(x.view(), &y).unwrap();
    let bytes = forest.to_bytes().unwrap();
    let back = RandomForest::from_bytes(&bytes).unwrap();
    assert_eq!(back, forest);
    assert_eq!(back.predict_rows(x.view()), forest.predict_rows(x.view()));
}

#[test]
fn an_unknown_format_version_is_refused() {
    let (x, y) = synthetic(50, 3, 8);
    let mut bytes = exact().fit_rows(x.view(), &y).unwrap().to_bytes().unwrap();
    bytes[4..8].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
    assert!(matches!(
        RandomForest::from_bytes(&bytes),
        Err(ForestError::UnsupportedFormat { found, expected })
            if found == FORMAT_VERSION + 1 && expected == FORMAT_VERSION
    ));
    assert!(matches!(
        RandomForest::from_bytes(b"{\"trees\": []}"),
        Err(ForestError::NotAForest)
    ));
}

#[test]
fn a_corrupt_forest_is_refused_not_walked() {
    let (x, y) = synthetic(50, 3, 9);
    let mut forest = exact().fit_rows(x.view(), &y).unwrap();
    forest.nodes[0].feature = 3;
    let bytes = forest.to_bytes().unwrap();
    assert!(matches!(
        RandomForest::from_bytes(&bytes),
        Err(ForestError::Corrupt(_))
    ));
    let truncated = &bytes[..bytes.len() / 2];
    assert!(RandomForest::from_bytes(truncated).is_err());
}

#[test]
fn bad_inputs_are_typed_errors() {
    let x = array![[1.0f32], [2.0]];
    let params = ForestParams::original();
    assert!(matches!(
        params.fit_rows(x.view(), &[1.0]),
        Err(ForestError::MismatchedShapes {
            rows: 2,
            targets: 1
        })
    ));
    assert!(matches!(
        params.fit_rows(x.view(), &[1.0, f32::NAN]),
        Err(ForestError::NonFinite)
    ));
    assert!(matches!(
        params.fit_rows(Array2::zeros((0, 3)).view(), &[]),
        Err(ForestError::EmptyDataset)
    ));
    assert!(matches!(
        params.clone().n_trees(0).fit_rows(x.view(), &[1.0, 2.0]),
        Err(ForestError::InvalidParams(_))
    ));
    assert!(matches!(
        params
            .max_features(MaxFeatures::Fraction(1.5))
            .fit_rows(x.view(), &[1.0, 2.0]),
        Err(ForestError::InvalidParams(_))
    ));
    let forest = exact().fit_rows(x.view(), &[1.0, 2.0]).unwrap();
    let mut out = [0.0; 2];
    assert!(matches!(
        forest.predict_into(Array2::zeros((2, 2)).view(), &mut out),
        Err(ForestError::FeatureCount {
            expected: 1,
            found: 2
        })
    ));
}

#[cfg(feature = "linfa")]
#[test]
fn works_through_linfa_traits_with_weights() {
    let (x, y) = synthetic(200, 4, 10);
    let dataset = Dataset::new(x.clone(), Array1::from(y.clone()));
    let params = ForestParams::original().n_trees(10);
    let forest = params.fit(&dataset).unwrap();
    let predicted: Array1<f32> = forest.predict(&x);
    // `linfa::Dataset<f32, f32>` keeps targets as an n x 1 matrix: the same forest.
    let column: Dataset<f32, f32> = Dataset::new(
        x.clone(),
        Array2::from_shape_vec((200, 1), y.clone()).unwrap(),
    );
    assert_eq!(params.fit(&column).unwrap(), forest);
    assert_eq!(
        predicted.to_vec(),
        params
            .fit_rows(x.view(), &y)
            .unwrap()
            .predict_rows(x.view())
    );

    // Zero weights make rows invisible: the fit matches training without them.
    let weights: Vec<f32> = (0..200).map(|i| if i < 100 { 1.0 } else { 0.0 }).collect();
    let exact = exact();
    let weighted = exact
        .fit(&Dataset::new(x.clone(), Array1::from(y.clone())).with_weights(Array1::from(weights)))
        .unwrap();
    let half = exact
        .fit_rows(x.view().split_at(ndarray::Axis(0), 100).0, &y[..100])
        .unwrap();
    assert_eq!(weighted.predict_rows(x.view()), half.predict_rows(x.view()));
}

#[test]
fn max_features_resolves_like_scikit_learn() {
    assert_eq!(MaxFeatures::All.resolve(25), 25);
    assert_eq!(MaxFeatures::Sqrt.resolve(25), 5);
    assert_eq!(MaxFeatures::Fraction(0.5).resolve(25), 13);
    assert_eq!(MaxFeatures::Count(40).resolve(25), 25);
    assert_eq!(
        ForestParams::preset("Original"),
        Some(ForestParams::original())
    );
    assert_eq!(ForestParams::preset("nope"), None);
    for name in PRESET_NAMES {
        assert!(ForestParams::preset(name).unwrap().validate().is_ok());
    }
}

#[test]
fn learns_signal_better_than_the_mean() {
    let (x, y) = synthetic(1_000, 25, 11);
    let (tx, ty) = synthetic(1_000, 25, 12);
    for params in [
        ForestParams::original(),
        ForestParams::default(),
        ForestParams::fast(),
    ] {
        let forest = params.fit_rows(x.view(), &y).unwrap();
        let predicted = forest.predict_rows(tx.view());
        let mean = y.iter().sum::<f32>() / y.len() as f32;
        let mse = |p: &dyn Fn(usize) -> f32| {
            ty.iter()
                .enumerate()
                .map(|(i, t)| (p(i) - t).powi(2))
                .sum::<f32>()
                / ty.len() as f32
        };
        let model = mse(&|i| predicted[i]);
        let baseline = mse(&|_| mean);
        assert!(model < 0.5 * baseline, "{params:?}: {model} vs {baseline}");
        let imp = forest.feature_importances();
        assert!(imp[0] > 0.3 && imp[1] > 0.1, "{imp:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn predictions_stay_within_the_targets(
        rows in proptest::collection::vec((0.0f32..5.0, 0u8..3, -100.0f32..100.0), 1..60),
        queries in proptest::collection::vec((-10.0f32..10.0, 0u8..4), 1..20),
        seed in any::<u64>(),
    ) {
        let x = Array2::from_shape_fn((rows.len(), 2), |(i, j)| {
            if j == 0 { rows[i].0 } else { f32::from(rows[i].1) }
        });
        let y: Vec<f32> = rows.iter().map(|r| r.2).collect();
        let forest = ForestParams::original()
            .n_trees(8)
            .min_samples_split(2)
            .seed(seed)
            .fit_rows(x.view(), &y)
            .unwrap();
        let q = Array2::from_shape_fn((queries.len(), 2), |(i, j)| {
            if j == 0 { queries[i].0 } else { f32::from(queries[i].1) }
        });
        let lo = y.iter().copied().fold(f32::INFINITY, f32::min);
        let hi = y.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        // Means of means in f32 may round a hair past the extremes.
        let slack = 1e-4 * (1.0 + lo.abs().max(hi.abs()));
        for p in forest.predict_rows(q.view()) {
            prop_assert!(p >= lo - slack && p <= hi + slack, "{} outside [{}, {}]", p, lo, hi);
        }
    }

    /// Bias plus the contributions is the mean of the leaves the row reaches (in f64, to 1e-9),
    /// and so the forest's own f32 prediction up to its rounding; a feature no split on the
    /// row's paths uses contributes nothing.
    #[test]
    fn contributions_add_up_to_the_prediction(
        seed in any::<u64>(),
        n in 20usize..120,
        depth in 1usize..7,
        queries in proptest::collection::vec(proptest::collection::vec(-1.0f32..11.0, 4), 1..16),
    ) {
        let (x, y) = synthetic(n, 4, seed);
        let forest = ForestParams::original()
            .n_trees(12)
            .max_depth(depth)
            .min_samples_split(2)
            .seed(seed)
            .fit_rows(x.view(), &y)
            .unwrap();
        for row in &queries {
            let parts = forest.contributions(row);
            let leaves: f64 = forest
                .trees
                .iter()
                .map(|&t| f64::from(tree::walk(&forest.nodes, t, row)))
                .sum::<f64>()
                / forest.trees.len() as f64;
            prop_assert!((parts.total() - leaves).abs() < 1e-9, "{} vs {}", parts.total(), leaves);
            let predicted = f64::from(forest.predict_one(row));
            prop_assert!((parts.total() - predicted).abs() < 1e-4 * (1.0 + predicted.abs()));
            let used: std::collections::HashSet<usize> = forest
                .trees
                .iter()
                .flat_map(|t| path_features(&forest, t.root as usize, row))
                .collect();
            for (feature, c) in parts.by_feature.iter().enumerate() {
                prop_assert!(used.contains(&feature) || *c == 0.0, "feature {} gave {}", feature, c);
            }
        }
    }
}

/// The features of the splits on `row`'s path from `at` to its leaf.
fn path_features(forest: &RandomForest, mut at: usize, row: &[f32]) -> Vec<usize> {
    let mut features = Vec::new();
    while forest.nodes[at].left as usize != at {
        let node = forest.nodes[at];
        features.push(node.feature as usize);
        at = node.left as usize + usize::from(row[node.feature as usize] > node.threshold);
    }
    features
}

/// Rows with genre-like 0/1 flags, one numeric column, and a target driven by both.
fn flags(n: usize, seed: u64) -> (Array2<f32>, Vec<f32>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let x = Array2::from_shape_fn((n, 8), |(_, j)| {
        if j == 0 {
            rng.random_range(1950..2025) as f32
        } else {
            f32::from(rng.random_bool(0.3))
        }
    });
    let y = x
        .rows()
        .into_iter()
        .map(|r| 2.0 + r[1] - 0.5 * r[2] + (r[0] - 1990.0) / 50.0 + rng.random_range(-0.3..0.3))
        .collect();
    (x, y)
}

#[test]
fn two_valued_features_split_as_the_sorted_scan_would() {
    let (x, y) = flags(300, 13);
    let params = ForestParams::original()
        .n_trees(3)
        .min_samples_split(2)
        .bootstrap(false);
    let fast = params.fit_rows(x.view(), &y).unwrap();
    // An extra zero-weight row with 0.5 in every flag makes each flag three-valued, so the
    // same splits are found by the sorted scan instead of the bit masks.
    let mut wide = x.clone();
    wide.push_row(ndarray::ArrayView1::from(&[
        1990.0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5,
    ]))
    .unwrap();
    let mut weights = vec![1.0; 301];
    weights[300] = 0.0;
    let mut y_wide = y.clone();
    y_wide.push(0.0);
    let scanned = params
        .fit_weighted(wide.view(), &y_wide, Some(&weights))
        .unwrap();
    assert_eq!(fast.n_nodes(), scanned.n_nodes());
    for (a, b) in fast
        .predict_rows(x.view())
        .iter()
        .zip(scanned.predict_rows(x.view()))
    {
        assert!((a - b).abs() < 1e-5, "{a} vs {b}");
    }
    let imp = fast.feature_importances();
    assert!(imp[1] > imp[2] && imp[2] > imp[3], "{imp:?}");
}

#[test]
fn fits_a_flag_step_exactly() {
    let x = Array2::from_shape_fn((64, 3), |(i, j)| f32::from((i >> j) & 1 == 1));
    let y: Vec<f32> = x.rows().into_iter().map(|r| 1.5 + 2.0 * r[1]).collect();
    let forest = exact().fit_rows(x.view(), &y).unwrap();
    assert_eq!(forest.predict_rows(x.view()), y);
    assert_eq!(forest.feature_importances(), &[0.0, 1.0, 0.0]);
}
