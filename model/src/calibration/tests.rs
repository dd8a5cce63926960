use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::fit::{Row, Solution, least_squares};
use super::*;
use crate::domain::FilmKey;
use crate::recommend::HIGHLY_RATED_FROM;

fn film(i: usize) -> Film {
    Film::stub(
        FilmKey::parse(&format!("film-{i}")).unwrap(),
        format!("F{i}"),
    )
}

/// A film with TMDB figures only.
fn tmdb_only(i: usize, vote_average: f32, votes: u32, popularity: Option<f32>) -> Film {
    let mut film = film(i);
    film.tmdb_vote_average = Some(vote_average);
    film.tmdb_vote_count = Some(votes);
    film.tmdb_popularity = popularity;
    film
}

const TRUE: CalibrationParams = CalibrationParams {
    average: AverageMap {
        intercept: -1.0,
        per_vote_point: 0.65,
        per_log_votes: 0.12,
        prior_vote_average: 0.0, // the fit's own: the mean of the films' vote averages
        shrink_votes: SHRINK_VOTES,
    },
    count: CountMap {
        intercept: 1.5,
        per_log_votes: 0.9,
        per_log_popularity: 0.25,
        mean_log_popularity: 0.0, // the fit's own
    },
};

/// `n` films whose Letterboxd figures follow [`TRUE`] exactly (plus `noise`: standard
/// deviations in stars and in log10 count), with vote counts from 1 to 100,000 and popularity
/// missing for one film in five.
fn synthetic(n: usize, noise: (f64, f64), seed: u64) -> Vec<Film> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut films: Vec<Film> = (0..n)
        .map(|i| {
            let vote_average = rng.random_range(3.0..8.0_f32);
            let votes = 10f64.powf(rng.random_range(0.0..5.0)) as u32;
            let popularity = (i % 5 != 0).then(|| {
                let p = 10f64.powf(0.5 * log1p10(f64::from(votes)) + rng.random_range(-0.5..0.5));
                p as f32
            });
            tmdb_only(i, vote_average, votes, popularity)
        })
        .collect();
    // The prior and the mean popularity are the data's, as the fit takes them.
    let prior = films
        .iter()
        .map(|f| f64::from(f.tmdb_vote_average.unwrap()))
        .sum::<f64>()
        / n as f64;
    let logs: Vec<f64> = films
        .iter()
        .filter_map(|f| f.tmdb_popularity.map(|p| log1p10(f64::from(p))))
        .collect();
    let mean_log_popularity = logs.iter().sum::<f64>() / logs.len() as f64;
    let mut gauss = move || {
        // Sum of twelve uniforms: close enough to a standard normal for a test.
        (0..12).map(|_| rng.random::<f64>()).sum::<f64>() - 6.0
    };
    for film in &mut films {
        let (v, n) = (
            f64::from(film.tmdb_vote_average.unwrap()),
            f64::from(film.tmdb_vote_count.unwrap()),
        );
        let a = TRUE.average;
        let shrunk = (n * v + a.shrink_votes * prior) / (n + a.shrink_votes);
        let stars = a.intercept
            + a.per_vote_point * shrunk
            + a.per_log_votes * log1p10(n)
            + noise.0 * gauss();
        film.lb_average = Some(stars.clamp(0.5, 5.0) as f32);
        let c = TRUE.count;
        let log_popularity = film
            .tmdb_popularity
            .map_or(mean_log_popularity, |p| log1p10(f64::from(p)));
        let log_count = c.intercept
            + c.per_log_votes * log1p10(n)
            + c.per_log_popularity * log_popularity
            + noise.1 * gauss();
        film.lb_rating_count = Some((10f64.powf(log_count) - 1.0).round().max(0.0) as u32);
    }
    films
}

fn assert_near(name: &str, got: f64, want: f64, tolerance: f64) {
    assert!(
        (got - want).abs() <= tolerance,
        "{name}: fitted {got}, true {want}"
    );
}

