//! Reasons for recommended films: each member's rated films the default model's neighbour stage
//! used for the film, and the film's features its residual forest was raised by, as the member's
//! explainer (kept with the member's scores) reports them.

use std::collections::HashMap;

use model::{Catalog, FilmIndex, Profile};

use super::scores::Scores;
use crate::domain::{Cause, Reason};

/// Each member's ratings by catalog index, to show the rating beside a named film.
pub(super) fn ratings_by_film(profile: &Profile, catalog: &Catalog) -> HashMap<FilmIndex, f32> {
    profile
        .ratings
        .iter()
        .filter_map(|(key, rating)| Some((catalog.index_of(key)?, rating.stars())))
        .collect()
}

/// Every member's reasons for `film`, in member order: the rated films (largest effect first),
/// then the features (none from a model that cannot say).
pub(super) fn reasons(
    film: FilmIndex,
    scores: &[&Scores],
    ratings: &[HashMap<FilmIndex, f32>],
    catalog: &Catalog,
) -> Vec<Reason> {
    let mut reasons = Vec::new();
    for (member, (scores, ratings)) in scores.iter().zip(ratings).enumerate() {
        let Some(explainer) = scores.explainer() else {
            continue;
        };
        reasons.extend(explainer.reasons(film).into_iter().map(|reason| Reason {
            member,
            effect: reason.effect,
            cause: Cause::Film {
                film: Box::new(catalog.film(reason.film).clone()),
                rating: ratings.get(&reason.film).copied(),
                similarity: reason.similarity,
            },
        }));
        reasons.extend(
            explainer
                .feature_reason(catalog, film)
                .map(|reason| Reason {
                    member,
                    effect: reason.effect,
                    cause: Cause::Features { text: reason.text },
                }),
        );
    }
    reasons
}
