//! Which model ranks a request's films: the servable subset of `model::models::ModelKind`, under the
//! names clients send.

use model::models::ModelKind;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Which model ranks the films:
/// - `default`: the service's best model, community fold-in with a neighbour correction and a
///   residual forest (the default);
/// - `personalized`: a forest trained on this member's ratings alone, as the original service did;
/// - `general`: the model trained offline on every stored member's ratings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ModelChoice {
    /// The service's best model (see `GET /docs` and the README for which one that is).
    #[default]
    Default,
    /// A forest trained on this member's ratings alone, as the original service did.
    Personalized,
    /// The model trained offline on every stored member's ratings.
    General,
}

impl ModelChoice {
    /// The wire name, also the `model` label of the metrics.
    pub fn name(self) -> &'static str {
        match self {
            ModelChoice::Default => "default",
            ModelChoice::Personalized => "personalized",
            ModelChoice::General => "general",
        }
    }

    /// What each choice serves: the one place the API's names meet the registry's.
    pub fn kind(self) -> ModelKind {
        match self {
            ModelChoice::Default => ModelKind::ResidualChain,
            ModelChoice::Personalized => ModelKind::MemberForest,
            ModelChoice::General => ModelKind::FoldIn,
        }
    }
}
