//! Reasons for recommended films: each member's rated films the default model's neighbour stage
//! used for the film, as its explainer (kept with the member's scores) reports them.

use std::collections::HashMap;

use model::{Catalog, FilmIndex, Profile};

use super::scores::Scores;
use crate::domain::Reason;

/// Each member's ratings by catalog index, to show the rating beside a named film.
pub(super) fn ratings_by_film(profile: &Profile, catalog: &Catalog) -> HashMap<FilmIndex, f32> {
    profile
        .ratings
        .iter()
        .filter_map(|(key, rating)| Some((catalog.index_of(key)?, rating.stars())))
        .collect()
}

/// Every member's reasons for `film`, in member order (none from a model that cannot say).
pub(super) fn reasons(
    film: FilmIndex,
    scores: &[&Scores],
    ratings: &[HashMap<FilmIndex, f32>],
    catalog: &Catalog,
) -> Vec<Reason> {
    scores
        .iter()
        .zip(ratings)
        .enumerate()
        .flat_map(|(member, (scores, ratings))| {
            scores
                .explainer()
                .map(|explainer| explainer.reasons(film))
                .unwrap_or_default()
                .into_iter()
                .map(move |reason| Reason {
                    member,
                    film: catalog.film(reason.film).clone(),
                    rating: ratings.get(&reason.film).copied(),
                    similarity: reason.similarity,
                    effect: reason.effect,
                })
        })
        .collect()
}
