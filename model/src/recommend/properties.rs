//! Properties of recommendation over random catalogs, profiles and filters.

use proptest::prelude::*;

use super::testkit::{FnPredictor, by_film, film, slug};
use super::{Filters, Limit, Member, PopularityBand, RangeFilter, RecommendError, recommend};
use crate::Catalog;
use crate::domain::{ContentType, Film, Genre, GenreSet, Profile, Rating};

fn arb_film(at: usize) -> impl Strategy<Value = Film> {
    (
        0u32..(1 << Genre::ALL.len()),
        prop::option::of(1900u16..2030),
        prop::option::of(60u16..200),
        prop::option::of(5u8..=50),
        prop::option::of(0u32..300_000),
        any::<bool>(),
    )
        .prop_map(move |(genres, year, runtime, average, count, tv)| {
            let mut f = film(&format!("f{at}"));
            f.genres = GenreSet::from_bits(genres);
            f.year = year;
            f.runtime_minutes = runtime;
            f.lb_average = average.map(|a| f32::from(a) / 10.0);
            f.lb_rating_count = count;
            f.content_type = if tv {
                ContentType::Tv
            } else {
                ContentType::Movie
            };
            f
        })
}

fn arb_catalog() -> impl Strategy<Value = Catalog> {
    (5usize..60)
        .prop_flat_map(|n| (0..n).map(arb_film).collect::<Vec<_>>())
        .prop_map(Catalog::from_films)
}

/// Each film index is rated, watched, watchlisted or untouched by the member.
fn arb_profile() -> impl Strategy<Value = Profile> {
    prop::collection::vec(0u8..4, 60).prop_map(|roles| {
        let mut profile = Profile::default();
        let three = Rating::from_half_stars(6).unwrap();
        for (at, role) in roles.into_iter().enumerate() {
            let s = slug(&format!("f{at}"));
            match role {
                0 => profile.ratings.push((s, three)),
                1 => profile.watched.push(s),
                2 => profile.watchlist.push(s),
                _ => {}
            }
        }
        // Always enough ratings, some of films the catalog may not have.
        for extra in 0..5 {
            profile
                .ratings
                .push((slug(&format!("elsewhere{extra}")), three));
        }
        profile
    })
}

fn arb_filters() -> impl Strategy<Value = Filters> {
    (
        0u32..(1 << Genre::ALL.len()),
        prop::option::of(1900u16..2030),
        prop::option::of(60u16..200),
        prop::sample::subsequence(
            vec![
                PopularityBand::Low,
                PopularityBand::Medium,
                PopularityBand::High,
            ],
            0..=3,
        ),
        any::<[bool; 3]>(),
    )
        .prop_map(
            |(
                genres,
                year_min,
                runtime_max,
                popularity,
                [highly_rated, include_watchlist, allow_rewatches],
            )| Filters {
                genres: GenreSet::from_bits(genres),
                years: RangeFilter::new(year_min, None).unwrap(),
                runtimes: RangeFilter::new(None, runtime_max).unwrap(),
                popularity,
                highly_rated,
                include_watchlist,
                allow_rewatches,
                ..Filters::default()
            },
        )
}

proptest! {
    #[test]
    fn recommend_never_returns_a_seen_watchlisted_or_filtered_film(
        catalog in arb_catalog(),
        profile in arb_profile(),
        filters in arb_filters(),
        limit in 1usize..20,
    ) {
        let model = by_film(&FnPredictor(|film: &Film, at| {
            film.lb_average.unwrap_or(2.0) + (usize::from(at) % 7) as f32 / 10.0
        }), &catalog);
        let members = [Member { profile: &profile, scores: &model, order: None }];
        match recommend(&members, &catalog, &filters, Limit::new(limit).unwrap()) {
            Err(RecommendError::NoCandidates) => {}
            Err(other) => prop_assert!(false, "unexpected error {other}"),
            Ok(recs) => {
                prop_assert!(!recs.is_empty() && recs.len() <= limit);
                let seen = profile.seen();
                for rec in &recs {
                    let film = catalog.film(rec.film);
                    prop_assert!(filters.allow_rewatches || !seen.contains(&film.key));
                    prop_assert!(filters.include_watchlist || !profile.watchlist.contains(&film.key));
                    prop_assert!(filters.matches(film, catalog.popularity()));
                }
                prop_assert!(recs.windows(2).all(|w| w[0].predicted_rating >= w[1].predicted_rating));
            }
        }
    }
}
