//! `POST /watchlist`: picks from the members' watchlists, at random (seeded, reproducible) or
//! ranked by their models.

use std::sync::Arc;

use chrono::Utc;
use model::recommend::{self, PickMode, Picking, WatchlistError};
use model::{FilmKey, Profile};

use super::recommendations::recommend_error;
use super::{ServiceError, Services, explanations};
use crate::domain::ResolvedProfile;
use crate::domain::{ModelChoice, Watchlist, WatchlistQuery};

impl Services {
    #[tracing::instrument(skip_all, fields(members = query.members.len(), mode = ?query.mode))]
    pub async fn watchlist_picks(&self, query: WatchlistQuery) -> Result<Watchlist, ServiceError> {
        let catalog = self.catalog()?;
        let members = self.resolve_all(&query.members, &catalog.catalog).await?;
        // With services asked for, each watchlist is cut to the films streaming on them.
        let available = self.available_films(query.where_to_watch.as_ref()).await?;
        let kept: Vec<Vec<FilmKey>> = members
            .iter()
            .map(|m| {
                m.profile
                    .watchlist
                    .iter()
                    .filter(|key| {
                        available.as_ref().is_none_or(|available| {
                            catalog
                                .catalog
                                .get(key)
                                .is_some_and(|film| available.contains(&film.key))
                        })
                    })
                    .cloned()
                    .collect()
            })
            .collect();
        if available.is_some() && kept.iter().any(Vec::is_empty) {
            return Err(ServiceError::NoCandidates);
        }
        let watchlists: Vec<&[FilmKey]> = kept.iter().map(|w| &w[..]).collect();
        // Before any training: an empty watchlist or no overlap needs no model to tell.
        recommend::watchlist_pool(&watchlists, query.overlap)
            .map_err(|err| watchlist_error(err, &members))?;

        let (picks, model, reasons) = match query.mode {
            PickMode::Random => {
                // 53 bits: a seed a JavaScript client can send back exactly.
                let seed = query.seed.unwrap_or_else(|| rand::random::<u64>() >> 11);
                let picks = recommend::pick_from_watchlists(
                    &watchlists,
                    &catalog.catalog,
                    query.overlap,
                    Picking::Random { seed },
                    query.count,
                )
                .map_err(|err| watchlist_error(err, &members))?;
                (picks, None, Vec::new())
            }
            PickMode::Ranked => {
                let profiles: Vec<Arc<Profile>> =
                    members.iter().map(|m| Arc::clone(&m.profile)).collect();
                let borrowed: Vec<&Profile> = profiles.iter().map(|p| &**p).collect();
                recommend::ensure_enough_ratings(&borrowed)
                    .map_err(|err| recommend_error(err, &members))?;
                let trained = self
                    .training
                    .train_all(ModelChoice::Default, &catalog, &profiles)
                    .await?;
                let scores: Vec<&[f32]> = trained.iter().map(|t| t.by_film()).collect();
                let picks = recommend::pick_from_watchlists(
                    &watchlists,
                    &catalog.catalog,
                    query.overlap,
                    Picking::Ranked { scores: &scores },
                    query.count,
                )
                .map_err(|err| watchlist_error(err, &members))?;
                let reasons = if query.explain {
                    let scores: Vec<&super::scores::Scores> =
                        trained.iter().map(|t| &**t).collect();
                    let ratings: Vec<_> = profiles
                        .iter()
                        .map(|p| explanations::ratings_by_film(p, &catalog.catalog))
                        .collect();
                    picks
                        .picks
                        .iter()
                        .map(|pick| {
                            pick.film.map_or_else(Vec::new, |at| {
                                explanations::reasons(at, &scores, &ratings, &catalog.catalog)
                            })
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                (picks, trained.first().map(|t| t.model), reasons)
            }
        };
        let mut films: Vec<Option<model::Film>> = picks
            .picks
            .iter()
            .map(|pick| pick.film.map(|at| catalog.catalog.film(at).clone()))
            .collect();
        self.show_offers(query.where_to_watch.as_ref(), films.iter_mut().flatten())
            .await?;
        Ok(Watchlist {
            members,
            picks,
            films,
            reasons,
            model,
            catalog_version: catalog.version,
            computed_at: Utc::now(),
        })
    }
}

fn watchlist_error(err: WatchlistError, members: &[ResolvedProfile]) -> ServiceError {
    match err {
        WatchlistError::WatchlistEmpty { member } => ServiceError::WatchlistEmpty(
            members
                .get(member)
                .map(ResolvedProfile::name)
                .unwrap_or_default(),
        ),
        WatchlistError::NoOverlap => ServiceError::NoOverlap,
        WatchlistError::NoMembers
        | WatchlistError::MissingScores { .. }
        | WatchlistError::Prediction(_) => ServiceError::internal(err),
    }
}
