//! The forest's speed on data shaped like the service's: 25 film features (year, runtime, country
//! code 0..15, average 0.5..5, rating count, 19 genre flags, is-movie) and half-star ratings.
//!
//! - `personalized/275x7472/*`: train on a 275-rating member, predict the 7,472-film catalog
//!   (target with the original preset: <= 12 ms median on one core,
//!   `RAYON_NUM_THREADS=1 cargo bench -p model --bench forest -- personalized`).
//! - `personalized/2000x100000/*`: train on 2,000 ratings, predict a 100,000-film catalog
//!   (target: <= 150 ms on 2 cores, `cargo bench -p model --bench forest -- 2000x`).
//! - `predict/*` and `fit/*` split those costs.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use model::forest::ForestParams;
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const FEATURES: usize = 25;

/// A synthetic catalog of `films` rows in the service's feature layout.
fn catalog(films: usize, rng: &mut ChaCha8Rng) -> Array2<f32> {
    let mut x = Array2::zeros((films, FEATURES));
    for mut row in x.rows_mut() {
        row[0] = rng.random_range(1920..=2025) as f32;
        row[1] = rng.random_range(70..=200) as f32;
        row[2] = if rng.random_bool(0.45) {
            0.0
        } else {
            rng.random_range(1..=15) as f32
        };
        row[3] = (rng.random_range(0.5f32..5.0) * 1000.0).round() / 1000.0;
        row[4] = (10f32.powf(rng.random_range(1.0..6.5))).round();
        for genre in 5..24 {
            row[genre] = f32::from(rng.random_bool(0.15));
        }
        row[24] = f32::from(rng.random_bool(0.9));
    }
    x
}

/// A member's half-star ratings of `n` catalog films: a taste for the film's average, one genre
/// and recent films, plus noise.
fn member(x: &Array2<f32>, n: usize, rng: &mut ChaCha8Rng) -> (Array2<f32>, Vec<f32>) {
    let rows: Vec<usize> = (0..n).map(|_| rng.random_range(0..x.nrows())).collect();
    let train = x.select(ndarray::Axis(0), &rows);
    let y = train
        .rows()
        .into_iter()
        .map(|r| {
            let taste = 0.8 * r[3] + 0.6 * r[8] - 0.4 * r[15] + (r[0] - 1990.0) / 100.0;
            ((taste + rng.random_range(-1.0f32..1.0)) * 2.0)
                .round()
                .clamp(1.0, 10.0)
                / 2.0
        })
        .collect();
    (train, y)
}

fn presets() -> [(&'static str, ForestParams); 3] {
    [
        ("original", ForestParams::original()),
        ("default", ForestParams::default()),
        ("fast", ForestParams::fast()),
    ]
}

fn personalized(c: &mut Criterion) {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    for (ratings, films) in [(275, 7_472), (2_000, 100_000)] {
        let x = catalog(films, &mut rng);
        let (train, y) = member(&x, ratings, &mut rng);
        let mut group = c.benchmark_group(format!("personalized/{ratings}x{films}"));
        if films > 10_000 {
            group
                .sample_size(20)
                .measurement_time(Duration::from_secs(8));
        }
        for (name, params) in presets() {
            group.bench_function(name, |b| {
                b.iter(|| {
                    let forest = params
                        .fit_rows(train.view(), &y)
                        .unwrap_or_else(|e| panic!("{e}"));
                    black_box(forest.predict_rows(x.view()))
                })
            });
        }
        group.finish();
    }
}

fn split_costs(c: &mut Criterion) {
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    let x = catalog(7_472, &mut rng);
    let (train, y) = member(&x, 275, &mut rng);
    let params = ForestParams::original();
    c.bench_function("fit/original/275", |b| {
        b.iter(|| black_box(params.fit_rows(train.view(), &y)))
    });
    let forest = params
        .fit_rows(train.view(), &y)
        .unwrap_or_else(|e| panic!("{e}"));
    c.bench_function("predict/original/7472", |b| {
        b.iter(|| black_box(forest.predict_rows(x.view())))
    });
}

criterion_group!(benches, personalized, split_costs);
criterion_main!(benches);
