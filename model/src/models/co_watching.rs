//! Which films are watched together, whatever their ratings: for each film, the films the same
//! community members rated (implicit feedback), by an asymmetric cosine of the co-watching counts.
//! A member who watched `i` is likely to watch `i`'s neighbours; summed over their films, this is
//! the chance part of a ranking (`recommend::MatchRanking`).

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::collab::CommunityRating;
use super::film_lists::{self, flatten};
use crate::catalog::FilmIndex;

/// How co-watching neighbours are computed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CoWatchingParams {
    /// Neighbours kept per film.
    pub neighbours: usize,
    /// `sim(i, j) = both / (watched(i)^a * watched(j)^(1 - a))`: below 0.5 a popular neighbour
    /// `j` counts for less than in a plain cosine, which keeps lists from collapsing onto the
    /// most popular films.
    pub asymmetry: f32,
}

impl Default for CoWatchingParams {
    /// Tuned with the match ranking on dev members 300..600 of letterboxd-1m (docs/models.md).
    fn default() -> Self {
        Self {
            neighbours: 100,
            asymmetry: 0.35,
        }
    }
}

/// Each film's co-watching neighbours with their similarity, strongest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoWatching {
    pub params: CoWatchingParams,
    /// `starts[i]..starts[i + 1]` indexes film `i`'s neighbours in `entries`.
    pub starts: Vec<u32>,
    pub entries: Vec<(FilmIndex, f32)>,
}

