//! The top-N protocol: what a member sees is the first films of the whole unseen catalog, so each
//! model ranks every film not in the member's train rows, and is scored on how many of the films
//! they later rated >= 4 are near the top, how many distinct films the lists reach, and how
//! popular the listed films are.

use std::collections::HashSet;

use serde::Serialize;

use crate::catalog::{Catalog, FilmIndex};

/// A test film counts as one the member loved from this rating on.
pub const RELEVANT_FROM: f32 = 4.0;

/// The short cut (what a screen shows) and the long one (every list is this long).
pub const SHORT_CUT: usize = 10;
pub const LIST_LENGTH: usize = 50;

/// One member's list: the first [`LIST_LENGTH`] unseen films, best first, and the films they loved.
#[derive(Debug, Clone, PartialEq)]
pub struct TopList {
    pub films: Vec<FilmIndex>,
    pub relevant: Vec<FilmIndex>,
}

/// The top-N figures of one row; recall and NDCG are means over the ranked members.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TopNFigures {
    pub recall10: f64,
    /// Binary-gain NDCG@10 over the whole catalog (`ndcg10` is the rating protocol's).
    pub ndcg10_catalog: f64,
    pub recall50: f64,
    pub ndcg50: f64,
    pub coverage50: f64,
    pub popularity50: f64,
    #[serde(skip)]
    pub members: usize,
}

/// The `k` films with the highest scores among those not in `seen`, best first; ties go to the
/// lower catalog index and a non-finite score ranks after every finite one, so lists are
/// reproducible.
pub fn top_unseen(scores: &[f32], seen: &[FilmIndex], k: usize) -> Vec<FilmIndex> {
    let seen: HashSet<FilmIndex> = seen.iter().copied().collect();
    let key = |at: FilmIndex| {
        let s = at.get(scores).copied().unwrap_or(f32::NAN);
        if s.is_finite() { s } else { f32::NEG_INFINITY }
    };
    let mut unseen: Vec<FilmIndex> = FilmIndex::first(scores.len())
        .filter(|at| !seen.contains(at))
        .collect();
    let order = |a: &FilmIndex, b: &FilmIndex| key(*b).total_cmp(&key(*a)).then(a.cmp(b));
    if k == 0 {
        return Vec::new();
    }
    if unseen.len() > k {
        unseen.select_nth_unstable_by(k - 1, order);
        unseen.truncate(k);
    }
    unseen.sort_unstable_by(order);
    unseen
}

/// Hits in the first `k` of `list` over `min(relevant, k)`; 0 when nothing is relevant.
pub fn recall_at(k: usize, list: &[FilmIndex], relevant: &[FilmIndex]) -> f64 {
    let ideal = relevant.len().min(k);
    if ideal == 0 {
        return 0.0;
    }
    let hits = list.iter().take(k).filter(|f| relevant.contains(f)).count();
    hits as f64 / ideal as f64
}

/// NDCG@k with gain 1 for a relevant film, discount `1 / log2(position + 1)` (position from 1),
/// and the ideal list's relevant films in the first `min(relevant, k)` positions.
pub fn binary_ndcg_at(k: usize, list: &[FilmIndex], relevant: &[FilmIndex]) -> f64 {
    let discount = |i: usize| 1.0 / ((i + 2) as f64).log2();
    let ideal: f64 = (0..relevant.len().min(k)).map(discount).sum();
    if ideal == 0.0 {
        return 0.0;
    }
    let dcg: f64 = list
        .iter()
        .take(k)
        .enumerate()
        .filter(|(_, f)| relevant.contains(f))
        .map(|(i, _)| discount(i))
        .sum();
    dcg / ideal
}

/// Distinct films in the union of the lists' first `k`, over the catalog size.
pub fn coverage_at(k: usize, lists: &[&[FilmIndex]], catalog_len: usize) -> f64 {
    if catalog_len == 0 {
        return 0.0;
    }
    let union: HashSet<FilmIndex> = lists
        .iter()
        .flat_map(|list| list.iter().take(k).copied())
        .collect();
    union.len() as f64 / catalog_len as f64
}

/// The median over lists of the median rating count of each list's first `k` films
/// (`counts[i]` is film `i`'s).
pub fn popularity_at(k: usize, lists: &[&[FilmIndex]], counts: &[f64]) -> f64 {
    let mut medians: Vec<f64> = lists
        .iter()
        .filter(|list| !list.is_empty())
        .map(|list| {
            let mut own: Vec<f64> = list
                .iter()
                .take(k)
                .map(|&at| at.get(counts).copied().unwrap_or(0.0))
                .collect();
            median(&mut own)
        })
        .collect();
    median(&mut medians)
}

/// Each film's Letterboxd rating count, 0 where unknown: what popularity is measured in.
pub fn rating_counts(catalog: &Catalog) -> Vec<f64> {
    catalog
        .films()
        .iter()
        .map(|f| f64::from(f.lb_rating_count.unwrap_or(0)))
        .collect()
}

