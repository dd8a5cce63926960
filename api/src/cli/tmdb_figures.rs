//! `reel eval --tmdb-figures FILE`: the dataset as if no film had Letterboxd figures, only
//! TMDB's (the CSV `tmdb-sim --dump-figures` writes: `slug,tmdb_id,vote_average,vote_count,
//! popularity`).
//!
//! The figures are joined to the films by slug (by key for a film without one). Films are
//! split by a hash of their slug into a fit half and a held-out half; the calibration (`model::calibration`) is fitted on the fit
//! half's films with both sets of figures and measured on the held-out half's. Then every
//! film's Letterboxd average and rating count are replaced by the calibrated ones (a film
//! without TMDB figures is left with none), and the evaluation runs as usual.

use std::collections::HashMap;
use std::path::Path;

use anyhow::Context;
use model::Film;
use model::calibration::{
    CalibrationAccuracy, CalibrationParams, Filled, MIN_FIT_FILMS, TmdbCalibration,
};
use serde::{Deserialize, Serialize};

/// What replacing the Letterboxd figures did, for stderr and `--format json`.
#[derive(Debug, Clone, Serialize)]
pub struct TmdbFiguresReport {
    /// Dataset films that had a row in the figures file.
    pub films_with_figures: usize,
    pub films_without_figures: usize,
    /// Fit-half films with both sets of figures the calibration was fitted on; 0 when too few
    /// and the default calibration was used.
    pub fitted_on: usize,
    /// Why the default calibration was used, when it was.
    pub fallback: Option<String>,
    pub params: CalibrationParams,
    /// The calibration's error on the held-out half's films with both sets of figures.
    pub held_out: Option<CalibrationAccuracy>,
    /// Letterboxd figures the calibration put in place of the dataset's.
    pub replaced: Filled,
}

/// A row of the figures file; its `tmdb_id` column is not read (the films keep their ids).
#[derive(Debug, Deserialize)]
struct FiguresRow {
    slug: String,
    vote_average: f32,
    vote_count: u32,
    popularity: Option<f32>,
}

/// Joins the figures in `path` to `films`, fits and measures the calibration, and puts its
/// figures in place of every film's Letterboxd ones.
pub fn simulate_tmdb_only(films: &mut [Film], path: &Path) -> anyhow::Result<TmdbFiguresReport> {
    let figures = read_figures(path)?;
    let mut films_with_figures = 0;
    for film in films.iter_mut() {
        let Some(row) = figures.get(name(film)) else {
            continue;
        };
        film.tmdb_vote_average = Some(row.vote_average);
        film.tmdb_vote_count = Some(row.vote_count);
        film.tmdb_popularity = row.popularity;
        films_with_figures += 1;
    }
    let (fit_half, held_out): (Vec<Film>, Vec<Film>) = films.iter().cloned().partition(in_fit_half);
    let (calibration, fallback) = match TmdbCalibration::fit(&fit_half) {
        Ok(fitted) => (fitted, None),
        Err(err) => (TmdbCalibration::default(), Some(err.to_string())),
    };
    let held_out = calibration.accuracy(&held_out);
    for film in films.iter_mut() {
        film.lb_average = None;
        film.lb_rating_count = None;
    }
    let replaced = calibration.apply(films);
    Ok(TmdbFiguresReport {
        films_with_figures,
        films_without_figures: films.len() - films_with_figures,
        fitted_on: calibration.fitted_on().unwrap_or(0),
        fallback,
        params: *calibration.params(),
        held_out,
        replaced,
    })
}

impl TmdbFiguresReport {
    /// The lines `reel eval` prints on stderr.
    pub fn describe(&self) -> String {
        let mut out = format!(
            "tmdb figures: {} films joined, {} without figures\n",
            self.films_with_figures, self.films_without_figures
        );
        match &self.fallback {
            None => out.push_str(&format!(
                "calibration fitted on {} films of the fit half: {}\n",
                self.fitted_on, self.params
            )),
            Some(reason) => out.push_str(&format!(
                "calibration: the default ({reason}; at least {MIN_FIT_FILMS} needed): {}\n",
                self.params
            )),
        }
        match &self.held_out {
            Some(a) => out.push_str(&format!(
                "held out ({} films, {} with votes): average MAE {:.4} RMSE {:.4} stars, \
                 Spearman {}; log10 count MAE {:.4} RMSE {:.4}, Spearman {}; \
                 same popularity band {:.4}, same highly rated {:.4}\n",
                a.films,
                a.films_with_votes,
                a.average_mae,
                a.average_rmse,
                shown(a.average_spearman),
                a.log_count_mae,
                a.log_count_rmse,
                shown(a.count_spearman),
                a.same_popularity_band,
                a.same_highly_rated,
            )),
            None => out.push_str("held out: no film with both sets of figures\n"),
        }
        out.push_str(&format!(
            "Letterboxd figures replaced by calibrated ones: {} averages, {} rating counts",
            self.replaced.averages, self.replaced.counts
        ));
        out
    }
}

fn shown(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{v:.4}"))
}

