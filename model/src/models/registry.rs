//! Every model the crate can train for a member, in one list. Serving (`reel`'s trainer),
//! `reel eval` and the metrics build their models and names from [`ModelKind`], so adding a model
//! means one variant here and one arm in [`ModelKind::personalizer`].

use std::sync::Arc;

use super::general::Community;
use super::{
    FilmAverage, FoldIn, MemberBias, MemberForest, Personalizer, ResidualChain, ResidualChainParams,
};

/// The key the general model (the community factors and neighbours that [`FoldIn`] and
/// [`ResidualChain`] read) is stored and looked up under.
pub const GENERAL_MODEL: &str = "general";

/// What a member's model is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ModelKind {
    /// Each film's mean rating: the floor every other model must beat.
    FilmAverage,
    /// The member's mean offset from the film averages, added to them.
    MemberBias,
    /// A forest over the film features, trained on the member's ratings alone (the original
    /// service's model).
    MemberForest,
    /// The member folded into the general model's community factors.
    FoldIn,
    /// Fold-in, plus a neighbour correction, plus a residual forest: the service's default.
    ResidualChain,
}

impl ModelKind {
    /// Every model, in the order `reel eval` reports them.
    pub const ALL: [ModelKind; 5] = [
        ModelKind::FilmAverage,
        ModelKind::MemberBias,
        ModelKind::MemberForest,
        ModelKind::FoldIn,
        ModelKind::ResidualChain,
    ];

    /// Whether the model reads the general model's community factors.
    pub fn needs_community(self) -> bool {
        matches!(self, ModelKind::FoldIn | ModelKind::ResidualChain)
    }

    /// The model with its tuned parameters, or `None` for a model that needs the community and
    /// was given none.
    pub fn personalizer(self, community: Option<&Arc<Community>>) -> Option<Box<dyn Personalizer>> {
        Some(match (self, community) {
            (ModelKind::FilmAverage, _) => Box::new(FilmAverage),
            (ModelKind::MemberBias, _) => Box::new(MemberBias),
            (ModelKind::MemberForest, _) => Box::new(MemberForest::default()),
            (ModelKind::FoldIn, Some(community)) => Box::new(FoldIn::new(Arc::clone(community))),
            (ModelKind::ResidualChain, Some(community)) => Box::new(ResidualChain::new(
                Arc::clone(community),
                ResidualChainParams::default(),
            )),
            (ModelKind::FoldIn | ModelKind::ResidualChain, None) => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_community_models_need_the_community() {
        for kind in ModelKind::ALL {
            assert_eq!(
                kind.personalizer(None).is_none(),
                kind.needs_community(),
                "{kind:?}"
            );
        }
    }
}
