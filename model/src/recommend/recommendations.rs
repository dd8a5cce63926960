//! Ranked recommendations for one member or several at once.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::rank::{Scored, scored, scores_of, top_k};
use super::{Count, Filters, RecommendError, candidates};
use crate::catalog::{Catalog, FilmIndex};
use crate::domain::Profile;

/// Fewer ratings than this and a personalized model has nothing to learn from.
pub const MIN_RATINGS: usize = 5;
/// The most recommendations one request may ask for.
pub const MAX_LIMIT: usize = 500;
/// Recommendations returned when a request names no limit.
pub const DEFAULT_LIMIT: usize = 96;
/// How many films to recommend.
pub type Limit = Count<MAX_LIMIT>;
/// How deep each member's list goes before the lists of several members are intersected.
pub const MERGE_DEPTH: usize = 500;

/// One member taking part in a recommendation: what they have seen and what their trained model
/// scored.
#[derive(Clone, Copy)]
pub struct Member<'a> {
    pub profile: &'a Profile,
    /// The predicted rating of every catalog film, by catalog index.
    pub scores: &'a [f32],
    /// What to order the list by instead of the predicted rating (the match ranking's scores),
    /// by catalog index; `None` orders by `scores`. The predicted ratings reported stay `scores`.
    pub order: Option<&'a [f32]>,
}

/// A recommended film, best first in the returned list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    /// Index of the film in the catalog the recommendation was computed on.
    pub film: FilmIndex,
    /// Predicted rating in stars; for several members, the mean of their predictions.
    pub predicted_rating: f32,
    /// For several members, each member's prediction, in request order; empty for one member.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub member_predictions: Vec<f32>,
}

