//! Item-item neighbours from community ratings: for each film, the films whose ratings move with
//! its ratings (adjusted cosine over common raters, shrunk toward zero when few members rated
//! both). A member's own ratings then correct a prediction by what they thought of the film's
//! neighbours, relative to what the rest of the model expected.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::collab::CommunityRating;
use super::film_lists::{self, flatten};
use crate::catalog::FilmIndex;

/// How neighbours are computed and used.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct KnnParams {
    /// Neighbours kept per film.
    pub neighbours: usize,
    /// Similarity is scaled by `common / (common + shrink)`.
    pub shrink: f32,
    /// Added to the sum of |similarity| when averaging neighbour residuals, so few or weak
    /// neighbours give a small correction.
    pub damping: f32,
}

impl Default for KnnParams {
    /// Tuned on dev members 300..600 of letterboxd-1m.
    fn default() -> Self {
        Self {
            neighbours: 50,
            shrink: 100.0,
            damping: 3.0,
        }
    }
}

/// Each film's strongest positive neighbours, by catalog index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Neighbours {
    pub params: KnnParams,
    /// `starts[i]..starts[i + 1]` indexes film `i`'s neighbours in `entries`.
    pub starts: Vec<u32>,
    pub entries: Vec<(FilmIndex, f32)>,
}

impl Neighbours {
    pub fn n_films(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    pub fn of(&self, at: FilmIndex) -> &[(FilmIndex, f32)] {
        film_lists::list_of(&self.starts, &self.entries, at)
    }

    /// The similarity-weighted mean of `residuals` over the film's neighbours the member rated
    /// (`residuals[i]` is NaN for a film they did not rate), damped toward zero.
    pub fn correction(&self, residuals: &[f32], at: FilmIndex) -> f32 {
        self.damped_mean(residuals, self.of(at).iter())
    }

    /// [`Neighbours::correction`] with the residuals looked up one film at a time (`None`: not
    /// rated); the same neighbours in the same order, so the same result to the bit.
    pub fn correction_by(
        &self,
        residual_of: impl Fn(FilmIndex) -> Option<f32>,
        at: FilmIndex,
    ) -> f32 {
        let (mut sum, mut weight) = (0.0f32, 0.0f32);
        for &(other, sim) in self.of(at) {
            if let Some(r) = residual_of(other).filter(|r| !r.is_nan()) {
                sum += sim * r;
                weight += sim;
            }
        }
        sum / (weight + self.params.damping)
    }

    /// [`Neighbours::correction`] reading only the neighbours whose bit is set in `rated`
    /// (bit `k`: the member rated the film's `k`-th neighbour, from
    /// [`Appearances::rated_ranks`]). Same neighbours in the same order, so the same result to
    /// the bit, without walking the whole list.
    pub fn correction_of(&self, residuals: &[f32], at: FilmIndex, rated: u64) -> f32 {
        let list = self.of(at);
        self.damped_mean(residuals, set_bits(rated).map_while(|k| list.get(k)))
    }

    /// The similarity-weighted mean of the residuals of `neighbours` the member rated (a NaN
    /// residual is a film they did not rate), damped toward zero.
    fn damped_mean<'a>(
        &self,
        residuals: &[f32],
        neighbours: impl Iterator<Item = &'a (FilmIndex, f32)>,
    ) -> f32 {
        let (mut sum, mut weight) = (0.0f32, 0.0f32);
        for &(other, sim) in neighbours {
            let r = other.get(residuals).copied().unwrap_or(f32::NAN);
            if !r.is_nan() {
                sum += sim * r;
                weight += sim;
            }
        }
        sum / (weight + self.params.damping)
    }

    /// Each rated neighbour's part in [`Neighbours::correction`] of film `at`: the neighbour, its
    /// similarity, and how much the correction would fall were its residual left out (negative:
    /// it pulled the correction down). `residual_of` is `None` for a film the member did not rate.
    pub fn leave_one_out(
        &self,
        residual_of: impl Fn(FilmIndex) -> Option<f32>,
        at: FilmIndex,
    ) -> Vec<(FilmIndex, f32, f32)> {
        let rated: Vec<(FilmIndex, f32, f32)> = self
            .of(at)
            .iter()
            .filter_map(|&(other, sim)| Some((other, sim, residual_of(other)?)))
            .collect();
        let sum: f32 = rated.iter().map(|&(_, sim, r)| sim * r).sum();
        let weight: f32 = rated.iter().map(|&(_, sim, _)| sim).sum();
        let damping = self.params.damping;
        let with = sum / (weight + damping);
        rated
            .into_iter()
            .map(|(other, sim, r)| {
                let without = (sum - sim * r) / (weight - sim + damping);
                (other, sim, with - without)
            })
            .collect()
    }

