//! `reel train general`: trains a new version of the general model on every stored rating and
//! stores it in the `models` table with its metrics; servers load the newest version.
//!
//! Before the model that is stored, a twin is trained with a fixed 5% of the ratings of members
//! with at least [`HOLDOUT_MIN_RATINGS`] ratings held out, and scored on them (each member folded
//! in from their other ratings, as serving does): the stored metrics say how well this version
//! predicts ratings it has not seen.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use chrono::Utc;
use model::models::{
    CommunityRating, FoldIn, GENERAL_FORMAT_VERSION, GeneralModel, GeneralParams, Personalizer,
    RatedFilm,
};
use model::{Catalog, FilmIndex};
use serde_json::json;

use super::error::JobError;
use crate::store::Store;
use crate::store::ratings::RatingsMatrix;

pub use model::models::GENERAL_MODEL;

/// Versions kept; older ones are deleted after a new one is stored.
const VERSIONS_KEPT: u32 = 3;
/// Members with fewer ratings are never held out from (their ratings are all training data).
const HOLDOUT_MIN_RATINGS: usize = 20;
/// One rating in this many (by a hash of member and film) is held out.
const HOLDOUT_ONE_IN: u64 = 20;

/// What a training run produced.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainReport {
    pub version: i32,
    pub metrics: serde_json::Value,
}

/// Whether a training run also trains the held-out twin to score the stored version.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Holdout {
    /// Train the twin and store its held-out scores with the model: twice the training time.
    #[default]
    Score,
    /// Train once; the stored metrics say `"holdout": null`. For large catalogs on small
    /// machines, where the twin doubles a run that already takes minutes.
    Skip,
}

/// Trains and stores a new general model version; `preset` names the hyperparameters.
pub async fn train_general(store: &Store, preset: Option<&str>) -> Result<TrainReport, JobError> {
    train_general_with(store, preset, Holdout::Score).await
}

/// [`train_general`], choosing whether the held-out twin is trained.
pub async fn train_general_with(
    store: &Store,
    preset: Option<&str>,
    holdout: Holdout,
) -> Result<TrainReport, JobError> {
    let params = general_params(preset)?;
    let started = Instant::now();
    let films = store.load_catalog_films().await?;
    let matrix = store.load_all_ratings().await?;
    tracing::info!(
        films = films.len(),
        members = matrix.members.len(),
        ratings = matrix.entries.len(),
        "training the general model"
    );
    let loaded_s = started.elapsed().as_secs_f64();
    let (bytes, mut metrics) =
        tokio::task::spawn_blocking(move || train(films, &matrix, params, holdout)).await??;
    metrics["load_seconds"] = json!(loaded_s);
    metrics["preset"] = json!(preset.unwrap_or("default"));
    let version = store
        .save_model(GENERAL_MODEL, Utc::now(), &metrics, &bytes)
        .await?;
    let pruned = store.prune_models(GENERAL_MODEL, VERSIONS_KEPT).await?;
    tracing::info!(version, bytes = bytes.len(), pruned, %metrics, "general model stored");
    Ok(TrainReport { version, metrics })
}

fn general_params(preset: Option<&str>) -> Result<GeneralParams, JobError> {
    match preset {
        None | Some("default") => Ok(GeneralParams::default()),
        Some(other) => Err(JobError::Invalid(format!(
            "unknown general model preset `{other}` (available: default)"
        ))),
    }
}

/// Trains the held-out twin (for the metrics, unless skipped) and the model on everything (for
/// storing).
fn train(
    films: Vec<model::Film>,
    matrix: &RatingsMatrix,
    params: GeneralParams,
    holdout: Holdout,
) -> Result<(Vec<u8>, serde_json::Value), JobError> {
    let catalog = super::calibrated_catalog(films);
    let (ratings, unknown_films) = community_ratings(&catalog, matrix);
    if ratings.is_empty() {
        return Err(JobError::Invalid(
            "no stored rating is of a catalog film: import a dataset or run `reel catalog seed` and `reel catalog refresh` first".to_owned(),
        ));
    }
    let holdout = match holdout {
        Holdout::Score => {
            let (train, held_out): (Vec<CommunityRating>, Vec<CommunityRating>) =
                split_holdout(&ratings, matrix.members.len());
            let started = Instant::now();
            let twin = GeneralModel::train(&catalog, &train, params);
            let (rmse, mae) = score(&twin, &catalog, &train, &held_out)?;
            json!({
                "ratings": held_out.len(),
                "rmse": rmse,
                "mae": mae,
                "train_seconds": started.elapsed().as_secs_f64(),
            })
        }
        Holdout::Skip => serde_json::Value::Null,
    };

    let started = Instant::now();
    let model = GeneralModel::train(&catalog, &ratings, params);
    let train_s = started.elapsed().as_secs_f64();
    let bytes = model.to_bytes()?;
    let members = {
        let mut seen: Vec<u32> = ratings.iter().map(|r| r.member).collect();
        seen.sort_unstable();
        seen.dedup();
        seen.len()
    };
    let metrics = json!({
        "format_version": GENERAL_FORMAT_VERSION,
        "params": params,
        "films": catalog.len(),
        "members": members,
        "ratings": ratings.len(),
        "ratings_of_films_not_in_catalog": unknown_films,
        "holdout": holdout,
        "train_seconds": train_s,
        "bytes": bytes.len(),
    });
    Ok((bytes, metrics))
}

