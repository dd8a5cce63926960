//! Ordering scored films: by score, then deterministically by Letterboxd average and slug.

use std::cmp::Ordering;

use super::PredictionMismatch;
use crate::catalog::{Catalog, FilmIndex};

/// A catalog film with a score; `pos` is its position in the list that was scored, so scores
/// from several members line up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Scored {
    pub pos: usize,
    pub film: FilmIndex,
    pub score: f32,
}

/// Best first: higher score, then higher Letterboxd average (unknown last), then slug A-Z, so
/// equal predictions never reorder between runs.
pub(crate) fn best_first(catalog: &Catalog, a: &Scored, b: &Scored) -> Ordering {
    let (fa, fb) = (catalog.film(a.film), catalog.film(b.film));
    b.score
        .total_cmp(&a.score)
        .then_with(|| match (fa.lb_average, fb.lb_average) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        })
        .then_with(|| fa.key.cmp(&fb.key))
}

/// The best `k` of `items`, sorted best first. Partial selection keeps this O(n) plus O(k log k)
/// over a 100,000-film catalog.
pub(crate) fn top_k(catalog: &Catalog, mut items: Vec<Scored>, k: usize) -> Vec<Scored> {
    if k == 0 {
        return Vec::new();
    }
    if items.len() > k {
        items.select_nth_unstable_by(k - 1, |a, b| best_first(catalog, a, b));
        items.truncate(k);
    }
    items.sort_unstable_by(|a, b| best_first(catalog, a, b));
    items
}

/// The scores of `films`, read from a member's scores of every catalog film (by catalog index),
/// or a list of the wrong length as an error.
pub(crate) fn scores_of(
    by_film: &[f32],
    catalog: &Catalog,
    films: &[FilmIndex],
) -> Result<Vec<f32>, PredictionMismatch> {
    if by_film.len() != catalog.len() {
        return Err(PredictionMismatch {
            expected: catalog.len(),
            got: by_film.len(),
        });
    }
    Ok(films.iter().map(|&at| by_film[usize::from(at)]).collect())
}

/// Pairs films with their predictions, dropping non-finite ones: a film the model cannot score
/// cannot be ranked.
pub(crate) fn scored(films: &[FilmIndex], predictions: &[f32]) -> Vec<Scored> {
    films
        .iter()
        .zip(predictions)
        .enumerate()
        .filter(|(_, (_, score))| score.is_finite())
        .map(|(pos, (&film, &score))| Scored { pos, film, score })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Catalog;
    use crate::catalog::{at, ats};
    use crate::recommend::testkit::film;

    #[test]
    fn ties_break_on_average_then_slug() {
        let mut high = film("zz-high");
        high.lb_average = Some(4.0);
        let mut unknown = film("aa-unknown");
        unknown.lb_average = None;
        let catalog = Catalog::from_films([film("b"), film("a"), high, unknown]);
        let items = catalog
            .indices()
            .enumerate()
            .map(|(pos, film)| Scored {
                pos,
                film,
                score: 3.0,
            })
            .collect();
        let order: Vec<&str> = top_k(&catalog, items, 4)
            .iter()
            .map(|s| catalog.film(s.film).key.as_str())
            .collect();
        assert_eq!(order, ["zz-high", "a", "b", "aa-unknown"]);
    }

    #[test]
    fn top_k_keeps_the_best_in_order() {
        let catalog = Catalog::from_films((0..50).map(|i| film(&format!("f{i:02}"))));
        let items = catalog
            .indices()
            .enumerate()
            .map(|(pos, film)| Scored {
                pos,
                film,
                score: ((pos * 37) % 50) as f32,
            })
            .collect();
        let best = top_k(&catalog, items, 3);
        let scores: Vec<f32> = best.iter().map(|s| s.score).collect();
        assert_eq!(scores, [49.0, 48.0, 47.0]);
    }

    #[test]
    fn non_finite_predictions_are_dropped() {
        let kept = scored(&ats([4, 5, 6]), &[f32::NAN, 2.0, f32::INFINITY]);
        assert_eq!(
            kept,
            [Scored {
                pos: 1,
                film: at(5),
                score: 2.0
            }]
        );
    }
}
