//! Picks from one or several members' watchlists: at random (seeded, reproducible) or ranked by
//! the members' models.

use std::collections::{HashMap, HashSet};

use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use serde::{Deserialize, Serialize};

use super::rank::{Scored, scored, scores_of, top_k};
use super::recommendations::mean;
use super::{Count, Filters, WatchlistError};
use crate::catalog::{Catalog, FilmIndex};
use crate::domain::FilmKey;

/// The most picks one request may ask for.
pub const MAX_PICKS: usize = 96;
/// Picks returned when a request names no count.
pub const DEFAULT_PICKS: usize = 12;
/// How many films to pick.
pub type PickCount = Count<MAX_PICKS>;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PickMode {
    #[default]
    Random,
    Ranked,
}

/// How to choose from the pool.
#[derive(Clone, Copy)]
pub enum Picking<'a> {
    /// Uniformly without replacement; the same seed and pool give the same picks in the same order.
    Random { seed: u64 },
    /// By the mean of the members' `order` (the match ranking's scores) when given, else by the
    /// mean of their `scores` (predicted ratings): one list of every catalog film (by catalog
    /// index) per watchlist, in the same order. The reported predictions are always `scores`.
    Ranked {
        scores: &'a [&'a [f32]],
        order: Option<&'a [&'a [f32]]>,
    },
}

/// One picked film. Watchlists can hold films the catalog does not know yet: those are picked by
/// slug, with `film` null.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WatchlistPick {
    pub key: FilmKey,
    /// Index in the catalog, when the catalog knows the film.
    pub film: Option<FilmIndex>,
    /// Ranked mode only: the (mean) predicted rating; null for a film the models cannot score.
    pub predicted_rating: Option<f32>,
    /// Ranked mode with several members: each member's prediction, in request order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub member_predictions: Vec<f32>,
    /// The watchlists that hold the film, by position in the request, ascending.
    #[serde(default)]
    pub holders: Vec<usize>,
}

/// A film of the pool and the watchlists that hold it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolFilm {
    pub key: FilmKey,
    /// Positions of the watchlists holding the film, ascending.
    pub holders: Vec<usize>,
}

/// Which films of the watchlists may be picked.
#[derive(Debug, Clone, Copy)]
pub struct PoolRule<'a> {
    /// A film must be on at least this many watchlists (1 is the union; the number of watchlists,
    /// the overlap). Clamped to 1..=watchlists.
    pub min_members: usize,
    /// Films the catalog knows must pass these; films it does not know pass only filters that
    /// narrow nothing (see [`Filters::narrows_films`]).
    pub filters: &'a Filters,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WatchlistPicks {
    pub mode: PickMode,
    /// The seed used in random mode, so a client can ask for the same picks again.
    pub seed: Option<u64>,
    /// Distinct films the picks were drawn from.
    pub pool_size: usize,
    pub picks: Vec<WatchlistPick>,
}

/// The films on at least `min_members` of `watchlists` (clamped to 1..=watchlists), each once, in
/// the order they are first met reading the watchlists in turn (for the overlap of all of them,
/// the first watchlist's order), with the watchlists that hold each.
pub fn watchlist_pool(
    watchlists: &[&[FilmKey]],
    min_members: usize,
) -> Result<Vec<PoolFilm>, WatchlistError> {
    if watchlists.is_empty() {
        return Err(WatchlistError::NoMembers);
    }
    if let Some(member) = watchlists.iter().position(|w| w.is_empty()) {
        return Err(WatchlistError::WatchlistEmpty { member });
    }
    let min_members = min_members.clamp(1, watchlists.len());
    let mut order: Vec<&FilmKey> = Vec::new();
    let mut holders: HashMap<&FilmKey, Vec<usize>> = HashMap::new();
    for (at, list) in watchlists.iter().enumerate() {
        for key in list.iter() {
            let held = holders.entry(key).or_insert_with(|| {
                order.push(key);
                Vec::new()
            });
            if held.last() != Some(&at) {
                held.push(at);
            }
        }
    }
    let pool: Vec<PoolFilm> = order
        .into_iter()
        .filter_map(|key| {
            let held = holders.remove(key)?;
            (held.len() >= min_members).then(|| PoolFilm {
                key: key.clone(),
                holders: held,
            })
        })
        .collect();
    if pool.is_empty() {
        return Err(WatchlistError::NoOverlap);
    }
    Ok(pool)
}

