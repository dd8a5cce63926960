//! A fixed amount of forest work for CPU-time measurements that load on a shared machine does not
//! distort the way wall-clock time is (criterion's `benches/forest.rs` gives the wall-clock
//! figures): `perf stat -e task-clock` or `/usr/bin/time` over
//! `RAYON_NUM_THREADS=1 cargo run --release -p model --example forest_timing -- 50 original [fit|predict|both]`
//! gives the CPU time of 50 personalized train+predict runs (275 ratings, 7,472 films). It
//! prints a hash of the predictions, so a speed change can show it changed no result.

use std::hint::black_box;
use std::time::Instant;

use model::forest::ForestParams;
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn main() {
    let mut args = std::env::args().skip(1);
    let runs: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(50);
    let preset = args.next().unwrap_or_else(|| "original".into());
    let params = ForestParams::preset(&preset).unwrap_or_else(ForestParams::original);
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let catalog = Array2::from_shape_fn((7_472, 25), |(_, f)| match f {
        0 => rng.random_range(1920..=2025) as f32,
        1 => rng.random_range(70..=200) as f32,
        2 => rng.random_range(0..=15) as f32,
        3 => (rng.random_range(0.5f32..5.0) * 1000.0).round() / 1000.0,
        4 => 10f32.powf(rng.random_range(1.0..6.5)).round(),
        _ => f32::from(rng.random_bool(0.15)),
    });
    let rows: Vec<usize> = (0..275).map(|_| rng.random_range(0..7_472)).collect();
    let x = catalog.select(ndarray::Axis(0), &rows);
    let y: Vec<f32> = x
        .rows()
        .into_iter()
        .map(|r| ((0.8 * r[3] + 0.6 * r[8] + rng.random_range(-1.0f32..1.0)) * 2.0).round() / 2.0)
        .map(|v| v.clamp(0.5, 5.0))
        .collect();
    let part = args.next().unwrap_or_else(|| "both".into());
    if part == "predict" {
        let forest = params
            .fit_rows(x.view(), &y)
            .unwrap_or_else(|e| panic!("{e}"));
        let start = Instant::now();
        for _ in 0..runs {
            black_box(forest.predict_rows(catalog.view()));
        }
        let ms = start.elapsed().as_secs_f64() * 1e3 / runs as f64;
        println!("{preset}: {runs} predictions, wall mean {ms:.2} ms");
        return;
    }
    let (mut fit, mut predict) = (0f64, 0f64);
    let mut checksum = 0u64;
    for _ in 0..runs {
        let start = Instant::now();
        let forest = params
            .fit_rows(x.view(), &y)
            .unwrap_or_else(|e| panic!("{e}"));
        let trained = Instant::now();
        if part != "fit" {
            checksum = fingerprint(&black_box(forest.predict_rows(catalog.view())));
        }
        fit += (trained - start).as_secs_f64();
        predict += trained.elapsed().as_secs_f64();
    }
    println!(
        "{preset}: {runs} runs, wall mean fit {:.2} ms + predict {:.2} ms, predictions {checksum:016x}",
        fit * 1e3 / runs as f64,
        predict * 1e3 / runs as f64
    );
}

/// A hash of the predictions' bits: equal before and after a speed change that changed nothing.
fn fingerprint(predictions: &[f32]) -> u64 {
    predictions.iter().fold(0xcbf2_9ce4_8422_2325, |hash, p| {
        (hash ^ u64::from(p.to_bits())).wrapping_mul(0x0100_0000_01b3)
    })
}
