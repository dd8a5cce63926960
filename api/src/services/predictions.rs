//! `POST /predictions`: what each member would rate chosen films, by the same trained scores
//! recommendations rank with (kept in the score cache), with their own rating where they gave
//! one. The films are those the request names, then those of an uploaded export's list it names;
//! films the catalog lacks are looked up in the film source (TMDB) while the request has time.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use letterboxd::export::ListedFilm;
use model::recommend;
use model::{Catalog, FilmIndex, FilmKey, Profile};

use super::explanations::Explanations;
use super::ports::CatalogSnapshot;
use super::recommendations::recommend_error;
use super::scores::Scores;
use super::{ServiceError, Services, deadline};
use crate::domain::{
    FilmPrediction, FilmReference, ListChoice, MAX_FILMS, MemberFilmPrediction, Predictions,
    PredictionsQuery, ReasonFilms, RequestedFilm,
};

/// The most time looking films up may take; within a request, a quarter of what is left of its
/// deadline at most, so training and ranking keep the rest.
const LOOKUP_TIME: Duration = Duration::from_secs(10);

impl Services {
    #[tracing::instrument(skip_all, fields(members = query.members.len(), films = query.films.len()))]
    pub async fn predict(&self, query: PredictionsQuery) -> Result<Predictions, ServiceError> {
        let mut catalog = self.catalog()?;
        let (films, unreadable) = self
            .requested_films(query.films, query.list.as_ref())
            .await?;
        let members = self.resolve_all(&query.members, &catalog.catalog).await?;
        let profiles: Vec<Arc<Profile>> = members.iter().map(|m| Arc::clone(&m.profile)).collect();
        let borrowed: Vec<&Profile> = profiles.iter().map(|p| &**p).collect();
        recommend::ensure_enough_ratings(&borrowed)
            .map_err(|err| recommend_error(err, &members))?;
        if let Some(grown) = self.add_unknown_films(&films, &catalog).await {
            catalog = grown;
        }

        let trained = self
            .training
            .train_all(query.model, &catalog, &profiles)
            .await?;
        let model = trained.first().map_or(query.model, |t| t.model);
        let (found, unknown) = resolve_films(&films, &catalog.catalog);
        let mut unknown: Vec<String> = unknown.into_iter().map(|f| f.reference.clone()).collect();
        unknown.extend(unreadable);
        let own: Vec<HashMap<FilmIndex, f32>> = profiles
            .iter()
            .map(|p| ratings_by_film(p, &catalog.catalog))
            .collect();
        let explained: Vec<&Scores> = if query.explain {
            trained.iter().map(|s| &**s).collect()
        } else {
            Vec::new()
        };
        let explanations = Explanations::new(explained, &catalog.catalog);
        let mut items: Vec<FilmPrediction> = found
            .into_iter()
            .map(|(reference, at)| {
                let per_member: Vec<MemberFilmPrediction> = trained
                    .iter()
                    .zip(&own)
                    .map(|(scores, own)| MemberFilmPrediction {
                        predicted_rating: at.get(scores.by_film()).copied().unwrap_or(f32::NAN),
                        rating: own.get(&at).copied(),
                    })
                    .collect();
                let mean = per_member.iter().map(|m| m.predicted_rating).sum::<f32>()
                    / per_member.len().max(1) as f32;
                FilmPrediction {
                    reasons: explanations.reasons(at),
                    reference,
                    film: catalog.catalog.film(at).clone(),
                    members: per_member,
                    predicted_rating: mean,
                }
            })
            .collect();
        // Best first; ties in catalog order keep the answer stable.
        items.sort_by(|a, b| b.predicted_rating.total_cmp(&a.predicted_rating));

        Ok(Predictions {
            members,
            items,
            unknown,
            reason_films: ReasonFilms::new(Arc::clone(&catalog.catalog)),
            model,
            catalog_version: catalog.version,
            computed_at: Utc::now(),
        })
    }

    /// The films named, then those of the list `list` names, 1 to [`MAX_FILMS`] in all; and
    /// apart, listed films with nothing to find them by (neither matched at upload nor linked),
    /// unknown whatever the catalog holds.
    async fn requested_films(
        &self,
        mut films: Vec<RequestedFilm>,
        list: Option<&ListChoice>,
    ) -> Result<(Vec<RequestedFilm>, Vec<String>), ServiceError> {
        let mut unreadable = Vec::new();
        if let Some(list) = list {
            for listed in self.list_films(list).await? {
                match listed_reference(&listed) {
                    Some(film) => films.push(film),
                    None => unreadable.push(shown(&listed)),
                }
            }
        }
        let total = films.len() + unreadable.len();
        if !(1..=MAX_FILMS).contains(&total) {
            return Err(ServiceError::FilmCount {
                max: MAX_FILMS,
                got: total,
            });
        }
        Ok((films, unreadable))
    }

