//! Reasons for recommended films: each member's rated films the default model's neighbour stage
//! used for the film, and the film's features its residual forest was raised by, as the member's
//! explainer (kept with the member's scores) reports them. A film's reasons are worked out once
//! per member and kept with the scores ([`super::reason_memo`]).

use std::cell::OnceCell;
use std::sync::Arc;

use model::models::{Explainer, Explaining};
use model::{Catalog, FilmIndex};

use super::reason_memo::FilmReasons;
use super::scores::Scores;
use crate::domain::{Cause, Reason};

/// The members' explainers at work on one catalog, for the films of one response.
pub(super) struct Explanations<'a> {
    catalog: &'a Catalog,
    /// By member, in request order; `None` for a model that cannot say.
    members: Vec<Option<MemberExplanations<'a>>>,
}

/// One member's explainer, and its memo of answers.
struct MemberExplanations<'a> {
    scores: &'a Scores,
    explainer: &'a Explainer,
    /// Built on the first film the memo does not hold: a table the size of the catalog.
    explaining: OnceCell<Explaining<'a>>,
}

impl<'a> Explanations<'a> {
    /// `scores` is empty when the request asked for no reasons.
    pub(super) fn new(scores: impl IntoIterator<Item = &'a Scores>, catalog: &'a Catalog) -> Self {
        let members = scores
            .into_iter()
            .map(|scores| {
                scores.explainer().map(|explainer| MemberExplanations {
                    scores,
                    explainer,
                    explaining: OnceCell::new(),
                })
            })
            .collect();
        Self { catalog, members }
    }

    /// Every member's reasons for `film`, in member order: the rated films (largest effect
    /// first), then the features (none from a model that cannot say).
    pub(super) fn reasons(&self, film: FilmIndex) -> Vec<Reason> {
        let mut reasons = Vec::new();
        for (member, explained) in self.members.iter().enumerate() {
            let Some(explained) = explained else {
                continue;
            };
            let found = explained.scores.reasons().get_or_insert_with(film, || {
                let explaining = explained
                    .explaining
                    .get_or_init(|| explained.explainer.explaining(self.catalog));
                FilmReasons {
                    films: explaining.reasons(film),
                    features: explaining
                        .feature_reason(film)
                        .map(|reason| (Arc::from(reason.text), reason.effect)),
                }
            });
            reasons.extend(found.films.iter().map(|reason| Reason {
                member,
                effect: reason.effect,
                cause: Cause::Film {
                    film: reason.film,
                    rating: reason.rating,
                    similarity: reason.similarity,
                },
            }));
            reasons.extend(found.features.iter().map(|(text, effect)| Reason {
                member,
                effect: *effect,
                cause: Cause::Features {
                    text: Arc::clone(text),
                },
            }));
        }
        reasons
    }
}
