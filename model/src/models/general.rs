//! The general model: matrix factorisations, item-item neighbours and co-watching lists trained
//! offline on every community rating, stored as bytes with a format version, and personalised per
//! request by folding the member in.

use serde::{Deserialize, Serialize};

use super::co_watching::{CoWatching, CoWatchingParams, train_co_watching};
use super::collab::{CommunityRating, FactorEnsemble, MfParams};
use super::knn::{Appearances, KnnParams, Neighbours, train_neighbours};
use super::{ModelError, Personalizer, RatedFilm, check_ratings, clip};
use crate::catalog::{Catalog, FilmIndex};
use crate::domain::FilmKey;
use crate::predict::Predictor;

/// Bumped whenever the stored layout changes; older bytes are refused, not misread.
/// Version 2 added the co-watching lists.
pub const GENERAL_FORMAT_VERSION: u32 = 2;

/// How the general model is trained.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GeneralParams {
    pub mf: MfParams,
    /// Factorisations averaged (seeds `mf.seed`, `mf.seed + 1`, ...).
    pub ensemble: usize,
    pub knn: KnnParams,
    pub co_watching: CoWatchingParams,
}

impl Default for GeneralParams {
    /// Eight factorisations: -0.003 RMSE against one on dev members 300..900 of letterboxd-1m,
    /// for eight cheap fold-ins per request.
    fn default() -> Self {
        Self {
            mf: MfParams::default(),
            ensemble: 8,
            knn: KnnParams::default(),
            co_watching: CoWatchingParams::default(),
        }
    }
}

/// The trained general model. Films are keyed by slug so a model outlives catalog changes;
/// [`GeneralModel::for_catalog`] lines it up with the catalog in use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GeneralModel {
    slugs: Vec<FilmKey>,
    factors: FactorEnsemble,
    neighbours: Neighbours,
    co_watching: CoWatching,
}

/// The general model lined up with one catalog: what per-request models read.
#[derive(Debug, Clone, PartialEq)]
pub struct Community {
    pub factors: FactorEnsemble,
    pub neighbours: Neighbours,
    /// The neighbour lists inverted, when every list fits a `u64` of ranks.
    pub appearances: Option<Appearances>,
    /// Which films the community watches together, for ranking.
    pub co_watching: CoWatching,
}

impl Community {
    fn new(factors: FactorEnsemble, neighbours: Neighbours, co_watching: CoWatching) -> Self {
        let appearances = neighbours.appearances();
        Self {
            factors,
            neighbours,
            appearances,
            co_watching,
        }
    }
}

impl GeneralModel {
    /// Trains on community ratings whose `film` is a catalog index.
    pub fn train(catalog: &Catalog, ratings: &[CommunityRating], params: GeneralParams) -> Self {
        Self {
            slugs: catalog.films().iter().map(|f| f.key.clone()).collect(),
            factors: FactorEnsemble::train(catalog.len(), ratings, params.mf, params.ensemble),
            neighbours: train_neighbours(catalog.len(), ratings, params.knn),
            co_watching: train_co_watching(catalog.len(), ratings, params.co_watching),
        }
    }

    /// The model indexed by `catalog`'s film indices; films the model never saw get no bias, a
    /// zero vector and no neighbours (the member's bias alone then moves their prediction).
    pub fn for_catalog(&self, catalog: &Catalog) -> Community {
        let same = self.slugs.len() == catalog.len()
            && self
                .slugs
                .iter()
                .zip(catalog.films())
                .all(|(s, f)| *s == f.key);
        if same {
            return Community::new(
                self.factors.clone(),
                self.neighbours.clone(),
                self.co_watching.clone(),
            );
        }
        let map: Vec<Option<FilmIndex>> = self.slugs.iter().map(|s| catalog.index_of(s)).collect();
        Community::new(
            self.factors.renumbered(&map, catalog.len()),
            self.neighbours.renumbered(&map, catalog.len()),
            self.co_watching.renumbered(&map, catalog.len()),
        )
    }

