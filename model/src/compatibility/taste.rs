//! One member's taste as compatibility reads it: their ratings by catalog index, their mean
//! rating per genre and per decade, and the ridge coefficients of their ratings over standardized
//! film features.

use std::collections::BTreeMap;

use crate::catalog::{Catalog, FilmIndex};
use crate::domain::Genre;
use crate::features::{COL_COUNTRY, COL_LB_COUNT, N_FEATURES};
use crate::models::linalg::Ridge;

/// The features the film score regresses on: the catalog's 25, with two changes that make a
/// linear model of them meaningful: the rating count on a log scale (it spans six orders of
/// magnitude), and the country code (a category, not a quantity) as "made outside the USA".
pub const TASTE_FEATURES: usize = N_FEATURES;

/// The ridge penalty on standardized features, as rated films: enough to keep a member with a
/// few dozen ratings from fitting noise, small against a diary of hundreds.
pub const RIDGE_PENALTY: f64 = 5.0;

/// One film's taste features before standardizing.
fn raw(row: &[f32]) -> [f64; TASTE_FEATURES] {
    let mut out = [0.0; TASTE_FEATURES];
    for (o, &v) in out.iter_mut().zip(row) {
        *o = f64::from(v);
    }
    out[COL_COUNTRY] = if row[COL_COUNTRY] == 0.0 { 0.0 } else { 1.0 };
    out[COL_LB_COUNT] = f64::from(row[COL_LB_COUNT].max(0.0)).ln_1p();
    out
}

/// The catalog's mean and standard deviation of every taste feature: computed once per request
/// (a pass over the catalog) and shared by every member of it.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureScale {
    mean: [f64; TASTE_FEATURES],
    /// 0 for a feature constant over the catalog: it is left out (scaled to 0).
    sd: [f64; TASTE_FEATURES],
}

impl FeatureScale {
    pub fn of(catalog: &Catalog) -> Self {
        let n = catalog.len().max(1) as f64;
        let mut sum = [0.0; TASTE_FEATURES];
        let mut squares = [0.0; TASTE_FEATURES];
        for at in catalog.indices() {
            for (i, v) in raw(catalog.features().row(at)).into_iter().enumerate() {
                sum[i] += v;
                squares[i] += v * v;
            }
        }
        let mean = sum.map(|s| s / n);
        let mut sd = [0.0; TASTE_FEATURES];
        for i in 0..TASTE_FEATURES {
            let variance = squares[i] / n - mean[i] * mean[i];
            sd[i] = if variance > 1e-12 {
                variance.sqrt()
            } else {
                0.0
            };
        }
        Self { mean, sd }
    }

    fn standardize(&self, row: &[f32]) -> [f64; TASTE_FEATURES] {
        let mut out = raw(row);
        for (i, v) in out.iter_mut().enumerate() {
            *v = if self.sd[i] > 0.0 {
                (*v - self.mean[i]) / self.sd[i]
            } else {
                0.0
            };
        }
        out
    }
}

/// A member's mean rating over a group of films (a genre, a decade).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GroupMean {
    pub films: u32,
    pub mean_rating: f64,
}

#[derive(Debug, Default, Clone, Copy)]
struct Sums {
    films: u32,
    total: f64,
}

impl Sums {
    fn add(&mut self, stars: f64) {
        self.films += 1;
        self.total += stars;
    }

    fn mean(self) -> Option<GroupMean> {
        (self.films > 0).then(|| GroupMean {
            films: self.films,
            mean_rating: self.total / f64::from(self.films),
        })
    }
}

/// What compatibility knows of one member. Films the catalog does not know are left out: they
/// have no features, genres or year to compare.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberTaste {
    /// Ratings in stars by catalog index, sorted by index, one per film.
    ratings: Vec<(FilmIndex, f32)>,
    /// Every film the member has seen (rated or only watched), sorted.
    seen: Vec<FilmIndex>,
    /// Per genre, in [`Genre::ALL`] order; `None` where the member rated no film of it.
    genres: Vec<Option<GroupMean>>,
    /// Per decade (1990 for the 1990s), for the decades the member rated a film of.
    decades: BTreeMap<u16, GroupMean>,
    /// Ridge coefficients of the member's ratings (centered) on standardized features; all 0
    /// when the features explain nothing (every rating equal).
    coefficients: [f64; TASTE_FEATURES],
}

