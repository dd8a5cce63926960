//! Small films, profiles and fake scores for the recommendation and statistics tests.

use crate::catalog::{Catalog, FilmIndex};
use crate::domain::{Film, FilmKey, Genre, GenreSet, Profile, Rating};
use crate::predict::Predictor;

pub(crate) fn slug(raw: &str) -> FilmKey {
    FilmKey::parse(raw).unwrap()
}

/// A plain, fully described drama: tests change only the fields they are about.
pub(crate) fn film(name: &str) -> Film {
    let mut film = Film::stub(slug(name), name);
    film.year = Some(2000);
    film.runtime_minutes = Some(100);
    film.genres = GenreSet::from_iter([Genre::Drama]);
    film.lb_average = Some(3.0);
    film.lb_rating_count = Some(1_000);
    film
}

pub(crate) fn catalog_of(names: &[&str]) -> Catalog {
    Catalog::from_films(names.iter().map(|name| film(name)))
}

/// A profile rating each film 3 stars.
pub(crate) fn profile(rated: &[&str], watched: &[&str], watchlist: &[&str]) -> Profile {
    let three = Rating::from_half_stars(6).unwrap();
    Profile {
        ratings: rated.iter().map(|s| (slug(s), three)).collect(),
        watched: watched.iter().map(|s| slug(s)).collect(),
        watchlist: watchlist.iter().map(|s| slug(s)).collect(),
        ..Profile::default()
    }
}

/// A predictor defined by a closure over the film and its catalog index.
pub(crate) struct FnPredictor<F>(pub F);

impl<F> Predictor for FnPredictor<F>
where
    F: Fn(&Film, FilmIndex) -> f32 + Send + Sync,
{
    fn predict(&self, catalog: &Catalog, films: &[FilmIndex]) -> Vec<f32> {
        films
            .iter()
            .map(|&at| (self.0)(catalog.film(at), at))
            .collect()
    }
}

/// Predicts a fixed score per slug, 1.0 for any other film.
pub(crate) fn scores(pairs: &[(&str, f32)]) -> impl Predictor + use<> {
    let table: Vec<(FilmKey, f32)> = pairs.iter().map(|(s, v)| (slug(s), *v)).collect();
    FnPredictor(move |film: &Film, _| {
        table
            .iter()
            .find(|(s, _)| *s == film.key)
            .map_or(1.0, |(_, v)| *v)
    })
}

/// Every catalog film's score under `predictor`, as training hands them to ranking.
pub(crate) fn by_film(predictor: &impl Predictor, catalog: &Catalog) -> Vec<f32> {
    let films: Vec<FilmIndex> = catalog.indices().collect();
    predictor.predict(catalog, &films)
}
