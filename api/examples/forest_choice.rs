//! Our forest against smartcore 0.7's `RandomForestRegressor` on the shared letterboxd-1m data,
//! both with the original's configuration (100 trees, depth 10, min split 10, every feature):
//! RMSE/MAE on the test ratings of the first N dev members, and the median time to train on a
//! member's train ratings and predict the whole 7,472-film catalog. Also trains one forest on
//! every community + train rating (the general model's data) for time and size.
//!
//! ```text
//! RAYON_NUM_THREADS=1 cargo run --release -p reel --example forest_choice -- both 300
//! # ours with another preset, on 600 members after the first 300 (for choosing presets
//! # without tuning to the evaluation members): <which> [members] [skip] [preset]
//! RAYON_NUM_THREADS=1 cargo run --release -p reel --example forest_choice -- ours 600 300 default
//! /usr/bin/time -v cargo run --release -p reel --example forest_choice -- ours 300
//! /usr/bin/time -v cargo run --release -p reel --example forest_choice -- smartcore 300
//! /usr/bin/time -v cargo run --release -p reel --example forest_choice -- general original
//! # the same features and splits as CSV, for scripts/sklearn_forest.py: export DIR [members]
//! cargo run --release -p reel --example forest_choice -- export target/forest-data 300
//! ```
//! Data: `../shared/data/letterboxd-1m` (override with `LETTERBOXD_1M=dir`), read with the same
//! reader, protocol helpers and feature encoding (`Catalog`, `model::features`) as `reel eval`.

use std::collections::HashSet;
use std::error::Error;
use std::path::Path;
use std::time::Instant;

use letterboxd::dataset;
use model::eval::MemberSplit;
use model::features::N_FEATURES;
use model::forest::{ForestParams, MaxFeatures};
use model::{Catalog, FilmIndex};
use ndarray::Array2;
use smartcore::ensemble::random_forest_regressor::{
    RandomForestRegressor, RandomForestRegressorParameters,
};
use smartcore::linalg::basic::matrix::DenseMatrix;

type Res<T> = Result<T, Box<dyn Error>>;

/// (catalog index, stars) pairs.
type Rated = Vec<(FilmIndex, f32)>;

/// The catalog, the scored dev members in file order, and every community + train rating.
fn load(dir: &Path) -> Res<(Catalog, Vec<MemberSplit>, Rated)> {
    let catalog = Catalog::from_films(dataset::read_films(&dir.join("films.csv.gz"))?);
    let rows = dataset::read_ratings(&dir.join("ratings.csv.gz"))?;
    let members = dataset::member_splits(&catalog, &rows, &dataset::dev_members(&rows))
        .into_iter()
        .filter(MemberSplit::is_scored)
        .collect();
    let all = dataset::community_ratings(&catalog, &rows, &HashSet::new())
        .iter()
        .map(|r| (r.film, r.stars))
        .collect();
    Ok((catalog, members, all))
}

fn gather(x: &Array2<f32>, rated: &[(FilmIndex, f32)]) -> (Array2<f32>, Vec<f32>) {
    // The feature matrix has one row per catalog film, in catalog order.
    let rows: Vec<usize> = rated.iter().map(|r| usize::from(r.0)).collect();
    (
        x.select(ndarray::Axis(0), &rows),
        rated.iter().map(|r| r.1).collect(),
    )
}

/// Trains on `train`, predicts the whole catalog; returns the catalog predictions.
type Model<'a> = &'a dyn Fn(&Array2<f32>, &Array2<f32>, &[f32]) -> Res<Vec<f32>>;

fn ours(params: &ForestParams, catalog: &Array2<f32>, x: &Array2<f32>, y: &[f32]) -> Res<Vec<f32>> {
    let forest = params.fit_rows(x.view(), y)?;
    Ok(forest.predict_rows(catalog.view()))
}

fn smartcore_forest(catalog: &Array2<f32>, x: &Array2<f32>, y: &[f32]) -> Res<Vec<f32>> {
    let dense = |a: &Array2<f32>| {
        DenseMatrix::new(a.nrows(), a.ncols(), a.iter().copied().collect(), false)
    };
    let params = RandomForestRegressorParameters::default()
        .with_n_trees(100)
        .with_max_depth(10)
        .with_min_samples_split(10)
        .with_min_samples_leaf(1)
        .with_m(N_FEATURES)
        .with_seed(42);
    let forest = RandomForestRegressor::fit(&dense(x)?, &y.to_vec(), params)?;
    Ok(forest.predict(&dense(catalog)?)?)
}

fn evaluate(name: &str, model: Model, catalog: &Array2<f32>, members: &[MemberSplit]) -> Res<()> {
    let (mut se, mut ae, mut n) = (0f64, 0f64, 0usize);
    let mut times = Vec::new();
    for member in members {
        let (x, y) = gather(catalog, &member.train);
        let start = Instant::now();
        let predicted = model(catalog, &x, &y)?;
        times.push(start.elapsed().as_secs_f64() * 1e3);
        for &(film, rating) in &member.test {
            let err = f64::from(predicted[usize::from(film)].clamp(0.5, 5.0) - rating);
            se += err * err;
            ae += err.abs();
            n += 1;
        }
    }
    times.sort_by(f64::total_cmp);
    println!(
        "| {name} | {:.4} | {:.4} | {:.2} | {:.2} | {} | {} |",
        (se / n as f64).sqrt(),
        ae / n as f64,
        times[times.len() / 2],
        times.iter().sum::<f64>() / times.len() as f64,
        members.len(),
        n
    );
    Ok(())
}

