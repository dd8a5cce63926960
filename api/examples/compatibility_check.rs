//! Does the compatibility `film` score tell how alike two members rate? For pairs of letterboxd-1m
//! members, the film score is computed from each member's ratings of the films the other has NOT
//! rated, and compared (Pearson across pairs) with the correlation of their ratings of the films
//! both rated: a score that knows taste should predict agreement on films it never saw. Ours
//! (`model::compatibility`) against the original's recipe (ridge, alpha 1, on the 25 raw features
//! standardized, country as a code and the rating count unlogged).
//!
//! ```text
//! cargo run -p reel --example compatibility_check -- 120
//! LETTERBOXD_1M=/work/shared/data/letterboxd-1m cargo run -q -p reel --example compatibility_check -- 300
//! ```
//! The second (2026-12-07, a debug build, 9 minutes): 300 members, 24,789 pairs with at least 20
//! shared films; Pearson(film score, rating correlation on shared films) ours 0.410, original
//! 0.393. With 120 members (3,921 pairs): 0.447 against 0.429.
//! Data: `../shared/data/letterboxd-1m` (override with `LETTERBOXD_1M=dir`).

use std::collections::HashMap;
use std::error::Error;
use std::path::PathBuf;

use letterboxd::dataset;
use model::compatibility::{FeatureScale, MemberTaste, film_score};
use model::features::N_FEATURES;
use model::{Catalog, FilmIndex, Username};

type Res<T> = Result<T, Box<dyn Error>>;

/// Pairs need this many shared films for their rating correlation to mean something.
const MIN_SHARED: usize = 20;

fn main() -> Res<()> {
    let members: usize = std::env::args().nth(1).map_or(Ok(120), |n| n.parse())?;
    let dir = PathBuf::from(
        std::env::var("LETTERBOXD_1M").unwrap_or_else(|_| "../shared/data/letterboxd-1m".into()),
    );
    let catalog = Catalog::from_films(dataset::read_films(&dir.join("films.csv.gz"))?);
    let mut by_member: HashMap<Username, Vec<(FilmIndex, f32)>> = HashMap::new();
    let mut order = Vec::new();
    dataset::for_each_rating(&dir.join("ratings.csv.gz"), |row| {
        if let Some(at) = catalog.index_of(&row.key) {
            let list = by_member.entry(row.user.clone()).or_insert_with(|| {
                order.push(row.user.clone());
                Vec::new()
            });
            list.push((at, row.rating.stars()));
        }
    })?;
    let chosen: Vec<Vec<(FilmIndex, f32)>> = order
        .iter()
        .filter_map(|name| by_member.get(name))
        .filter(|r| r.len() >= 100)
        .take(members)
        .map(|r| {
            let mut r = r.clone();
            r.sort_by_key(|&(at, _)| at);
            r.dedup_by_key(|&mut (at, _)| at);
            r
        })
        .collect();
    let scale = FeatureScale::of(&catalog);
    let original = OriginalScale::of(&catalog);
    let (mut ours, mut theirs, mut agreement) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..chosen.len() {
        for j in i + 1..chosen.len() {
            let (a, b) = (&chosen[i], &chosen[j]);
            let rated_b: HashMap<FilmIndex, f32> = b.iter().copied().collect();
            let shared: Vec<(f32, f32)> = a
                .iter()
                .filter_map(|&(at, x)| Some((x, *rated_b.get(&at)?)))
                .collect();
            if shared.len() < MIN_SHARED {
                continue;
            }
            let Some(r) = pearson(&shared) else { continue };
            let only = |mine: &[(FilmIndex, f32)], other: &[(FilmIndex, f32)]| {
                let theirs: std::collections::HashSet<FilmIndex> =
                    other.iter().map(|&(at, _)| at).collect();
                mine.iter()
                    .copied()
                    .filter(|(at, _)| !theirs.contains(at))
                    .collect::<Vec<_>>()
            };
            let (a_only, b_only) = (only(a, b), only(b, a));
            if a_only.len() < 10 || b_only.len() < 10 {
                continue;
            }
            let ta = MemberTaste::new(&a_only, &[], &catalog, &scale);
            let tb = MemberTaste::new(&b_only, &[], &catalog, &scale);
            ours.push(film_score(&ta, &tb));
            let (wa, wb) = (
                original.coefficients(&a_only, &catalog),
                original.coefficients(&b_only, &catalog),
            );
            theirs.push(50.0 * (1.0 + cosine(&wa, &wb)));
            agreement.push(r);
        }
    }
    let pairs: Vec<(f32, f32)> = ours
        .iter()
        .zip(&agreement)
        .map(|(&s, &r)| (s as f32, r as f32))
        .collect();
    let original_pairs: Vec<(f32, f32)> = theirs
        .iter()
        .zip(&agreement)
        .map(|(&s, &r)| (s as f32, r as f32))
        .collect();
    println!(
        "{} members, {} pairs with >= {MIN_SHARED} shared films",
        chosen.len(),
        agreement.len()
    );
    println!(
        "Pearson(film score, rating correlation on shared films): ours {:.3}, original {:.3}",
        pearson(&pairs).unwrap_or(f64::NAN),
        pearson(&original_pairs).unwrap_or(f64::NAN)
    );
    Ok(())
}

