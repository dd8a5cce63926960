//! One member's reasons already worked out, by film, kept with their scores: a warm request names
//! the same films again, and working a film's reasons out (the neighbour stage leaving each rated
//! neighbour out in turn, the residual forest's contributions) cost a third of what explanations
//! added to a request. The model is deterministic, so a kept answer is the one it would give. The
//! reasons keep the JSON a response wrote of them too, within [`WRITTEN_BYTES`].

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use model::FilmIndex;
use model::models::{MAX_REASONS, Reason};

use crate::domain::{FilmReasons, WriteBudget};

/// Films kept per member: a page of recommendations, of ranked picks or a predictions list of
/// the usual size fits; the films past it are worked out each time.
const FILMS: usize = 256;

/// JSON kept per member: a default page's reasons (96 films, about 800 bytes each for one
/// member) fit; past it, reasons are written each time.
const WRITTEN_BYTES: usize = 96 * 1024;

/// Sorted by film: a few hundred entries are found by bisection faster than hashed.
#[derive(Debug)]
pub(super) struct ReasonMemo {
    films: Mutex<Vec<(FilmIndex, Arc<FilmReasons>)>>,
    written: Arc<WriteBudget>,
}

impl Default for ReasonMemo {
    fn default() -> Self {
        Self {
            films: Mutex::default(),
            written: WriteBudget::new(WRITTEN_BYTES),
        }
    }
}

impl ReasonMemo {
    /// What a full memo occupies at most, for the score cache's weights: per film its slot,
    /// the shared box, its rated films and a phrase of features (at most three, a few dozen
    /// characters); and the JSON kept.
    pub(super) const MAX_BYTES: usize = FILMS
        * (size_of::<(FilmIndex, Arc<FilmReasons>)>()
            + 2 * size_of::<usize>()
            + size_of::<FilmReasons>()
            + MAX_REASONS * size_of::<Reason>()
            + 2 * size_of::<usize>()
            + 64
            // A kept JSON's boxes (its name's and its own) besides their bytes.
            + 4 * size_of::<usize>())
        + WRITTEN_BYTES;

    /// The reasons for `film`, worked out by `find` the first time.
    pub(super) fn get_or_insert_with(
        &self,
        film: FilmIndex,
        find: impl FnOnce() -> FilmReasons,
    ) -> Arc<FilmReasons> {
        {
            let films = self.lock();
            if let Ok(at) = films.binary_search_by_key(&film, |&(kept, _)| kept) {
                return Arc::clone(&films[at].1);
            }
        }
        // Worked out without the lock: two requests for one member at once only repeat work.
        let found = find();
        let mut films = self.lock();
        if films.len() < FILMS
            && let Err(at) = films.binary_search_by_key(&film, |&(kept, _)| kept)
        {
            let kept = Arc::new(found.kept_within(&self.written));
            films.insert(at, (film, Arc::clone(&kept)));
            return kept;
        }
        Arc::new(found)
    }

    fn lock(&self) -> MutexGuard<'_, Vec<(FilmIndex, Arc<FilmReasons>)>> {
        // The map is whole after any panic: entries are inserted in one step.
        self.films.lock().unwrap_or_else(PoisonError::into_inner)
    }

    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.lock().len()
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use model::{Catalog, Film, FilmKey};

    use super::*;

    /// The indices of a catalog of `n` films.
    fn films(n: usize) -> Vec<FilmIndex> {
        Catalog::from_films((0..n).map(|i| {
            Film::stub(
                FilmKey::parse(&format!("f{i}")).unwrap(),
                format!("Film {i}"),
            )
        }))
        .indices()
        .collect()
    }

    #[test]
    fn a_film_is_worked_out_once() {
        let at = films(8);
        let memo = ReasonMemo::default();
        let calls = Cell::new(0);
        let find = || {
            calls.set(calls.get() + 1);
            FilmReasons::new(
                vec![Reason {
                    film: at[7],
                    rating: 4.5,
                    similarity: 0.5,
                    effect: 0.25,
                }],
                None,
            )
        };
        let first = memo.get_or_insert_with(at[1], find);
        let again = memo.get_or_insert_with(at[1], find);
        assert_eq!(calls.get(), 1);
        assert!(Arc::ptr_eq(&first, &again));
        assert_eq!(again.films[0].film, at[7]);
    }

    #[test]
    fn past_its_size_films_are_worked_out_each_time() {
        let at = films(FILMS + 10);
        let memo = ReasonMemo::default();
        // Last film first: the memo keeps its own order.
        for &film in at.iter().rev() {
            memo.get_or_insert_with(film, FilmReasons::default);
        }
        assert_eq!(memo.len(), FILMS);
        let calls = Cell::new(0);
        for _ in 0..2 {
            memo.get_or_insert_with(at[3], || {
                calls.set(calls.get() + 1);
                FilmReasons::default()
            });
        }
        assert_eq!(calls.get(), 2, "a film past the memo's size is not kept");
        for &kept in &at[10..] {
            memo.get_or_insert_with(kept, || panic!("a kept film is not worked out again"));
        }
    }
}
