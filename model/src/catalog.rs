//! The film catalog the models score: loaded once, read-only, shared between requests.

use std::collections::HashMap;

use crate::domain::{Film, Slug};
use crate::features::FeatureMatrix;

/// Every known film, indexed by slug, with the model features of every film encoded once
/// (row `i` of [`Catalog::features`] is film `i`).
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    films: Vec<Film>,
    by_slug: HashMap<Slug, usize>,
    features: FeatureMatrix,
}

impl Catalog {
    /// Builds a catalog; a slug seen twice keeps its last film.
    pub fn from_films(films: impl IntoIterator<Item = Film>) -> Self {
        let mut catalog = Catalog::default();
        for film in films {
            match catalog.by_slug.get(&film.slug) {
                Some(&at) => catalog.films[at] = film,
                None => {
                    catalog
                        .by_slug
                        .insert(film.slug.clone(), catalog.films.len());
                    catalog.films.push(film);
                }
            }
        }
        catalog.features = FeatureMatrix::encode(&catalog.films);
        catalog
    }

    pub fn len(&self) -> usize {
        self.films.len()
    }

    pub fn is_empty(&self) -> bool {
        self.films.is_empty()
    }

    pub fn index_of(&self, slug: &Slug) -> Option<usize> {
        self.by_slug.get(slug).copied()
    }

    pub fn get(&self, slug: &Slug) -> Option<&Film> {
        self.index_of(slug).map(|at| &self.films[at])
    }

    pub fn films(&self) -> &[Film] {
        &self.films
    }

    /// The 25 model features of every film, row `i` for `films()[i]`.
    pub fn features(&self) -> &FeatureMatrix {
        &self.features
    }
}