/// The stored ratings of catalog films, with member and catalog indices; and how many ratings
/// were of films the catalog does not have (gone, or not crawled yet).
fn community_ratings(catalog: &Catalog, matrix: &RatingsMatrix) -> (Vec<CommunityRating>, usize) {
    let film_index: Vec<Option<FilmIndex>> = matrix
        .films
        .iter()
        .map(|slug| catalog.index_of(slug))
        .collect();
    let mut ratings = Vec::with_capacity(matrix.entries.len());
    let mut unknown = 0;
    for entry in &matrix.entries {
        match film_index.get(entry.film as usize).copied().flatten() {
            Some(film) => ratings.push(CommunityRating {
                member: entry.member,
                film,
                stars: entry.rating.stars(),
            }),
            None => unknown += 1,
        }
    }
    (ratings, unknown)
}

/// Splits off a deterministic 5% of the ratings of members with enough ratings.
fn split_holdout(
    ratings: &[CommunityRating],
    members: usize,
) -> (Vec<CommunityRating>, Vec<CommunityRating>) {
    let mut per_member = vec![0_usize; members];
    for rating in ratings {
        if let Some(count) = per_member.get_mut(rating.member as usize) {
            *count += 1;
        }
    }
    ratings.iter().partition(|rating| {
        let enough = per_member
            .get(rating.member as usize)
            .is_some_and(|&count| count >= HOLDOUT_MIN_RATINGS);
        !(enough && held_out(rating))
    })
}

fn held_out(rating: &CommunityRating) -> bool {
    // SplitMix64 of (member, film): stable across runs and platforms.
    let mut x = (u64::from(rating.member) << 32 | u64::from(u32::from(rating.film)))
        .wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^= x >> 31;
    x % HOLDOUT_ONE_IN == 0
}

/// RMSE and MAE on `held_out`, each member folded in from their `train` ratings through the
/// model's serving path.
fn score(
    model: &GeneralModel,
    catalog: &Catalog,
    train: &[CommunityRating],
    held_out: &[CommunityRating],
) -> Result<(Option<f64>, Option<f64>), JobError> {
    if held_out.is_empty() {
        return Ok((None, None));
    }
    let fold_in = FoldIn::new(Arc::new(model.for_catalog(catalog)));
    let mut known: HashMap<u32, Vec<RatedFilm>> = HashMap::new();
    for rating in train {
        known
            .entry(rating.member)
            .or_default()
            .push((rating.film, rating.stars));
    }
    let mut hidden: HashMap<u32, Vec<&CommunityRating>> = HashMap::new();
    for rating in held_out {
        hidden.entry(rating.member).or_default().push(rating);
    }
    let (mut squared, mut absolute, mut scored) = (0.0_f64, 0.0_f64, 0_usize);
    for (member, ratings) in &hidden {
        let Some(rated) = known.get(member) else {
            continue;
        };
        let predictor = fold_in.fit(catalog, rated)?;
        let films: Vec<FilmIndex> = ratings.iter().map(|rating| rating.film).collect();
        for (predicted, rating) in predictor.predict(catalog, &films).iter().zip(ratings) {
            let error = f64::from(predicted - rating.stars);
            squared += error * error;
            absolute += error.abs();
            scored += 1;
        }
    }
    if scored == 0 {
        return Ok((None, None));
    }
    let n = scored as f64;
    Ok((Some((squared / n).sqrt()), Some(absolute / n)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{Film, FilmKey};

    /// The indices of a catalog of `n` films: film indices come from a catalog.
    fn films(n: usize) -> Vec<FilmIndex> {
        let stub = |i| Film::stub(FilmKey::parse(&format!("f{i}")).unwrap(), "f");
        Catalog::from_films((0..n).map(stub)).indices().collect()
    }

    #[test]
    fn holdout_is_deterministic_and_about_one_in_twenty() {
        let films = films(100);
        let ratings: Vec<CommunityRating> = (0..40u32)
            .flat_map(|member| {
                films.iter().map(move |&film| CommunityRating {
                    member,
                    film,
                    stars: 3.0,
                })
            })
            .collect();
        let (train, held) = split_holdout(&ratings, 40);
        assert_eq!(train.len() + held.len(), ratings.len());
        assert!((100..=300).contains(&held.len()), "held out {}", held.len());
        assert_eq!(split_holdout(&ratings, 40).1, held);
    }

    #[test]
    fn members_with_few_ratings_are_never_held_out_from() {
        let ratings: Vec<CommunityRating> = films(19)
            .into_iter()
            .map(|film| CommunityRating {
                member: 0,
                film,
                stars: 4.0,
            })
            .collect();
        assert!(split_holdout(&ratings, 1).1.is_empty());
    }

    #[test]
    fn presets_other_than_default_are_refused_by_name() {
        assert!(general_params(None).is_ok());
        assert!(general_params(Some("default")).is_ok());
        let err = general_params(Some("turbo")).unwrap_err().to_string();
        assert!(err.contains("turbo") && err.contains("default"), "{err}");
    }
}
