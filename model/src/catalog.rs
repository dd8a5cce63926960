//! The film catalog the models score: loaded once, read-only, shared between requests.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::domain::{Film, FilmKey, PopularityScale};
use crate::features::FeatureMatrix;

/// The position of a film in one [`Catalog`], which mints them ([`Catalog::index_of`],
/// [`Catalog::indices`]).
///
/// A type of its own because an index means something only against the catalog that gave it: it
/// is not a count or a member number, and a new catalog version (films added, removed, reordered)
/// invalidates every index taken from the old one. 32 bits halve the large per-film lists
/// (neighbours, appearances, candidates) against `usize`; the serialized form is the bare `u32`,
/// as the stored general model has always written it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FilmIndex(u32);

impl FilmIndex {
    /// Models trained on community ratings number films densely by catalog index; their tables
    /// mint the indices they store.
    pub(crate) const fn new(at: u32) -> Self {
        Self(at)
    }

    /// The first `n` indices, in order: the films of a catalog or per-film table of `n` rows.
    pub(crate) fn first(
        n: usize,
    ) -> impl ExactSizeIterator<Item = Self> + DoubleEndedIterator + Clone {
        // Catalogs stop at `u32` indices (`Catalog::from_films`) and stored tables count their
        // rows in `u32`, so no index is truncated.
        (0..n).map(|at| Self(at as u32))
    }

    /// This film's entry in a per-film slice (one value per catalog film, in catalog order).
    pub fn get<T>(self, per_film: &[T]) -> Option<&T> {
        per_film.get(usize::from(self))
    }

    /// [`FilmIndex::get`], mutably.
    pub fn get_mut<T>(self, per_film: &mut [T]) -> Option<&mut T> {
        per_film.get_mut(usize::from(self))
    }
}

/// The index numbered `i`, for tests that build small catalogs and tables by hand.
#[cfg(test)]
pub(crate) fn at(i: u32) -> FilmIndex {
    FilmIndex(i)
}

/// [`at`] for several numbers.
#[cfg(test)]
pub(crate) fn ats(numbers: impl IntoIterator<Item = u32>) -> Vec<FilmIndex> {
    numbers.into_iter().map(FilmIndex).collect()
}

impl From<FilmIndex> for usize {
    fn from(at: FilmIndex) -> Self {
        at.0 as usize
    }
}

impl From<FilmIndex> for u32 {
    fn from(at: FilmIndex) -> Self {
        at.0
    }
}

impl std::fmt::Display for FilmIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Every known film, indexed by every key it answers to, with the model features of every film
/// encoded once (row `i` of [`Catalog::features`] is film `i`).
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    films: Vec<Film>,
    by_key: HashMap<FilmKey, FilmIndex>,
    features: FeatureMatrix,
    popularity: PopularityScale,
}

impl Catalog {
    /// Builds a catalog; a key seen twice keeps its last film. A film also answers to its slug,
    /// Letterboxd id and TMDB record ([`Film::keys`]) unless another film has that as its own key.
    /// A [`FilmIndex`] has 32 bits, so new films past the 4,294,967,296th are left out.
    pub fn from_films(films: impl IntoIterator<Item = Film>) -> Self {
        let mut catalog = Catalog::default();
        for film in films {
            match catalog.by_key.get(&film.key) {
                Some(&at) => catalog.films[usize::from(at)] = film,
                None => {
                    let Ok(at) = u32::try_from(catalog.films.len()) else {
                        continue;
                    };
                    catalog.by_key.insert(film.key.clone(), FilmIndex(at));
                    catalog.films.push(film);
                }
            }
        }
        for (at, film) in catalog.films.iter().enumerate() {
            for alias in film.keys().skip(1) {
                catalog.by_key.entry(alias).or_insert(FilmIndex(at as u32));
            }
        }
        catalog.features = FeatureMatrix::encode(&catalog.films);
        catalog.popularity =
            PopularityScale::of_counts(catalog.films.iter().map(|f| f.lb_rating_count));
        catalog
    }

    /// Where this catalog's popularity bands end (relative to its own rating counts).
    pub fn popularity(&self) -> PopularityScale {
        self.popularity
    }

    pub fn len(&self) -> usize {
        self.films.len()
    }

    pub fn is_empty(&self) -> bool {
        self.films.is_empty()
    }

    /// The film a key names: its own key or any other id it has.
    pub fn index_of(&self, key: &FilmKey) -> Option<FilmIndex> {
        self.by_key.get(key).copied()
    }

    /// Every film's index, in catalog order.
    pub fn indices(
        &self,
    ) -> impl ExactSizeIterator<Item = FilmIndex> + DoubleEndedIterator + Clone + use<> {
        FilmIndex::first(self.films.len())
    }

    /// The film at `at`.
    ///
    /// # Panics
    /// When `at` comes from a larger catalog (an index of another catalog version).
    pub fn film(&self, at: FilmIndex) -> &Film {
        &self.films[usize::from(at)]
    }

    pub fn get(&self, key: &FilmKey) -> Option<&Film> {
        self.index_of(key).map(|at| self.film(at))
    }

    /// Every film, in catalog order: `films()[i]` is the film at the `i`-th index.
    pub fn films(&self) -> &[Film] {
        &self.films
    }

    /// The 25 model features of every film, row `i` for `films()[i]`.
    pub fn features(&self) -> &FeatureMatrix {
        &self.features
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_index_serializes_as_the_bare_u32_the_stored_model_holds() {
        let typed = postcard::to_stdvec(&vec![(FilmIndex(300), 0.5f32)]).unwrap();
        let raw = postcard::to_stdvec(&vec![(300u32, 0.5f32)]).unwrap();
        assert_eq!(typed, raw);
        assert_eq!(serde_json::to_string(&FilmIndex(7)).unwrap(), "7");
    }

    #[test]
    fn indices_follow_catalog_order_and_keys() {
        let key = |s: &str| FilmKey::parse(s).unwrap();
        let catalog = Catalog::from_films(["a", "b", "a"].map(|s| Film::stub(key(s), s)));
        let all: Vec<FilmIndex> = catalog.indices().collect();
        assert_eq!(all, [FilmIndex(0), FilmIndex(1)]);
        assert_eq!(catalog.index_of(&key("b")), Some(FilmIndex(1)));
        assert_eq!(catalog.film(all[1]).key, key("b"));
    }

    #[test]
    fn a_film_answers_to_each_of_its_ids_but_never_steals_another_films_key() {
        let key = |s: &str| FilmKey::parse(s).unwrap();
        let mut found_on_tmdb = Film::stub(key("tmdb:movie:603"), "The Matrix");
        found_on_tmdb.slug = Some(crate::domain::Slug::parse("the-matrix").unwrap());
        found_on_tmdb.letterboxd_id = Some(51518);
        let mut clash = Film::stub(key("film:51518"), "Another film");
        clash.title = "clash".into();
        let catalog = Catalog::from_films([found_on_tmdb, clash]);
        assert_eq!(catalog.index_of(&key("tmdb:movie:603")), Some(FilmIndex(0)));
        assert_eq!(catalog.index_of(&key("the-matrix")), Some(FilmIndex(0)));
        assert_eq!(catalog.index_of(&key("film:51518")), Some(FilmIndex(1)));
        assert_eq!(catalog.index_of(&key("tmdb:tv:603")), None);
    }
}
