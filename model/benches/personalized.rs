//! The default model's per-request cost at the scale issue 4 asks for: a 2,000-rating member over
//! a 100,000-film synthetic catalog (target: <= 150 ms median on 2 cores), `fit` then `predict`
//! over every catalog film, as serving does. The real-data case (275 ratings over letterboxd-1m's
//! 7,472 films) is `api/benches/personalized.rs`, where the dataset reader lives.
//!
//! The synthetic world has latent tastes, so the general model has something to learn: each film
//! has a quality (which its Letterboxd average reflects), a popularity rank and a latent vector;
//! each member a bias and a latent vector, and rates films chosen by popularity. The general model
//! is trained once, in setup, with the default parameters on 4,000 such community members.
//!
//! Run: `cargo bench -p model --bench personalized` (2 cores: the machine's default pool).

use std::collections::HashSet;
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use model::models::{
    CommunityRating, GeneralModel, GeneralParams, Personalizer, RatedFilm, ResidualChain,
    ResidualChainParams,
};
use model::{Catalog, ContentType, Film, FilmIndex, FilmKey, Genre, GenreSet};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const FILMS: usize = 100_000;
const COMMUNITY: usize = 4_000;
const MEMBER_RATINGS: usize = 2_000;
/// Dimensions of the synthetic tastes.
const LATENT: usize = 6;

/// Roughly normal with standard deviation `sd` (sum of three uniforms).
fn normal(rng: &mut ChaCha8Rng, sd: f32) -> f32 {
    let sum: f32 = (0..3).map(|_| rng.random_range(-1.0f32..1.0)).sum();
    sum * sd
}

/// What the ratings are generated from; films are indexed by popularity rank.
struct World {
    quality: Vec<f32>,
    latent: Vec<[f32; LATENT]>,
}

impl World {
    fn new(rng: &mut ChaCha8Rng) -> Self {
        let quality = (0..FILMS).map(|_| normal(rng, 0.45)).collect();
        let latent = (0..FILMS)
            .map(|_| std::array::from_fn(|_| normal(rng, 0.35)))
            .collect();
        Self { quality, latent }
    }

    fn catalog(&self, rng: &mut ChaCha8Rng) -> Catalog {
        Catalog::from_films((0..FILMS).map(|at| {
            let slug = FilmKey::parse(&format!("synthetic-{at}"))
                .unwrap_or_else(|_| unreachable!("generated slugs are valid"));
            let mut film = Film::stub(slug, format!("Synthetic {at}"));
            film.year = Some(rng.random_range(1920..=2026));
            film.runtime_minutes = Some(rng.random_range(70..=200));
            film.genres = (0..rng.random_range(1..=3))
                .map(|_| Genre::ALL[rng.random_range(0..Genre::ALL.len())])
                .collect::<GenreSet>();
            film.language = Some(if rng.random_bool(0.6) { "en" } else { "fr" }.to_owned());
            film.lb_average = Some((3.2 + self.quality[at] + normal(rng, 0.1)).clamp(0.5, 5.0));
            // Popularity falls with the rank.
            film.lb_rating_count = Some((2_000_000.0 / (1.0 + at as f32).powf(0.9)) as u32);
            film.content_type = if rng.random_bool(0.08) {
                ContentType::Tv
            } else {
                ContentType::Movie
            };
            film
        }))
    }

    /// `n` distinct films of `films` (the catalog's indices) picked by popularity and rated by a
    /// new member with their own tastes.
    fn member(&self, films: &[FilmIndex], n: usize, rng: &mut ChaCha8Rng) -> Vec<RatedFilm> {
        let bias = normal(rng, 0.4);
        let taste: [f32; LATENT] = std::array::from_fn(|_| normal(rng, 0.8));
        let mut seen = HashSet::with_capacity(n);
        let mut rated = Vec::with_capacity(n);
        while rated.len() < n {
            // Skewed toward popular films: rank = FILMS * u^3.
            let at = (FILMS as f32 * rng.random::<f32>().powi(3)) as usize % FILMS;
            if !seen.insert(at) {
                continue;
            }
            let affinity: f32 = taste.iter().zip(&self.latent[at]).map(|(a, b)| a * b).sum();
            let stars = 3.2 + self.quality[at] + bias + affinity + normal(rng, 0.5);
            rated.push((films[at], ((stars * 2.0).round() / 2.0).clamp(0.5, 5.0)));
        }
        rated
    }
}

fn community(world: &World, films: &[FilmIndex], rng: &mut ChaCha8Rng) -> Vec<CommunityRating> {
    (0..COMMUNITY as u32)
        .flat_map(|member| {
            // 20 to ~1,000 ratings, most members near the low end.
            let n = (20.0 * 50f32.powf(rng.random::<f32>().powi(2))) as usize;
            world
                .member(films, n, rng)
                .into_iter()
                .map(move |(film, stars)| CommunityRating {
                    member,
                    film,
                    stars,
                })
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    let world = World::new(&mut rng);
    let catalog = world.catalog(&mut rng);
    let all: Vec<FilmIndex> = catalog.indices().collect();
    let ratings = community(&world, &all, &mut rng);
    let started = Instant::now();
    let general = GeneralModel::train(&catalog, &ratings, GeneralParams::default());
    eprintln!(
        "setup: general model on {} synthetic ratings by {COMMUNITY} members over {FILMS} films, \
         trained in {:.1} s",
        ratings.len(),
        started.elapsed().as_secs_f64()
    );
    let model = ResidualChain::new(
        Arc::new(general.for_catalog(&catalog)),
        ResidualChainParams::default(),
    );
    let member = world.member(&all, MEMBER_RATINGS, &mut rng);

    let mut group = c.benchmark_group(format!("personalized/{MEMBER_RATINGS}x{FILMS}"));
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("default", |b| {
        b.iter(|| {
            let predictor = model
                .fit(&catalog, black_box(&member))
                .unwrap_or_else(|e| panic!("{e}"));
            black_box(predictor.predict(&catalog, &all))
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
