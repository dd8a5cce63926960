//! Properties of the compatibility scores over random catalogs and diaries.

use proptest::prelude::*;

use super::*;
use crate::catalog::{Catalog, FilmIndex, at};
use crate::domain::{Film, FilmKey, Genre, GenreSet};

fn film(i: usize, genres: u32, year: u16, average: u8, count: u32) -> Film {
    let mut f = Film::stub(FilmKey::parse(&format!("f{i}")).unwrap(), "f");
    f.genres = GenreSet::from_bits(genres);
    f.year = Some(year);
    f.runtime_minutes = Some(80 + (i % 7) as u16 * 10);
    f.lb_average = Some(f32::from(average) / 10.0);
    f.lb_rating_count = Some(count);
    f
}

fn catalog(n: usize) -> Catalog {
    Catalog::from_films((0..n).map(|i| {
        film(
            i,
            1 << (i % Genre::ALL.len()) | 1 << ((i * 7) % Genre::ALL.len()),
            1950 + ((i * 13) % 70) as u16,
            20 + ((i * 7) % 25) as u8,
            (i as u32 * 7919) % 200_000,
        )
    }))
}

fn taste(catalog: &Catalog, ratings: &[(u32, u8)]) -> MemberTaste {
    let ratings: Vec<(FilmIndex, f32)> = ratings
        .iter()
        .map(|&(i, half)| (at(i), f32::from(half) / 2.0))
        .collect();
    MemberTaste::new(&ratings, &[], catalog, &FeatureScale::of(catalog))
}

const FILMS: u32 = 80;

fn arb_diary() -> impl Strategy<Value = Vec<(u32, u8)>> {
    prop::collection::vec((0..FILMS, 1u8..=10), 5..60)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_diary_with_itself_scores_100_everywhere(diary in arb_diary()) {
        let catalog = catalog(FILMS as usize);
        let a = taste(&catalog, &diary);
        let scores = compare(&a, &a.clone());
        prop_assert_eq!(scores.film, 100.0);
        prop_assert_eq!(scores.genre, Some(100.0));
        prop_assert_eq!(scores.era, Some(100.0));
        prop_assert_eq!(scores.ratings.score, Some(100.0));
        prop_assert_eq!(scores.ratings.confidence, 1.0);
    }

    #[test]
    fn scores_are_symmetric_and_within_bounds(a in arb_diary(), b in arb_diary()) {
        let catalog = catalog(FILMS as usize);
        let (a, b) = (taste(&catalog, &a), taste(&catalog, &b));
        let ab = compare(&a, &b);
        let ba = compare(&b, &a);
        prop_assert!((ab.film - ba.film).abs() < 1e-9);
        for (x, y) in [(ab.genre, ba.genre), (ab.era, ba.era), (ab.ratings.score, ba.ratings.score)] {
            prop_assert_eq!(x.is_some(), y.is_some());
            if let (Some(x), Some(y)) = (x, y) {
                prop_assert!((x - y).abs() < 1e-9, "{} vs {}", x, y);
            }
        }
        prop_assert_eq!(ab.ratings.shared_films, ba.ratings.shared_films);
        for score in [Some(ab.film), ab.genre, ab.era, ab.ratings.score].into_iter().flatten() {
            prop_assert!((0.0..=100.0).contains(&score), "{}", score);
        }
        prop_assert!((0.0..1.0).contains(&ab.ratings.confidence));
        prop_assert_eq!(ab.ratings.score.is_none(), ab.ratings.reason.is_some());
    }

    #[test]
    fn lists_hold_what_they_promise(a in arb_diary(), b in arb_diary()) {
        let catalog = catalog(FILMS as usize);
        let (a, b) = (taste(&catalog, &a), taste(&catalog, &b));
        let favourites = shared_favourites(&a, &b);
        prop_assert!(favourites.len() <= LIST_LIMIT);
        for f in &favourites {
            prop_assert_eq!(Some(f.ratings[0]), a.rating_of(f.film));
            prop_assert_eq!(Some(f.ratings[1]), b.rating_of(f.film));
            prop_assert!(f.ratings.iter().all(|&r| r >= FAVOURITE_FROM));
        }
        let split = polarizing(&a, &b);
        prop_assert!(split.len() <= LIST_LIMIT);
        for pair in split.windows(2) {
            let gap = |f: &SharedFilm| (f.ratings[0] - f.ratings[1]).abs();
            prop_assert!(gap(&pair[0]) >= gap(&pair[1]));
        }
        prop_assert!(split.iter().all(|f| (f.ratings[0] - f.ratings[1]).abs() >= POLARIZING_GAP));
        let scores: Vec<f32> = (0..FILMS).map(|i| (i % 9) as f32 / 2.0 + 0.5).collect();
        let picks = cross_recommendations(&a, &b, &scores);
        for pick in &picks {
            prop_assert!(!b.has_seen(pick.film));
            prop_assert!(pick.rating >= FAVOURITE_FROM);
            prop_assert_eq!(pick.predicted_rating, scores[usize::from(pick.film)]);
        }
        for pair in picks.windows(2) {
            prop_assert!(pair[0].predicted_rating >= pair[1].predicted_rating);
        }
    }
}