impl CoWatching {
    pub fn n_films(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    pub fn of(&self, at: FilmIndex) -> &[(FilmIndex, f32)] {
        film_lists::list_of(&self.starts, &self.entries, at)
    }

    /// Per catalog film, the summed similarity from the films in `watched`: how strongly the
    /// community's co-watching points from what the member saw to each film.
    pub fn affinity(
        &self,
        watched: impl IntoIterator<Item = FilmIndex>,
        n_films: usize,
    ) -> Vec<f32> {
        let mut sums = vec![0.0f32; n_films];
        for at in watched {
            for &(other, sim) in self.of(at) {
                if let Some(sum) = other.get_mut(&mut sums) {
                    *sum += sim;
                }
            }
        }
        sums
    }

    /// The same lists under a new numbering of films (`map[old]` is the new index, or `None` for
    /// a film that is gone).
    pub fn renumbered(&self, map: &[Option<FilmIndex>], n_new: usize) -> Self {
        from_lists(
            self.params,
            film_lists::renumbered(|at| self.of(at), map, n_new),
        )
    }
}

fn from_lists(params: CoWatchingParams, lists: Vec<Vec<(FilmIndex, f32)>>) -> CoWatching {
    let (starts, entries) = flatten(lists);
    CoWatching {
        params,
        starts,
        entries,
    }
}

/// Counts, for every film, how many members watched it with each other film, and keeps the
/// strongest neighbours.
pub fn train_co_watching(
    n_films: usize,
    ratings: &[CommunityRating],
    params: CoWatchingParams,
) -> CoWatching {
    let n_members = ratings
        .iter()
        .map(|r| r.member as usize + 1)
        .max()
        .unwrap_or(0);
    let mut by_member: Vec<Vec<u32>> = vec![Vec::new(); n_members];
    let mut by_film: Vec<Vec<u32>> = vec![Vec::new(); n_films];
    for r in ratings {
        let film = u32::from(r.film);
        if (film as usize) < n_films {
            by_member[r.member as usize].push(film);
            by_film[film as usize].push(r.member);
        }
    }
    // A member who rated a film twice watched it once.
    for films in &mut by_member {
        films.sort_unstable();
        films.dedup();
    }
    let watched: Vec<f32> = by_film
        .iter_mut()
        .map(|members| {
            members.sort_unstable();
            members.dedup();
            members.len() as f32
        })
        .collect();
    let a = params.asymmetry;
    let lists: Vec<Vec<(FilmIndex, f32)>> = (0..n_films)
        .into_par_iter()
        .map_init(
            || vec![0u32; n_films],
            |both, film| {
                let mut touched = Vec::new();
                for &member in &by_film[film] {
                    for &other in &by_member[member as usize] {
                        let o = other as usize;
                        if o == film {
                            continue;
                        }
                        if both[o] == 0 {
                            touched.push(o);
                        }
                        both[o] += 1;
                    }
                }
                let own = watched[film].powf(a);
                let mut scored: Vec<(FilmIndex, f32)> = touched
                    .iter()
                    .map(|&o| {
                        let sim = both[o] as f32 / (own * watched[o].powf(1.0 - a));
                        both[o] = 0;
                        (FilmIndex::new(o as u32), sim)
                    })
                    .collect();
                let order = |x: &(FilmIndex, f32), y: &(FilmIndex, f32)| {
                    y.1.total_cmp(&x.1).then(x.0.cmp(&y.0))
                };
                let keep = params.neighbours.min(scored.len());
                if keep < scored.len() {
                    scored.select_nth_unstable_by(keep, order);
                    scored.truncate(keep);
                }
                scored.sort_by(order);
                scored
            },
        )
        .collect();
    from_lists(params, lists)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::at;

    fn watched(member: u32, films: &[u32]) -> Vec<CommunityRating> {
        films
            .iter()
            .map(|&f| CommunityRating {
                member,
                film: at(f),
                stars: 1.0,
            })
            .collect()
    }

    #[test]
    fn cosine_of_co_watching_counts_by_hand() {
        // Film 0 watched by members 0, 1, 2; film 1 by 0, 1; film 2 by 2, 3; film 3 by 3.
        let ratings: Vec<CommunityRating> = [
            watched(0, &[0, 1]),
            watched(1, &[0, 1]),
            watched(2, &[0, 2]),
            watched(3, &[2, 3]),
        ]
        .concat();
        let plain = CoWatchingParams {
            neighbours: 10,
            asymmetry: 0.5,
        };
        let lists = train_co_watching(4, &ratings, plain);
        // 0-1: 2 / sqrt(3 * 2); 0-2: 1 / sqrt(3 * 2); never 0-3.
        let expected = [(at(1), 2.0 / 6f32.sqrt()), (at(2), 1.0 / 6f32.sqrt())];
        assert_eq!(lists.of(at(0)).len(), 2);
        for (got, want) in lists.of(at(0)).iter().zip(expected) {
            assert_eq!(got.0, want.0);
            assert!((got.1 - want.1).abs() < 1e-6);
        }
        // Asymmetry 0: divided by the neighbour's count alone. From film 2: 0 (3 watchers) gets
        // 1 / 3, film 3 (1 watcher) gets 1 / 1.
        let by_neighbour = train_co_watching(
            4,
            &ratings,
            CoWatchingParams {
                asymmetry: 0.0,
                ..plain
            },
        );
        assert_eq!(by_neighbour.of(at(2)), &[(at(3), 1.0), (at(0), 1.0 / 3.0)]);
    }

    #[test]
    fn keeps_the_strongest_and_sums_affinity_over_watched_films() {
        let ratings: Vec<CommunityRating> = [
            watched(0, &[0, 1, 2]),
            watched(1, &[0, 1]),
            watched(2, &[3]),
        ]
        .concat();
        let lists = train_co_watching(
            4,
            &ratings,
            CoWatchingParams {
                neighbours: 1,
                asymmetry: 0.5,
            },
        );
        // Film 0's strongest neighbour is film 1 (two members), film 2 (one) is cut.
        assert_eq!(lists.of(at(0)).len(), 1);
        assert_eq!(lists.of(at(0))[0].0, at(1));
        // Film 2's neighbours 0 and 1 tie (1 / sqrt(1 * 2)); the lower index stays.
        assert_eq!(lists.of(at(2)).len(), 1);
        assert_eq!(lists.of(at(2))[0].0, at(0));
        let affinity = lists.affinity([at(0), at(2)], 4);
        // Film 1 from film 0 (2 / sqrt(2 * 2) = 1); film 0 from film 2.
        assert!((affinity[1] - 1.0).abs() < 1e-6);
        assert!((affinity[0] - 1.0 / 2f32.sqrt()).abs() < 1e-6);
        assert_eq!(affinity[3], 0.0);
    }

    #[test]
    fn renumbering_follows_the_films() {
        let ratings: Vec<CommunityRating> = [watched(0, &[0, 1]), watched(1, &[0, 1])].concat();
        let lists = train_co_watching(2, &ratings, CoWatchingParams::default());
        let moved = lists.renumbered(&[Some(at(2)), Some(at(0))], 3);
        assert_eq!(moved.of(at(2)), &[(at(0), lists.of(at(0))[0].1)]);
        assert_eq!(moved.of(at(0))[0].0, at(2));
        assert!(moved.of(at(1)).is_empty());
    }
}