/// Every top-N figure over the members' lists.
pub fn summarize_top_n(lists: &[TopList], counts: &[f64]) -> TopNFigures {
    let mean = |f: &dyn Fn(&TopList) -> f64| {
        if lists.is_empty() {
            0.0
        } else {
            lists.iter().map(f).sum::<f64>() / lists.len() as f64
        }
    };
    let films: Vec<&[FilmIndex]> = lists.iter().map(|l| l.films.as_slice()).collect();
    TopNFigures {
        recall10: mean(&|l| recall_at(SHORT_CUT, &l.films, &l.relevant)),
        ndcg10_catalog: mean(&|l| binary_ndcg_at(SHORT_CUT, &l.films, &l.relevant)),
        recall50: mean(&|l| recall_at(LIST_LENGTH, &l.films, &l.relevant)),
        ndcg50: mean(&|l| binary_ndcg_at(LIST_LENGTH, &l.films, &l.relevant)),
        coverage50: coverage_at(LIST_LENGTH, &films, counts.len()),
        popularity50: popularity_at(LIST_LENGTH, &films, counts),
        members: lists.len(),
    }
}

/// The middle value (mean of the two middle ones for an even count); 0 for none.
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => 0.0,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{at, ats};

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn lists_skip_seen_films_and_break_ties_by_index() {
        let scores = [3.0, 5.0, f32::NAN, 5.0, 4.0, 1.0];
        assert_eq!(top_unseen(&scores, &ats([1]), 3), ats([3, 4, 0]));
        // The NaN film comes last, after every finite score.
        assert_eq!(top_unseen(&scores, &[], 6), ats([1, 3, 4, 0, 5, 2]));
        assert_eq!(top_unseen(&scores, &[], 0), vec![]);
    }

    #[test]
    fn recall_divides_by_what_fits_in_the_cut() {
        let list = ats([7, 1, 8, 2, 9]);
        // Two of three relevant in the top 5: 2 / 3.
        assert!(close(recall_at(5, &list, &ats([1, 2, 3])), 2.0 / 3.0));
        // Cut at 2: one hit (film 1) over min(3, 2) = 2.
        assert!(close(recall_at(2, &list, &ats([1, 2, 3])), 0.5));
        // Twelve relevant films, cut at 5 with two hits: 2 / 5, not 2 / 12.
        let many: Vec<FilmIndex> = ats(0..7).into_iter().chain(ats(20..25)).collect();
        assert!(close(recall_at(5, &list, &many), 2.0 / 5.0));
        assert_eq!(recall_at(5, &list, &[]), 0.0);
    }

    #[test]
    fn binary_ndcg_by_hand() {
        let list = ats([7, 1, 8, 2, 9]);
        // Hits at positions 2 and 4; ideal: two relevant films at positions 1 and 2.
        let dcg = 1.0 / 3f64.log2() + 1.0 / 5f64.log2();
        let ideal = 1.0 + 1.0 / 3f64.log2();
        assert!(close(binary_ndcg_at(5, &list, &ats([1, 2])), dcg / ideal));
        // Cut at 3: the hit at 4 drops out; ideal still two positions.
        assert!(close(
            binary_ndcg_at(3, &list, &ats([1, 2])),
            (1.0 / 3f64.log2()) / ideal
        ));
        // Three relevant films, cut at 1: the ideal is one position, the list misses it.
        assert_eq!(binary_ndcg_at(1, &list, &ats([1, 2, 3])), 0.0);
        assert!(close(binary_ndcg_at(1, &list, &ats([7, 2, 3])), 1.0));
        assert!(close(binary_ndcg_at(10, &ats([1, 2]), &ats([2, 1])), 1.0));
    }

    #[test]
    fn coverage_counts_distinct_films_in_the_cut() {
        let a = ats([0, 1, 2]);
        let b = ats([1, 3, 9]);
        // Cut at 2: {0, 1, 3} of 10 films.
        assert!(close(coverage_at(2, &[&a, &b], 10), 0.3));
        assert!(close(coverage_at(3, &[&a, &b], 10), 0.5));
    }

    #[test]
    fn popularity_is_the_median_of_the_lists_medians() {
        let counts = [10.0, 20.0, 30.0, 40.0, 1000.0, 5.0];
        // Medians: [10, 20, 1000] -> 20; [30, 40] -> 35; [5] -> 5. Median of those: 20.
        let a = ats([0, 1, 4]);
        let b = ats([2, 3]);
        let c = ats([5]);
        assert!(close(popularity_at(50, &[&a, &b, &c], &counts), 20.0));
        // Cut at 1: medians 10, 30, 5 -> 10.
        assert!(close(popularity_at(1, &[&a, &b, &c], &counts), 10.0));
        // Two lists: mean of the two medians.
        assert!(close(popularity_at(50, &[&a, &b], &counts), 27.5));
    }

    #[test]
    fn summary_means_over_members() {
        let counts = vec![1.0; 100];
        let lists = [
            TopList {
                films: ats(0..50),
                relevant: ats([0]),
            },
            TopList {
                films: ats(50..100),
                relevant: vec![at(99), at(98)],
            },
        ];
        let figures = summarize_top_n(&lists, &counts);
        // Member 1: hit at position 1 -> recall and NDCG 1 at both cuts. Member 2: hits at
        // positions 49 and 50, so nothing in the top 10; recall@50 = 2 / 2.
        assert!(close(figures.recall10, 0.5));
        assert!(close(figures.ndcg10_catalog, 0.5));
        assert!(close(figures.recall50, 1.0));
        let second = (1.0 / 50f64.log2() + 1.0 / 51f64.log2()) / (1.0 + 1.0 / 3f64.log2());
        assert!(close(figures.ndcg50, (1.0 + second) / 2.0));
        assert!(close(figures.coverage50, 1.0));
        assert!(close(figures.popularity50, 1.0));
        assert_eq!(figures.members, 2);
    }
}
