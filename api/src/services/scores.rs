//! Every catalog film's predicted rating for one member, kept after training so the same member
//! asking again (other filters, a bigger limit, their watchlist) is not trained again. The models
//! are deterministic, so the same ratings, model, catalog and general model always give the same
//! scores: a hit answers exactly what training would have.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use model::models::Explainer;
use model::{Catalog, FilmIndex, Profile};

use super::ports::Trained;
use super::reason_memo::ReasonMemo;
use crate::domain::ModelChoice;
use crate::metrics::CacheUsage;

/// Entries unused this long are dropped: by then the member's cached profile has expired too.
const IDLE: Duration = Duration::from_secs(60 * 60);
/// What an entry costs besides its scores (key, bookkeeping), for the size bound.
const ENTRY_OVERHEAD: usize = 128;

/// What the scores depend on. The ratings are hashed (with their count, against collisions):
/// two members with the same ratings get the same model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ScoreKey {
    ratings: u64,
    count: usize,
    choice: ModelChoice,
    catalog_version: i64,
    /// Changes whenever the general model in use does.
    generation: u64,
}

impl ScoreKey {
    pub fn new(
        choice: ModelChoice,
        catalog_version: i64,
        generation: u64,
        profile: &Profile,
    ) -> Self {
        let mut hasher = DefaultHasher::new();
        profile.ratings.hash(&mut hasher);
        Self {
            ratings: hasher.finish(),
            count: profile.ratings.len(),
            choice,
            catalog_version,
            generation,
        }
    }
}

/// A trained model's predictions for every film of the catalog it was trained on.
pub struct Scores {
    /// What was actually trained (the default model falls back without a general model).
    pub model: ModelChoice,
    by_film: Vec<f32>,
    /// Which ratings moved a prediction, when the model can say (the default model).
    explainer: Option<Explainer>,
    /// The reasons the explainer gave so far, by film.
    reasons: ReasonMemo,
}

impl Scores {
    /// Runs `trained` over the whole catalog.
    pub fn of(trained: &Trained, catalog: &Catalog) -> Self {
        let films: Vec<FilmIndex> = catalog.indices().collect();
        Self {
            model: trained.model,
            by_film: trained.predictor.predict(catalog, &films),
            explainer: trained.predictor.explainer(),
            reasons: ReasonMemo::default(),
        }
    }

    /// The predicted rating of every film of the catalog scored, by catalog index: what
    /// ranking reads.
    pub fn by_film(&self) -> &[f32] {
        &self.by_film
    }

    pub fn explainer(&self) -> Option<&Explainer> {
        self.explainer.as_ref()
    }

    /// The explainer's answers kept so far.
    pub(super) fn reasons(&self) -> &ReasonMemo {
        &self.reasons
    }

    fn weight(&self) -> u32 {
        // The memo fills after the entry is weighed: it is counted full.
        let explainer = self
            .explainer
            .as_ref()
            .map_or(0, |e| e.bytes() + ReasonMemo::MAX_BYTES);
        u32::try_from(self.by_film.len() * size_of::<f32>() + explainer + ENTRY_OVERHEAD)
            .unwrap_or(u32::MAX)
    }
}