#[test]
fn least_squares_recovers_exact_coefficients_and_drops_a_constant_covariate() {
    let rows: Vec<Row> = (0..50)
        .map(|i| {
            let (x0, x1) = (f64::from(i), f64::from((i * 7) % 11));
            Row {
                x: [x0, x1],
                y: 1.5 + 2.0 * x0 - 0.5 * x1,
                weight: 1.0 + f64::from(i % 3),
            }
        })
        .collect();
    let Solution { intercept, slopes } = least_squares(&rows).unwrap();
    assert_near("intercept", intercept, 1.5, 1e-9);
    assert_near("slope 0", slopes[0], 2.0, 1e-9);
    assert_near("slope 1", slopes[1], -0.5, 1e-9);

    let constant: Vec<Row> = rows
        .iter()
        .map(|r| Row {
            x: [r.x[0], 4.0],
            ..*r
        })
        .collect();
    let fit = least_squares(&constant).unwrap();
    assert_eq!(fit.slopes[1], 0.0);
    let flat: Vec<Row> = rows
        .iter()
        .map(|r| Row {
            x: [1.0, r.x[1]],
            ..*r
        })
        .collect();
    assert_eq!(least_squares(&flat), None);
}

#[test]
fn a_fit_on_noiseless_films_recovers_the_coefficients_they_follow() {
    let films = synthetic(2_000, (0.0, 0.0), 7);
    let calibration = TmdbCalibration::fit(&films).unwrap();
    assert_eq!(calibration.fitted_on(), Some(2_000));
    let p = calibration.params();
    // Averages are stored as f32 and counts rounded: tolerances are that rounding's.
    assert_near("average intercept", p.average.intercept, -1.0, 1e-4);
    assert_near("average slope", p.average.per_vote_point, 0.65, 1e-5);
    assert_near("average per log votes", p.average.per_log_votes, 0.12, 1e-5);
    assert_eq!(p.average.shrink_votes, SHRINK_VOTES);
    assert_near("count intercept", p.count.intercept, 1.5, 3e-3);
    assert_near("count per log votes", p.count.per_log_votes, 0.9, 2e-3);
    assert_near(
        "count per log popularity",
        p.count.per_log_popularity,
        0.25,
        2e-3,
    );
}

#[test]
fn a_fit_on_noisy_films_comes_close_and_reports_its_error() {
    let films = synthetic(4_000, (0.2, 0.15), 11);
    let (fit_half, held_out) = films.split_at(2_000);
    let calibration = TmdbCalibration::fit(fit_half).unwrap();
    let p = calibration.params();
    assert_near("average slope", p.average.per_vote_point, 0.65, 0.02);
    assert_near("average per log votes", p.average.per_log_votes, 0.12, 0.02);
    assert_near("count per log votes", p.count.per_log_votes, 0.9, 0.02);
    assert_near(
        "count per log popularity",
        p.count.per_log_popularity,
        0.25,
        0.03,
    );
    let accuracy = calibration.accuracy(held_out).unwrap();
    assert_eq!((accuracy.films, accuracy.films_with_votes), (2_000, 2_000));
    // The noise itself is the floor: 0.2 stars, 0.15 in log10 count.
    assert_near("average RMSE", accuracy.average_rmse, 0.2, 0.02);
    assert_near("log count RMSE", accuracy.log_count_rmse, 0.15, 0.02);
    assert!(accuracy.average_mae < accuracy.average_rmse);
    assert!(accuracy.count_spearman.unwrap() > 0.9, "{accuracy:?}");
    assert!(accuracy.same_highly_rated > 0.8, "{accuracy:?}");
}

#[test]
fn a_perfect_calibration_has_no_error() {
    let films = synthetic(500, (0.0, 0.0), 3);
    let accuracy = TmdbCalibration::fit(&films)
        .unwrap()
        .accuracy(&films)
        .unwrap();
    assert!(accuracy.average_rmse < 1e-4, "{accuracy:?}");
    assert!(accuracy.log_count_rmse < 3e-3, "{accuracy:?}");
    assert_eq!(accuracy.same_highly_rated, 1.0);
}

