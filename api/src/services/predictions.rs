//! `POST /predictions`: what each member would rate chosen films, by the same trained scores
//! recommendations rank with (kept in the score cache), with their own rating where they gave
//! one.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::Utc;
use model::recommend;
use model::{Catalog, FilmIndex, Profile};

use super::recommendations::recommend_error;
use super::scores::Scores;
use super::{ServiceError, Services, explanations};
use crate::domain::{
    FilmPrediction, FilmReference, MemberFilmPrediction, Predictions, PredictionsQuery,
    RequestedFilm,
};

impl Services {
    #[tracing::instrument(skip_all, fields(members = query.members.len(), films = query.films.len()))]
    pub async fn predict(&self, query: PredictionsQuery) -> Result<Predictions, ServiceError> {
        let catalog = self.catalog()?;
        let members = self.resolve_all(&query.members, &catalog.catalog).await?;
        let profiles: Vec<Arc<Profile>> = members.iter().map(|m| Arc::clone(&m.profile)).collect();
        let borrowed: Vec<&Profile> = profiles.iter().map(|p| &**p).collect();
        recommend::ensure_enough_ratings(&borrowed)
            .map_err(|err| recommend_error(err, &members))?;

        let trained = self
            .training
            .train_all(query.model, &catalog, &profiles)
            .await?;
        let model = trained.first().map_or(query.model, |t| t.model);
        let (found, unknown) = resolve_films(&query.films, &catalog.catalog);
        let own: Vec<HashMap<FilmIndex, f32>> = profiles
            .iter()
            .map(|p| explanations::ratings_by_film(p, &catalog.catalog))
            .collect();
        let own_list = &own;

        let explained: Vec<&Scores> = if query.explain {
            trained.iter().map(|s| &**s).collect()
        } else {
            Vec::new()
        };
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
                    reasons: explanations::reasons(at, &explained, own_list, &catalog.catalog),
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
            model,
            catalog_version: catalog.version,
            computed_at: Utc::now(),
        })
    }
}

/// Each requested film's catalog index (a film named twice once, under its first reference),
/// and the references of films the catalog does not know, both in request order.
fn resolve_films(
    films: &[RequestedFilm],
    catalog: &Catalog,
) -> (Vec<(String, FilmIndex)>, Vec<String>) {
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
            None => unknown.push(requested.reference.clone()),
        }
    }
    (found, unknown)
}
