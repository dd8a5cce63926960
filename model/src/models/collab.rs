//! Matrix factorisation with biases, `r ~ mu + b_member + b_film + p_member . q_film`, trained
//! offline by alternating least squares on community ratings. A member who is not in the training
//! data is folded in per request: one ridge regression of their ratings on the film vectors, which
//! is exactly the member half-step of ALS, so a member with few ratings stays close to
//! `mu + b_film`.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::RatedFilm;
use super::linalg::Ridge;
use crate::catalog::FilmIndex;

/// One community rating: member number (dense, 0-based), catalog index, stars.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CommunityRating {
    pub member: u32,
    pub film: FilmIndex,
    pub stars: f32,
}

/// Hyperparameters of the factorisation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MfParams {
    pub factors: usize,
    pub iterations: usize,
    /// Ridge penalty on factor vectors.
    pub reg_factors: f32,
    /// Ridge penalty on biases.
    pub reg_bias: f32,
    /// Penalties grow as `count ^ reg_count_power` with a row's number of ratings (0: constant
    /// penalties; 1: the weighted-lambda regularisation of ALS-WR).
    pub reg_count_power: f32,
    pub seed: u64,
}

impl Default for MfParams {
    /// Tuned on dev members 300..600 of letterboxd-1m (scored members never train the factors):
    /// 8 to 16 factors do best there, more factors overfit.
    fn default() -> Self {
        Self {
            factors: 12,
            iterations: 12,
            reg_factors: 8.0,
            reg_bias: 5.0,
            reg_count_power: 0.0,
            seed: 7,
        }
    }
}

/// The film side of a trained factorisation, by catalog index; all a fold-in needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Factors {
    pub params: MfParams,
    pub global_mean: f32,
    pub film_bias: Vec<f32>,
    /// `factors` values per film, film-major.
    pub film_factors: Vec<f32>,
}

/// A member's bias and factor vector.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberVector {
    pub bias: f32,
    pub factors: Vec<f32>,
}

impl Factors {
    pub fn n_films(&self) -> usize {
        self.film_bias.len()
    }

    fn film(&self, at: FilmIndex) -> &[f32] {
        let (k, at) = (self.params.factors, usize::from(at));
        &self.film_factors[at * k..(at + 1) * k]
    }

    /// The non-personal part of a prediction: `mu + b_film`.
    pub fn film_baseline(&self, at: FilmIndex) -> f32 {
        self.global_mean + at.get(&self.film_bias).copied().unwrap_or(0.0)
    }

    /// Solves the member's bias and vector from their ratings (films outside the factorisation
    /// are ignored).
    pub fn fold_in(&self, ratings: &[RatedFilm]) -> MemberVector {
        let k = self.params.factors;
        let mut ridge = Ridge::new(k + 1);
        let mut x = vec![0.0f32; k + 1];
        x[0] = 1.0;
        for &(at, stars) in ratings
            .iter()
            .filter(|(at, _)| usize::from(*at) < self.n_films())
        {
            x[1..].copy_from_slice(self.film(at));
            ridge.add(&x, stars - self.film_baseline(at));
        }
        let penalties = penalties(&self.params);
        let mut solved = vec![0.0f32; k + 1];
        let scale = count_scale(ratings.len(), self.params.reg_count_power);
        ridge.solve(&penalties, scale, &mut solved);
        MemberVector {
            bias: solved[0],
            factors: solved[1..].to_vec(),
        }
    }

    /// Unclipped prediction for the film at `at`.
    pub fn predict(&self, member: &MemberVector, at: FilmIndex) -> f32 {
        if usize::from(at) >= self.n_films() {
            return self.global_mean + member.bias;
        }
        let dot: f32 = self
            .film(at)
            .iter()
            .zip(&member.factors)
            .map(|(a, b)| a * b)
            .sum();
        self.film_baseline(at) + member.bias + dot
    }
}

/// Several factorisations of the same ratings (different seeds), averaged: the ensemble's
/// prediction varies less with the random start than any one of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FactorEnsemble {
    pub models: Vec<Factors>,
}