#[test]
fn apply_fills_only_missing_figures_and_never_overwrites_letterboxd_ones() {
    let calibration = TmdbCalibration::default();
    let mut both = tmdb_only(0, 9.0, 5_000, Some(40.0));
    both.lb_average = Some(2.1);
    both.lb_rating_count = Some(77);
    let mut average_only = tmdb_only(1, 9.0, 5_000, Some(40.0));
    average_only.lb_average = Some(2.2);
    let tmdb = tmdb_only(2, 9.0, 5_000, Some(40.0));
    let no_votes = tmdb_only(3, 0.0, 0, Some(1.0));
    let letterboxd_only = {
        let mut f = film(4);
        f.lb_average = Some(3.3);
        f
    };
    let nothing = film(5);
    let mut films = vec![
        both.clone(),
        average_only.clone(),
        tmdb,
        no_votes,
        letterboxd_only.clone(),
        nothing.clone(),
    ];
    let filled = calibration.apply(&mut films);
    assert_eq!(
        filled,
        Filled {
            averages: 1,
            counts: 3
        }
    );
    assert_eq!(films[0], both, "Letterboxd figures are kept");
    assert_eq!(films[1].lb_average, Some(2.2));
    assert_eq!(
        films[1].lb_rating_count,
        Some(calibration.rating_count(5_000, Some(40.0)))
    );
    assert_eq!(films[2].lb_average, calibration.average(9.0, 5_000));
    assert!(films[2].lb_average.unwrap() > 3.5);
    // No vote: no average, but a count (a small one: nobody rated it).
    assert_eq!(films[3].lb_average, None);
    assert_eq!(
        films[3].lb_rating_count,
        Some(calibration.rating_count(0, Some(1.0)))
    );
    assert_eq!(films[4], letterboxd_only);
    assert_eq!(films[5], nothing);
    // Applying again changes nothing.
    let again = films.clone();
    assert_eq!(calibration.apply(&mut films), Filled::default());
    assert_eq!(films, again);
}

#[test]
fn too_few_films_are_refused_and_calibrate_falls_back_to_the_default() {
    let mut films = synthetic(MIN_FIT_FILMS - 1, (0.0, 0.0), 5);
    assert_eq!(
        TmdbCalibration::fit(&films),
        Err(CalibrationError::TooFewFilms {
            films: MIN_FIT_FILMS - 1,
            needed: MIN_FIT_FILMS
        })
    );
    // Films with no TMDB vote do not count toward the average's fit.
    let mut unvoted = synthetic(MIN_FIT_FILMS + 10, (0.0, 0.0), 5);
    for film in unvoted.iter_mut().take(20) {
        film.tmdb_vote_count = Some(0);
    }
    assert!(matches!(
        TmdbCalibration::fit(&unvoted),
        Err(CalibrationError::TooFewFilms { films: 90, .. })
    ));
    films.push(tmdb_only(10_000, 8.0, 300, None));
    let outcome = calibrate(&mut films);
    assert_eq!(outcome.calibration, TmdbCalibration::default());
    assert_eq!(outcome.calibration.fitted_on(), None);
    assert!(matches!(
        outcome.fallback,
        Some(CalibrationError::TooFewFilms { .. })
    ));
    assert_eq!(
        outcome.filled,
        Filled {
            averages: 1,
            counts: 1
        }
    );
    let last = films.last().unwrap();
    assert_eq!(
        last.lb_average,
        TmdbCalibration::default().average(8.0, 300)
    );
}

#[test]
fn calibrate_fits_when_enough_films_have_both() {
    let mut films = synthetic(300, (0.0, 0.0), 9);
    films.push(tmdb_only(10_000, 8.0, 300, None));
    let outcome = calibrate(&mut films);
    assert_eq!(outcome.fallback, None);
    assert_eq!(outcome.calibration.fitted_on(), Some(300));
    assert_eq!(
        outcome.filled,
        Filled {
            averages: 1,
            counts: 1
        }
    );
}