    /// Where each film appears in the others' lists, or `None` when a list is longer than the
    /// 64 ranks a `u64` can mark.
    pub fn appearances(&self) -> Option<Appearances> {
        let n = self.n_films();
        if FilmIndex::first(n).any(|at| self.of(at).len() > 64) {
            return None;
        }
        let mut lists: Vec<Vec<(FilmIndex, u8)>> = vec![Vec::new(); n];
        for at in FilmIndex::first(n) {
            for (rank, &(other, _)) in self.of(at).iter().enumerate() {
                if let Some(list) = other.get_mut(&mut lists) {
                    list.push((at, rank as u8));
                }
            }
        }
        let (starts, entries) = flatten(lists);
        Some(Appearances { starts, entries })
    }

    /// The same neighbours under a new numbering of films (`map[old]` is the new index, or
    /// `None` for a film that is gone).
    pub fn renumbered(&self, map: &[Option<FilmIndex>], n_new: usize) -> Self {
        from_lists(
            self.params,
            film_lists::renumbered(|at| self.of(at), map, n_new),
        )
    }
}

/// Neighbour lists turned inside out: for each film, the films whose lists hold it and at which
/// rank. A member rated a few hundred films; marking the lists those appear in lets each film's
/// correction read its one or two rated neighbours instead of scanning all fifty.
#[derive(Debug, Clone, PartialEq)]
pub struct Appearances {
    starts: Vec<u32>,
    /// (film whose list holds this one, rank in that list)
    entries: Vec<(FilmIndex, u8)>,
}

impl Appearances {
    /// Per film of `n_films`, bit `k` set when the `k`-th film of its neighbour list is in
    /// `rated`.
    pub fn rated_ranks(
        &self,
        rated: impl IntoIterator<Item = FilmIndex>,
        n_films: usize,
    ) -> Vec<u64> {
        let mut ranks = vec![0u64; n_films];
        for film in rated {
            let film = usize::from(film);
            let Some(range) = self.starts.get(film..film + 2) else {
                continue;
            };
            for &(holder, rank) in &self.entries[range[0] as usize..range[1] as usize] {
                if let Some(bits) = holder.get_mut(&mut ranks) {
                    *bits |= 1 << rank;
                }
            }
        }
        ranks
    }
}

fn from_lists(params: KnnParams, lists: Vec<Vec<(FilmIndex, f32)>>) -> Neighbours {
    let (starts, entries) = flatten(lists);
    Neighbours {
        params,
        starts,
        entries,
    }
}

/// The positions of the set bits of `bits`, lowest first.
fn set_bits(mut bits: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (bits != 0).then(|| {
            let k = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            k
        })
    })
}

/// Computes every film's neighbours from ratings centred on each member's mean.
pub fn train_neighbours(
    n_films: usize,
    ratings: &[CommunityRating],
    params: KnnParams,
) -> Neighbours {
    let n_members = ratings
        .iter()
        .map(|r| r.member as usize + 1)
        .max()
        .unwrap_or(0);
    let mut sums = vec![(0.0f64, 0u32); n_members];
    for r in ratings {
        let s = &mut sums[r.member as usize];
        s.0 += f64::from(r.stars);
        s.1 += 1;
    }
    let centred = |r: &CommunityRating| {
        let (sum, n) = sums[r.member as usize];
        r.stars - (sum / f64::from(n.max(1))) as f32
    };
    // Ratings by member and by film, as (other side, centred value).
    let by_member = group(n_members, ratings, |r| {
        (r.member, r.film.into(), centred(r))
    });
    let by_film = group(n_films, ratings, |r| (r.film.into(), r.member, centred(r)));
    let lists: Vec<Vec<(FilmIndex, f32)>> = (0..n_films)
        .into_par_iter()
        .map_init(
            || {
                (
                    vec![0.0f32; n_films],
                    vec![0.0f32; n_films],
                    vec![0.0f32; n_films],
                    vec![0u32; n_films],
                )
            },
            |(dot, own_sq, other_sq, common), film| {
                let mut touched = Vec::new();
                for &(member, x) in by_film.of(film) {
                    for &(other, y) in by_member.of(member as usize) {
                        let o = other as usize;
                        if o == film {
                            continue;
                        }
                        if common[o] == 0 {
                            touched.push(o);
                        }
                        dot[o] += x * y;
                        own_sq[o] += x * x;
                        other_sq[o] += y * y;
                        common[o] += 1;
                    }
                }
                let mut scored: Vec<(FilmIndex, f32)> = Vec::with_capacity(touched.len());
                for &o in &touched {
                    let denom = (own_sq[o] * other_sq[o]).sqrt();
                    if denom > 0.0 && dot[o] > 0.0 {
                        let n = common[o] as f32;
                        let sim = dot[o] / denom * n / (n + params.shrink);
                        scored.push((FilmIndex::new(o as u32), sim));
                    }
                    dot[o] = 0.0;
                    own_sq[o] = 0.0;
                    other_sq[o] = 0.0;
                    common[o] = 0;
                }
                let keep = params.neighbours.min(scored.len());
                if keep < scored.len() {
                    scored.select_nth_unstable_by(keep, |a, b| {
                        b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
                    });
                    scored.truncate(keep);
                }
                scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                scored
            },
        )
        .collect();
    from_lists(params, lists)
}