/// The pool under `rule`: [`watchlist_pool`], then the filters; empty after the filters is
/// [`WatchlistError::NoCandidates`].
pub fn filtered_pool(
    watchlists: &[&[FilmKey]],
    catalog: &Catalog,
    rule: PoolRule<'_>,
) -> Result<Vec<PoolFilm>, WatchlistError> {
    let pool = watchlist_pool(watchlists, rule.min_members)?;
    let narrows = rule.filters.narrows_films();
    let filter = rule.filters.compile(catalog.popularity());
    let kept: Vec<PoolFilm> = pool
        .into_iter()
        .filter(|film| match catalog.index_of(&film.key) {
            Some(at) => filter.matches(catalog.film(at)),
            None => !narrows,
        })
        .collect();
    if kept.is_empty() {
        return Err(WatchlistError::NoCandidates);
    }
    Ok(kept)
}

/// Up to `count` picks from the pool of `watchlists` under `rule` (see [`filtered_pool`]).
///
/// Ranked mode ranks the pool films the catalog knows, best first (ties on Letterboxd average,
/// then slug), and then, if `count` is not reached, adds the films it cannot score (not in the
/// catalog, or a non-finite prediction) in pool order with a null prediction: they are still on
/// the members' watchlists, just not rankable.
pub fn pick_from_watchlists(
    watchlists: &[&[FilmKey]],
    catalog: &Catalog,
    rule: PoolRule<'_>,
    picking: Picking<'_>,
    count: PickCount,
) -> Result<WatchlistPicks, WatchlistError> {
    let count = count.get();
    if let Picking::Ranked { scores, order } = picking {
        let lists = order.map_or(scores.len(), |order| order.len().min(scores.len()));
        if scores.len() != watchlists.len() || lists != watchlists.len() {
            return Err(WatchlistError::MissingScores {
                watchlists: watchlists.len(),
                scores: lists,
            });
        }
    }
    let pool = filtered_pool(watchlists, catalog, rule)?;
    let (mode, seed, picks) = match picking {
        Picking::Random { seed } => (
            PickMode::Random,
            Some(seed),
            random_picks(&pool, catalog, seed, count),
        ),
        Picking::Ranked { scores, order } => (
            PickMode::Ranked,
            None,
            ranked_picks(&pool, catalog, scores, order, count)?,
        ),
    };
    Ok(WatchlistPicks {
        mode,
        seed,
        pool_size: pool.len(),
        picks,
    })
}

fn unscored(film: &PoolFilm, catalog: &Catalog) -> WatchlistPick {
    WatchlistPick {
        key: film.key.clone(),
        film: catalog.index_of(&film.key),
        predicted_rating: None,
        member_predictions: Vec::new(),
        holders: film.holders.clone(),
    }
}

fn random_picks(
    pool: &[PoolFilm],
    catalog: &Catalog,
    seed: u64,
    count: usize,
) -> Vec<WatchlistPick> {
    // ChaCha is portable and stable across platforms, so a seed means the same picks anywhere.
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    rand::seq::index::sample(&mut rng, pool.len(), count.min(pool.len()))
        .into_iter()
        .map(|at| unscored(&pool[at], catalog))
        .collect()
}

