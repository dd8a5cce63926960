//! The two reference baselines: the film's Letterboxd average, and that plus the member's mean
//! offset from it.

use super::{ModelError, Personalizer, RatedFilm, check_ratings, clip};
use crate::catalog::{Catalog, FilmIndex};
use crate::features::COL_LB_AVERAGE;
use crate::predict::Predictor;

/// The film's Letterboxd average (the catalog median when it has none).
pub fn film_average(catalog: &Catalog, at: FilmIndex) -> f32 {
    catalog.features().row(at)[COL_LB_AVERAGE]
}

/// [`film_average`] of every catalog film, in catalog order.
pub fn film_averages(catalog: &Catalog) -> Vec<f32> {
    catalog.features().column(COL_LB_AVERAGE).collect()
}

/// Predicts the film's average plus a fixed offset.
#[derive(Debug, Clone, Copy, PartialEq)]
struct ShiftedAverage(f32);

impl Predictor for ShiftedAverage {
    fn predict(&self, catalog: &Catalog, films: &[FilmIndex]) -> Vec<f32> {
        films
            .iter()
            .map(|&at| clip(film_average(catalog, at) + self.0))
            .collect()
    }
}

/// Every member gets the film's Letterboxd average.
#[derive(Debug, Clone, Copy, Default)]
pub struct FilmAverage;

impl Personalizer for FilmAverage {
    fn fit(&self, _: &Catalog, _: &[RatedFilm]) -> Result<Box<dyn Predictor>, ModelError> {
        Ok(Box::new(ShiftedAverage(0.0)))
    }
}

/// The film's average plus the member's mean difference from the averages of the films they rated.
#[derive(Debug, Clone, Copy, Default)]
pub struct MemberBias;

impl MemberBias {
    /// The member's mean rating minus the mean average of the films they rated.
    pub fn bias(catalog: &Catalog, ratings: &[RatedFilm]) -> f32 {
        let sum: f32 = ratings
            .iter()
            .map(|&(at, stars)| stars - film_average(catalog, at))
            .sum();
        sum / ratings.len().max(1) as f32
    }
}

impl Personalizer for MemberBias {
    fn fit(
        &self,
        catalog: &Catalog,
        ratings: &[RatedFilm],
    ) -> Result<Box<dyn Predictor>, ModelError> {
        check_ratings(catalog, ratings)?;
        Ok(Box::new(ShiftedAverage(Self::bias(catalog, ratings))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{at, ats};
    use crate::domain::{Film, FilmKey};

    fn catalog(averages: &[Option<f32>]) -> Catalog {
        Catalog::from_films(averages.iter().enumerate().map(|(i, avg)| {
            let mut film = Film::stub(FilmKey::parse(&format!("f{i}")).unwrap(), "f");
            film.lb_average = *avg;
            film
        }))
    }

    #[test]
    fn film_average_imputes_the_median() {
        let catalog = catalog(&[Some(2.0), Some(4.0), None, Some(3.5)]);
        let model = FilmAverage.fit(&catalog, &[]).unwrap();
        assert_eq!(
            model.predict(&catalog, &ats([0, 2, 3])),
            vec![2.0, 3.5, 3.5]
        );
    }

    #[test]
    fn member_bias_shifts_and_clips() {
        let catalog = catalog(&[Some(2.0), Some(4.0), Some(4.8)]);
        // Offsets +1.0 and +0.5: bias 0.75.
        let model = MemberBias
            .fit(&catalog, &[(at(0), 3.0), (at(1), 4.5)])
            .unwrap();
        assert_eq!(
            model.predict(&catalog, &ats([0, 1, 2])),
            vec![2.75, 4.75, 5.0]
        );
        assert!(matches!(
            MemberBias.fit(&catalog, &[]),
            Err(ModelError::NoRatings)
        ));
        assert!(matches!(
            MemberBias.fit(&catalog, &[(at(7), 3.0)]),
            Err(ModelError::UnknownFilm(film)) if film == at(7)
        ));
    }
}
