//! The protocol's accuracy measures, each a pure function of predictions and true ratings.

/// The rating from which a film counts as liked, for [`accuracy`].
pub const LIKED_FROM: f32 = 3.5;

/// Root mean squared error; 0 for no pairs.
pub fn rmse(predicted: &[f32], actual: &[f32]) -> f64 {
    mean(pairs(predicted, actual).map(|(p, a)| (p - a) * (p - a))).sqrt()
}

/// Mean absolute error; 0 for no pairs.
pub fn mae(predicted: &[f32], actual: &[f32]) -> f64 {
    mean(pairs(predicted, actual).map(|(p, a)| (p - a).abs()))
}

/// Share of pairs where `predicted >= 3.5` agrees with `actual >= 3.5`.
pub fn accuracy(predicted: &[f32], actual: &[f32]) -> f64 {
    mean(pairs(predicted, actual).map(|(p, a)| {
        f64::from(u8::from(
            (p >= f64::from(LIKED_FROM)) == (a >= f64::from(LIKED_FROM)),
        ))
    }))
}

/// Spearman's rank correlation with tied values given their average rank; `None` when it is
/// undefined (fewer than two pairs, or either side constant).
pub fn spearman(predicted: &[f32], actual: &[f32]) -> Option<f64> {
    if predicted.len() != actual.len() || predicted.len() < 2 {
        return None;
    }
    pearson(&average_ranks(predicted), &average_ranks(actual))
}

/// NDCG@k of the order the predictions give, with gain = true rating and discount
/// `1 / log2(position + 1)` (position from 1). Ties in prediction keep the input order.
/// `None` for no films.
pub fn ndcg_at(k: usize, predicted: &[f32], actual: &[f32]) -> Option<f64> {
    if predicted.is_empty() || predicted.len() != actual.len() {
        return None;
    }
    let mut by_prediction: Vec<usize> = (0..predicted.len()).collect();
    by_prediction.sort_by(|&a, &b| predicted[b].total_cmp(&predicted[a]));
    let dcg = discounted(by_prediction.iter().map(|&at| actual[at]), k);
    let mut ideal: Vec<f32> = actual.to_vec();
    ideal.sort_by(|a, b| b.total_cmp(a));
    let idcg = discounted(ideal.into_iter(), k);
    (idcg > 0.0).then(|| dcg / idcg)
}

fn discounted(gains: impl Iterator<Item = f32>, k: usize) -> f64 {
    gains
        .take(k)
        .enumerate()
        .map(|(i, gain)| f64::from(gain) / ((i + 2) as f64).log2())
        .sum()
}

/// 1-based ranks, ties sharing the mean of the ranks they span.
pub fn average_ranks(values: &[f32]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        // Positions start..end hold ranks start+1..=end; their mean:
        let rank = (start + 1 + end) as f64 / 2.0;
        for &at in &order[start..end] {
            ranks[at] = rank;
        }
        start = end;
    }
    ranks
}

fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len() as f64;
    let mx = x.iter().sum::<f64>() / n;
    let my = y.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

fn pairs<'a>(predicted: &'a [f32], actual: &'a [f32]) -> impl Iterator<Item = (f64, f64)> + 'a {
    debug_assert_eq!(predicted.len(), actual.len());
    predicted
        .iter()
        .zip(actual)
        .map(|(&p, &a)| (f64::from(p), f64::from(a)))
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    if n == 0 { 0.0 } else { sum / n as f64 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn rmse_and_mae_by_hand() {
        let p = [3.0, 4.0, 2.0];
        let a = [4.0, 4.0, 4.0];
        // Errors 1, 0, 2: squares 1, 0, 4.
        assert!(close(rmse(&p, &a), (5.0f64 / 3.0).sqrt()));
        assert!(close(mae(&p, &a), 1.0));
        assert_eq!(rmse(&[], &[]), 0.0);
    }

    #[test]
    fn accuracy_counts_agreement_on_liking() {
        let p = [3.5, 3.4, 4.0, 1.0];
        let a = [4.0, 3.5, 3.0, 0.5];
        // agree, disagree, disagree, agree
        assert!(close(accuracy(&p, &a), 0.5));
    }

    #[test]
    fn ranks_average_ties() {
        assert_eq!(
            average_ranks(&[10.0, 20.0, 10.0, 30.0]),
            vec![1.5, 3.0, 1.5, 4.0]
        );
    }

    #[test]
    fn spearman_by_hand() {
        assert!(close(
            spearman(&[1.0, 2.0, 3.0], &[2.0, 4.0, 5.0]).unwrap(),
            1.0
        ));
        assert!(close(
            spearman(&[1.0, 2.0, 3.0], &[5.0, 4.0, 2.0]).unwrap(),
            -1.0
        ));
        // x ranks 1,2,3,4; y = [1,3,2,2] ranks 1,4,2.5,2.5; centred: x -1.5,-.5,.5,1.5,
        // y -1.5,1.5,0,0; sxy = 2.25-0.75 = 1.5; sxx = 5; syy = 4.5.
        let expected = 1.5 / (5.0f64 * 4.5).sqrt();
        assert!(close(
            spearman(&[1.0, 2.0, 3.0, 4.0], &[1.0, 3.0, 2.0, 2.0]).unwrap(),
            expected
        ));
        assert_eq!(spearman(&[1.0, 2.0], &[3.0, 3.0]), None);
        assert_eq!(spearman(&[1.0], &[3.0]), None);
    }

    #[test]
    fn ndcg_by_hand() {
        // Predicted order: films 1, 0, 2 -> gains 3, 5, 1. Ideal: 5, 3, 1.
        let p = [4.0, 4.5, 1.0];
        let a = [5.0, 3.0, 1.0];
        let dcg = 3.0 + 5.0 / 3f64.log2() + 1.0 / 2.0;
        let idcg = 5.0 + 3.0 / 3f64.log2() + 1.0 / 2.0;
        assert!(close(ndcg_at(10, &p, &a).unwrap(), dcg / idcg));
        // Cut at 1: 3 / 5.
        assert!(close(ndcg_at(1, &p, &a).unwrap(), 0.6));
        assert!(close(ndcg_at(10, &a, &a).unwrap(), 1.0));
        assert_eq!(ndcg_at(10, &[], &[]), None);
    }
}