struct Grouped {
    starts: Vec<usize>,
    entries: Vec<(u32, f32)>,
}

impl Grouped {
    fn of(&self, at: usize) -> &[(u32, f32)] {
        &self.entries[self.starts[at]..self.starts[at + 1]]
    }
}

fn group(
    n: usize,
    ratings: &[CommunityRating],
    key: impl Fn(&CommunityRating) -> (u32, u32, f32),
) -> Grouped {
    let mut starts = vec![0usize; n + 1];
    for r in ratings {
        starts[key(r).0 as usize + 1] += 1;
    }
    for i in 0..n {
        starts[i + 1] += starts[i];
    }
    let mut fill = starts.clone();
    let mut entries = vec![(0u32, 0.0f32); ratings.len()];
    for r in ratings {
        let (own, other, value) = key(r);
        entries[fill[own as usize]] = (other, value);
        fill[own as usize] += 1;
    }
    Grouped { starts, entries }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{at, ats};
    use proptest::strategy::Strategy;

    fn rating(member: u32, film: u32, stars: f32) -> CommunityRating {
        CommunityRating {
            member,
            film: at(film),
            stars,
        }
    }

    /// Films 0 and 1 always agree; film 2 goes against them.
    fn ratings() -> Vec<CommunityRating> {
        let mut out = Vec::new();
        for member in 0..20u32 {
            let high = member % 2 == 0;
            let (a, b) = if high { (5.0, 1.0) } else { (1.0, 5.0) };
            out.push(rating(member, 0, a));
            out.push(rating(member, 1, a));
            out.push(rating(member, 2, b));
        }
        out
    }

    #[test]
    fn agreeing_films_are_neighbours_and_opposed_ones_are_not() {
        let params = KnnParams {
            neighbours: 5,
            shrink: 0.0,
            damping: 0.0,
        };
        let knn = train_neighbours(3, &ratings(), params);
        assert_eq!(knn.of(at(0)).len(), 1);
        assert_eq!(knn.of(at(0))[0].0, at(1));
        assert!((knn.of(at(0))[0].1 - 1.0).abs() < 1e-5);
        assert!(knn.of(at(2)).is_empty());
    }

    #[test]
    fn correction_averages_rated_neighbours_residuals_with_damping() {
        let knn = from_lists(
            KnnParams {
                neighbours: 2,
                shrink: 0.0,
                damping: 1.0,
            },
            vec![vec![(at(1), 0.5), (at(2), 1.0)], vec![], vec![]],
        );
        // Film 1 residual +1, film 2 unrated: 0.5 * 1 / (0.5 + 1).
        let residuals = [f32::NAN, 1.0, f32::NAN];
        assert!((knn.correction(&residuals, at(0)) - 1.0 / 3.0).abs() < 1e-6);
        assert_eq!(knn.correction(&residuals, at(1)), 0.0);
    }

    proptest::proptest! {
        #[test]
        fn marked_ranks_give_the_full_scan_to_the_bit(
            lists in proptest::collection::vec(
                proptest::collection::vec((0u32..40, 0.01f32..1.0).prop_map(|(o, s)| (at(o), s)), 0..12), 40),
            rated in proptest::collection::btree_map(0u32..40, -2.0f32..2.0, 0..25),
        ) {
            let knn = from_lists(KnnParams { neighbours: 12, shrink: 0.0, damping: 2.0 }, lists);
            let mut residuals = vec![f32::NAN; 40];
            for (&film, &r) in &rated {
                residuals[film as usize] = r;
            }
            let ranks = knn.appearances().unwrap().rated_ranks(ats(rated.keys().copied()), 40);
            for (film, &marks) in ats(0..40).into_iter().zip(&ranks) {
                let full = knn.correction(&residuals, film);
                let marked = knn.correction_of(&residuals, film, marks);
                proptest::prop_assert_eq!(full.to_bits(), marked.to_bits(), "film {}", film);
            }
        }
    }

    #[test]
    fn lists_longer_than_64_have_no_appearances() {
        let long = from_lists(
            KnnParams::default(),
            vec![(0..65).map(|o| (at(o), 0.5)).collect()],
        );
        assert!(long.appearances().is_none());
        let short = from_lists(
            KnnParams::default(),
            vec![(0..64).map(|o| (at(o), 0.5)).collect()],
        );
        assert!(short.appearances().is_some());
    }

    #[test]
    fn renumbering_follows_films_and_drops_the_gone() {
        let knn = train_neighbours(
            3,
            &ratings(),
            KnnParams {
                neighbours: 5,
                shrink: 0.0,
                damping: 0.0,
            },
        );
        // Old 0 -> new 1, old 1 -> new 0, old 2 gone.
        let moved = knn.renumbered(&[Some(at(1)), Some(at(0)), None], 2);
        assert_eq!(moved.of(at(1))[0].0, at(0));
        assert_eq!(moved.of(at(0))[0].0, at(1));
    }
}
