//! The film catalog the models score: loaded once, read-only, shared between requests.

use std::collections::HashMap;

use crate::domain::{Film, Slug};

/// Every known film, indexed by slug. The model issue extends this with columnar feature storage;
/// callers only rely on `from_films`, `len`, `get`, `index_of` and `films`.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    films: Vec<Film>,
    by_slug: HashMap<Slug, usize>,
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
}
