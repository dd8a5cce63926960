//! The one piece of linear algebra the collaborative models need: a small ridge regression, solved
//! by Cholesky on the normal equations.

/// Accumulates `sum x x^T` and `sum x t` for `x` of a fixed dimension, then solves
/// `(sum x x^T + diag(ridge)) w = sum x t`.
#[derive(Debug, Clone)]
pub(crate) struct Ridge {
    dim: usize,
    gram: Vec<f64>,
    rhs: Vec<f64>,
}

impl Ridge {
    pub(crate) fn new(dim: usize) -> Self {
        Self {
            dim,
            gram: vec![0.0; dim * dim],
            rhs: vec![0.0; dim],
        }
    }

    pub(crate) fn clear(&mut self) {
        self.gram.fill(0.0);
        self.rhs.fill(0.0);
    }

    /// Adds one observation `x` (length `dim`) with target `t`. Only the lower triangle is kept.
    pub(crate) fn add(&mut self, x: &[f32], t: f32) {
        let t = f64::from(t);
        for (i, &xi) in x.iter().enumerate() {
            let xi = f64::from(xi);
            self.rhs[i] += xi * t;
            let row = &mut self.gram[i * self.dim..i * self.dim + i + 1];
            for (g, &xj) in row.iter_mut().zip(x) {
                *g += xi * f64::from(xj);
            }
        }
    }

    /// The ridge solution with penalties `scale * ridge[i]`, written into `out`. Penalties must be
    /// positive, which makes the system positive definite; a numerically singular system leaves
    /// `out` at zero.
    pub(crate) fn solve(&mut self, ridge: &[f64], scale: f64, out: &mut [f32]) {
        let n = self.dim;
        for (i, r) in ridge.iter().enumerate() {
            self.gram[i * n + i] += r * scale;
        }
        // In-place Cholesky: lower triangle becomes L.
        for j in 0..n {
            let mut diag = self.gram[j * n + j];
            for k in 0..j {
                diag -= self.gram[j * n + k] * self.gram[j * n + k];
            }
            if diag <= 1e-12 {
                out.fill(0.0);
                return;
            }
            let diag = diag.sqrt();
            self.gram[j * n + j] = diag;
            for i in j + 1..n {
                let mut v = self.gram[i * n + j];
                for k in 0..j {
                    v -= self.gram[i * n + k] * self.gram[j * n + k];
                }
                self.gram[i * n + j] = v / diag;
            }
        }
        // L y = b, then L^T w = y.
        let mut y = self.rhs.clone();
        for i in 0..n {
            for k in 0..i {
                y[i] -= self.gram[i * n + k] * y[k];
            }
            y[i] /= self.gram[i * n + i];
        }
        for i in (0..n).rev() {
            for k in i + 1..n {
                y[i] -= self.gram[k * n + i] * y[k];
            }
            y[i] /= self.gram[i * n + i];
        }
        for (o, v) in out.iter_mut().zip(y) {
            *o = v as f32;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_an_exact_linear_map() {
        // t = 2 + 3 a - b, with a tiny ridge.
        let mut ridge = Ridge::new(3);
        for (a, b) in [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (2.0, 3.0), (-1.0, 0.5)] {
            ridge.add(&[1.0, a, b], 2.0 + 3.0 * a - b);
        }
        let mut w = [0.0; 3];
        ridge.solve(&[1e-9; 3], 1.0, &mut w);
        for (got, want) in w.iter().zip([2.0, 3.0, -1.0]) {
            assert!((got - want).abs() < 1e-4, "{w:?}");
        }
    }

    #[test]
    fn ridge_shrinks_a_single_observation() {
        // One x = 1 with t = 4 and penalty 0.5 * 2: w = 4 / (1 + 1).
        let mut ridge = Ridge::new(1);
        ridge.add(&[1.0], 4.0);
        let mut w = [0.0];
        ridge.solve(&[0.5], 2.0, &mut w);
        assert!((w[0] - 2.0).abs() < 1e-6);
    }
}