    /// The films of the list `choice` names, in list order.
    async fn list_films(&self, choice: &ListChoice) -> Result<Vec<ListedFilm>, ServiceError> {
        let upload = self
            .uploads
            .get(choice.upload)
            .await?
            .ok_or_else(|| ServiceError::ProfileNotFound(choice.upload.to_string()))?;
        match upload
            .lists
            .iter()
            .position(|list| choice.names(&list.name))
        {
            Some(at) => Ok(upload
                .lists
                .into_iter()
                .nth(at)
                .map(|l| l.films)
                .unwrap_or_default()),
            None => Err(ServiceError::ListNotFound {
                profile: choice.upload.to_string(),
                name: choice.name.clone(),
                lists: upload.lists.into_iter().map(|list| list.name).collect(),
            }),
        }
    }

    /// The catalog with the films the request names by key and the catalog lacks, as far as the
    /// film source finds them in time; `None` when there is no source or nothing was added. A
    /// failure leaves those films unknown rather than failing the request.
    async fn add_unknown_films(
        &self,
        films: &[RequestedFilm],
        catalog: &CatalogSnapshot,
    ) -> Option<CatalogSnapshot> {
        let lookup = self.film_lookup.as_ref()?;
        let (_, unknown) = resolve_films(films, &catalog.catalog);
        let keys: Vec<FilmKey> = unknown
            .into_iter()
            .filter_map(|f| match &f.film {
                FilmReference::Key(key) => Some(key.clone()),
                FilmReference::Boxd(_) => None,
            })
            .collect();
        if keys.is_empty() {
            return None;
        }
        let time = deadline::remaining().map_or(LOOKUP_TIME, |left| (left / 4).min(LOOKUP_TIME));
        let found = lookup.films_by_key(&keys, time).await;
        if found.is_empty() {
            return None;
        }
        match self.catalog.add_films(found).await {
            Ok(grown) => Some(grown),
            Err(error) => {
                tracing::warn!(error = %error, "films found for a prediction not added; they stay unknown");
                None
            }
        }
    }
}

/// A listed film as a request would name it: the catalog film it matched at upload, else its
/// link (a boxd.it link finds a film the catalog has gained since).
fn listed_reference(listed: &ListedFilm) -> Option<RequestedFilm> {
    let film = match &listed.key {
        Some(key) => FilmReference::Key(key.clone()),
        None => FilmReference::parse(&listed.uri)?,
    };
    Some(RequestedFilm {
        reference: shown(listed),
        film,
    })
}

/// How a listed film is echoed: its link, else its title and year.
fn shown(listed: &ListedFilm) -> String {
    if !listed.uri.is_empty() {
        return listed.uri.clone();
    }
    match listed.year {
        Some(year) => format!("{} ({year})", listed.name),
        None => listed.name.clone(),
    }
}

/// Each requested film's catalog index (a film named twice once, under its first reference),
/// and the films the catalog does not know, both in request order.
fn resolve_films<'a>(
    films: &'a [RequestedFilm],
    catalog: &Catalog,
) -> (Vec<(String, FilmIndex)>, Vec<&'a RequestedFilm>) {
    let wanted_boxd: HashSet<&str> = films
        .iter()
        .filter_map(|f| match &f.film {
            FilmReference::Boxd(id) => Some(id.as_str()),
            FilmReference::Key(_) => None,
        })
        .collect();
    // boxd.it ids are not catalog keys: one pass over the catalog finds the ones asked for.
    let by_boxd: HashMap<&str, FilmIndex> = if wanted_boxd.is_empty() {
        HashMap::new()
    } else {
        catalog
            .indices()
            .filter_map(|at| {
                let id = catalog.film(at).boxd_id.as_deref()?;
                wanted_boxd.contains(id).then_some((id, at))
            })
            .collect()
    };
    let mut seen = HashSet::new();
    let mut found = Vec::new();
    let mut unknown = Vec::new();
    for requested in films {
        let at = match &requested.film {
            FilmReference::Key(key) => catalog.index_of(key),
            FilmReference::Boxd(id) => by_boxd.get(id.as_str()).copied(),
        };
        match at {
            Some(at) if seen.insert(at) => found.push((requested.reference.clone(), at)),
            Some(_) => {}
            None => unknown.push(requested),
        }
    }
    (found, unknown)
}

/// A member's ratings by catalog index, to show the real rating beside the prediction.
fn ratings_by_film(profile: &Profile, catalog: &Catalog) -> HashMap<FilmIndex, f32> {
    profile
        .ratings
        .iter()
        .filter_map(|(key, rating)| Some((catalog.index_of(key)?, rating.stars())))
        .collect()
}