#[test]
fn few_shared_films_give_low_confidence_and_none_give_a_reason() {
    let catalog = catalog(FILMS as usize);
    let mut a: Vec<(u32, u8)> = (0..30).map(|i| (i, (i % 10 + 1) as u8)).collect();
    let mut b: Vec<(u32, u8)> = (40..70).map(|i| (i, (i % 10 + 1) as u8)).collect();
    let none = rating_agreement(&taste(&catalog, &a), &taste(&catalog, &b));
    assert_eq!(none.shared_films, 0);
    assert_eq!(none.score, None);
    assert_eq!(none.reason, Some(NoRatingScore::NoSharedFilms));

    // Three films in common, rated alike: a perfect correlation that barely moves the score.
    a.extend([(70, 2), (71, 6), (72, 10)]);
    b.extend([(70, 2), (71, 6), (72, 10)]);
    let few = rating_agreement(&taste(&catalog, &a), &taste(&catalog, &b));
    assert_eq!(few.shared_films, 3);
    assert_eq!(few.correlation, Some(1.0));
    assert!(few.confidence < 0.15, "{}", few.confidence);
    assert!(few.score.unwrap() < 60.0, "{:?}", few.score);

    // Thirty shared films rated alike (and differently elsewhere) read as close.
    let many_a: Vec<(u32, u8)> = (0..60).map(|i| (i, (i * 3 % 10 + 1) as u8)).collect();
    let many_b: Vec<(u32, u8)> = (0..60)
        .map(|i| (i, if i < 50 { (i * 3 % 10 + 1) as u8 } else { 5 }))
        .collect();
    let many = rating_agreement(&taste(&catalog, &many_a), &taste(&catalog, &many_b));
    assert!(
        many.confidence > 0.7 && many.score.unwrap() > 80.0,
        "{many:?}"
    );
}

#[test]
fn constant_ratings_have_no_correlation() {
    let catalog = catalog(FILMS as usize);
    let a = taste(&catalog, &[(0, 6), (1, 6), (2, 6), (3, 6), (4, 6)]);
    let b = taste(&catalog, &[(0, 2), (1, 6), (2, 8), (3, 10), (4, 4)]);
    let agreement = rating_agreement(&a, &b);
    assert_eq!(agreement.reason, Some(NoRatingScore::NoVariance));
    // No direction in the features either: unrelated, not opposite.
    assert_eq!(film_score(&a, &b), 50.0);
}

#[test]
fn opposite_tastes_score_low_on_film_and_ratings() {
    let catalog = catalog(FILMS as usize);
    let diary: Vec<(u32, u8)> = (0..FILMS).map(|i| (i, (i % 10 + 1) as u8)).collect();
    let flipped: Vec<(u32, u8)> = diary.iter().map(|&(i, r)| (i, 11 - r)).collect();
    let (a, b) = (taste(&catalog, &diary), taste(&catalog, &flipped));
    let scores = compare(&a, &b);
    assert!(scores.film < 1.0, "{}", scores.film);
    assert_eq!(scores.ratings.correlation, Some(-1.0));
    assert!(scores.ratings.score.unwrap() < 20.0);
}

#[test]
fn era_is_one_minus_the_mean_gap_over_shared_decades() {
    let catalog = Catalog::from_films([
        film(0, 1, 1975, 30, 10),
        film(1, 1, 1978, 30, 10),
        film(2, 1, 1995, 30, 10),
        film(3, 1, 2005, 30, 10),
    ]);
    // 1970s: 4.0 vs 2.0; 1990s: 3.0 vs 3.0; 2000s rated by one only.
    let a = taste(&catalog, &[(0, 8), (1, 8), (2, 6), (3, 10)]);
    let b = taste(&catalog, &[(0, 4), (2, 6)]);
    let era = era_score(&a, &b).unwrap();
    assert!((era - 100.0 * (1.0 - 2.0 / 9.0)).abs() < 1e-9, "{era}");
    assert_eq!(
        a.decades().keys().copied().collect::<Vec<_>>(),
        vec![1970, 1990, 2000]
    );
}
