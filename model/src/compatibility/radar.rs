//! The overlap of two radar charts: polygons whose vertices sit on equally spaced axes at the
//! given radii, as intersection over union of their areas.

use std::f64::consts::TAU;

/// Intersection over union (0 to 1) of the two radar polygons with radii `a` and `b` on the
/// same axes. With fewer than three axes there is no polygon: the overlap is then the same ratio
/// along the axes, `Σ min / Σ max`. `None` with no axis, or when both are all zeros.
pub fn radar_overlap(a: &[f64], b: &[f64]) -> Option<f64> {
    let m = a.len().min(b.len());
    if m == 0 {
        return None;
    }
    if m < 3 {
        let low: f64 = a.iter().zip(b).map(|(x, y)| x.min(*y).max(0.0)).sum();
        let high: f64 = a.iter().zip(b).map(|(x, y)| x.max(*y).max(0.0)).sum();
        return (high > 0.0).then(|| low / high);
    }
    let theta = TAU / m as f64;
    let (mut area_a, mut area_b, mut inter) = (0.0, 0.0, 0.0);
    for k in 0..m {
        let next = (k + 1) % m;
        let (a1, a2) = (a[k].max(0.0), a[next].max(0.0));
        let (b1, b2) = (b[k].max(0.0), b[next].max(0.0));
        area_a += triangle(a1, a2, theta);
        area_b += triangle(b1, b2, theta);
        inter += sector_intersection(a1, a2, b1, b2, theta);
    }
    let union = area_a + area_b - inter;
    (union > 1e-12).then(|| (inter / union).clamp(0.0, 1.0))
}

/// Area of the triangle between the centre and radii `r1` and `r2` that are `theta` apart.
fn triangle(r1: f64, r2: f64, theta: f64) -> f64 {
    0.5 * r1 * r2 * theta.sin()
}

/// Area of the intersection of two such triangles on the same two axes: the smaller one when one
/// is inside the other, else the quadrilateral under the crossing edges.
fn sector_intersection(a1: f64, a2: f64, b1: f64, b2: f64, theta: f64) -> f64 {
    if (a1 <= b1 && a2 <= b2) || (a1 >= b1 && a2 >= b2) {
        return triangle(a1.min(b1), a2.min(b2), theta);
    }
    // The edges cross at X: area = triangle(O, low1, X) + triangle(O, X, low2).
    let (c, s) = (theta.cos(), theta.sin());
    let point = |r1: f64, r2: f64, t: f64| ((1.0 - t) * r1 + t * r2 * c, t * r2 * s);
    // Solve P_a(t) = P_b(u): edge a from (a1, 0) to a2·(c, s), edge b likewise.
    let (ax, ay) = (a2 * c - a1, a2 * s);
    let (bx, by) = (b2 * c - b1, b2 * s);
    let det = ax * (-by) - ay * (-bx);
    if det.abs() < 1e-12 {
        return triangle(a1.min(b1), a2.min(b2), theta);
    }
    let (rx, ry) = (b1 - a1, 0.0);
    let t = (rx * (-by) - ry * (-bx)) / det;
    let (x, y) = point(a1, a2, t.clamp(0.0, 1.0));
    let low1 = a1.min(b1);
    let low2 = a2.min(b2);
    // Shoelace over O, (low1, 0), X, low2·(c, s).
    let p = [(0.0, 0.0), (low1, 0.0), (x, y), (low2 * c, low2 * s)];
    let mut twice = 0.0;
    for i in 0..p.len() {
        let (x1, y1) = p[i];
        let (x2, y2) = p[(i + 1) % p.len()];
        twice += x1 * y2 - x2 * y1;
    }
    (twice / 2.0).abs()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_radars_overlap_fully_and_nested_ones_by_area() {
        let a = [3.0, 4.0, 2.0, 5.0];
        assert!((radar_overlap(&a, &a).unwrap() - 1.0).abs() < 1e-12);
        // Halving every radius quarters the area.
        let half: Vec<f64> = a.iter().map(|r| r / 2.0).collect();
        assert!((radar_overlap(&a, &half).unwrap() - 0.25).abs() < 1e-12);
    }

    #[test]
    fn crossing_edges_are_cut_where_they_cross() {
        // A square radar (4 axes) whose edges cross in every sector.
        let a = [2.0, 1.0, 2.0, 1.0];
        let b = [1.0, 2.0, 1.0, 2.0];
        let ab = radar_overlap(&a, &b).unwrap();
        let ba = radar_overlap(&b, &a).unwrap();
        assert!((ab - ba).abs() < 1e-12);
        // Each sector: two triangles of area 1 crossing at (2/3, 2/3): the intersection is 2/3.
        assert!((ab - (2.0 / 3.0) / (2.0 - 2.0 / 3.0)).abs() < 1e-9, "{ab}");
    }

    #[test]
    fn too_few_axes_compare_along_them() {
        assert_eq!(radar_overlap(&[2.0, 4.0], &[4.0, 4.0]), Some(0.75));
        assert_eq!(radar_overlap(&[], &[]), None);
    }
}