/// A member folded into every model of an ensemble.
#[derive(Debug, Clone, PartialEq)]
pub struct EnsembleMember(pub Vec<MemberVector>);

impl FactorEnsemble {
    /// `size` factorisations with seeds `params.seed`, `params.seed + 1`, ...
    pub fn train(
        n_films: usize,
        ratings: &[CommunityRating],
        params: MfParams,
        size: usize,
    ) -> Self {
        let models = (0..size.max(1) as u64)
            .map(|i| {
                let seed = params.seed.wrapping_add(i);
                train_factors(n_films, ratings, MfParams { seed, ..params })
            })
            .collect();
        Self { models }
    }

    pub fn fold_in(&self, ratings: &[RatedFilm]) -> EnsembleMember {
        EnsembleMember(self.models.iter().map(|m| m.fold_in(ratings)).collect())
    }

    /// The mean of the models' unclipped predictions.
    pub fn predict(&self, member: &EnsembleMember, at: FilmIndex) -> f32 {
        let sum: f32 = self
            .models
            .iter()
            .zip(&member.0)
            .map(|(m, v)| m.predict(v, at))
            .sum();
        sum / self.models.len().max(1) as f32
    }

    /// The same models under a new numbering of films (`map[old]` is the new index, or `None`).
    pub fn renumbered(&self, map: &[Option<FilmIndex>], n_new: usize) -> Self {
        Self {
            models: self
                .models
                .iter()
                .map(|m| m.renumbered(map, n_new))
                .collect(),
        }
    }
}

impl Factors {
    /// The same factorisation under a new numbering of films; new films get no bias and a zero
    /// vector.
    pub fn renumbered(&self, map: &[Option<FilmIndex>], n_new: usize) -> Self {
        let k = self.params.factors;
        let mut film_bias = vec![0.0; n_new];
        let mut film_factors = vec![0.0; n_new * k];
        for (old, new) in FilmIndex::first(map.len()).zip(map) {
            if let (Some(new), Some(&bias)) = (*new, old.get(&self.film_bias)) {
                let new = usize::from(new);
                film_bias[new] = bias;
                film_factors[new * k..(new + 1) * k].copy_from_slice(self.film(old));
            }
        }
        Self {
            params: self.params,
            global_mean: self.global_mean,
            film_bias,
            film_factors,
        }
    }
}

fn count_scale(count: usize, power: f32) -> f64 {
    if power == 0.0 {
        1.0
    } else {
        (count.max(1) as f64).powf(f64::from(power))
    }
}

fn penalties(params: &MfParams) -> Vec<f64> {
    let mut p = vec![f64::from(params.reg_factors); params.factors + 1];
    p[0] = f64::from(params.reg_bias);
    p
}

/// Ratings grouped by one side: `starts[i]..starts[i+1]` indexes `(other side, stars)` pairs.
struct Grouped {
    starts: Vec<usize>,
    entries: Vec<(u32, f32)>,
}

fn group(
    n: usize,
    ratings: &[CommunityRating],
    key: impl Fn(&CommunityRating) -> (u32, u32),
) -> Grouped {
    let mut starts = vec![0usize; n + 1];
    for r in ratings {
        starts[key(r).0 as usize + 1] += 1;
    }
    for i in 0..n {
        starts[i + 1] += starts[i];
    }
    let mut fill = starts.clone();
    let mut entries = vec![(0u32, 0.0f32); ratings.len()];
    for r in ratings {
        let (own, other) = key(r);
        entries[fill[own as usize]] = (other, r.stars);
        fill[own as usize] += 1;
    }
    Grouped { starts, entries }
}

