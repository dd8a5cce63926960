//! Least squares for the two maps of a calibration.

use super::{
    AverageMap, CalibrationError, CalibrationParams, CountMap, MIN_FIT_FILMS, Pair, SHRINK_VOTES,
    log1p10,
};

/// A covariate whose weighted variance is below this is constant over the fit films: its
/// coefficient is 0 (it cannot be told apart from the intercept).
const CONSTANT_VARIANCE: f64 = 1e-12;
/// Two covariates whose correlation's square exceeds `1 - COLLINEAR` say the same thing: the
/// second is dropped.
const COLLINEAR: f64 = 1e-9;

pub(super) fn fit(pairs: &[Pair]) -> Result<CalibrationParams, CalibrationError> {
    let voted: Vec<&Pair> = pairs.iter().filter(|p| p.votes >= 1.0).collect();
    let films = pairs.len().min(voted.len());
    if films < MIN_FIT_FILMS {
        return Err(CalibrationError::TooFewFilms {
            films,
            needed: MIN_FIT_FILMS,
        });
    }
    Ok(CalibrationParams {
        average: fit_average(&voted)?,
        count: fit_count(pairs)?,
    })
}

fn fit_average(voted: &[&Pair]) -> Result<AverageMap, CalibrationError> {
    let k = SHRINK_VOTES;
    let prior = voted.iter().map(|p| p.vote_average).sum::<f64>() / voted.len() as f64;
    let rows: Vec<Row> = voted
        .iter()
        .map(|p| Row {
            x: [
                (p.votes * p.vote_average + k * prior) / (p.votes + k),
                log1p10(p.votes),
            ],
            y: p.lb_average,
            weight: p.votes / (p.votes + k),
        })
        .collect();
    let Solution { intercept, slopes } = least_squares(&rows).ok_or(
        CalibrationError::Underdetermined("every film has the same TMDB vote average"),
    )?;
    Ok(AverageMap {
        intercept,
        per_vote_point: slopes[0],
        per_log_votes: slopes[1],
        prior_vote_average: prior,
        shrink_votes: k,
    })
}

fn fit_count(pairs: &[Pair]) -> Result<CountMap, CalibrationError> {
    let known: Vec<f64> = pairs
        .iter()
        .filter_map(|p| p.popularity.map(log1p10))
        .collect();
    let mean_log_popularity = if known.is_empty() {
        0.0
    } else {
        known.iter().sum::<f64>() / known.len() as f64
    };
    let rows: Vec<Row> = pairs
        .iter()
        .map(|p| Row {
            x: [
                log1p10(p.votes),
                p.popularity.map_or(mean_log_popularity, log1p10),
            ],
            y: log1p10(p.lb_count),
            weight: 1.0,
        })
        .collect();
    let Solution { intercept, slopes } = least_squares(&rows).ok_or(
        CalibrationError::Underdetermined("every film has the same TMDB vote count"),
    )?;
    Ok(CountMap {
        intercept,
        per_log_votes: slopes[0],
        per_log_popularity: slopes[1],
        mean_log_popularity,
    })
}

/// One observation: two covariates, the response and its weight.
#[derive(Debug, Clone, Copy)]
pub(super) struct Row {
    pub x: [f64; 2],
    pub y: f64,
    pub weight: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Solution {
    pub intercept: f64,
    pub slopes: [f64; 2],
}

/// Weighted least squares of `y` on an intercept and both covariates, on centred sums. The
/// second covariate gets 0 when it is constant or collinear with the first; `None` when the
/// first is constant (or nothing weighs anything).
pub(super) fn least_squares(rows: &[Row]) -> Option<Solution> {
    let total: f64 = rows.iter().map(|r| r.weight).sum();
    if total.is_nan() || total <= 0.0 {
        return None;
    }
    let mean =
        |value: &dyn Fn(&Row) -> f64| rows.iter().map(|r| r.weight * value(r)).sum::<f64>() / total;
    let mx = [mean(&|r| r.x[0]), mean(&|r| r.x[1])];
    let my = mean(&|r| r.y);
    let (mut s00, mut s01, mut s11, mut s0y, mut s1y) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for r in rows {
        let (d0, d1, dy) = (r.x[0] - mx[0], r.x[1] - mx[1], r.y - my);
        s00 += r.weight * d0 * d0;
        s01 += r.weight * d0 * d1;
        s11 += r.weight * d1 * d1;
        s0y += r.weight * d0 * dy;
        s1y += r.weight * d1 * dy;
    }
    if s00 / total < CONSTANT_VARIANCE {
        return None;
    }
    let det = s00 * s11 - s01 * s01;
    let slopes = if s11 / total < CONSTANT_VARIANCE || det <= COLLINEAR * s00 * s11 {
        [s0y / s00, 0.0]
    } else {
        [(s11 * s0y - s01 * s1y) / det, (s00 * s1y - s01 * s0y) / det]
    };
    let intercept = my - slopes[0] * mx[0] - slopes[1] * mx[1];
    [intercept, slopes[0], slopes[1]]
        .iter()
        .all(|v| v.is_finite())
        .then_some(Solution { intercept, slopes })
}
