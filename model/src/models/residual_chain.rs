//! The default model, in three stages: the general model's fold-in prediction; plus what the member
//! thought of each film's community neighbours relative to that prediction; plus a forest over
//! film features fitted to what the first two do not explain of the member's own ratings, shrunk
//! for members with few ratings.

use std::sync::Arc;

use ndarray::Array2;
use rayon::prelude::*;

use super::collab::EnsembleMember;
use super::explain::Explainer;
use super::general::Community;
use super::{ModelError, Personalizer, RatedFilm, check_ratings, clip};
use crate::catalog::{Catalog, FilmIndex};
use crate::features::N_FEATURES;
use crate::forest::{ForestParams, MaxFeatures, RandomForest};
use crate::predict::Predictor;

/// From this many films on, the collaborative stage is shared among rayon's threads.
const PARALLEL_FILMS: usize = 8_192;

/// Hyperparameters of the default model, tuned on members the reports never score.
#[derive(Debug, Clone, PartialEq)]
pub struct ResidualChainParams {
    /// Weight of the neighbour correction; 0 leaves it out.
    pub knn_weight: f32,
    /// The residual forest; `None` keeps the fold-in prediction alone.
    pub residual_forest: Option<ForestParams>,
    /// The correction's weight is `n / (n + shrink)` for a member with `n` ratings.
    pub shrink: f32,
}

impl Default for ResidualChainParams {
    /// Tuned on dev members 300..600 of letterboxd-1m: a shallow forest corrects the fold-in as
    /// well as a deep one (depth 4 to 5 best), and 32 trees keep a request to a few ms.
    fn default() -> Self {
        Self {
            knn_weight: 1.0,
            // Spelled out so a change of the forest's own default preset does not move this model.
            residual_forest: Some(ForestParams {
                n_trees: 32,
                max_depth: 4,
                min_samples_split: 10,
                min_samples_leaf: 3,
                max_features: MaxFeatures::Fraction(0.5),
                bootstrap: true,
                seed: 42,
            }),
            shrink: 150.0,
        }
    }
}

/// See the module documentation.
#[derive(Debug, Clone)]
pub struct ResidualChain {
    community: Arc<Community>,
    params: ResidualChainParams,
}

impl ResidualChain {
    pub fn new(community: Arc<Community>, params: ResidualChainParams) -> Self {
        Self { community, params }
    }
}

/// Film features plus the fold-in prediction, one row per film in `films`.
fn design(catalog: &Catalog, films: &[FilmIndex], base: &[f32]) -> Array2<f32> {
    let mut x = Array2::zeros((films.len(), N_FEATURES + 1));
    for ((mut row, &at), &b) in x.rows_mut().into_iter().zip(films).zip(base) {
        for (d, s) in row.iter_mut().zip(catalog.features().row(at)) {
            *d = *s;
        }
        row[N_FEATURES] = b;
    }
    x
}

struct Member {
    community: Arc<Community>,
    vector: EnsembleMember,
    /// The member's rating minus the fold-in prediction, by catalog index; NaN where unrated.
    residuals: Vec<f32>,
    /// The ratings fitted, for the explainer to name.
    ratings: Vec<RatedFilm>,
    /// Per film, which of its neighbours the member rated (bit k: the k-th), when the
    /// community's lists are inverted; else every film scans its whole list.
    rated_ranks: Option<Vec<u64>>,
    knn_weight: f32,
    /// Shared with the member's explainer, which walks it to say which features raised a film.
    correction: Option<(Arc<RandomForest>, f32)>,
}

impl Member {
    /// Fold-in plus neighbour correction, unclipped; on rayon's pool for a large catalog (each
    /// film's value is computed the same way either way).
    fn collaborative(&self, films: &[FilmIndex]) -> Vec<f32> {
        let one = |&at: &FilmIndex| {
            let base = self.community.factors.predict(&self.vector, at);
            if self.knn_weight == 0.0 {
                return base;
            }
            let neighbours = &self.community.neighbours;
            let correction = match &self.rated_ranks {
                Some(ranks) => {
                    let rated = at.get(ranks).copied().unwrap_or(0);
                    neighbours.correction_of(&self.residuals, at, rated)
                }
                None => neighbours.correction(&self.residuals, at),
            };
            base + self.knn_weight * correction
        };
        if films.len() >= PARALLEL_FILMS {
            films
                .par_iter()
                .with_min_len(PARALLEL_FILMS / 2)
                .map(one)
                .collect()
        } else {
            films.iter().map(one).collect()
        }
    }
}

impl Predictor for Member {
    fn predict(&self, catalog: &Catalog, films: &[FilmIndex]) -> Vec<f32> {
        let base = self.collaborative(films);
        match &self.correction {
            None => base.into_iter().map(clip).collect(),
            Some((forest, weight)) => {
                let x = design(catalog, films, &base);
                let fix = forest.predict_rows(x.view());
                base.iter()
                    .zip(fix)
                    .map(|(b, f)| clip(b + weight * f))
                    .collect()
            }
        }
    }

