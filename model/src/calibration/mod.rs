//! TMDB's vote figures on Letterboxd's scale, for films the catalog knows only from TMDB.
//!
//! The models, the popularity bands and "highly rated" all read a film's Letterboxd average
//! (0.5-5 stars) and rating count. A film found on TMDB has neither, only TMDB's vote average
//! (0-10), vote count and popularity. A [`TmdbCalibration`] maps those onto the Letterboxd scale:
//!
//! - **average**: the TMDB vote average `v` of a film with `n` votes is first shrunk toward the
//!   typical film's, `v' = (n v + k m) / (n + k)` (`m` the mean vote average of the fit films,
//!   `k` = [`SHRINK_VOTES`]), so a film with three votes is not taken at its word; then
//!   `stars = a + b v' + c log10(1 + n)`, clamped to 0.5..=5. Fitted by weighted least squares,
//!   each film weighing `n / (n + k)`. A film with no TMDB vote gets no average.
//! - **rating count**: `log10(1 + count) = d + e log10(1 + n) + f log10(1 + popularity)`, by
//!   least squares; a film without popularity takes the fit films' mean `log10(1 + popularity)`.
//!   The prediction is clamped to `0..=`[`MAX_LOG_COUNT`].
//!
//! [`TmdbCalibration::fit`] learns the coefficients from the films that have both sets of figures
//! and refuses fewer than [`MIN_FIT_FILMS`]; [`TmdbCalibration::default`] holds fixed coefficients
//! for a catalog with too few (see [`DEFAULT_PARAMS`]). [`TmdbCalibration::apply`] fills a
//! missing Letterboxd figure and never touches one that is there. `docs/models.md` ("Calibration
//! (TMDB figures)") has the coefficients and the error on held-out films.

mod accuracy;
mod fit;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use crate::domain::Film;

pub use accuracy::CalibrationAccuracy;

/// Fewer films with both Letterboxd and TMDB figures than this and [`TmdbCalibration::fit`]
/// refuses: four coefficients per map want a few dozen films each to settle.
pub const MIN_FIT_FILMS: usize = 100;
/// The votes the typical film's average weighs as when a film's own TMDB average is shrunk
/// toward it (`k` above): a film with 10 votes sits halfway.
pub const SHRINK_VOTES: f64 = 10.0;
/// The largest `log10(1 + count)` a calibration predicts: ten million ratings, above any film's.
pub const MAX_LOG_COUNT: f64 = 7.0;
/// The Letterboxd scale, which calibrated averages are clamped to.
pub const LETTERBOXD_STARS: std::ops::RangeInclusive<f32> = 0.5..=5.0;
/// TMDB's vote scale: a vote average outside it is not a TMDB figure and is ignored.
pub const TMDB_VOTE_SCALE: std::ops::RangeInclusive<f32> = 0.0..=10.0;

/// Vote average to Letterboxd average: `stars = intercept + per_vote_point v' + per_log_votes
/// log10(1 + n)` with `v' = (n v + shrink_votes prior_vote_average) / (n + shrink_votes)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AverageMap {
    pub intercept: f64,
    /// Stars per point of (shrunk) TMDB vote average; positive.
    pub per_vote_point: f64,
    /// Stars per tenfold TMDB votes.
    pub per_log_votes: f64,
    /// The TMDB average a film with few votes is shrunk toward (0..=10).
    pub prior_vote_average: f64,
    /// How many votes the prior weighs as (>= 0).
    pub shrink_votes: f64,
}

/// Vote count and popularity to Letterboxd rating count: `log10(1 + count) = intercept +
/// per_log_votes log10(1 + n) + per_log_popularity log10(1 + popularity)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CountMap {
    pub intercept: f64,
    /// Tenfold Letterboxd ratings per tenfold TMDB votes; positive.
    pub per_log_votes: f64,
    pub per_log_popularity: f64,
    /// `log10(1 + popularity)` taken for a film without popularity (>= 0).
    pub mean_log_popularity: f64,
}

/// Every coefficient of a calibration, as [`TmdbCalibration::new`] checks them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CalibrationParams {
    pub average: AverageMap,
    pub count: CountMap,
}

impl std::fmt::Display for CalibrationParams {
    /// Both maps as formulas, for logs and reports.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let CalibrationParams {
            average: a,
            count: c,
        } = self;
        write!(
            f,
            "stars = {:.4} + {:.4} v' + {:.4} log10(1+n), v' = (n v + {} x {:.4}) / (n + {}); \
             log10(1+count) = {:.4} + {:.4} log10(1+n) + {:.4} log10(1+popularity) \
             (unknown popularity: {:.4})",
            a.intercept,
            a.per_vote_point,
            a.per_log_votes,
            a.shrink_votes,
            a.prior_vote_average,
            a.shrink_votes,
            c.intercept,
            c.per_log_votes,
            c.per_log_popularity,
            c.mean_log_popularity,
        )
    }
}

