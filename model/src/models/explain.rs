//! Why the default model predicts what it does: its neighbour stage corrects the general model's
//! prediction of a film by what the member thought of that film's community neighbours, so the
//! member's rated films that moved a prediction are known exactly, with their effect; and its
//! residual forest's contributions say which of the film's features raised it
//! ([`super::feature_reasons`]).

use std::sync::Arc;

use super::collab::EnsembleMember;
use super::feature_reasons::{self, FeatureReason};
use super::general::Community;
use crate::catalog::{Catalog, FilmIndex};
use crate::forest::{Contributions, RandomForest};

/// Reasons given per film and member.
pub const MAX_REASONS: usize = 3;

/// One of the member's rated films that moved a prediction.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reason {
    /// The rated film.
    pub film: FilmIndex,
    /// The member's rating of it, in stars: what the neighbour stage used.
    pub rating: f32,
    /// How alike the community rates the two films (the neighbour weight).
    pub similarity: f32,
    /// Stars the prediction would lose were this rating left out of the neighbour stage, the
    /// general model's prediction held fixed: positive when the film raised the prediction.
    pub effect: f32,
}

/// A rating as the neighbour stage knew it.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Rated {
    film: FilmIndex,
    stars: f32,
    /// The rating minus the general model's prediction.
    residual: f32,
}

/// What the neighbour stage knew of a member: their ratings and residuals (rating minus the
/// general model's prediction) on the films they rated, and the stage's weight. Small: one entry
/// per rating.
#[derive(Debug, Clone)]
pub struct Explainer {
    community: Arc<Community>,
    /// Sorted by film.
    rated: Vec<Rated>,
    weight: f32,
    forest: Option<ForestStage>,
}

/// The residual forest stage as the member's prediction used it.
#[derive(Debug, Clone)]
struct ForestStage {
    forest: Arc<RandomForest>,
    /// The forest's weight in the prediction (shrunk for a member with few ratings).
    weight: f32,
    /// The member's fold-in, to rebuild the forest's last input (the prediction before it).
    vector: EnsembleMember,
}

impl Explainer {
    /// From the member's `(film, stars, residual)` ratings and the neighbour stage's `weight`.
    pub(crate) fn new(
        community: Arc<Community>,
        rated: impl IntoIterator<Item = (FilmIndex, f32, f32)>,
        weight: f32,
    ) -> Self {
        let mut rated: Vec<Rated> = rated
            .into_iter()
            .filter(|&(_, _, residual)| !residual.is_nan())
            .map(|(film, stars, residual)| Rated {
                film,
                stars,
                residual,
            })
            .collect();
        rated.sort_by_key(|r| r.film);
        Self {
            community,
            rated,
            weight,
            forest: None,
        }
    }

    /// Also explains by film features, from the residual forest the prediction added with
    /// `weight` over the member's fold-in `vector`.
    pub(crate) fn with_forest(
        mut self,
        forest: Arc<RandomForest>,
        weight: f32,
        vector: EnsembleMember,
    ) -> Self {
        self.forest = Some(ForestStage {
            forest,
            weight,
            vector,
        });
        self
    }

    /// Ready to explain films of `catalog` (the catalog the member's model was fitted on): a
    /// response explains a hundred films, each reading the residuals of fifty neighbours twice,
    /// so they are spread once over a table of the catalog's size rather than searched for.
    pub fn explaining<'a>(&'a self, catalog: &'a Catalog) -> Explaining<'a> {
        let mut residuals = vec![f32::NAN; catalog.len()];
        for rated in &self.rated {
            if let Some(slot) = rated.film.get_mut(&mut residuals) {
                *slot = rated.residual;
            }
        }
        Explaining {
            explainer: self,
            catalog,
            residuals,
        }
    }

    fn stars_of(&self, film: FilmIndex) -> Option<f32> {
        self.rated
            .binary_search_by_key(&film, |r| r.film)
            .ok()
            .map(|i| self.rated[i].stars)
    }

    /// What an explainer keeps in memory besides the shared community, for cache weights.
    pub fn bytes(&self) -> usize {
        let forest = self.forest.as_ref().map_or(0, |stage| {
            let vector: usize = stage.vector.0.iter().map(|v| v.factors.len() + 1).sum();
            // A node is 16 bytes; the forest is shared with nothing else once scored.
            stage.forest.n_nodes() * 16 + vector * size_of::<f32>()
        });
        self.rated.len() * size_of::<Rated>() + forest
    }
}

/// An [`Explainer`] at work on one catalog, from [`Explainer::explaining`].
#[derive(Debug)]
pub struct Explaining<'a> {
    explainer: &'a Explainer,
    catalog: &'a Catalog,
    /// By catalog index; NaN where the member did not rate.
    residuals: Vec<f32>,
}

impl Explaining<'_> {
    fn residual_of(&self, film: FilmIndex) -> Option<f32> {
        film.get(&self.residuals).copied().filter(|r| !r.is_nan())
    }

    /// Up to [`MAX_REASONS`] rated films that moved the prediction of `film` most, the largest
    /// effect (either way) first; none when no rated film is among its neighbours.
    pub fn reasons(&self, film: FilmIndex) -> Vec<Reason> {
        let explainer = self.explainer;
        let mut reasons: Vec<Reason> = explainer
            .community
            .neighbours
            .leave_one_out(|at| self.residual_of(at), film)
            .into_iter()
            .map(|(at, similarity, effect)| Reason {
                film: at,
                rating: explainer.stars_of(at).unwrap_or(f32::NAN),
                similarity,
                effect: explainer.weight * effect,
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

    /// The film features that raised the prediction of `film` through the residual forest, in
    /// words; `None` without a forest stage or when no feature that can be put into words
    /// raised it.
    pub fn feature_reason(&self, film: FilmIndex) -> Option<FeatureReason> {
        let (_, parts, weight) = self.forest_parts(film)?;
        let effects: Vec<f32> = parts
            .by_feature
            .iter()
            .map(|c| (c * f64::from(weight)) as f32)
            .collect();
        feature_reasons::describe(self.catalog.film(film), &effects)
    }

    /// The prediction of `film` before the forest, the forest's contributions for it, and the
    /// forest's weight: the unclipped prediction is `before + weight * parts.total()`.
    pub(crate) fn forest_parts(&self, film: FilmIndex) -> Option<(f32, Contributions, f32)> {
        let explainer = self.explainer;
        let stage = explainer.forest.as_ref()?;
        let community = &explainer.community;
        // The forest's input: the film's features, then the prediction of the stages before it.
        let before = community.factors.predict(&stage.vector, film)
            + explainer.weight
                * community
                    .neighbours
                    .correction_by(|at| self.residual_of(at), film);
        let mut row = self.catalog.features().row(film).to_vec();
        row.push(before);
        Some((before, stage.forest.contributions(&row), stage.weight))
    }
}