impl MemberTaste {
    /// `ratings` in stars (a film rated twice keeps its last rating); `watched` are films seen
    /// but not rated.
    pub fn new(
        ratings: &[(FilmIndex, f32)],
        watched: &[FilmIndex],
        catalog: &Catalog,
        scale: &FeatureScale,
    ) -> Self {
        let mut by_film: BTreeMap<FilmIndex, f32> = BTreeMap::new();
        for &(at, stars) in ratings {
            if usize::from(at) < catalog.len() {
                by_film.insert(at, stars);
            }
        }
        let ratings: Vec<(FilmIndex, f32)> = by_film.into_iter().collect();
        let mut seen: Vec<FilmIndex> = ratings
            .iter()
            .map(|&(at, _)| at)
            .chain(watched.iter().copied())
            .filter(|&at| usize::from(at) < catalog.len())
            .collect();
        seen.sort_unstable();
        seen.dedup();

        let mut genres = [Sums::default(); Genre::ALL.len()];
        let mut decades: BTreeMap<u16, Sums> = BTreeMap::new();
        for &(at, stars) in &ratings {
            let film = catalog.film(at);
            for genre in film.genres.iter() {
                genres[genre.index()].add(f64::from(stars));
            }
            if let Some(year) = film.year {
                decades
                    .entry(year / 10 * 10)
                    .or_default()
                    .add(f64::from(stars));
            }
        }
        Self {
            coefficients: coefficients(&ratings, catalog, scale),
            ratings,
            seen,
            genres: genres.iter().map(|s| s.mean()).collect(),
            decades: decades
                .into_iter()
                .filter_map(|(decade, sums)| sums.mean().map(|m| (decade, m)))
                .collect(),
        }
    }

    pub fn ratings(&self) -> &[(FilmIndex, f32)] {
        &self.ratings
    }

    pub fn rating_of(&self, at: FilmIndex) -> Option<f32> {
        self.ratings
            .binary_search_by_key(&at, |&(film, _)| film)
            .ok()
            .map(|i| self.ratings[i].1)
    }

    pub fn has_seen(&self, at: FilmIndex) -> bool {
        self.seen.binary_search(&at).is_ok()
    }

    /// Mean rating per genre, in [`Genre::ALL`] order.
    pub fn genres(&self) -> impl Iterator<Item = (Genre, Option<GroupMean>)> + '_ {
        Genre::ALL.into_iter().zip(self.genres.iter().copied())
    }

    pub(crate) fn genre_means(&self) -> &[Option<GroupMean>] {
        &self.genres
    }

    /// Mean rating per decade, oldest first, for the decades the member rated.
    pub fn decades(&self) -> &BTreeMap<u16, GroupMean> {
        &self.decades
    }

    pub fn coefficients(&self) -> &[f64; TASTE_FEATURES] {
        &self.coefficients
    }
}

/// Ridge regression of the member's centered ratings on their films' standardized features,
/// centered over those same films: the same as a regression with an unpenalized intercept.
fn coefficients(
    ratings: &[(FilmIndex, f32)],
    catalog: &Catalog,
    scale: &FeatureScale,
) -> [f64; TASTE_FEATURES] {
    let mut out = [0.0; TASTE_FEATURES];
    if ratings.len() < 2 {
        return out;
    }
    let rows: Vec<[f64; TASTE_FEATURES]> = ratings
        .iter()
        .map(|&(at, _)| scale.standardize(catalog.features().row(at)))
        .collect();
    let n = rows.len() as f64;
    let mut centre = [0.0; TASTE_FEATURES];
    for row in &rows {
        for (c, v) in centre.iter_mut().zip(row) {
            *c += v / n;
        }
    }
    let mean_rating = ratings.iter().map(|&(_, r)| f64::from(r)).sum::<f64>() / n;
    let mut ridge = Ridge::new(TASTE_FEATURES);
    let mut x = [0.0_f32; TASTE_FEATURES];
    for (row, &(_, stars)) in rows.iter().zip(ratings) {
        for ((xi, v), c) in x.iter_mut().zip(row).zip(&centre) {
            *xi = (v - c) as f32;
        }
        ridge.add(&x, (f64::from(stars) - mean_rating) as f32);
    }
    let mut w = [0.0_f32; TASTE_FEATURES];
    ridge.solve(&[RIDGE_PENALTY; TASTE_FEATURES], 1.0, &mut w);
    for (o, v) in out.iter_mut().zip(w) {
        *o = f64::from(v);
    }
    out
}
