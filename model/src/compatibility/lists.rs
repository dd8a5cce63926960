//! The films a pair's page lists: favourites they share, films they split on, and each one's
//! favourites the other has not seen.

use super::agreement::shared;
use super::taste::MemberTaste;
use crate::catalog::FilmIndex;

/// A favourite is rated at least this, in stars.
pub const FAVOURITE_FROM: f32 = 4.5;
/// Ratings at least this far apart, in stars, split a pair.
pub const POLARIZING_GAP: f32 = 2.0;
/// Films per list.
pub const LIST_LIMIT: usize = 12;

/// A film both rated, with both ratings (first member's first).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SharedFilm {
    pub film: FilmIndex,
    pub ratings: [f32; 2],
}

impl SharedFilm {
    fn mean(&self) -> f32 {
        (self.ratings[0] + self.ratings[1]) / 2.0
    }

    fn gap(&self) -> f32 {
        (self.ratings[0] - self.ratings[1]).abs()
    }
}

fn both(a: &MemberTaste, b: &MemberTaste) -> Vec<SharedFilm> {
    shared(a, b)
        .into_iter()
        .map(|(film, x, y)| SharedFilm {
            film,
            ratings: [x, y],
        })
        .collect()
}

/// Films both rated [`FAVOURITE_FROM`] or more, highest mean first (then catalog order), at most
/// [`LIST_LIMIT`].
pub fn shared_favourites(a: &MemberTaste, b: &MemberTaste) -> Vec<SharedFilm> {
    let mut films: Vec<SharedFilm> = both(a, b)
        .into_iter()
        .filter(|f| f.ratings.iter().all(|&r| r >= FAVOURITE_FROM))
        .collect();
    films.sort_by(|x, y| y.mean().total_cmp(&x.mean()).then(x.film.cmp(&y.film)));
    films.truncate(LIST_LIMIT);
    films
}

/// Films whose two ratings are [`POLARIZING_GAP`] or more apart, largest gap first (then catalog
/// order), at most [`LIST_LIMIT`].
pub fn polarizing(a: &MemberTaste, b: &MemberTaste) -> Vec<SharedFilm> {
    let mut films: Vec<SharedFilm> = both(a, b)
        .into_iter()
        .filter(|f| f.gap() >= POLARIZING_GAP)
        .collect();
    films.sort_by(|x, y| y.gap().total_cmp(&x.gap()).then(x.film.cmp(&y.film)));
    films.truncate(LIST_LIMIT);
    films
}

/// A favourite of one member for the other: their rating and the other's predicted rating.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CrossPick {
    pub film: FilmIndex,
    /// The recommending member's rating, in stars.
    pub rating: f32,
    /// The other member's predicted rating, in stars.
    pub predicted_rating: f32,
}

/// Films `from` rated [`FAVOURITE_FROM`] or more that `to` has not seen (rated or watched),
/// ranked by `to`'s predicted rating (`to_scores`, one per catalog film), at most
/// [`LIST_LIMIT`]. A film without a prediction is left out.
pub fn cross_recommendations(
    from: &MemberTaste,
    to: &MemberTaste,
    to_scores: &[f32],
) -> Vec<CrossPick> {
    let mut picks: Vec<CrossPick> = from
        .ratings()
        .iter()
        .filter(|&&(film, rating)| rating >= FAVOURITE_FROM && !to.has_seen(film))
        .filter_map(|&(film, rating)| {
            Some(CrossPick {
                film,
                rating,
                predicted_rating: *film.get(to_scores)?,
            })
        })
        .collect();
    picks.sort_by(|x, y| {
        y.predicted_rating
            .total_cmp(&x.predicted_rating)
            .then(x.film.cmp(&y.film))
    });
    picks.truncate(LIST_LIMIT);
    picks
}
