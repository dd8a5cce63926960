//! How far a calibration's figures are from the Letterboxd ones, on films that have both.

use serde::Serialize;

use super::{Pair, TmdbCalibration, log1p10};
use crate::domain::Film;
use crate::domain::PopularityScale;
use crate::eval::{mae, rmse, spearman};
use crate::recommend::HIGHLY_RATED_FROM;

/// The error of a calibration on films with both sets of figures (held out from its fit, for
/// the figure to mean anything).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CalibrationAccuracy {
    /// Films with both sets of figures that were measured.
    pub films: usize,
    /// Of them, those with a TMDB vote, which alone get a calibrated average.
    pub films_with_votes: usize,
    /// Calibrated against Letterboxd average, in stars.
    pub average_mae: f64,
    pub average_rmse: f64,
    pub average_spearman: Option<f64>,
    /// Calibrated against Letterboxd rating count, on `log10(1 + count)`.
    pub log_count_mae: f64,
    pub log_count_rmse: f64,
    pub count_spearman: Option<f64>,
    /// Share of films whose calibrated count falls in the popularity band the Letterboxd one
    /// does.
    pub same_popularity_band: f64,
    /// Share of films with a vote whose calibrated average is "highly rated" (>= 3.5) exactly
    /// when the Letterboxd one is.
    pub same_highly_rated: f64,
}

pub(super) fn measure(
    calibration: &TmdbCalibration,
    films: &[Film],
) -> Option<CalibrationAccuracy> {
    let (mut average, mut true_average) = (Vec::new(), Vec::new());
    let (mut log_count, mut true_log_count) = (Vec::new(), Vec::new());
    let (mut same_band, mut same_highly_rated) = (0usize, 0usize);
    for film in films {
        let Some(pair) = Pair::of(film) else {
            continue;
        };
        let (Some(votes), Some(count)) = (film.tmdb_vote_count, film.lb_rating_count) else {
            continue;
        };
        let calibrated = calibration.rating_count(votes, film.tmdb_popularity);
        log_count.push(log1p10(f64::from(calibrated)) as f32);
        true_log_count.push(log1p10(pair.lb_count) as f32);
        // On the original's fixed edges, so the figure reads the same whatever catalog the
        // films come from.
        let band = |count| PopularityScale::LETTERBOXD.band(Some(count));
        same_band += usize::from(band(calibrated) == band(count));
        let vote_average = pair.vote_average as f32;
        if let Some(stars) = calibration.average(vote_average, votes) {
            let truth = pair.lb_average as f32;
            average.push(stars);
            true_average.push(truth);
            same_highly_rated +=
                usize::from((stars >= HIGHLY_RATED_FROM) == (truth >= HIGHLY_RATED_FROM));
        }
    }
    let films = log_count.len();
    if films == 0 {
        return None;
    }
    let share = |n: usize, of: usize| if of == 0 { 0.0 } else { n as f64 / of as f64 };
    Some(CalibrationAccuracy {
        films,
        films_with_votes: average.len(),
        average_mae: mae(&average, &true_average),
        average_rmse: rmse(&average, &true_average),
        average_spearman: spearman(&average, &true_average),
        log_count_mae: mae(&log_count, &true_log_count),
        log_count_rmse: rmse(&log_count, &true_log_count),
        count_spearman: spearman(&log_count, &true_log_count),
        same_popularity_band: share(same_band, films),
        same_highly_rated: share(same_highly_rated, average.len()),
    })
}
