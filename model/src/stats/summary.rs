//! Mean and sample standard deviation of a set of values.

use serde::{Deserialize, Serialize};

/// How many values there were, their mean and their sample standard deviation (n - 1 in the
/// denominator, as pandas computes it), which needs at least two values.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Spread {
    pub count: u32,
    pub mean: f64,
    pub std_dev: Option<f64>,
}

impl Spread {
    /// `None` for no values.
    pub fn of(values: &[f64]) -> Option<Spread> {
        let mean = mean(values)?;
        let std_dev = (values.len() >= 2).then(|| {
            let squares: f64 = values.iter().map(|v| (v - mean).powi(2)).sum();
            (squares / (values.len() - 1) as f64).sqrt()
        });
        Some(Spread {
            count: u32::try_from(values.len()).unwrap_or(u32::MAX),
            mean,
            std_dev,
        })
    }
}

pub(crate) fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_standard_deviation_divides_by_n_minus_one() {
        let spread = Spread::of(&[4.0, 3.0, 5.0, 2.0, 1.0]).unwrap();
        assert_eq!(spread.count, 5);
        assert!((spread.mean - 3.0).abs() < 1e-12);
        // Squared deviations 1 + 0 + 4 + 1 + 4 = 10, over 4.
        assert!((spread.std_dev.unwrap() - 2.5_f64.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn one_value_has_a_mean_but_no_spread_and_none_has_neither() {
        let one = Spread::of(&[3.5]).unwrap();
        assert_eq!((one.mean, one.std_dev), (3.5, None));
        assert_eq!(Spread::of(&[]), None);
    }
}