    fn explainer(&self) -> Option<Explainer> {
        if self.knn_weight == 0.0 && self.correction.is_none() {
            return None;
        }
        let rated = self.ratings.iter().map(|&(at, stars)| {
            let residual = at.get(&self.residuals).copied().unwrap_or(f32::NAN);
            (at, stars, residual)
        });
        let explainer = Explainer::new(Arc::clone(&self.community), rated, self.knn_weight);
        Some(match &self.correction {
            Some((forest, weight)) => {
                explainer.with_forest(Arc::clone(forest), *weight, self.vector.clone())
            }
            None => explainer,
        })
    }
}

impl Personalizer for ResidualChain {
    fn fit(
        &self,
        catalog: &Catalog,
        ratings: &[RatedFilm],
    ) -> Result<Box<dyn Predictor>, ModelError> {
        check_ratings(catalog, ratings)?;
        let factors = &self.community.factors;
        let vector = factors.fold_in(ratings);
        let mut residuals = vec![f32::NAN; catalog.len()];
        for &(at, stars) in ratings {
            residuals[usize::from(at)] = stars - factors.predict(&vector, at);
        }
        let rated_ranks = self.community.appearances.as_ref().map(|appearances| {
            appearances.rated_ranks(ratings.iter().map(|&(at, _)| at), catalog.len())
        });
        let mut member = Member {
            community: self.community.clone(),
            vector,
            residuals,
            ratings: ratings.to_vec(),
            rated_ranks,
            knn_weight: self.params.knn_weight,
            correction: None,
        };
        if let Some(params) = &self.params.residual_forest {
            let films: Vec<FilmIndex> = ratings.iter().map(|&(at, _)| at).collect();
            let base = member.collaborative(&films);
            let residual: Vec<f32> = ratings
                .iter()
                .zip(&base)
                .map(|(&(_, r), b)| r - b)
                .collect();
            let x = design(catalog, &films, &base);
            let forest = params
                .fit_rows(x.view(), &residual)
                .map_err(|err| ModelError::Forest(err.to_string()))?;
            let n = ratings.len() as f32;
            member.correction = Some((Arc::new(forest), n / (n + self.params.shrink)));
        }
        Ok(Box::new(member))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::at;
    use crate::domain::{Film, FilmKey, Genre, GenreSet};
    use crate::models::{CommunityRating, GeneralModel, GeneralParams, MfParams};

    /// 30 films; even films are horror. Half the community loves horror, half hates it.
    fn setup() -> (Catalog, Arc<Community>) {
        let catalog = Catalog::from_films((0..30).map(|i| {
            let mut film = Film::stub(FilmKey::parse(&format!("f{i}")).unwrap(), "f");
            film.year = Some(1980 + i as u16);
            film.lb_average = Some(3.0);
            if i % 2 == 0 {
                film.genres = GenreSet::from_iter([Genre::Horror]);
            }
            film
        }));
        let ratings: Vec<CommunityRating> = (0..40u32)
            .flat_map(|member| {
                (0..30u32)
                    .filter(move |film| (member + film) % 3 != 0)
                    .map(move |film| CommunityRating {
                        member,
                        film: at(film),
                        stars: if (film % 2 == 0) == (member % 2 == 0) {
                            4.5
                        } else {
                            1.5
                        },
                    })
            })
            .collect();
        let params = GeneralParams {
            mf: MfParams {
                factors: 4,
                iterations: 10,
                reg_factors: 1.0,
                reg_bias: 1.0,
                ..MfParams::default()
            },
            ensemble: 2,
            ..GeneralParams::default()
        };
        let community = GeneralModel::train(&catalog, &ratings, params).for_catalog(&catalog);
        (catalog, Arc::new(community))
    }

    fn horror_fan() -> Vec<RatedFilm> {
        (0..20)
            .map(|i| (at(i), if i % 2 == 0 { 5.0 } else { 1.0 }))
            .collect()
    }

    #[test]
    fn predicts_the_members_taste_on_unrated_films_within_the_scale() {
        let (catalog, community) = setup();
        let model = ResidualChain::new(community, ResidualChainParams::default());
        let member = model.fit(&catalog, &horror_fan()).unwrap();
        let all: Vec<FilmIndex> = catalog.indices().collect();
        let predicted = member.predict(&catalog, &all);
        assert!(predicted.iter().all(|p| (0.5..=5.0).contains(p)));
        for at in 20..30 {
            if at % 2 == 0 {
                assert!(predicted[at] > 3.8, "film {at}: {predicted:?}");
            } else {
                assert!(predicted[at] < 2.2, "film {at}: {predicted:?}");
            }
        }
    }

    #[test]
    fn same_ratings_same_predictions() {
        let (catalog, community) = setup();
        let model = ResidualChain::new(community, ResidualChainParams::default());
        let all: Vec<FilmIndex> = catalog.indices().collect();
        let a = model
            .fit(&catalog, &horror_fan())
            .unwrap()
            .predict(&catalog, &all);
        let b = model
            .fit(&catalog, &horror_fan())
            .unwrap()
            .predict(&catalog, &all);
        assert_eq!(a, b);
    }

    #[test]
    fn a_huge_shrink_leaves_the_collaborative_prediction() {
        let (catalog, community) = setup();
        let all: Vec<FilmIndex> = catalog.indices().collect();
        let without = ResidualChainParams {
            residual_forest: None,
            ..ResidualChainParams::default()
        };
        let shrunk = ResidualChainParams {
            shrink: 1e9,
            ..ResidualChainParams::default()
        };
        let plain = ResidualChain::new(community.clone(), without)
            .fit(&catalog, &horror_fan())
            .unwrap()
            .predict(&catalog, &all);
        let corrected = ResidualChain::new(community, shrunk)
            .fit(&catalog, &horror_fan())
            .unwrap()
            .predict(&catalog, &all);
        for (p, c) in plain.iter().zip(&corrected) {
            assert!((p - c).abs() < 1e-4, "{p} vs {c}");
        }
    }

    #[test]
    fn refuses_no_ratings() {
        let (catalog, community) = setup();
        let model = ResidualChain::new(community, ResidualChainParams::default());
        assert!(matches!(
            model.fit(&catalog, &[]),
            Err(ModelError::NoRatings)
        ));
    }

    /// The explainer rebuilds the forest's input exactly: the stages before it plus the
    /// weighted contributions give the member's prediction, and the features named raised it.
    #[test]
    fn feature_reasons_add_up_to_the_prediction_and_name_what_raised_it() {
        let (catalog, community) = setup();
        // A taste the community does not share (films after 1994), for a forest given its say.
        let params = ResidualChainParams {
            shrink: 1.0,
            ..ResidualChainParams::default()
        };
        let recent: Vec<RatedFilm> = (0..26)
            .map(|i| (at(i), if i >= 15 { 5.0 } else { 1.5 }))
            .collect();
        let member = ResidualChain::new(community, params)
            .fit(&catalog, &recent)
            .unwrap();
        let explainer = member.explainer().unwrap();
        let explaining = explainer.explaining(&catalog);
        let all: Vec<FilmIndex> = catalog.indices().collect();
        let predicted = member.predict(&catalog, &all);
        let mut phrased = 0;
        for &film in &all {
            let (before, parts, weight) = explaining.forest_parts(film).unwrap();
            let total = f64::from(before) + f64::from(weight) * parts.total();
            let p = f64::from(predicted[usize::from(film)]);
            assert!(
                (total.clamp(0.5, 5.0) - p).abs() < 1e-4,
                "film {film:?}: {total} vs {p}"
            );
            if let Some(reason) = explaining.feature_reason(film) {
                phrased += 1;
                for &column in &reason.features {
                    let effect = parts.by_feature[column] * f64::from(weight);
                    assert!(effect > 0.0, "{reason:?}: column {column} gave {effect}");
                }
            }
        }
        assert!(phrased > 0, "some prediction has a feature reason");
        let unseen = explaining.feature_reason(at(28)).unwrap();
        assert!(unseen.text.contains("from the 2000s"), "{unseen:?}");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

        /// Every named film is one the member rated, and leaving its rating out of the neighbour
        /// stage (the general model's prediction held fixed) moves the prediction the way and by
        /// the amount the reason states.
        #[test]
        fn reasons_name_rated_films_whose_removal_moves_the_score_as_stated(
            stars in proptest::collection::vec(1u8..=10, 30),
            rated in proptest::collection::vec(proptest::bool::ANY, 30),
        ) {
            let (catalog, community) = setup();
            let ratings: Vec<RatedFilm> = (0..30u32)
                .filter(|&i| rated[i as usize])
                .map(|i| (at(i), f32::from(stars[i as usize]) / 2.0))
                .collect();
            proptest::prop_assume!(!ratings.is_empty());
            let model = ResidualChain::new(community.clone(), ResidualChainParams::default());
            let explainer = model.fit(&catalog, &ratings).unwrap().explainer().unwrap();

            let vector = community.factors.fold_in(&ratings);
            let mut residuals = vec![f32::NAN; catalog.len()];
            for &(film, r) in &ratings {
                residuals[usize::from(film)] = r - community.factors.predict(&vector, film);
            }
            let explaining = explainer.explaining(&catalog);
            let mut named = 0;
            for film in catalog.indices() {
                let reasons = explaining.reasons(film);
                named += reasons.len();
                proptest::prop_assert!(reasons.len() <= crate::models::MAX_REASONS);
                for reason in reasons {
                    proptest::prop_assert!(ratings.contains(&(reason.film, reason.rating)));
                    let with = community.neighbours.correction(&residuals, film);
                    let mut without = residuals.clone();
                    without[usize::from(reason.film)] = f32::NAN;
                    let moved = with - community.neighbours.correction(&without, film);
                    proptest::prop_assert_eq!(moved > 0.0, reason.effect > 0.0);
                    proptest::prop_assert!((moved - reason.effect).abs() < 1e-4, "{} vs {:?}", moved, reason);
                }
            }
            proptest::prop_assert!(named > 0, "some prediction has a reason");
        }
    }
}
