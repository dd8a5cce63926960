//! `POST /watchlist`: picks from the members' watchlists, at random (seeded, reproducible) or
//! ranked by their models.

use std::sync::Arc;

use chrono::Utc;
use model::recommend::{self, PickMode, Picking, PoolRule, WatchlistError};
use model::{FilmKey, Profile};

use super::explanations::Explanations;
use super::match_order::match_orders;
use super::recommendations::recommend_error;
use super::{ServiceError, Services};
use crate::domain::{ModelChoice, RankBy, Watchlist, WatchlistQuery};
use crate::domain::{ReasonFilms, ResolvedProfile};

impl Services {
    #[tracing::instrument(skip_all, fields(members = query.members.len(), mode = ?query.mode))]
    pub async fn watchlist_picks(&self, query: WatchlistQuery) -> Result<Watchlist, ServiceError> {
        let catalog = self.catalog()?;
        // The description is read (perhaps by a language model) while the members are resolved.
        let (chosen, members) = tokio::join!(
            self.choose_filters(&query.filters),
            self.resolve_all(&query.members, &catalog.catalog)
        );
        let members = members?;
        let watchlists: Vec<&[FilmKey]> =
            members.iter().map(|m| &m.profile.watchlist[..]).collect();
        // With services asked for, only films streaming on them pass the filters.
        let mut filters = chosen.filters.clone();
        filters.available = self.available_films(chosen.where_to_watch.as_ref()).await?;
        let rule = PoolRule {
            min_members: query.min_members,
            filters: &filters,
        };
        // Before any training: an empty watchlist, no overlap or nothing passing the filters
        // needs no model to tell.
        recommend::filtered_pool(&watchlists, &catalog.catalog, rule)
            .map_err(|err| watchlist_error(err, &members))?;

        let (picks, model, rank_by, reasons) = match query.mode {
            PickMode::Random => {
                // 53 bits: a seed a JavaScript client can send back exactly.
                let seed = query.seed.unwrap_or_else(|| rand::random::<u64>() >> 11);
                let picks = recommend::pick_from_watchlists(
                    &watchlists,
                    &catalog.catalog,
                    rule,
                    Picking::Random { seed },
                    query.count,
                )
                .map_err(|err| watchlist_error(err, &members))?;
                (picks, None, None, Vec::new())
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
                let signals = match query.rank_by {
                    RankBy::Match => self.training.match_signals(&catalog.catalog),
                    RankBy::PredictedRating => None,
                };
                let orders = match signals {
                    Some(signals) => {
                        let (profiles, trained, ranking_catalog) = (
                            profiles.clone(),
                            trained.clone(),
                            Arc::clone(&catalog.catalog),
                        );
                        tokio::task::spawn_blocking(move || {
                            match_orders(&profiles, &trained, &signals, &ranking_catalog)
                        })
                        .await
                        .map_err(ServiceError::internal)?
                    }
                    None => None,
                };
                let scores: Vec<&[f32]> = trained.iter().map(|t| t.by_film()).collect();
                let order: Option<Vec<&[f32]>> = orders
                    .as_ref()
                    .map(|orders| orders.iter().map(|o| &o[..]).collect());
                let picks = recommend::pick_from_watchlists(
                    &watchlists,
                    &catalog.catalog,
                    rule,
                    Picking::Ranked {
                        scores: &scores,
                        order: order.as_deref(),
                    },
                    query.count,
                )
                .map_err(|err| watchlist_error(err, &members))?;
                let rank_by = if orders.is_some() {
                    RankBy::Match
                } else {
                    RankBy::PredictedRating
                };
                let reasons = if query.explain {
                    let explanations =
                        Explanations::new(trained.iter().map(|t| &**t), &catalog.catalog);
                    picks
                        .picks
                        .iter()
                        .map(|pick| {
                            pick.film
                                .map_or_else(Vec::new, |at| explanations.reasons(at))
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                (
                    picks,
                    trained.first().map(|t| t.model),
                    Some(rank_by),
                    reasons,
                )
            }
        };
        let mut films: Vec<Option<model::Film>> = picks
            .picks
            .iter()
            .map(|pick| pick.film.map(|at| catalog.catalog.film(at).clone()))
            .collect();
        self.show_offers(chosen.where_to_watch.as_ref(), films.iter_mut().flatten())
            .await?;
        Ok(Watchlist {
            members,
            picks,
            films,
            reasons,
            reason_films: ReasonFilms::new(Arc::clone(&catalog.catalog)),
            model,
            rank_by,
            catalog_version: catalog.version,
            computed_at: Utc::now(),
            min_members: query.min_members,
            filters: chosen,
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
        WatchlistError::NoCandidates => ServiceError::NoCandidates,
        WatchlistError::NoMembers
        | WatchlistError::MissingScores { .. }
        | WatchlistError::Prediction(_) => ServiceError::internal(err),
    }
}