/// Trains the factorisation on `ratings` over `n_films` catalog films. Deterministic for a seed
/// (each half-step solves independent systems, so rayon's scheduling does not change the result).
pub fn train_factors(n_films: usize, ratings: &[CommunityRating], params: MfParams) -> Factors {
    let k = params.factors;
    let dim = k + 1;
    let n_members = ratings
        .iter()
        .map(|r| r.member as usize + 1)
        .max()
        .unwrap_or(0);
    let by_member = group(n_members, ratings, |r| (r.member, r.film.into()));
    let by_film = group(n_films, ratings, |r| (r.film.into(), r.member));
    let global_mean = if ratings.is_empty() {
        3.0
    } else {
        (ratings.iter().map(|r| f64::from(r.stars)).sum::<f64>() / ratings.len() as f64) as f32
    };
    let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
    // Row layout for both sides: [bias, factors...].
    let mut films: Vec<f32> = (0..n_films * dim)
        .map(|i| {
            if i % dim == 0 {
                0.0
            } else {
                rng.random_range(-0.1..0.1)
            }
        })
        .collect();
    let mut members = vec![0.0f32; n_members * dim];
    let ridge = penalties(&params);
    for _ in 0..params.iterations {
        let power = params.reg_count_power;
        half_step(&mut members, &films, &by_member, global_mean, &ridge, power);
        half_step(&mut films, &members, &by_film, global_mean, &ridge, power);
    }
    let mut film_bias = Vec::with_capacity(n_films);
    let mut film_factors = Vec::with_capacity(n_films * k);
    for row in films.chunks_exact(dim) {
        film_bias.push(row[0]);
        film_factors.extend_from_slice(&row[1..]);
    }
    Factors {
        params,
        global_mean,
        film_bias,
        film_factors,
    }
}

/// Solves every row of `own` ([bias, factors]) with `other` fixed: target `r - mu - b_other`,
/// design `[1, q_other]`.
fn half_step(
    own: &mut [f32],
    other: &[f32],
    grouped: &Grouped,
    mu: f32,
    ridge: &[f64],
    power: f32,
) {
    let dim = ridge.len();
    own.par_chunks_mut(dim).enumerate().for_each_init(
        || (Ridge::new(dim), vec![0.0f32; dim]),
        |(solver, x), (at, row)| {
            let entries = &grouped.entries[grouped.starts[at]..grouped.starts[at + 1]];
            if entries.is_empty() {
                row.fill(0.0);
                return;
            }
            solver.clear();
            x[0] = 1.0;
            for &(o, stars) in entries {
                let theirs = &other[o as usize * dim..(o as usize + 1) * dim];
                x[1..].copy_from_slice(&theirs[1..]);
                solver.add(x, stars - mu - theirs[0]);
            }
            solver.solve(ridge, count_scale(entries.len(), power), row);
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::at;

    /// Two taste groups: members 0..10 love films 0..5 and dislike 5..10, members 10..20 the reverse.
    fn two_tastes() -> Vec<CommunityRating> {
        let mut out = Vec::new();
        for member in 0..20u32 {
            for film in 0..10u32 {
                let likes = (member < 10) == (film < 5);
                if (member + film) % 4 != 0 {
                    out.push(CommunityRating {
                        member,
                        film: at(film),
                        stars: if likes { 4.5 } else { 1.5 },
                    });
                }
            }
        }
        out
    }

    fn params() -> MfParams {
        MfParams {
            factors: 4,
            iterations: 15,
            reg_factors: 0.5,
            reg_bias: 0.5,
            reg_count_power: 0.0,
            seed: 3,
        }
    }

    #[test]
    fn a_folded_in_member_gets_their_groups_taste() {
        let factors = train_factors(10, &two_tastes(), params());
        let member = factors.fold_in(&[(at(0), 5.0), (at(1), 4.5), (at(6), 1.0), (at(7), 1.5)]);
        assert!(
            factors.predict(&member, at(3)) > 3.8,
            "{}",
            factors.predict(&member, at(3))
        );
        assert!(
            factors.predict(&member, at(8)) < 2.2,
            "{}",
            factors.predict(&member, at(8))
        );
    }

    #[test]
    fn no_ratings_fold_in_to_the_film_baseline() {
        let factors = train_factors(10, &two_tastes(), params());
        let nobody = factors.fold_in(&[]);
        assert_eq!(nobody.bias, 0.0);
        assert_eq!(
            factors.predict(&nobody, at(2)),
            factors.film_baseline(at(2))
        );
    }

    #[test]
    fn training_is_deterministic_under_a_seed() {
        let a = train_factors(10, &two_tastes(), params());
        let b = train_factors(10, &two_tastes(), params());
        assert_eq!(a, b);
    }
}