/// Recommends up to `limit` films, best first.
///
/// One member: every candidate (see [`candidates`]) ranked by the member's prediction. Several
/// members: each member's top [`MERGE_DEPTH`] candidates, the films present in every one of those
/// lists, ranked by the mean prediction. Ties break on Letterboxd average, then slug.
///
/// The members' ratings were counted before their models were trained
/// ([`ensure_enough_ratings`]); the filters and the limit were checked when they were parsed.
///
/// Errors: no members, scores that do not cover the catalog, and
/// [`RecommendError::NoCandidates`] when nothing is left (including when several members' lists
/// share no film).
pub fn recommend(
    members: &[Member<'_>],
    catalog: &Catalog,
    filters: &Filters,
    limit: Limit,
) -> Result<Vec<Recommendation>, RecommendError> {
    if members.is_empty() {
        return Err(RecommendError::NoMembers);
    }
    let limit = limit.get();
    let profiles: Vec<&Profile> = members.iter().map(|m| m.profile).collect();

    let films = candidates(catalog, &profiles, filters);
    if films.is_empty() {
        return Err(RecommendError::NoCandidates);
    }
    let predictions = members
        .iter()
        .map(|member| scores_of(member.scores, catalog, &films))
        .collect::<Result<Vec<_>, _>>()?;
    let orders = members
        .iter()
        .map(|member| {
            member
                .order
                .map(|order| scores_of(order, catalog, &films))
                .transpose()
        })
        .collect::<Result<Vec<_>, _>>()?;
    let orders: Vec<&Vec<f32>> = orders
        .iter()
        .zip(&predictions)
        .map(|(order, predicted)| order.as_ref().unwrap_or(predicted))
        .collect();

    let ranked = match (orders.as_slice(), predictions.as_slice()) {
        ([order], [predicted]) => top_k(catalog, scored(&films, order), limit)
            .into_iter()
            .map(|s| Recommendation {
                film: s.film,
                predicted_rating: predicted[s.pos],
                member_predictions: Vec::new(),
            })
            .collect(),
        _ => merge(catalog, &films, &orders, &predictions, limit),
    };
    if ranked.is_empty() {
        return Err(RecommendError::NoCandidates);
    }
    Ok(ranked)
}

/// Fails with the first member (by position) who has fewer than [`MIN_RATINGS`] ratings. The API
/// calls this before training anyone's model, so a hopeless request costs no training.
pub fn ensure_enough_ratings(profiles: &[&Profile]) -> Result<(), RecommendError> {
    match profiles
        .iter()
        .map(|p| p.ratings.len())
        .enumerate()
        .find(|&(_, have)| have < MIN_RATINGS)
    {
        Some((member, have)) => Err(RecommendError::NotEnoughRatings { member, have }),
        None => Ok(()),
    }
}

/// Keeps the films in every member's top [`MERGE_DEPTH`] by their order, ranked by the mean
/// order; reports the mean and each member's predicted rating.
fn merge(
    catalog: &Catalog,
    films: &[FilmIndex],
    orders: &[&Vec<f32>],
    predictions: &[Vec<f32>],
    limit: usize,
) -> Vec<Recommendation> {
    let mut hits: HashMap<usize, usize> = HashMap::new();
    for member in orders {
        for top in top_k(catalog, scored(films, member), MERGE_DEPTH) {
            *hits.entry(top.pos).or_default() += 1;
        }
    }
    let common: Vec<Scored> = hits
        .into_iter()
        .filter(|&(_, count)| count == orders.len())
        .map(|(pos, _)| Scored {
            pos,
            film: films[pos],
            score: mean(orders.iter().map(|member| member[pos])),
        })
        .collect();
    top_k(catalog, common, limit)
        .into_iter()
        .map(|s| Recommendation {
            film: s.film,
            predicted_rating: mean(predictions.iter().map(|member| member[s.pos])),
            member_predictions: predictions.iter().map(|member| member[s.pos]).collect(),
        })
        .collect()
}

pub(crate) fn mean(values: impl ExactSizeIterator<Item = f32>) -> f32 {
    let n = values.len();
    values.sum::<f32>() / n as f32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Film;
    use crate::recommend::testkit::{FnPredictor, by_film, catalog_of, profile, scores};

    const RATED: [&str; 5] = ["r1", "r2", "r3", "r4", "r5"];

    fn slugs(catalog: &Catalog, recs: &[Recommendation]) -> Vec<String> {
        recs.iter()
            .map(|r| catalog.film(r.film).key.to_string())
            .collect()
    }

    fn catalog_with(extra: &[&str]) -> Catalog {
        let names: Vec<&str> = RATED.iter().chain(extra).copied().collect();
        catalog_of(&names)
    }

    #[test]
    fn one_member_gets_unseen_films_best_first_up_to_the_limit() {
        let catalog = catalog_with(&["a", "b", "c", "d"]);
        let member = profile(&RATED, &["d"], &[]);
        let model = by_film(
            &scores(&[("a", 2.0), ("b", 4.5), ("c", 3.0), ("r1", 5.0)]),
            &catalog,
        );
        let recs = recommend(
            &[Member {
                profile: &member,
                scores: &model,
                order: None,
            }],
            &catalog,
            &Filters::default(),
            Limit::new(2).unwrap(),
        )
        .unwrap();
        assert_eq!(slugs(&catalog, &recs), ["b", "c"]);
        assert_eq!(recs[0].predicted_rating, 4.5);
        assert!(recs[0].member_predictions.is_empty());
    }

    #[test]
    fn too_few_ratings_name_the_member() {
        let enough = profile(&RATED, &[], &[]);
        let short = profile(&RATED[..4], &[], &[]);
        assert_eq!(
            ensure_enough_ratings(&[&enough, &short]),
            Err(RecommendError::NotEnoughRatings { member: 1, have: 4 })
        );
        assert_eq!(ensure_enough_ratings(&[&enough]), Ok(()));
    }

    #[test]
    fn nothing_left_is_no_candidates_not_an_empty_list() {
        let catalog = catalog_with(&["a"]);
        let member = profile(&RATED, &[], &["a"]);
        let model = by_film(&scores(&[]), &catalog);
        let members = [Member {
            profile: &member,
            scores: &model,
            order: None,
        }];
        assert_eq!(
            recommend(
                &members,
                &catalog,
                &Filters::default(),
                Limit::new(10).unwrap()
            ),
            Err(RecommendError::NoCandidates)
        );
        let unscorable = by_film(&FnPredictor(|_: &Film, _| f32::NAN), &catalog);
        let with_watchlist = Filters {
            include_watchlist: true,
            ..Filters::default()
        };
        let members = [Member {
            profile: &member,
            scores: &unscorable,
            order: None,
        }];
        assert_eq!(
            recommend(&members, &catalog, &with_watchlist, Limit::new(10).unwrap()),
            Err(RecommendError::NoCandidates)
        );
    }

    #[test]
    fn scores_not_covering_the_catalog_and_no_members_are_typed_errors() {
        let catalog = catalog_with(&["a", "b"]);
        let member = profile(&RATED, &[], &[]);
        let model = by_film(&scores(&[]), &catalog);
        let members = [Member {
            profile: &member,
            scores: &model,
            order: None,
        }];
        assert!(
            recommend(
                &members,
                &catalog,
                &Filters::default(),
                Limit::new(5).unwrap()
            )
            .is_ok()
        );
        let short = vec![3.0; catalog.len() - 1];
        let broken = [Member {
            profile: &member,
            scores: &short,
            order: None,
        }];
        assert_eq!(
            recommend(
                &broken,
                &catalog,
                &Filters::default(),
                Limit::new(5).unwrap()
            ),
            Err(RecommendError::Prediction(
                crate::recommend::PredictionMismatch {
                    expected: 7,
                    got: 6
                }
            ))
        );
        assert_eq!(
            recommend(&[], &catalog, &Filters::default(), Limit::new(5).unwrap()),
            Err(RecommendError::NoMembers)
        );
    }

    #[test]
    fn several_members_keep_films_in_every_top_list_ranked_by_mean() {
        // 600 candidates; each member's top 500 leaves out a different 100, so the intersection is
        // the 400 films both rank high, ranked by the mean of the two predictions.
        let names: Vec<String> = (0..600).map(|i| format!("f{i:03}")).collect();
        let mut all: Vec<&str> = RATED.to_vec();
        all.extend(names.iter().map(String::as_str));
        let catalog = catalog_of(&all);
        let first = profile(&RATED, &[], &[]);
        let second = profile(&RATED, &[], &[]);
        let number = |film: &Film| film.key.as_str()[1..].parse::<f32>().unwrap();
        // First member likes high numbers, the second low ones, with a steeper slope.
        let likes_high = by_film(
            &FnPredictor(move |film: &Film, _| number(film) / 600.0 * 4.0 + 0.5),
            &catalog,
        );
        let likes_low = by_film(
            &FnPredictor(move |film: &Film, _| 4.5 - number(film) / 600.0 * 2.0),
            &catalog,
        );
        let members = [
            Member {
                profile: &first,
                scores: &likes_high,
                order: None,
            },
            Member {
                profile: &second,
                scores: &likes_low,
                order: None,
            },
        ];
        let recs = recommend(
            &members,
            &catalog,
            &Filters::default(),
            Limit::new(MAX_LIMIT).unwrap(),
        )
        .unwrap();
        assert_eq!(recs.len(), 400, "films 100..=499 are in both top-500 lists");
        let got = slugs(&catalog, &recs);
        assert_eq!(got.first().map(String::as_str), Some("f499"));
        assert_eq!(got.last().map(String::as_str), Some("f100"));
        for rec in &recs {
            assert_eq!(rec.member_predictions.len(), 2);
            let mean = (rec.member_predictions[0] + rec.member_predictions[1]) / 2.0;
            assert!((rec.predicted_rating - mean).abs() < 1e-6);
        }
        assert!(
            recs.windows(2)
                .all(|w| w[0].predicted_rating >= w[1].predicted_rating)
        );
    }

    #[test]
    fn several_members_with_disjoint_top_lists_have_no_candidates() {
        let names: Vec<String> = (0..1_000).map(|i| format!("f{i:04}")).collect();
        let mut all: Vec<&str> = RATED.to_vec();
        all.extend(names.iter().map(String::as_str));
        let catalog = catalog_of(&all);
        let member = profile(&RATED, &[], &[]);
        let number = |film: &Film| film.key.as_str()[1..].parse::<f32>().unwrap();
        let up = by_film(&FnPredictor(move |film: &Film, _| number(film)), &catalog);
        let down = by_film(&FnPredictor(move |film: &Film, _| -number(film)), &catalog);
        let members = [
            Member {
                profile: &member,
                scores: &up,
                order: None,
            },
            Member {
                profile: &member,
                scores: &down,
                order: None,
            },
        ];
        assert_eq!(
            recommend(
                &members,
                &catalog,
                &Filters::default(),
                Limit::new(10).unwrap()
            ),
            Err(RecommendError::NoCandidates)
        );
    }

    #[test]
    fn several_members_exclude_films_either_has_seen() {
        let catalog = catalog_with(&["a", "b", "c"]);
        let first = profile(&RATED, &["a"], &[]);
        let mut second_rated = RATED.to_vec();
        second_rated[0] = "b";
        let second = profile(&second_rated, &[], &[]);
        let model = by_film(&scores(&[("a", 5.0), ("b", 5.0), ("c", 2.0)]), &catalog);
        let members = [
            Member {
                profile: &first,
                scores: &model,
                order: None,
            },
            Member {
                profile: &second,
                scores: &model,
                order: None,
            },
        ];
        let recs = recommend(
            &members,
            &catalog,
            &Filters::default(),
            Limit::new(10).unwrap(),
        )
        .unwrap();
        // r1 is unseen by the second member but seen by the first: still excluded.
        assert_eq!(slugs(&catalog, &recs), ["c"]);
    }

    #[test]
    fn an_order_ranks_the_list_while_the_predicted_ratings_stay_the_models() {
        let catalog = catalog_with(&["a", "b", "c"]);
        let member = profile(&RATED, &[], &[]);
        let predicted = by_film(&scores(&[("a", 4.5), ("b", 3.0), ("c", 2.0)]), &catalog);
        let order = by_film(&scores(&[("a", 0.1), ("b", 0.9), ("c", 0.5)]), &catalog);
        let recs = recommend(
            &[Member {
                profile: &member,
                scores: &predicted,
                order: Some(&order),
            }],
            &catalog,
            &Filters::default(),
            Limit::new(3).unwrap(),
        )
        .unwrap();
        assert_eq!(slugs(&catalog, &recs), ["b", "c", "a"]);
        let stars: Vec<f32> = recs.iter().map(|r| r.predicted_rating).collect();
        assert_eq!(stars, [3.0, 2.0, 4.5]);
    }
}
