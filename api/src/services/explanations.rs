//! Reasons for recommended films: each member's rated films the default model's neighbour stage
//! used for the film, and the film's features its residual forest was raised by, as the member's
//! explainer (kept with the member's scores) reports them.

use std::sync::Arc;

use model::models::Explaining;
use model::{Catalog, FilmIndex};

use super::scores::Scores;
use crate::domain::{CatalogFilm, Cause, Reason};

/// The members' explainers at work on one catalog, for the films of one response.
pub(super) struct Explanations<'a> {
    catalog: &'a Arc<Catalog>,
    /// By member, in request order; `None` for a model that cannot say.
    members: Vec<Option<Explaining<'a>>>,
}

impl<'a> Explanations<'a> {
    /// `scores` is empty when the request asked for no reasons.
    pub(super) fn new(
        scores: impl IntoIterator<Item = &'a Scores>,
        catalog: &'a Arc<Catalog>,
    ) -> Self {
        let members = scores
            .into_iter()
            .map(|scores| scores.explainer().map(|e| e.explaining(catalog)))
            .collect();
        Self { catalog, members }
    }

    /// Every member's reasons for `film`, in member order: the rated films (largest effect
    /// first), then the features (none from a model that cannot say).
    pub(super) fn reasons(&self, film: FilmIndex) -> Vec<Reason> {
        let mut reasons = Vec::new();
        for (member, explaining) in self.members.iter().enumerate() {
            let Some(explaining) = explaining else {
                continue;
            };
            reasons.extend(explaining.reasons(film).into_iter().map(|reason| Reason {
                member,
                effect: reason.effect,
                cause: Cause::Film {
                    film: CatalogFilm::new(Arc::clone(self.catalog), reason.film),
                    rating: reason.rating,
                    similarity: reason.similarity,
                },
            }));
            reasons.extend(explaining.feature_reason(film).map(|reason| Reason {
                member,
                effect: reason.effect,
                cause: Cause::Features { text: reason.text },
            }));
        }
        reasons
    }
}
