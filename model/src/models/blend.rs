//! The default model, in three stages: the general model's fold-in prediction; plus what the member
//! thought of each film's community neighbours relative to that prediction; plus a forest over
//! film features fitted to what the first two do not explain of the member's own ratings, shrunk
//! for members with few ratings.

use std::sync::Arc;

use ndarray::Array2;

use super::collab::MemberVector;
use super::general::Community;
use super::{ModelError, Personalizer, RatedFilm, check_ratings, clip};
use crate::catalog::Catalog;
use crate::features::N_FEATURES;
use crate::forest::{ForestParams, RandomForest};
use crate::predict::Predictor;

/// Hyperparameters of the default model, tuned on members the reports never score.
#[derive(Debug, Clone, PartialEq)]
pub struct DefaultParams {
    /// Weight of the neighbour correction; 0 leaves it out.
    pub knn_weight: f32,
    /// The residual forest; `None` keeps the fold-in prediction alone.
    pub residual_forest: Option<ForestParams>,
    /// The correction's weight is `n / (n + shrink)` for a member with `n` ratings.
    pub shrink: f32,
}

impl Default for DefaultParams {
    /// Tuned on dev members 300..600 of letterboxd-1m: a shallow forest corrects the fold-in as
    /// well as a deep one (depth 4 to 5 best), and 32 trees keep a request to a few ms.
    fn default() -> Self {
        Self {
            knn_weight: 1.0,
            residual_forest: Some(ForestParams::default().n_trees(32).max_depth(4)),
            shrink: 150.0,
        }
    }
}

/// See the module documentation.
#[derive(Debug, Clone)]
pub struct DefaultModel {
    community: Arc<Community>,
    params: DefaultParams,
}

impl DefaultModel {
    pub fn new(community: Arc<Community>, params: DefaultParams) -> Self {
        Self { community, params }
    }
}

/// Film features plus the fold-in prediction, one row per film in `films`.
fn design(catalog: &Catalog, films: &[usize], base: &[f32]) -> Array2<f32> {
    let mut x = Array2::zeros((films.len(), N_FEATURES + 1));
    for ((mut row, &at), &b) in x.rows_mut().into_iter().zip(films).zip(base) {
        for (d, s) in row.iter_mut().zip(catalog.features().row(at)) {
            *d = *s;
        }
        row[N_FEATURES] = b;
    }
    x
}

struct Member {
    community: Arc<Community>,
    vector: MemberVector,
    /// The member's rating minus the fold-in prediction, by catalog index; NaN where unrated.
    residuals: Vec<f32>,
    knn_weight: f32,
    correction: Option<(RandomForest, f32)>,
}

impl Member {
    /// Fold-in plus neighbour correction, unclipped.
    fn collaborative(&self, films: &[usize]) -> Vec<f32> {
        films
            .iter()
            .map(|&at| {
                let base = self.community.factors.predict(&self.vector, at);
                if self.knn_weight == 0.0 {
                    base
                } else {
                    base + self.knn_weight
                        * self.community.neighbours.correction(&self.residuals, at)
                }
            })
            .collect()
    }
}

impl Predictor for Member {
    fn predict(&self, catalog: &Catalog, films: &[usize]) -> Vec<f32> {
        let base = self.collaborative(films);
        match &self.correction {
            None => base.into_iter().map(clip).collect(),
            Some((forest, weight)) => {
                let x = design(catalog, films, &base);
                let fix = forest.predict_rows(x.view());
                base.iter()
                    .zip(fix)
                    .map(|(b, f)| clip(b + weight * f))
                    .collect()
            }
        }
    }
}

impl Personalizer for DefaultModel {
    fn fit(
        &self,
        catalog: &Catalog,
        ratings: &[RatedFilm],
    ) -> Result<Box<dyn Predictor>, ModelError> {
        check_ratings(catalog, ratings)?;
        let factors = &self.community.factors;
        let vector = factors.fold_in(ratings);
        let mut residuals = vec![f32::NAN; catalog.len()];
        for &(at, stars) in ratings {
            residuals[at] = stars - factors.predict(&vector, at);
        }
        let mut member = Member {
            community: self.community.clone(),
            vector,
            residuals,
            knn_weight: self.params.knn_weight,
            correction: None,
        };
        if let Some(params) = &self.params.residual_forest {
            let films: Vec<usize> = ratings.iter().map(|&(at, _)| at).collect();
            let base = member.collaborative(&films);
            let residual: Vec<f32> = ratings
                .iter()
                .zip(&base)
                .map(|(&(_, r), b)| r - b)
                .collect();
            let x = design(catalog, &films, &base);
            let forest = params
                .fit_rows(x.view(), &residual)
                .map_err(|err| ModelError::Forest(err.to_string()))?;
            let n = ratings.len() as f32;
            member.correction = Some((forest, n / (n + self.params.shrink)));
        }
        Ok(Box::new(member))
    }
}
