//! `POST /compatibility`: every pair of 2 to 8 members, scored and listed by
//! `model::compatibility`. Cross-recommendations rank by the same predictions recommendations use
//! (the default model, kept in the score cache), so a member sees the same figure on both pages.

use std::sync::Arc;

use chrono::Utc;
use model::compatibility::{
    FeatureScale, MemberTaste, compare, cross_recommendations, polarizing, shared_favourites,
};
use model::recommend;
use model::{Catalog, FilmIndex, Profile};

use super::recommendations::recommend_error;
use super::{ServiceError, Services};
use crate::domain::{
    ComparedMember, Compatibility, CompatibilityPair, CompatibilityQuery, CrossList, ModelChoice,
    PairFilm,
};

impl Services {
    #[tracing::instrument(skip_all, fields(members = query.members.len()))]
    pub async fn compatibility(
        &self,
        query: CompatibilityQuery,
    ) -> Result<Compatibility, ServiceError> {
        let catalog = self.catalog()?;
        let members = self.resolve_all(&query.members, &catalog.catalog).await?;
        let profiles: Vec<Arc<Profile>> = members.iter().map(|m| Arc::clone(&m.profile)).collect();
        let borrowed: Vec<&Profile> = profiles.iter().map(|p| &**p).collect();
        recommend::ensure_enough_ratings(&borrowed)
            .map_err(|err| recommend_error(err, &members))?;

        let trained = self
            .training
            .train_all(ModelChoice::Default, &catalog, &profiles)
            .await?;
        let films = Arc::clone(&catalog.catalog);
        let (tastes, pairs) = tokio::task::spawn_blocking(move || {
            let scale = FeatureScale::of(&films);
            let tastes: Vec<MemberTaste> = profiles
                .iter()
                .map(|profile| taste_of(profile, &films, &scale))
                .collect();
            let scores: Vec<&[f32]> = trained.iter().map(|s| s.by_film()).collect();
            let pairs = pairs_of(&tastes, &scores, &films);
            (tastes, pairs)
        })
        .await
        .map_err(ServiceError::internal)?;

        Ok(Compatibility {
            members: members
                .into_iter()
                .zip(&tastes)
                .map(|(profile, taste)| ComparedMember {
                    profile,
                    genres: taste.genres().collect(),
                    decades: taste.decades().iter().map(|(&d, &m)| (d, m)).collect(),
                })
                .collect(),
            pairs,
            catalog_version: catalog.version,
            computed_at: Utc::now(),
        })
    }
}

/// A profile's ratings and watched films by catalog index (films the catalog lacks are left out).
fn taste_of(profile: &Profile, catalog: &Catalog, scale: &FeatureScale) -> MemberTaste {
    let ratings: Vec<(FilmIndex, f32)> = profile
        .ratings
        .iter()
        .filter_map(|(key, rating)| Some((catalog.index_of(key)?, rating.stars())))
        .collect();
    let watched: Vec<FilmIndex> = profile
        .watched
        .iter()
        .filter_map(|key| catalog.index_of(key))
        .collect();
    MemberTaste::new(&ratings, &watched, catalog, scale)
}

/// Every pair `(i, j)` with `i < j`, in request order.
fn pairs_of(
    tastes: &[MemberTaste],
    scores: &[&[f32]],
    catalog: &Catalog,
) -> Vec<CompatibilityPair> {
    let card = |films: Vec<model::compatibility::SharedFilm>| -> Vec<PairFilm> {
        films
            .into_iter()
            .map(|f| PairFilm {
                film: catalog.film(f.film).clone(),
                ratings: f.ratings,
            })
            .collect()
    };
    let cross = |from: usize, to: usize| CrossList {
        to,
        from,
        films: cross_recommendations(&tastes[from], &tastes[to], scores[to])
            .into_iter()
            .map(|pick| (catalog.film(pick.film).clone(), pick))
            .collect(),
    };
    let mut pairs = Vec::new();
    for i in 0..tastes.len() {
        for j in i + 1..tastes.len() {
            let (a, b) = (&tastes[i], &tastes[j]);
            pairs.push(CompatibilityPair {
                members: [i, j],
                scores: compare(a, b),
                shared_favourites: card(shared_favourites(a, b)),
                polarizing: card(polarizing(a, b)),
                cross_recommendations: [cross(i, j), cross(j, i)],
            });
        }
    }
    pairs
}
