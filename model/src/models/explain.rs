//! Why the default model predicts what it does: its neighbour stage corrects the general model's
//! prediction of a film by what the member thought of that film's community neighbours, so the
//! member's rated films that moved a prediction are known exactly, with their effect.

use std::sync::Arc;

use super::general::Community;
use crate::catalog::FilmIndex;

/// Reasons given per film and member.
pub const MAX_REASONS: usize = 3;

/// One of the member's rated films that moved a prediction.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reason {
    /// The rated film.
    pub film: FilmIndex,
    /// How alike the community rates the two films (the neighbour weight).
    pub similarity: f32,
    /// Stars the prediction would lose were this rating left out of the neighbour stage, the
    /// general model's prediction held fixed: positive when the film raised the prediction.
    pub effect: f32,
}

/// What the neighbour stage knew of a member: their residuals (rating minus the general model's
/// prediction) on the films they rated, and the stage's weight. Small: one entry per rating.
#[derive(Debug, Clone)]
pub struct Explainer {
    community: Arc<Community>,
    /// Sorted by film.
    residuals: Vec<(FilmIndex, f32)>,
    weight: f32,
}

impl Explainer {
    pub(crate) fn new(community: Arc<Community>, dense: &[f32], weight: f32) -> Self {
        let residuals = dense
            .iter()
            .enumerate()
            .filter(|(_, r)| !r.is_nan())
            .map(|(at, &r)| (FilmIndex::new(at as u32), r))
            .collect();
        Self {
            community,
            residuals,
            weight,
        }
    }

    fn residual_of(&self, film: FilmIndex) -> Option<f32> {
        self.residuals
            .binary_search_by_key(&film, |&(at, _)| at)
            .ok()
            .map(|i| self.residuals[i].1)
    }

    /// Up to [`MAX_REASONS`] rated films that moved the prediction of `film` most, the largest
    /// effect (either way) first; none when no rated film is among its neighbours.
    pub fn reasons(&self, film: FilmIndex) -> Vec<Reason> {
        let mut reasons: Vec<Reason> = self
            .community
            .neighbours
            .leave_one_out(|at| self.residual_of(at), film)
            .into_iter()
            .map(|(at, similarity, effect)| Reason {
                film: at,
                similarity,
                effect: self.weight * effect,
            })
            .filter(|r| r.effect != 0.0 && r.effect.is_finite())
            .collect();
        reasons.sort_by(|a, b| {
            b.effect
                .abs()
                .total_cmp(&a.effect.abs())
                .then(a.film.cmp(&b.film))
        });
        reasons.truncate(MAX_REASONS);
        reasons
    }

    /// What an explainer keeps in memory besides the shared community, for cache weights.
    pub fn bytes(&self) -> usize {
        self.residuals.len() * size_of::<(FilmIndex, f32)>()
    }
}