    /// The stored form: the format version, then the model.
    pub fn to_bytes(&self) -> Result<Vec<u8>, ModelError> {
        postcard::to_stdvec(&(GENERAL_FORMAT_VERSION, self))
            .map_err(|err| ModelError::Decode(err.to_string()))
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ModelError> {
        let (found, _) = postcard::take_from_bytes::<u32>(bytes)
            .map_err(|err| ModelError::Decode(err.to_string()))?;
        if found != GENERAL_FORMAT_VERSION {
            return Err(ModelError::Version {
                found,
                supported: GENERAL_FORMAT_VERSION,
            });
        }
        let (_, model): (u32, Self) =
            postcard::from_bytes(bytes).map_err(|err| ModelError::Decode(err.to_string()))?;
        Ok(model)
    }
}

/// The general model personalised by fold-in alone.
#[derive(Debug, Clone)]
pub struct FoldIn {
    community: std::sync::Arc<Community>,
}

impl FoldIn {
    pub fn new(community: std::sync::Arc<Community>) -> Self {
        Self { community }
    }
}

struct FoldedMember {
    community: std::sync::Arc<Community>,
    member: super::collab::EnsembleMember,
}

impl Predictor for FoldedMember {
    fn predict(&self, _: &Catalog, films: &[FilmIndex]) -> Vec<f32> {
        films
            .iter()
            .map(|&at| clip(self.community.factors.predict(&self.member, at)))
            .collect()
    }
}

impl Personalizer for FoldIn {
    fn fit(
        &self,
        catalog: &Catalog,
        ratings: &[RatedFilm],
    ) -> Result<Box<dyn Predictor>, ModelError> {
        check_ratings(catalog, ratings)?;
        Ok(Box::new(FoldedMember {
            community: self.community.clone(),
            member: self.community.factors.fold_in(ratings),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::at;
    use crate::domain::Film;

    fn catalog(names: &[&str]) -> Catalog {
        Catalog::from_films(
            names
                .iter()
                .map(|n| Film::stub(FilmKey::parse(n).unwrap(), *n)),
        )
    }

    fn small_model() -> GeneralModel {
        let ratings: Vec<CommunityRating> = (0..6u32)
            .flat_map(|member| {
                (0..3u32).map(move |film| CommunityRating {
                    member,
                    film: at(film),
                    stars: 1.0 + film as f32 + (member % 2) as f32 * 0.5,
                })
            })
            .collect();
        let params = GeneralParams {
            mf: MfParams {
                factors: 2,
                iterations: 3,
                ..MfParams::default()
            },
            ensemble: 2,
            knn: KnnParams::default(),
            co_watching: CoWatchingParams::default(),
        };
        GeneralModel::train(&catalog(&["a", "b", "c"]), &ratings, params)
    }

    #[test]
    fn training_is_deterministic_under_a_seed() {
        assert_eq!(small_model(), small_model());
    }

    #[test]
    fn bytes_round_trip_and_other_versions_are_refused() {
        let model = small_model();
        let bytes = model.to_bytes().unwrap();
        assert_eq!(GeneralModel::from_bytes(&bytes).unwrap(), model);
        let mut newer = postcard::to_stdvec(&(GENERAL_FORMAT_VERSION + 1, &model)).unwrap();
        assert!(matches!(
            GeneralModel::from_bytes(&newer),
            Err(ModelError::Version { found, .. }) if found == GENERAL_FORMAT_VERSION + 1
        ));
        newer.truncate(3);
        assert!(GeneralModel::from_bytes(&newer[..0]).is_err());
    }

    #[test]
    fn lines_up_with_a_reordered_catalog() {
        let model = small_model();
        let community = model.for_catalog(&catalog(&["c", "new", "a"]));
        // Every member watched all three films: "c" (now 0) and "a" (now 2) watched together.
        assert_eq!(
            community.co_watching.of(FilmIndex::new(0))[0].0,
            FilmIndex::new(2)
        );
        assert!(community.co_watching.of(FilmIndex::new(1)).is_empty());
        let moved = community.factors;
        assert_eq!(moved.models.len(), 2);
        for (moved, old) in moved.models.iter().zip(&model.factors.models) {
            let k = moved.params.factors;
            assert_eq!(moved.film_bias[0], old.film_bias[2]);
            assert_eq!(moved.film_bias[1], 0.0);
            assert_eq!(moved.film_factors[2 * k..3 * k], old.film_factors[..k]);
        }
        // The two seeds give two different factorisations.
        assert_ne!(model.factors.models[0], model.factors.models[1]);
    }
}