fn pearson(xy: &[(f32, f32)]) -> Option<f64> {
    let n = xy.len() as f64;
    let mx = xy.iter().map(|&(x, _)| f64::from(x)).sum::<f64>() / n;
    let my = xy.iter().map(|&(_, y)| f64::from(y)).sum::<f64>() / n;
    let (mut c, mut vx, mut vy) = (0.0, 0.0, 0.0);
    for &(x, y) in xy {
        let (dx, dy) = (f64::from(x) - mx, f64::from(y) - my);
        c += dx * dy;
        vx += dx * dx;
        vy += dy * dy;
    }
    (vx > 0.0 && vy > 0.0).then(|| c / (vx * vy).sqrt())
}

fn cosine(a: &[f64], b: &[f64]) -> f64 {
    let dot: f64 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let na = a.iter().map(|x| x * x).sum::<f64>().sqrt();
    let nb = b.iter().map(|x| x * x).sum::<f64>().sqrt();
    if na < 1e-12 || nb < 1e-12 {
        0.0
    } else {
        dot / (na * nb)
    }
}

/// The original's features: the 25 catalog columns as they are, z-scored over the catalog.
struct OriginalScale {
    mean: [f64; N_FEATURES],
    sd: [f64; N_FEATURES],
}

impl OriginalScale {
    fn of(catalog: &Catalog) -> Self {
        let n = catalog.len() as f64;
        let (mut mean, mut sd) = ([0.0; N_FEATURES], [0.0; N_FEATURES]);
        for at in catalog.indices() {
            for (i, &v) in catalog.features().row(at).iter().enumerate() {
                mean[i] += f64::from(v) / n;
            }
        }
        for at in catalog.indices() {
            for (i, &v) in catalog.features().row(at).iter().enumerate() {
                sd[i] += (f64::from(v) - mean[i]).powi(2) / n;
            }
        }
        Self {
            mean,
            sd: sd.map(f64::sqrt),
        }
    }

    /// sklearn's `Ridge(alpha=1)` with its intercept: centered features and ratings.
    fn coefficients(&self, ratings: &[(FilmIndex, f32)], catalog: &Catalog) -> Vec<f64> {
        let rows: Vec<Vec<f64>> = ratings
            .iter()
            .map(|&(at, _)| {
                catalog
                    .features()
                    .row(at)
                    .iter()
                    .enumerate()
                    .map(|(i, &v)| {
                        if self.sd[i] > 0.0 {
                            (f64::from(v) - self.mean[i]) / self.sd[i]
                        } else {
                            0.0
                        }
                    })
                    .collect()
            })
            .collect();
        let n = rows.len() as f64;
        let centre: Vec<f64> = (0..N_FEATURES)
            .map(|i| rows.iter().map(|r| r[i]).sum::<f64>() / n)
            .collect();
        let my = ratings.iter().map(|&(_, r)| f64::from(r)).sum::<f64>() / n;
        let mut a = vec![vec![0.0; N_FEATURES + 1]; N_FEATURES];
        for (row, &(_, y)) in rows.iter().zip(ratings) {
            let x: Vec<f64> = row.iter().zip(&centre).map(|(v, c)| v - c).collect();
            for i in 0..N_FEATURES {
                for j in 0..N_FEATURES {
                    a[i][j] += x[i] * x[j];
                }
                a[i][N_FEATURES] += x[i] * (f64::from(y) - my);
            }
        }
        for (i, row) in a.iter_mut().enumerate() {
            row[i] += 1.0;
        }
        solve(a)
    }
}

/// Gauss-Jordan with partial pivoting on an augmented, positive definite system.
fn solve(mut a: Vec<Vec<f64>>) -> Vec<f64> {
    let n = a.len();
    for col in 0..n {
        let pivot = (col..n)
            .max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs()))
            .unwrap_or(col);
        a.swap(col, pivot);
        let p = a[col][col];
        for v in a[col].iter_mut() {
            *v /= p;
        }
        for r in 0..n {
            if r != col {
                let f = a[r][col];
                let pivot_row = a[col].clone();
                for (v, pv) in a[r].iter_mut().zip(pivot_row) {
                    *v -= f * pv;
                }
            }
        }
    }
    a.into_iter().map(|row| row[n]).collect()
}