fn ranked_picks(
    pool: &[PoolFilm],
    catalog: &Catalog,
    scores: &[&[f32]],
    order: Option<&[&[f32]]>,
    count: usize,
) -> Result<Vec<WatchlistPick>, WatchlistError> {
    let known: Vec<(FilmIndex, &PoolFilm)> = pool
        .iter()
        .filter_map(|p| catalog.index_of(&p.key).map(|at| (at, p)))
        .collect();
    let holders: HashMap<FilmIndex, &[usize]> =
        known.iter().map(|(at, p)| (*at, &p.holders[..])).collect();
    let films: Vec<FilmIndex> = known.iter().map(|(at, _)| *at).collect();
    let predictions = scores
        .iter()
        .map(|by_film| scores_of(by_film, catalog, &films))
        .collect::<Result<Vec<_>, _>>()?;
    let means = mean_by_film(&predictions, films.len());
    // A film ranks when both its order and its prediction are finite: a pick always shows stars.
    let order_means = match order {
        Some(order) => {
            let orders = order
                .iter()
                .map(|by_film| scores_of(by_film, catalog, &films))
                .collect::<Result<Vec<_>, _>>()?;
            mean_by_film(&orders, films.len())
                .into_iter()
                .zip(&means)
                .map(|(o, p)| if p.is_finite() { o } else { f32::NAN })
                .collect()
        }
        None => means.clone(),
    };
    let ranked: Vec<Scored> = top_k(catalog, scored(&films, &order_means), count);
    let ranked_films: HashSet<FilmIndex> = ranked.iter().map(|s| s.film).collect();
    let several = scores.len() > 1;
    let mut picks: Vec<WatchlistPick> = ranked
        .iter()
        .map(|s| WatchlistPick {
            key: catalog.film(s.film).key.clone(),
            film: Some(s.film),
            predicted_rating: Some(means[s.pos]),
            member_predictions: if several {
                predictions.iter().map(|member| member[s.pos]).collect()
            } else {
                Vec::new()
            },
            holders: holders.get(&s.film).map_or_else(Vec::new, |h| h.to_vec()),
        })
        .collect();
    // Fewer ranked than `count` means every scorable film is ranked, so what is left is the
    // unscorable rest; a full ranked list leaves no room and takes nothing.
    let rest = pool
        .iter()
        .filter(|film| {
            !catalog
                .index_of(&film.key)
                .is_some_and(|at| ranked_films.contains(&at))
        })
        .map(|film| unscored(film, catalog));
    picks.extend(rest.take(count - picks.len()));
    Ok(picks)
}

