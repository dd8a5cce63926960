//! Per-request cost of the personalized models on the real data: one letterboxd-1m dev member
//! with about 275 train ratings, `fit` then `predict` over the whole 7,472-film catalog, as
//! serving and `reel eval` do. Issue 4's target for the default model: <= 12 ms median on one
//! core.
//!
//! Setup reads the dataset with the same reader and protocol helpers as `reel eval`, picks the
//! dev member whose train count is closest to 275 (the first such in file order), and trains the
//! general model once, with the default parameters, on every community and train row except
//! that member's (test rows never). The synthetic 2,000-rating, 100,000-film case is
//! `model/benches/personalized.rs`.
//!
//! Run (one core): `RAYON_NUM_THREADS=1 cargo bench -p reel --bench personalized`. The dataset
//! is read from `$LETTERBOXD_1M`, else `../shared/data/letterboxd-1m` next to the workspace;
//! without it the bench says so and measures nothing.

use std::collections::HashSet;
use std::hint::black_box;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use letterboxd::dataset;
use model::models::{
    FoldIn, GeneralModel, GeneralParams, MemberForest, Personalizer, ResidualChain,
    ResidualChainParams,
};
use model::{Catalog, FilmIndex, Username};

/// The member size issue 4 names.
const TARGET_RATINGS: usize = 275;

fn data_dir() -> PathBuf {
    std::env::var_os("LETTERBOXD_1M").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/letterboxd-1m"),
        PathBuf::from,
    )
}

fn bench(c: &mut Criterion) {
    let dir = data_dir();
    let (films, ratings) = (dir.join("films.csv.gz"), dir.join("ratings.csv.gz"));
    if !films.exists() || !ratings.exists() {
        eprintln!(
            "personalized: no letterboxd-1m data in {} (set LETTERBOXD_1M); nothing measured",
            dir.display()
        );
        return;
    }
    let catalog =
        Catalog::from_films(dataset::read_films(&films).unwrap_or_else(|e| panic!("{e}")));
    let rows = dataset::read_ratings(&ratings).unwrap_or_else(|e| panic!("{e}"));

    let names = dataset::dev_members(&rows);
    let splits = dataset::member_splits(&catalog, &rows, &names);
    let Some((name, split)) = names
        .iter()
        .zip(&splits)
        .filter(|(_, s)| s.is_scored())
        .min_by_key(|(_, s)| s.train.len().abs_diff(TARGET_RATINGS))
    else {
        panic!("no scored member in {}", ratings.display());
    };
    let excluded: HashSet<&Username> = HashSet::from([name]);
    let community = dataset::community_ratings(&catalog, &rows, &excluded);
    let started = Instant::now();
    let general = GeneralModel::train(&catalog, &community, GeneralParams::default());
    eprintln!(
        "setup: member {name} with {} train ratings; general model on {} ratings trained in \
         {:.1} s (default parameters)",
        split.train.len(),
        community.len(),
        started.elapsed().as_secs_f64()
    );
    let community = Arc::new(general.for_catalog(&catalog));
    let all: Vec<FilmIndex> = catalog.indices().collect();
    let models: [(&str, Box<dyn Personalizer>); 3] = [
        (
            "default",
            Box::new(ResidualChain::new(
                community.clone(),
                ResidualChainParams::default(),
            )),
        ),
        ("general", Box::new(FoldIn::new(community))),
        ("original-forest", Box::new(MemberForest::default())),
    ];

    let mut group = c.benchmark_group(format!(
        "personalized/{}x{}",
        split.train.len(),
        catalog.len()
    ));
    for (label, model) in &models {
        group.bench_function(*label, |b| {
            b.iter(|| {
                let predictor = model
                    .fit(&catalog, black_box(&split.train))
                    .unwrap_or_else(|e| panic!("{e}"));
                black_box(predictor.predict(&catalog, &all))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
