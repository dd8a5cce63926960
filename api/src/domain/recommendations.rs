//! Recommendations: what a request asks for and what it gets back.

use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use model::recommend::Limit;
use model::{Catalog, Film, FilmIndex};

use super::filter_choice::{ChosenFilters, FilterRequest};

use super::member::MemberRef;
use super::model_choice::ModelChoice;
use super::profile::ResolvedProfile;

/// A recommendations request in domain terms.
#[derive(Debug, Clone, PartialEq)]
pub struct RecommendationsQuery {
    pub members: Vec<MemberRef>,
    pub model: ModelChoice,
    /// The filters, the country whose offers the cards show and the services to keep films on,
    /// and the description.
    pub filters: FilterRequest,
    pub limit: Limit,
    pub rank_by: RankBy,
    /// Give each film the reasons the model had (`explain=false` turns them off).
    pub explain: bool,
}

/// What orders a list. The stars shown are the predicted rating either way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RankBy {
    /// The match ranking: the chance the member watches a film (co-watching with their films,
    /// popularity) with the rating they would give it.
    #[default]
    Match,
    /// The predicted rating alone (the original site's order).
    PredictedRating,
}

#[derive(Debug, Clone)]
pub struct RecommendedFilm {
    pub film: Film,
    pub predicted_rating: f32,
    /// For several members, each member's prediction in request order; empty for one.
    pub member_predictions: Vec<f32>,
    /// Per member, up to three rated films and one phrase of features, when asked for and the
    /// model can say.
    pub reasons: Vec<Reason>,
}

/// Why a member's prediction of a film is what it is.
#[derive(Debug, Clone)]
pub struct Reason {
    /// Index into the request's members.
    pub member: usize,
    /// Stars the prediction owes to the cause (negative: it lowered the prediction).
    pub effect: f32,
    pub cause: Cause,
}

#[derive(Debug, Clone)]
pub enum Cause {
    /// A film the member rated, through the neighbour stage.
    Film {
        /// In the result's [`ReasonFilms`].
        film: FilmIndex,
        /// The member's rating of it, in stars.
        rating: f32,
        similarity: f32,
    },
    /// Features of the film that raised it, through the residual forest, in words.
    /// Shared with the member's kept reasons: a warm request copies no phrase.
    Features { text: Arc<str> },
}

/// The films a result's reasons name, by index: the served catalog the members' models were
/// fitted on, held once by the result rather than by each reason (hundreds of reasons each
/// bumping the catalog's shared count cost more than finding them; copying each film, more still).
#[derive(Clone)]
pub struct ReasonFilms(Arc<Catalog>);

impl ReasonFilms {
    pub fn new(catalog: Arc<Catalog>) -> Self {
        Self(catalog)
    }

    /// `at` must be an index of the catalog the reasons were found in.
    pub fn film(&self, at: FilmIndex) -> &Film {
        self.0.film(at)
    }
}

impl fmt::Debug for ReasonFilms {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReasonFilms")
            .field("films", &self.0.len())
            .finish()
    }
}

#[derive(Debug, Clone)]
pub struct Recommendations {
    pub members: Vec<ResolvedProfile>,
    pub model: ModelChoice,
    /// The order used: `Match` falls back to `PredictedRating` without a general model.
    pub rank_by: RankBy,
    pub catalog_version: i64,
    pub computed_at: DateTime<Utc>,
    pub items: Vec<RecommendedFilm>,
    /// The films the items' reasons name.
    pub reason_films: ReasonFilms,
    /// The filters applied and where each came from.
    pub filters: ChosenFilters,
}