fn general(
    preset: &str,
    catalog: &Array2<f32>,
    all: &[(FilmIndex, f32)],
    members: &[MemberSplit],
) -> Res<()> {
    let params = ForestParams::preset(preset).ok_or("unknown preset")?;
    let (x, y) = gather(catalog, all);
    let start = Instant::now();
    let forest = params.fit_rows(x.view(), &y)?;
    let train_s = start.elapsed().as_secs_f64();
    let bytes = forest.to_bytes()?;
    let predicted = forest.predict_rows(catalog.view());
    let (mut se, mut n) = (0f64, 0usize);
    for &(film, rating) in members.iter().flat_map(|m| &m.test) {
        se += f64::from(predicted[usize::from(film)] - rating).powi(2);
        n += 1;
    }
    println!(
        "general {preset}: {} rows x {N_FEATURES}, trained in {train_s:.1} s on {} threads, \
         {} nodes, {:.2} MB serialized, test RMSE {:.4} over {n} ratings",
        y.len(),
        rayon::current_num_threads(),
        forest.n_nodes(),
        bytes.len() as f64 / 1e6,
        (se / n as f64).sqrt(),
    );
    Ok(())
}

/// Writes `catalog.csv` (one row of the 25 features per film, in catalog order) and
/// `ratings.csv` (`member,film,stars,split`: the members' train and test ratings by catalog row),
/// so another implementation trains on exactly these inputs.
fn export(out: &Path, catalog: &Array2<f32>, members: &[MemberSplit]) -> Res<()> {
    use std::fmt::Write as _;
    std::fs::create_dir_all(out)?;
    let mut text = String::new();
    for row in catalog.rows() {
        let cells: Vec<String> = row.iter().map(f32::to_string).collect();
        writeln!(text, "{}", cells.join(","))?;
    }
    std::fs::write(out.join("catalog.csv"), &text)?;
    text.clear();
    writeln!(text, "member,film,stars,split")?;
    for (i, member) in members.iter().enumerate() {
        for (split, rated) in [("train", &member.train), ("test", &member.test)] {
            for &(film, stars) in rated.iter() {
                writeln!(text, "{i},{film},{stars},{split}")?;
            }
        }
    }
    std::fs::write(out.join("ratings.csv"), &text)?;
    println!(
        "wrote {} films and {} members to {}",
        catalog.nrows(),
        members.len(),
        out.display()
    );
    Ok(())
}

/// A preset name, or a preset adjusted like `default,trees=64,depth=8,leaf=3,split=10,mf=0.5`.
fn params_from(spec: &str) -> Res<ForestParams> {
    let mut parts = spec.split(',');
    let mut params = ForestParams::preset(parts.next().unwrap_or("")).ok_or("unknown preset")?;
    for part in parts {
        let (key, value) = part.split_once('=').ok_or("expected key=value")?;
        params = match key {
            "trees" => params.n_trees(value.parse()?),
            "depth" => params.max_depth(value.parse()?),
            "leaf" => params.min_samples_leaf(value.parse()?),
            "split" => params.min_samples_split(value.parse()?),
            "mf" if value == "sqrt" => params.max_features(MaxFeatures::Sqrt),
            "mf" => params.max_features(MaxFeatures::Fraction(value.parse()?)),
            _ => return Err(format!("unknown key {key}").into()),
        };
    }
    Ok(params)
}

fn main() -> Res<()> {
    let dir =
        std::env::var("LETTERBOXD_1M").unwrap_or_else(|_| "../shared/data/letterboxd-1m".into());
    let args: Vec<String> = std::env::args().skip(1).collect();
    let which = args.first().map_or("both", String::as_str);
    let (catalog, members, all) = load(Path::new(&dir))?;
    let catalog = catalog.features().view().to_owned();
    if which == "export" {
        let out = Path::new(args.get(1).map_or("target/forest-data", String::as_str));
        let count: usize = args.get(2).map_or(Ok(300), |n| n.parse())?;
        return export(out, &catalog, &members[..count.min(members.len())]);
    }
    if which == "general" {
        return general(
            args.get(1).map_or("original", String::as_str),
            &catalog,
            &all,
            &members,
        );
    }
    let count: usize = args.get(1).map_or(Ok(300), |n| n.parse())?;
    let skip: usize = args.get(2).map_or(Ok(0), |n| n.parse())?;
    let preset = args.get(3).map_or("original", String::as_str);
    let params = params_from(preset)?;
    let members = &members[skip.min(members.len())..(skip + count).min(members.len())];
    println!("| forest | RMSE | MAE | median ms | mean ms | members | test ratings |");
    println!("|---|---|---|---|---|---|---|");
    if which != "smartcore" {
        let ours = |c: &Array2<f32>, x: &Array2<f32>, y: &[f32]| ours(&params, c, x, y);
        evaluate(&format!("ours, {preset} preset"), &ours, &catalog, members)?;
    }
    if which != "ours" {
        evaluate(
            "smartcore 0.7, original config",
            &smartcore_forest,
            &catalog,
            members,
        )?;
    }
    Ok(())
}
