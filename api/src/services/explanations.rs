//! Reasons for recommended films: each member's rated films the default model's neighbour stage
//! used for the film, and the film's features its residual forest was raised by, as the member's
//! explainer (kept with the member's scores) reports them. A film's reasons are worked out once
//! per member and kept with the scores ([`super::reason_memo`]).

use std::cell::OnceCell;
use std::sync::Arc;

use model::models::{Explainer, Explaining};
use model::{Catalog, FilmIndex};

use super::scores::Scores;
use crate::domain::{FilmReasons, MemberReasons};

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

    /// Every member's reasons for `film`, in member order (none from a model that cannot say).
    pub(super) fn reasons(&self, film: FilmIndex) -> Vec<MemberReasons> {
        self.members
            .iter()
            .enumerate()
            .filter_map(|(member, explained)| {
                let explained = explained.as_ref()?;
                let reasons = explained.scores.reasons().get_or_insert_with(film, || {
                    let explaining = explained
                        .explaining
                        .get_or_init(|| explained.explainer.explaining(self.catalog));
                    FilmReasons::new(
                        explaining.reasons(film),
                        explaining
                            .feature_reason(film)
                            .map(|reason| (Arc::from(reason.text), reason.effect)),
                    )
                });
                Some(MemberReasons { member, reasons })
            })
            .collect()
    }
}