/// At most `bytes` of scores, least recently used first out; concurrent misses of one key share
/// one training (moka's `try_get_with`).
pub struct ScoreCache {
    entries: Option<moka::future::Cache<ScoreKey, Arc<Scores>>>,
    bytes: u64,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl ScoreCache {
    /// `bytes == 0` keeps nothing: every request trains.
    pub fn new(bytes: u64) -> Self {
        let entries = (bytes > 0).then(|| {
            moka::future::Cache::builder()
                .max_capacity(bytes)
                .weigher(|_: &ScoreKey, scores: &Arc<Scores>| scores.weight())
                .time_to_idle(IDLE)
                .build()
        });
        Self {
            entries,
            bytes,
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// What the kept scores occupy now and may, and the lookups so far, for `/metrics`.
    pub async fn usage(&self) -> CacheUsage {
        let bytes = match &self.entries {
            Some(entries) => {
                // moka counts inserts lazily: settle them so the size is the current one.
                entries.run_pending_tasks().await;
                entries.weighted_size()
            }
            None => 0,
        };
        CacheUsage {
            cache: "scores",
            bytes,
            capacity_bytes: self.bytes,
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
        }
    }

    /// The scores under `key`, computed by `train` on a miss (errors are not kept).
    pub async fn get_or_train<E, F>(&self, key: ScoreKey, train: F) -> Result<Arc<Scores>, E>
    where
        E: Clone + Send + Sync + 'static,
        F: Future<Output = Result<Arc<Scores>, E>>,
    {
        let Some(entries) = &self.entries else {
            return train.await;
        };
        let mut missed = false;
        let found = entries
            .try_get_with(key, async {
                missed = true;
                train.await
            })
            .await
            .map_err(|err| (*err).clone());
        crate::metrics::score_cache(!missed);
        let counter = if missed { &self.misses } else { &self.hits };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use model::{FilmKey, Rating};

    use super::*;

    fn profile(ratings: &[(&str, u8)]) -> Profile {
        Profile {
            ratings: ratings
                .iter()
                .map(|&(slug, half)| {
                    (
                        FilmKey::parse(slug).unwrap(),
                        Rating::from_half_stars(half).unwrap(),
                    )
                })
                .collect(),
            ..Profile::default()
        }
    }

    fn scores(value: f32) -> Arc<Scores> {
        Arc::new(Scores {
            model: ModelChoice::Default,
            by_film: vec![value; 4],
            explainer: None,
            reasons: ReasonMemo::default(),
        })
    }

    #[test]
    fn keys_follow_ratings_model_catalog_and_general_model() {
        let member = profile(&[("a", 7), ("b", 2)]);
        let key = ScoreKey::new(ModelChoice::Default, 1, 0, &member);
        assert_eq!(
            key,
            ScoreKey::new(ModelChoice::Default, 1, 0, &member.clone())
        );
        for other in [
            ScoreKey::new(ModelChoice::Default, 1, 0, &profile(&[("a", 7), ("b", 3)])),
            ScoreKey::new(ModelChoice::Default, 1, 0, &profile(&[("a", 7)])),
            ScoreKey::new(ModelChoice::Personalized, 1, 0, &member),
            ScoreKey::new(ModelChoice::Default, 2, 0, &member),
            ScoreKey::new(ModelChoice::Default, 1, 1, &member),
        ] {
            assert_ne!(key, other);
        }
    }

    #[tokio::test]
    async fn a_hit_does_not_train_and_errors_are_not_kept() {
        let cache = ScoreCache::new(1 << 20);
        let key = ScoreKey::new(ModelChoice::Default, 1, 0, &profile(&[("a", 7)]));
        let trained = AtomicUsize::new(0);
        let failed: Result<Arc<Scores>, String> = cache
            .get_or_train(key, async { Err("no slot".to_owned()) })
            .await;
        assert_eq!(failed.err().as_deref(), Some("no slot"));
        for _ in 0..3 {
            let got = cache
                .get_or_train(key, async {
                    trained.fetch_add(1, Ordering::SeqCst);
                    Ok::<_, String>(scores(4.0))
                })
                .await
                .unwrap();
            assert_eq!(got.by_film, vec![4.0; 4]);
        }
        assert_eq!(trained.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn concurrent_misses_share_one_training() {
        let cache = Arc::new(ScoreCache::new(1 << 20));
        let key = ScoreKey::new(ModelChoice::Default, 1, 0, &profile(&[("a", 7)]));
        let trained = Arc::new(AtomicUsize::new(0));
        let requests = (0..8).map(|_| {
            let (cache, trained) = (Arc::clone(&cache), Arc::clone(&trained));
            tokio::spawn(async move {
                cache
                    .get_or_train(key, async {
                        trained.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        Ok::<_, String>(scores(3.0))
                    })
                    .await
            })
        });
        for request in futures::future::join_all(requests).await {
            assert_eq!(request.unwrap().unwrap().by_film, vec![3.0; 4]);
        }
        assert_eq!(trained.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_disabled_cache_trains_every_time() {
        let cache = ScoreCache::new(0);
        let key = ScoreKey::new(ModelChoice::Default, 1, 0, &profile(&[("a", 7)]));
        let trained = AtomicUsize::new(0);
        for _ in 0..2 {
            cache
                .get_or_train(key, async {
                    trained.fetch_add(1, Ordering::SeqCst);
                    Ok::<_, String>(scores(3.0))
                })
                .await
                .unwrap();
        }
        assert_eq!(trained.load(Ordering::SeqCst), 2);
    }
}