/// The mean over members of each film's value, by position.
fn mean_by_film(members: &[Vec<f32>], films: usize) -> Vec<f32> {
    (0..films)
        .map(|pos| mean(members.iter().map(|member| member[pos])))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recommend::testkit::{by_film, catalog_of, scores, slug};

    fn slugs(names: &[&str]) -> Vec<FilmKey> {
        names.iter().map(|n| slug(n)).collect()
    }

    fn keys(pool: &[PoolFilm]) -> Vec<FilmKey> {
        pool.iter().map(|p| p.key.clone()).collect()
    }

    const ALL: usize = usize::MAX;

    fn rule(min_members: usize) -> PoolRule<'static> {
        static NONE: std::sync::LazyLock<Filters> = std::sync::LazyLock::new(Filters::default);
        PoolRule {
            min_members,
            filters: &NONE,
        }
    }

    fn picked(picks: &WatchlistPicks) -> Vec<&str> {
        picks.picks.iter().map(|p| p.key.as_str()).collect()
    }

    #[test]
    fn overlap_is_the_intersection_in_first_watchlist_order() {
        let a = slugs(&["x", "y", "z", "w"]);
        let b = slugs(&["w", "z", "q"]);
        let c = slugs(&["z", "w", "x"]);
        let pool = watchlist_pool(&[&a, &b, &c], ALL).unwrap();
        assert_eq!(keys(&pool), slugs(&["z", "w"]));
        assert_eq!(pool[0].holders, [0, 1, 2]);
    }

    #[test]
    fn union_has_no_duplicates() {
        let a = slugs(&["x", "y", "x"]);
        let b = slugs(&["y", "z"]);
        assert_eq!(
            keys(&watchlist_pool(&[&a, &b], 1).unwrap()),
            slugs(&["x", "y", "z"])
        );
    }

    #[test]
    fn empty_watchlists_and_empty_overlaps_are_typed_errors() {
        let a = slugs(&["x"]);
        let b = slugs(&["y"]);
        let empty: Vec<FilmKey> = Vec::new();
        assert_eq!(
            watchlist_pool(&[&a, &empty], 1),
            Err(WatchlistError::WatchlistEmpty { member: 1 })
        );
        assert_eq!(
            watchlist_pool(&[&a, &b], ALL),
            Err(WatchlistError::NoOverlap)
        );
        assert_eq!(watchlist_pool(&[], ALL), Err(WatchlistError::NoMembers));
    }

    #[test]
    fn random_picks_are_reproducible_and_seed_dependent() {
        let catalog = catalog_of(&["f0"]);
        let names: Vec<String> = (0..60).map(|i| format!("f{i}")).collect();
        let list: Vec<FilmKey> = names.iter().map(|n| slug(n)).collect();
        let pick = |seed| {
            pick_from_watchlists(
                &[&list],
                &catalog,
                rule(1),
                Picking::Random { seed },
                PickCount::new(10).unwrap(),
            )
            .unwrap()
        };
        let first = pick(7);
        assert_eq!(first, pick(7));
        assert_eq!(first.seed, Some(7));
        assert_eq!(first.pool_size, 60);
        assert_ne!(picked(&first), picked(&pick(8)));
        let distinct: HashSet<&str> = picked(&first).into_iter().collect();
        assert_eq!(distinct.len(), 10);
        // Films outside the catalog are pickable by slug; the one catalog film carries its index.
        assert!(
            first
                .picks
                .iter()
                .all(|p| p.film.is_none() == (p.key.as_str() != "f0"))
        );
    }

    #[test]
    fn random_picks_stop_at_the_pool_size() {
        let catalog = catalog_of(&[]);
        let list = slugs(&["a", "b", "c"]);
        let all = pick_from_watchlists(
            &[&list],
            &catalog,
            rule(ALL),
            Picking::Random { seed: 1 },
            PickCount::new(96).unwrap(),
        )
        .unwrap();
        let mut got = picked(&all);
        got.sort_unstable();
        assert_eq!(got, ["a", "b", "c"]);
    }

    #[test]
    fn ranked_picks_use_the_mean_and_put_unknown_films_last() {
        let catalog = catalog_of(&["a", "b", "c"]);
        let first = slugs(&["missing", "a", "b", "c"]);
        let second = slugs(&["c", "b", "a", "missing"]);
        let likes_a = by_film(&scores(&[("a", 5.0), ("b", 3.0), ("c", 1.0)]), &catalog);
        let likes_c = by_film(&scores(&[("a", 1.0), ("b", 4.0), ("c", 4.0)]), &catalog);
        let members: [&[f32]; 2] = [&likes_a, &likes_c];
        let picks = pick_from_watchlists(
            &[&first, &second],
            &catalog,
            rule(ALL),
            Picking::Ranked {
                scores: &members,
                order: None,
            },
            PickCount::new(4).unwrap(),
        )
        .unwrap();
        assert_eq!(picked(&picks), ["b", "a", "c", "missing"]);
        assert_eq!(picks.picks[0].predicted_rating, Some(3.5));
        assert_eq!(picks.picks[0].member_predictions, [3.0, 4.0]);
        assert_eq!(picks.picks[3].predicted_rating, None);
        assert_eq!(picks.picks[3].film, None);
        let top_two = pick_from_watchlists(
            &[&first, &second],
            &catalog,
            rule(ALL),
            Picking::Ranked {
                scores: &members,
                order: None,
            },
            PickCount::new(2).unwrap(),
        )
        .unwrap();
        assert_eq!(picked(&top_two), ["b", "a"]);
    }

    #[test]
    fn ranked_picks_follow_the_order_and_still_report_predicted_ratings() {
        let catalog = catalog_of(&["a", "b", "c"]);
        let list = slugs(&["a", "b", "c"]);
        let predicted = by_film(&scores(&[("a", 4.5), ("b", 3.0), ("c", 4.0)]), &catalog);
        // The match order puts b first although its predicted rating is the lowest (by
        // prediction the order would be a, c, b); c's order is the test kit's default, 1.
        let order = by_film(&scores(&[("a", 1.5), ("b", 2.0)]), &catalog);
        let scores_in: [&[f32]; 1] = [&predicted];
        let order_in: [&[f32]; 1] = [&order];
        let picks = pick_from_watchlists(
            &[&list],
            &catalog,
            rule(ALL),
            Picking::Ranked {
                scores: &scores_in,
                order: Some(&order_in),
            },
            PickCount::new(3).unwrap(),
        )
        .unwrap();
        assert_eq!(picked(&picks), ["b", "a", "c"]);
        assert_eq!(picks.picks[0].predicted_rating, Some(3.0));
        assert_eq!(picks.picks[1].predicted_rating, Some(4.5));
        assert_eq!(picks.picks[2].predicted_rating, Some(4.0));
        let none: [&[f32]; 0] = [];
        assert_eq!(
            pick_from_watchlists(
                &[&list],
                &catalog,
                rule(ALL),
                Picking::Ranked {
                    scores: &scores_in,
                    order: Some(&none),
                },
                PickCount::new(3).unwrap()
            ),
            Err(WatchlistError::MissingScores {
                watchlists: 1,
                scores: 0
            })
        );
    }

    #[test]
    fn ranked_picks_need_every_film_scored_for_every_watchlist() {
        let catalog = catalog_of(&["a", "b"]);
        let list = slugs(&["a", "b"]);
        let model = by_film(&scores(&[]), &catalog);
        let one: [&[f32]; 1] = [&model];
        assert_eq!(
            pick_from_watchlists(
                &[&list, &list],
                &catalog,
                rule(ALL),
                Picking::Ranked {
                    scores: &one,
                    order: None,
                },
                PickCount::new(5).unwrap()
            ),
            Err(WatchlistError::MissingScores {
                watchlists: 2,
                scores: 1
            })
        );
        let short = [3.0];
        let broken: [&[f32]; 1] = [&short];
        assert!(matches!(
            pick_from_watchlists(
                &[&list],
                &catalog,
                rule(ALL),
                Picking::Ranked {
                    scores: &broken,
                    order: None,
                },
                PickCount::new(5).unwrap()
            ),
            Err(WatchlistError::Prediction(_))
        ));
    }

    #[test]
    fn k_of_n_keeps_films_on_at_least_k_watchlists_and_says_whose() {
        let a = slugs(&["x", "y", "z"]);
        let b = slugs(&["y", "z", "w"]);
        let c = slugs(&["z", "w", "v", "v"]);
        let two = watchlist_pool(&[&a, &b, &c], 2).unwrap();
        assert_eq!(keys(&two), slugs(&["y", "z", "w"]));
        let holders: Vec<&[usize]> = two.iter().map(|p| &p.holders[..]).collect();
        assert_eq!(holders, [&[0, 1][..], &[0, 1, 2], &[1, 2]]);
        assert_eq!(
            keys(&watchlist_pool(&[&a, &b, &c], 3).unwrap()),
            slugs(&["z"])
        );
        assert_eq!(
            watchlist_pool(&[&a, &b, &c], 0).unwrap().len(),
            5,
            "0 is clamped to 1"
        );
        assert_eq!(
            watchlist_pool(&[&a, &slugs(&["q"])], 2),
            Err(WatchlistError::NoOverlap)
        );
    }

    #[test]
    fn filters_narrow_the_pool_and_unknown_films_pass_only_no_filter() {
        let mut catalog_films: Vec<crate::Film> = ["old", "new"]
            .iter()
            .map(|n| crate::recommend::testkit::film(n))
            .collect();
        catalog_films[0].year = Some(1950);
        catalog_films[1].year = Some(2020);
        let catalog = Catalog::from_films(catalog_films);
        let list = slugs(&["old", "new", "missing"]);
        let recent = Filters {
            years: crate::recommend::RangeFilter::new(Some(2000), None).unwrap(),
            ..Filters::default()
        };
        let rule = PoolRule {
            min_members: 1,
            filters: &recent,
        };
        assert_eq!(
            keys(&filtered_pool(&[&list], &catalog, rule).unwrap()),
            slugs(&["new"])
        );
        let picks = pick_from_watchlists(
            &[&list],
            &catalog,
            rule,
            Picking::Random { seed: 3 },
            PickCount::new(5).unwrap(),
        )
        .unwrap();
        assert_eq!((picked(&picks), picks.pool_size), (vec!["new"], 1));
        assert_eq!(picks.picks[0].holders, [0]);
        let none = Filters {
            years: crate::recommend::RangeFilter::new(Some(2100), None).unwrap(),
            ..Filters::default()
        };
        assert_eq!(
            filtered_pool(
                &[&list],
                &catalog,
                PoolRule {
                    min_members: 1,
                    filters: &none
                }
            ),
            Err(WatchlistError::NoCandidates)
        );
        assert_eq!(
            keys(&filtered_pool(&[&list], &catalog, super::tests::rule(1)).unwrap()).len(),
            3
        );
    }
}
