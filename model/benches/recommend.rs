//! Filter + rank over a 100,000-film synthetic catalog with trivial scores, so the figure is
//! the cost of the recommendation logic alone (candidates, filters, top-k, multi-member merge),
//! not of any model.
//!
//! The `match_100k` group adds the match ranking (`rank_by: match`): the co-watching affinity
//! from the member's films and the match score of every film, over a general model trained on
//! synthetic long-tailed ratings, then the same top-96 ranking ordered by it.
//!
//! Run: `cargo bench -p model --bench recommend`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use std::sync::Arc;

use model::models::{CommunityRating, GeneralModel, GeneralParams, MfParams};
use model::recommend::{
    Filters, Limit, MatchParams, MatchSignals, Member, PopularityBand, RangeFilter, candidates,
    recommend,
};
use model::{Catalog, ContentType, Film, FilmIndex, FilmKey, Genre, GenreSet, Profile, Rating};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const FILMS: usize = 100_000;

fn slug(at: usize) -> FilmKey {
    FilmKey::parse(&format!("film-{at}"))
        .unwrap_or_else(|_| unreachable!("generated slugs are valid"))
}

fn synthetic_catalog(rng: &mut ChaCha8Rng) -> Catalog {
    Catalog::from_films((0..FILMS).map(|at| {
        let mut film = Film::stub(slug(at), format!("Film {at}"));
        film.year = Some(rng.random_range(1900..=2026));
        film.runtime_minutes = Some(rng.random_range(60..=200));
        film.genres = (0..rng.random_range(1..=3))
            .map(|_| Genre::ALL[rng.random_range(0..Genre::ALL.len())])
            .collect::<GenreSet>();
        film.lb_average = Some(rng.random_range(1.0..4.6));
        film.lb_rating_count = Some(rng.random_range(0..500_000));
        film.content_type = if rng.random_bool(0.1) {
            ContentType::Tv
        } else {
            ContentType::Movie
        };
        film
    }))
}

/// 2,000 ratings, 500 watched, 200 on the watchlist, spread over the catalog.
fn synthetic_profile(rng: &mut ChaCha8Rng) -> Profile {
    let mut pick = || slug(rng.random_range(0..FILMS));
    let rating = Rating::MAX;
    Profile {
        ratings: (0..2_000).map(|_| (pick(), rating)).collect(),
        watched: (0..500).map(|_| pick()).collect(),
        watchlist: (0..200).map(|_| pick()).collect(),
        ..Profile::default()
    }
}

/// Scores every film by its Letterboxd average shifted by a per-member offset: what a trained
/// model hands to ranking, without the model.
fn trivial_scores(catalog: &Catalog, offset: f32) -> Vec<f32> {
    catalog
        .films()
        .iter()
        .enumerate()
        .map(|(at, film)| {
            (film.lb_average.unwrap_or(3.0) + offset * (at % 13) as f32 / 13.0).clamp(0.5, 5.0)
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let mut rng = ChaCha8Rng::seed_from_u64(42);
    let catalog = synthetic_catalog(&mut rng);
    let first = synthetic_profile(&mut rng);
    let second = synthetic_profile(&mut rng);
    let (likes_a, likes_b) = (
        trivial_scores(&catalog, 0.5),
        trivial_scores(&catalog, -0.5),
    );
    let narrow = Filters {
        genres: [Genre::Drama, Genre::Comedy, Genre::Horror]
            .into_iter()
            .collect(),
        content_types: vec![ContentType::Movie],
        years: RangeFilter::new(Some(1970), None)
            .unwrap_or_else(|_| unreachable!("an open range is never inverted")),
        runtimes: RangeFilter::new(None, Some(150))
            .unwrap_or_else(|_| unreachable!("an open range is never inverted")),
        popularity: vec![PopularityBand::Medium, PopularityBand::High],
        ..Filters::default()
    };
    let one = [Member {
        profile: &first,
        scores: &likes_a,
        order: None,
    }];
    let two = [
        Member {
            profile: &first,
            scores: &likes_a,
            order: None,
        },
        Member {
            profile: &second,
            scores: &likes_b,
            order: None,
        },
    ];

    let top96 = Limit::new(96).unwrap_or_else(|_| unreachable!("96 is within the limits"));
    let mut group = c.benchmark_group("recommend_100k");
    group.bench_function("candidates_default_filters", |b| {
        b.iter(|| candidates(black_box(&catalog), &[&first], &Filters::default()))
    });
    group.bench_function("one_member_default_filters_top96", |b| {
        b.iter(|| recommend(black_box(&one), &catalog, &Filters::default(), top96))
    });
    group.bench_function("one_member_narrow_filters_top96", |b| {
        b.iter(|| recommend(black_box(&one), &catalog, &narrow, top96))
    });
    group.bench_function("two_members_default_filters_top96", |b| {
        b.iter(|| recommend(black_box(&two), &catalog, &Filters::default(), top96))
    });
    group.finish();
}

/// 300,000 community ratings: 5,000 members with 60 films each, drawn with a long-tailed
/// popularity (a film's chance falls with its index), so co-watching lists look like real ones.
fn community_ratings(catalog: &Catalog, rng: &mut ChaCha8Rng) -> Vec<CommunityRating> {
    let films: Vec<FilmIndex> = (0..FILMS)
        .map(|at| {
            catalog
                .index_of(&slug(at))
                .unwrap_or_else(|| unreachable!("every generated slug is in the catalog"))
        })
        .collect();
    (0..5_000)
        .flat_map(|member| {
            (0..60)
                .map(|_| {
                    let u: f64 = rng.random();
                    CommunityRating {
                        member,
                        film: films[(u.powi(3) * FILMS as f64) as usize],
                        stars: f32::from(rng.random_range(1u8..=10)) / 2.0,
                    }
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

fn bench_match(c: &mut Criterion) {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let catalog = synthetic_catalog(&mut rng);
    let profile = synthetic_profile(&mut rng);
    let params = GeneralParams {
        mf: MfParams {
            factors: 4,
            iterations: 3,
            ..MfParams::default()
        },
        ensemble: 1,
        ..GeneralParams::default()
    };
    let community = GeneralModel::train(&catalog, &community_ratings(&catalog, &mut rng), params)
        .for_catalog(&catalog);
    let signals = MatchSignals::new(&catalog, Arc::new(community));
    let ranking = MatchParams::default()
        .check()
        .unwrap_or_else(|_| unreachable!("the default weights are valid"));
    let mut watched: Vec<FilmIndex> = profile
        .ratings
        .iter()
        .map(|(key, _)| key)
        .chain(&profile.watched)
        .filter_map(|key| catalog.index_of(key))
        .collect();
    watched.sort_unstable();
    watched.dedup();
    let predicted = trivial_scores(&catalog, 0.5);
    let top96 = Limit::new(96).unwrap_or_else(|_| unreachable!("96 is within the limits"));

    let mut group = c.benchmark_group("match_100k");
    group.bench_function("match_scores_2500_watched", |b| {
        b.iter(|| ranking.scores(black_box(&predicted), &watched, &signals))
    });
    group.bench_function("one_member_match_top96", |b| {
        b.iter(|| {
            let order = ranking
                .scores(black_box(&predicted), &watched, &signals)
                .unwrap_or_else(|_| unreachable!("the scores cover the catalog"));
            let member = [Member {
                profile: &profile,
                scores: &predicted,
                order: Some(&order),
            }];
            recommend(&member, &catalog, &Filters::default(), top96)
        })
    });
    group.finish();
}

criterion_group!(benches, bench, bench_match);
criterion_main!(benches);