#[test]
fn the_default_passes_the_checks_and_maps_tmdb_figures_plausibly() {
    let default = TmdbCalibration::default();
    assert_eq!(TmdbCalibration::new(DEFAULT_PARAMS), Ok(default.clone()));
    let good = default.average(8.5, 20_000).unwrap();
    let poor = default.average(4.5, 20_000).unwrap();
    assert!(good >= HIGHLY_RATED_FROM && poor < 3.0, "{good} {poor}");
    assert!(default.rating_count(50_000, Some(60.0)) > default.rating_count(50, Some(2.0)));
}

#[test]
fn checked_parameters_refuse_what_cannot_be_a_calibration() {
    let with_average = |change: fn(&mut AverageMap)| {
        let mut params = DEFAULT_PARAMS;
        change(&mut params.average);
        TmdbCalibration::new(params)
    };
    let refused = |result: Result<TmdbCalibration, CalibrationError>| match result {
        Err(CalibrationError::InvalidParameter { parameter, .. }) => parameter,
        other => panic!("accepted: {other:?}"),
    };
    assert_eq!(
        refused(with_average(|a| a.per_vote_point = -0.1)),
        "average.per_vote_point"
    );
    assert_eq!(
        refused(with_average(|a| a.intercept = f64::NAN)),
        "average.intercept"
    );
    assert_eq!(
        refused(with_average(|a| a.prior_vote_average = 11.0)),
        "average.prior_vote_average"
    );
    assert_eq!(
        refused(with_average(|a| a.shrink_votes = -1.0)),
        "average.shrink_votes"
    );
    let mut params = DEFAULT_PARAMS;
    params.count.per_log_votes = 0.0;
    assert_eq!(refused(TmdbCalibration::new(params)), "count.per_log_votes");
    // A fit whose slope comes out negative is refused the same way.
    let mut backwards = synthetic(200, (0.0, 0.0), 2);
    for film in &mut backwards {
        film.lb_average = film.tmdb_vote_average.map(|v| 5.5 - v / 2.0);
    }
    assert_eq!(
        refused(TmdbCalibration::fit(&backwards)),
        "average.per_vote_point"
    );
}

#[test]
fn identical_vote_averages_cannot_determine_a_calibration() {
    let mut films = synthetic(200, (0.0, 0.0), 4);
    for film in &mut films {
        film.tmdb_vote_average = Some(6.0);
    }
    assert!(matches!(
        TmdbCalibration::fit(&films),
        Err(CalibrationError::Underdetermined(_))
    ));
}

#[test]
fn figures_are_clamped_to_the_letterboxd_scale_and_odd_inputs_ignored() {
    let steep = TmdbCalibration::new(CalibrationParams {
        average: AverageMap {
            intercept: -3.0,
            per_vote_point: 2.0,
            ..DEFAULT_PARAMS.average
        },
        count: CountMap {
            intercept: 3.0,
            per_log_votes: 3.0,
            ..DEFAULT_PARAMS.count
        },
    })
    .unwrap();
    assert_eq!(steep.average(10.0, 1_000_000), Some(5.0));
    assert_eq!(steep.average(0.5, 1_000_000), Some(0.5));
    assert_eq!(steep.average(10.5, 100), None);
    assert_eq!(steep.average(f32::NAN, 100), None);
    assert_eq!(steep.average(7.0, 0), None);
    assert_eq!(steep.rating_count(u32::MAX, Some(1e9)), 9_999_999);
    assert_eq!(
        steep.rating_count(10, Some(f32::NAN)),
        steep.rating_count(10, None)
    );
}

#[test]
fn few_votes_are_shrunk_toward_the_typical_film() {
    let calibration = TmdbCalibration::default();
    let prior = calibration.params().average.prior_vote_average as f32;
    let lone = calibration.average(10.0, 1).unwrap();
    let many = calibration.average(10.0, 10_000).unwrap();
    let typical = calibration.average(prior, 1).unwrap();
    assert!(lone < many, "one vote of 10 is not 10,000 of them");
    assert!((lone - typical).abs() < (many - typical).abs());
}