/// The calibration used when too few films have both sets of figures to fit one: the fit on
/// the fit half of letterboxd-1m's films (3,746 films, split by a hash of the slug) with the
/// figures `tmdb-sim --seed 1 --dump-figures` gives them (`docs/models.md`, "Calibration (TMDB
/// figures)", has the command). Those TMDB figures are simulated, so a catalog with real TMDB
/// data should fit its own, which any catalog with [`MIN_FIT_FILMS`] films of both kinds does.
pub const DEFAULT_PARAMS: CalibrationParams = CalibrationParams {
    average: AverageMap {
        intercept: -1.147_136,
        per_vote_point: 0.693_932,
        per_log_votes: 0.025_970,
        prior_vote_average: 6.295_468,
        shrink_votes: SHRINK_VOTES,
    },
    count: CountMap {
        intercept: 0.982_674,
        per_log_votes: 0.805_213,
        per_log_popularity: 0.029_175,
        mean_log_popularity: 0.883_836,
    },
};

/// Why a calibration could not be fitted or built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CalibrationError {
    #[error(
        "{films} films have both Letterboxd and TMDB figures; a calibration needs at least {needed}"
    )]
    TooFewFilms { films: usize, needed: usize },
    #[error("the films cannot determine a calibration: {0}")]
    Underdetermined(&'static str),
    #[error("calibration parameter {parameter} = {value} is invalid: {rule}")]
    InvalidParameter {
        parameter: &'static str,
        value: f64,
        rule: &'static str,
    },
}

/// A checked mapping of TMDB's figures onto Letterboxd's; see the module documentation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TmdbCalibration {
    params: CalibrationParams,
    /// How many films it was fitted on; `None` for fixed coefficients.
    fitted_on: Option<usize>,
}

impl Default for TmdbCalibration {
    /// [`DEFAULT_PARAMS`] (a test checks they pass [`TmdbCalibration::new`]).
    fn default() -> Self {
        Self {
            params: DEFAULT_PARAMS,
            fitted_on: None,
        }
    }
}

/// How many Letterboxd figures [`TmdbCalibration::apply`] filled in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Filled {
    pub averages: usize,
    pub counts: usize,
}

/// What [`calibrate`] did to a catalog's films.
#[derive(Debug, Clone, PartialEq)]
pub struct CalibrationOutcome {
    pub calibration: TmdbCalibration,
    /// Why the default was used instead of a fit; `None` when the calibration was fitted.
    pub fallback: Option<CalibrationError>,
    pub filled: Filled,
}

/// Fits a calibration on the films with both sets of figures (the default when that fails)
/// and fills the Letterboxd figures the others lack: what a catalog does before
/// `Catalog::from_films`.
pub fn calibrate(films: &mut [Film]) -> CalibrationOutcome {
    let (calibration, fallback) = match TmdbCalibration::fit(films) {
        Ok(fitted) => (fitted, None),
        Err(err) => (TmdbCalibration::default(), Some(err)),
    };
    let filled = calibration.apply(films);
    CalibrationOutcome {
        calibration,
        fallback,
        filled,
    }
}

impl TmdbCalibration {
    /// A calibration with fixed coefficients, checked: every one finite, both slopes on TMDB's
    /// figures positive (a higher vote average or more votes never mean less on Letterboxd),
    /// the prior on TMDB's scale and the shrinkage and mean popularity not negative.
    pub fn new(params: CalibrationParams) -> Result<Self, CalibrationError> {
        check(params)?;
        Ok(Self {
            params,
            fitted_on: None,
        })
    }

    /// Fits both maps on the films that have both Letterboxd figures (average and count) and
    /// TMDB votes (average and count); see the module documentation for the method.
    pub fn fit(films: &[Film]) -> Result<Self, CalibrationError> {
        let pairs: Vec<Pair> = films.iter().filter_map(Pair::of).collect();
        let params = fit::fit(&pairs)?;
        check(params)?;
        Ok(Self {
            params,
            fitted_on: Some(pairs.len()),
        })
    }

    pub fn params(&self) -> &CalibrationParams {
        &self.params
    }

    /// How many films the coefficients were fitted on; `None` for fixed ones.
    pub fn fitted_on(&self) -> Option<usize> {
        self.fitted_on
    }

    /// The Letterboxd average of a film with TMDB vote average `vote_average` over
    /// `vote_count` votes; `None` without a vote or with an average off TMDB's scale.
    pub fn average(&self, vote_average: f32, vote_count: u32) -> Option<f32> {
        if vote_count == 0 || !TMDB_VOTE_SCALE.contains(&vote_average) {
            return None;
        }
        let map = &self.params.average;
        let n = f64::from(vote_count);
        let shrunk = (n * f64::from(vote_average) + map.shrink_votes * map.prior_vote_average)
            / (n + map.shrink_votes);
        let stars = map.intercept + map.per_vote_point * shrunk + map.per_log_votes * log1p10(n);
        Some((stars as f32).clamp(*LETTERBOXD_STARS.start(), *LETTERBOXD_STARS.end()))
    }

