//! `POST /recommendations`: resolve the members, check what is cheap, train their models within
//! the training slots, rank the catalog by their scores. The filters and the limit were checked
//! when the request was parsed (their types cannot be wrong).

use std::sync::Arc;

use chrono::Utc;
use model::Profile;
use model::recommend::{self, Member, RecommendError};

use super::{ServiceError, Services};
use crate::domain::ResolvedProfile;
use crate::domain::{Recommendations, RecommendationsQuery, RecommendedFilm};

impl Services {
    #[tracing::instrument(skip_all, fields(members = query.members.len(), model = ?query.model))]
    pub async fn recommend(
        &self,
        query: RecommendationsQuery,
    ) -> Result<Recommendations, ServiceError> {
        let catalog = self.catalog()?;
        let members = self.resolve_all(&query.members, &catalog.catalog).await?;
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
        let filters = query.filters.filters.clone();
        let limit = query.limit;
        let ranked = tokio::task::spawn_blocking(move || {
            let members: Vec<Member<'_>> = profiles
                .iter()
                .zip(&trained)
                .map(|(profile, scores)| Member {
                    profile,
                    scores: scores.by_film(),
                })
                .collect();
            recommend::recommend(&members, &ranking_catalog, &filters, limit)
        })
        .await
        .map_err(ServiceError::internal)?
        .map_err(|err| recommend_error(err, &members))?;

        Ok(Recommendations {
            items: ranked
                .into_iter()
                .map(|rec| RecommendedFilm {
                    film: catalog.catalog.film(rec.film).clone(),
                    predicted_rating: rec.predicted_rating,
                    member_predictions: rec.member_predictions,
                })
                .collect(),
            members,
            model,
            catalog_version: catalog.version,
            computed_at: Utc::now(),
            filters: query.filters,
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