fn read_figures(path: &Path) -> anyhow::Result<HashMap<String, FiguresRow>> {
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("reading {}", path.display()))?;
    let mut figures = HashMap::new();
    for row in reader.deserialize() {
        let row: FiguresRow = row.with_context(|| format!("reading {}", path.display()))?;
        figures.insert(row.slug.clone(), row);
    }
    Ok(figures)
}

/// Half the films, by a hash of the slug (the key for a film without one): the same half on
/// every machine and run.
fn in_fit_half(film: &Film) -> bool {
    stable_hash(name(film).as_bytes()).is_multiple_of(2)
}

/// What the dataset's `slug` column held: the slug, else the key (a row like `film:151796`
/// parses as a Letterboxd id, not a slug).
fn name(film: &Film) -> &str {
    film.slug
        .as_ref()
        .map_or_else(|| film.key.as_str(), |slug| slug.as_str())
}

/// FNV-1a, then SplitMix64's finaliser so every bit depends on every byte.
fn stable_hash(bytes: &[u8]) -> u64 {
    let mut x = bytes
        .iter()
        .fold(0xcbf2_9ce4_8422_2325_u64, |state, &byte| {
            (state ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        });
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use model::{FilmKey, Slug};

    use super::*;

    /// 400 films whose TMDB figures follow their Letterboxd ones (`2 + 1.3 x` the average, as
    /// many votes as ratings), the last without figures; the figures file.
    fn films_and_figures(dir: &tempfile::TempDir) -> (Vec<Film>, std::path::PathBuf) {
        let mut figures = String::from("slug,tmdb_id,vote_average,vote_count,popularity\n");
        let films: Vec<Film> = (0..400)
            .map(|i| {
                let slug = format!("film-{i}");
                let mut film = Film::stub(FilmKey::from(Slug::parse(&slug).unwrap()), "F");
                let average = 1.0 + (i % 40) as f32 / 10.0;
                let count = 900 + 37 * i as u32;
                film.lb_average = Some(average);
                film.lb_rating_count = Some(count);
                if i < 399 {
                    let popularity = if i % 3 == 0 {
                        String::new()
                    } else {
                        "4.5".into()
                    };
                    figures.push_str(&format!(
                        "{slug},{i},{},{},{popularity}\n",
                        2.0 + 1.3 * average,
                        count
                    ));
                }
                film
            })
            .collect();
        let path = dir.path().join("figures.csv");
        std::fs::File::create(&path)
            .unwrap()
            .write_all(figures.as_bytes())
            .unwrap();
        (films, path)
    }

    #[test]
    fn every_film_with_figures_gets_calibrated_ones_fitted_on_half_and_measured_on_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let (mut films, path) = films_and_figures(&dir);
        let original = films.clone();
        let report = simulate_tmdb_only(&mut films, &path).unwrap();
        assert_eq!(
            (report.films_with_figures, report.films_without_figures),
            (399, 1)
        );
        assert_eq!(report.fallback, None);
        assert!((150..=250).contains(&report.fitted_on), "{report:?}");
        let held_out = report.held_out.unwrap();
        assert_eq!(held_out.films + report.fitted_on, 399);
        // The figures follow the Letterboxd ones exactly: the calibration recovers them (up to
        // the shrinkage of averages toward the typical film's, about 1% over 900 votes).
        assert!(held_out.average_rmse < 0.01, "{held_out:?}");
        assert!(held_out.log_count_rmse < 0.01, "{held_out:?}");
        assert_eq!(
            report.replaced,
            Filled {
                averages: 399,
                counts: 399
            }
        );
        for (film, was) in films.iter().zip(&original).take(399) {
            let (now, then) = (film.lb_average.unwrap(), was.lb_average.unwrap());
            assert!((now - then).abs() < 0.03, "{} {now} {then}", film.key);
        }
        assert_eq!(
            (films[399].lb_average, films[399].lb_rating_count),
            (None, None)
        );
        assert!(
            report.describe().contains("held out ("),
            "{}",
            report.describe()
        );
    }

    #[test]
    fn a_malformed_figures_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("figures.csv");
        std::fs::write(
            &path,
            "slug,tmdb_id,vote_average,vote_count,popularity\nheat,1,high,3,\n",
        )
        .unwrap();
        let mut films = Vec::new();
        assert!(simulate_tmdb_only(&mut films, &path).is_err());
        assert!(simulate_tmdb_only(&mut films, &dir.path().join("missing.csv")).is_err());
    }

    #[test]
    fn the_halves_are_stable_and_about_even() {
        let films: Vec<Film> = (0..2_000)
            .map(|i| Film::stub(FilmKey::parse(&format!("film-{i}")).unwrap(), "F"))
            .collect();
        let fit = films.iter().filter(|f| in_fit_half(f)).count();
        assert!((900..=1_100).contains(&fit), "{fit}");
        assert_eq!(stable_hash(b"heat"), stable_hash(b"heat"));
        assert_ne!(stable_hash(b"heat"), stable_hash(b"heap"));
    }
}
