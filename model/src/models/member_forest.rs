//! The original's personalized model: a random forest trained on the member's ratings over the
//! 25 film features, predicting every film, clipped to the rating scale.

use ndarray::ArrayView2;

use super::{ModelError, Personalizer, RatedFilm, check_ratings, clip};
use crate::catalog::{Catalog, FilmIndex};
use crate::forest::{ForestParams, RandomForest};
use crate::predict::Predictor;

/// A forest per member over the film features, with the original's preset unless told otherwise.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberForest {
    pub params: ForestParams,
}

impl Default for MemberForest {
    fn default() -> Self {
        Self {
            params: ForestParams::original(),
        }
    }
}

impl Personalizer for MemberForest {
    fn fit(
        &self,
        catalog: &Catalog,
        ratings: &[RatedFilm],
    ) -> Result<Box<dyn Predictor>, ModelError> {
        check_ratings(catalog, ratings)?;
        let films: Vec<FilmIndex> = ratings.iter().map(|&(at, _)| at).collect();
        let stars: Vec<f32> = ratings.iter().map(|&(_, r)| r).collect();
        let x = catalog.features().select(&films);
        let forest = self
            .params
            .fit_rows(x.view(), &stars)
            .map_err(|err| ModelError::Forest(err.to_string()))?;
        Ok(Box::new(FittedForest(forest)))
    }
}

struct FittedForest(RandomForest);

impl Predictor for FittedForest {
    fn predict(&self, catalog: &Catalog, films: &[FilmIndex]) -> Vec<f32> {
        predict_features(catalog, films, |x| self.0.predict_rows(x))
            .into_iter()
            .map(clip)
            .collect()
    }
}

/// Runs `predict` over the feature rows of `films`, reading the catalog matrix in place when
/// `films` is the whole catalog in order (what serving and evaluation ask for).
pub(crate) fn predict_features(
    catalog: &Catalog,
    films: &[FilmIndex],
    predict: impl FnOnce(ArrayView2<'_, f32>) -> Vec<f32>,
) -> Vec<f32> {
    let whole = films.len() == catalog.len() && films.iter().copied().eq(catalog.indices());
    if whole {
        predict(catalog.features().view())
    } else {
        let x = catalog.features().select(films);
        predict(x.view())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{at, ats};
    use crate::domain::{Film, FilmKey, Genre, GenreSet};

    fn catalog() -> Catalog {
        Catalog::from_films((0..40).map(|i| {
            let mut film = Film::stub(FilmKey::parse(&format!("f{i}")).unwrap(), "f");
            film.year = Some(1950 + i as u16);
            film.lb_average = Some(3.0);
            if i % 2 == 0 {
                film.genres = GenreSet::from_iter([Genre::Horror]);
            }
            film
        }))
    }

    #[test]
    fn learns_a_genre_taste_and_clips() {
        let catalog = catalog();
        // Loves horror (even films), dislikes the rest; rates films 0..30.
        let ratings: Vec<RatedFilm> = (0..30)
            .map(|i| (at(i), if i % 2 == 0 { 5.0 } else { 1.0 }))
            .collect();
        let model = MemberForest::default().fit(&catalog, &ratings).unwrap();
        let predicted = model.predict(&catalog, &ats([30, 31, 32]));
        assert!(predicted[0] > 4.0 && predicted[2] > 4.0, "{predicted:?}");
        assert!(predicted[1] < 2.0, "{predicted:?}");
        assert!(predicted.iter().all(|p| (0.5..=5.0).contains(p)));
    }

    #[test]
    fn whole_catalog_and_subset_agree() {
        let catalog = catalog();
        let ratings: Vec<RatedFilm> = (0..20).map(|i| (at(i), 1.0 + (i % 5) as f32)).collect();
        let model = MemberForest::default().fit(&catalog, &ratings).unwrap();
        let all: Vec<FilmIndex> = catalog.indices().collect();
        let everything = model.predict(&catalog, &all);
        assert_eq!(
            model.predict(&catalog, &ats([7, 3])),
            vec![everything[7], everything[3]]
        );
    }

    #[test]
    fn same_seed_same_predictions() {
        let catalog = catalog();
        let ratings: Vec<RatedFilm> = (0..25)
            .map(|i| (at(i), 0.5 + (i % 10) as f32 / 2.0))
            .collect();
        let all: Vec<FilmIndex> = catalog.indices().collect();
        let a = MemberForest::default()
            .fit(&catalog, &ratings)
            .unwrap()
            .predict(&catalog, &all);
        let b = MemberForest::default()
            .fit(&catalog, &ratings)
            .unwrap()
            .predict(&catalog, &all);
        assert_eq!(a, b);
    }
}