    /// The Letterboxd rating count of a film with `vote_count` TMDB votes and TMDB popularity
    /// `popularity` (a negative or non-finite one counts as unknown).
    pub fn rating_count(&self, vote_count: u32, popularity: Option<f32>) -> u32 {
        let map = &self.params.count;
        let log_popularity = popularity
            .filter(|p| p.is_finite() && *p >= 0.0)
            .map_or(map.mean_log_popularity, |p| log1p10(f64::from(p)));
        let log_count = (map.intercept
            + map.per_log_votes * log1p10(f64::from(vote_count))
            + map.per_log_popularity * log_popularity)
            .clamp(0.0, MAX_LOG_COUNT);
        // At most 10^7 - 1: well inside u32.
        (10f64.powf(log_count) - 1.0).round().max(0.0) as u32
    }

    /// Fills each film's missing Letterboxd average and rating count from its TMDB figures; a
    /// figure the film has is never changed, nor a film without TMDB votes.
    pub fn apply(&self, films: &mut [Film]) -> Filled {
        let mut filled = Filled::default();
        for film in films {
            let Some(votes) = film.tmdb_vote_count else {
                continue;
            };
            if film.lb_average.is_none()
                && let Some(average) = film
                    .tmdb_vote_average
                    .and_then(|vote_average| self.average(vote_average, votes))
            {
                film.lb_average = Some(average);
                filled.averages += 1;
            }
            if film.lb_rating_count.is_none() {
                film.lb_rating_count = Some(self.rating_count(votes, film.tmdb_popularity));
                filled.counts += 1;
            }
        }
        filled
    }

    /// How far the calibration is from the Letterboxd figures of `films` that have both sets
    /// (films that have not are left out); `None` when none has.
    pub fn accuracy(&self, films: &[Film]) -> Option<CalibrationAccuracy> {
        accuracy::measure(self, films)
    }
}

/// One film with both sets of figures, as the fit and the accuracy read it.
#[derive(Debug, Clone, Copy)]
struct Pair {
    lb_average: f64,
    lb_count: f64,
    vote_average: f64,
    votes: f64,
    popularity: Option<f64>,
}

impl Pair {
    fn of(film: &Film) -> Option<Pair> {
        let lb_average = film.lb_average.filter(|a| LETTERBOXD_STARS.contains(a))?;
        let vote_average = film
            .tmdb_vote_average
            .filter(|v| TMDB_VOTE_SCALE.contains(v))?;
        Some(Pair {
            lb_average: f64::from(lb_average),
            lb_count: f64::from(film.lb_rating_count?),
            vote_average: f64::from(vote_average),
            votes: f64::from(film.tmdb_vote_count?),
            popularity: film
                .tmdb_popularity
                .filter(|p| p.is_finite() && *p >= 0.0)
                .map(f64::from),
        })
    }
}

/// `log10(1 + x)`: counts and popularity are compared on this scale, where 0 stays 0.
fn log1p10(x: f64) -> f64 {
    x.ln_1p() / std::f64::consts::LN_10
}

fn check(params: CalibrationParams) -> Result<(), CalibrationError> {
    let CalibrationParams { average, count } = params;
    let invalid = |parameter, value, rule| {
        Err(CalibrationError::InvalidParameter {
            parameter,
            value,
            rule,
        })
    };
    let values = [
        ("average.intercept", average.intercept),
        ("average.per_vote_point", average.per_vote_point),
        ("average.per_log_votes", average.per_log_votes),
        ("average.prior_vote_average", average.prior_vote_average),
        ("average.shrink_votes", average.shrink_votes),
        ("count.intercept", count.intercept),
        ("count.per_log_votes", count.per_log_votes),
        ("count.per_log_popularity", count.per_log_popularity),
        ("count.mean_log_popularity", count.mean_log_popularity),
    ];
    for (parameter, value) in values {
        if !value.is_finite() {
            return invalid(parameter, value, "must be finite");
        }
    }
    if average.per_vote_point <= 0.0 {
        return invalid(
            "average.per_vote_point",
            average.per_vote_point,
            "must be positive: a higher TMDB average cannot mean a lower Letterboxd one",
        );
    }
    if count.per_log_votes <= 0.0 {
        return invalid(
            "count.per_log_votes",
            count.per_log_votes,
            "must be positive: more TMDB votes cannot mean fewer Letterboxd ratings",
        );
    }
    if !(0.0..=10.0).contains(&average.prior_vote_average) {
        return invalid(
            "average.prior_vote_average",
            average.prior_vote_average,
            "must be on TMDB's 0-10 scale",
        );
    }
    if average.shrink_votes < 0.0 {
        return invalid(
            "average.shrink_votes",
            average.shrink_votes,
            "cannot be negative",
        );
    }
    if count.mean_log_popularity < 0.0 {
        return invalid(
            "count.mean_log_popularity",
            count.mean_log_popularity,
            "cannot be negative",
        );
    }
    Ok(())
}
