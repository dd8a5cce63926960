//! `POST /recommendations`: resolve the members, check what is cheap, train their models within
//! the training slots, rank the catalog by their scores. The filters and the limit were checked
//! when the request was parsed (their types cannot be wrong).

use std::sync::Arc;

use chrono::Utc;
use model::Profile;
use model::recommend::{self, Member, RecommendError};

use super::explanations::Explanations;
use super::match_order::match_orders;
use super::{ServiceError, Services};
use crate::domain::{RankBy, Recommendations, RecommendationsQuery, RecommendedFilm};
use crate::domain::{ReasonFilms, ResolvedProfile};

impl Services {
    #[tracing::instrument(skip_all, fields(members = query.members.len(), model = ?query.model))]
    pub async fn recommend(
        &self,
        query: RecommendationsQuery,
    ) -> Result<Recommendations, ServiceError> {
        let catalog = self.catalog()?;
        // The description is read (perhaps by a language model) while the members are resolved.
        let (chosen, members) = tokio::join!(
            self.choose_filters(&query.filters),
            self.resolve_all(&query.members, &catalog.catalog)
        );
        let members = members?;
        let profiles: Vec<Arc<Profile>> = members.iter().map(|m| Arc::clone(&m.profile)).collect();
        // Cheap checks first: a hopeless request costs no training.
        let borrowed: Vec<&Profile> = profiles.iter().map(|p| &**p).collect();
        recommend::ensure_enough_ratings(&borrowed)
            .map_err(|err| recommend_error(err, &members))?;

        let trained = self
            .training
            .train_all(query.model, &catalog, &profiles)
            .await?;
        let model = trained.first().map_or(query.model, |t| t.model);
        let ranking_catalog = Arc::clone(&catalog.catalog);
        let explained: Vec<Arc<super::scores::Scores>> = if query.explain {
            trained.clone()
        } else {
            Vec::new()
        };
        let mut filters = chosen.filters.clone();
        filters.available = self.available_films(chosen.where_to_watch.as_ref()).await?;
        let limit = query.limit;
        let signals = match query.rank_by {
            RankBy::Match => self.training.match_signals(&catalog.catalog),
            RankBy::PredictedRating => None,
        };
        let (ranked, rank_by) = tokio::task::spawn_blocking(move || {
            let orders = signals
                .and_then(|signals| match_orders(&profiles, &trained, &signals, &ranking_catalog));
            let members: Vec<Member<'_>> = profiles
                .iter()
                .zip(&trained)
                .enumerate()
                .map(|(at, (profile, scores))| Member {
                    profile,
                    scores: scores.by_film(),
                    order: orders.as_ref().map(|orders| &orders[at][..]),
                })
                .collect();
            let rank_by = if orders.is_some() {
                RankBy::Match
            } else {
                RankBy::PredictedRating
            };
            recommend::recommend(&members, &ranking_catalog, &filters, limit)
                .map(|ranked| (ranked, rank_by))
        })
        .await
        .map_err(ServiceError::internal)?
        .map_err(|err| recommend_error(err, &members))?;

        let explanations = Explanations::new(explained.iter().map(|s| &**s), &catalog.catalog);
        let mut items: Vec<RecommendedFilm> = ranked
            .into_iter()
            .map(|rec| RecommendedFilm {
                reasons: explanations.reasons(rec.film),
                film: catalog.catalog.film(rec.film).clone(),
                predicted_rating: rec.predicted_rating,
                member_predictions: rec.member_predictions,
            })
            .collect();
        self.show_offers(
            chosen.where_to_watch.as_ref(),
            items.iter_mut().map(|item| &mut item.film),
        )
        .await?;
        Ok(Recommendations {
            items,
            reason_films: ReasonFilms::new(Arc::clone(&catalog.catalog)),
            members,
            model,
            rank_by,
            catalog_version: catalog.version,
            computed_at: Utc::now(),
            filters: chosen,
        })
    }
}

pub(super) fn recommend_error(err: RecommendError, members: &[ResolvedProfile]) -> ServiceError {
    match err {
        RecommendError::NotEnoughRatings { member, have } => ServiceError::NotEnoughRatings {
            member: members
                .get(member)
                .map(ResolvedProfile::name)
                .unwrap_or_default(),
            have,
            need: recommend::MIN_RATINGS,
        },
        RecommendError::NoCandidates => ServiceError::NoCandidates,
        RecommendError::NoMembers | RecommendError::Prediction(_) => ServiceError::internal(err),
    }
}
