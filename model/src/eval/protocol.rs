//! Scores one model over a set of members: each member's model is trained on their train rows and
//! predicts the whole catalog (as serving does); the test rows are read from that, and the
//! catalog is ranked for the top-N protocol.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use serde::Serialize;

use super::metrics::{accuracy, mae, ndcg_at, rmse, spearman};
use super::top_n::{
    LIST_LENGTH, RELEVANT_FROM, TopList, TopNFigures, rating_counts, summarize_top_n, top_unseen,
};
use crate::catalog::{Catalog, FilmIndex};
use crate::models::{ModelError, Personalizer, RatedFilm};

/// Members with fewer train ratings are not scored.
pub const MIN_TRAIN_RATINGS: usize = 5;

/// NDCG is cut at this many films.
const NDCG_AT: usize = 10;

/// One member's ratings, by catalog index: what a model may read, and what it is scored on.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MemberSplit {
    pub train: Vec<RatedFilm>,
    pub test: Vec<RatedFilm>,
}

impl MemberSplit {
    /// Whether the protocol scores this member's rating predictions.
    pub fn is_scored(&self) -> bool {
        self.train.len() >= MIN_TRAIN_RATINGS && !self.test.is_empty()
    }

    /// The test films the member loved: what a top-N list should find.
    pub fn relevant(&self) -> Vec<FilmIndex> {
        self.test
            .iter()
            .filter(|&&(_, stars)| stars >= RELEVANT_FROM)
            .map(|&(at, _)| at)
            .collect()
    }

    /// Whether the top-N protocol scores this member: enough train ratings and a loved test film.
    pub fn is_ranked(&self) -> bool {
        self.train.len() >= MIN_TRAIN_RATINGS && !self.relevant().is_empty()
    }

    /// The member's list under `scores` (one per catalog film), or `None` when not ranked.
    fn top_list(&self, scores: &[f32]) -> Option<TopList> {
        if !self.is_ranked() {
            return None;
        }
        let seen: Vec<FilmIndex> = self.train.iter().map(|&(at, _)| at).collect();
        Some(TopList {
            films: top_unseen(scores, &seen, LIST_LENGTH),
            relevant: self.relevant(),
        })
    }
}

/// How a row orders the catalog for a member, given the member's predicted rating of every
/// catalog film (by catalog index) and their train rows.
pub trait Ranker: Sync {
    fn scores(&self, predicted: &[f32], train: &[RatedFilm]) -> Vec<f32>;
}

/// The model's own order: by predicted rating.
#[derive(Debug, Clone, Copy, Default)]
pub struct ByPrediction;

impl Ranker for ByPrediction {
    fn scores(&self, predicted: &[f32], _: &[RatedFilm]) -> Vec<f32> {
        predicted.to_vec()
    }
}

/// One member's predictions for their test films, their top-N list (when ranked), and how long
/// train + predict (+ ranking) took.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberOutcome {
    pub predicted: Vec<f32>,
    pub actual: Vec<f32>,
    pub millis: f64,
    pub top: Option<TopList>,
}

/// The rating protocol's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RatingFigures {
    pub rmse: f64,
    pub mae: f64,
    pub accuracy: f64,
    pub spearman: f64,
    pub ndcg10: f64,
    #[serde(skip)]
    pub members: usize,
    #[serde(skip)]
    pub test_ratings: usize,
}

/// A row's figures on the protocol. Reference rows that only order films (most popular, best
/// average) predict no rating and have no rating figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub name: String,
    #[serde(flatten)]
    pub ratings: Option<RatingFigures>,
    #[serde(flatten)]
    pub top_n: TopNFigures,
    pub median_ms: f64,
}

/// Trains `model` on the member's train rows, predicts every catalog film, keeps the test films'
/// predictions, and lists the member's top films under each of `rankers`. Each outcome's time
/// covers training, the whole-catalog prediction and its ranker.
pub fn score_member(
    catalog: &Catalog,
    model: &dyn Personalizer,
    member: &MemberSplit,
    all_films: &[FilmIndex],
    rankers: &[&dyn Ranker],
) -> Result<Vec<MemberOutcome>, ModelError> {
    let started = Instant::now();
    let predictor = model.fit(catalog, &member.train)?;
    let everything = predictor.predict(catalog, all_films);
    let fitted = started.elapsed().as_secs_f64() * 1e3;
    let predicted: Vec<f32> = member
        .test
        .iter()
        .map(|&(at, _)| at.get(&everything).copied().unwrap_or(f32::NAN))
        .collect();
    let actual: Vec<f32> = member.test.iter().map(|&(_, r)| r).collect();
    Ok(rankers
        .iter()
        .map(|ranker| {
            let started = Instant::now();
            let scores = ranker.scores(&everything, &member.train);
            let top = member.top_list(&scores);
            MemberOutcome {
                predicted: predicted.clone(),
                actual: actual.clone(),
                millis: fitted + started.elapsed().as_secs_f64() * 1e3,
                top,
            }
        })
        .collect())
}

/// [`evaluate_rows`] with the model's own order only.
pub fn evaluate(
    name: &str,
    catalog: &Catalog,
    model: &dyn Personalizer,
    members: &[MemberSplit],
) -> Result<Report, ModelError> {
    let mut reports = evaluate_rows(catalog, model, members, &[(name, &ByPrediction)])?;
    reports.pop().ok_or(ModelError::WorkerPanicked)
}

/// Scores every member that [`MemberSplit::is_scored`], training `model` once per member and
/// reporting one row per named ranker (same rating figures, each its own top-N figures).
pub fn evaluate_rows(
    catalog: &Catalog,
    model: &dyn Personalizer,
    members: &[MemberSplit],
    rows: &[(&str, &dyn Ranker)],
) -> Result<Vec<Report>, ModelError> {
    let all_films: Vec<FilmIndex> = catalog.indices().collect();
    let rankers: Vec<&dyn Ranker> = rows.iter().map(|&(_, r)| r).collect();
    let per_member = per_scored_member(members, |member| {
        score_member(catalog, model, member, &all_films, &rankers)
    })?;
    let counts = rating_counts(catalog);
    Ok(rows
        .iter()
        .enumerate()
        .map(|(row, &(name, _))| {
            let outcomes: Vec<MemberOutcome> =
                per_member.iter().map(|all| all[row].clone()).collect();
            summarize(name, &outcomes, &counts)
        })
        .collect())
}

/// A reference row that orders the catalog the same way for everyone (`scores`, one per catalog
/// film) and predicts no rating.
pub fn evaluate_fixed_order(
    name: &str,
    catalog: &Catalog,
    members: &[MemberSplit],
    scores: &[f32],
) -> Result<Report, ModelError> {
    let timed = per_scored_member(members, |member| {
        let started = Instant::now();
        let top = member.top_list(scores);
        Ok((top, started.elapsed().as_secs_f64() * 1e3))
    })?;
    let lists: Vec<TopList> = timed.iter().filter_map(|(top, _)| top.clone()).collect();
    let mut times: Vec<f64> = timed.iter().map(|&(_, ms)| ms).collect();
    times.sort_by(f64::total_cmp);
    Ok(Report {
        name: name.to_owned(),
        ratings: None,
        top_n: summarize_top_n(&lists, &rating_counts(catalog)),
        median_ms: median_sorted(&times),
    })
}

/// Runs `score` on every member that [`MemberSplit::is_scored`], in member order. Members run in
/// parallel on as many workers as rayon has threads; each worker is an OS thread with its own
/// single-threaded rayon pool, so a member's training (forests use rayon inside) runs on one
/// core, and its time is one core's time, never inflated by stolen work from other members.
fn per_scored_member<T: Send>(
    members: &[MemberSplit],
    score: impl Fn(&MemberSplit) -> Result<T, ModelError> + Sync,
) -> Result<Vec<T>, ModelError> {
    let scored: Vec<&MemberSplit> = members.iter().filter(|m| m.is_scored()).collect();
    let next = AtomicUsize::new(0);
    let workers = rayon::current_num_threads().clamp(1, scored.len().max(1));
    let results: Vec<Vec<(usize, Result<T, ModelError>)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().ok();
                    let mut done = Vec::new();
                    loop {
                        let at = next.fetch_add(1, Ordering::Relaxed);
                        let Some(member) = scored.get(at) else {
                            return done;
                        };
                        let run = || score(member);
                        let outcome = match &pool {
                            Some(pool) => pool.install(run),
                            None => run(),
                        };
                        done.push((at, outcome));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let mut ordered: Vec<(usize, Result<T, ModelError>)> = results.into_iter().flatten().collect();
    if ordered.len() != scored.len() {
        return Err(ModelError::WorkerPanicked);
    }
    ordered.sort_by_key(|(at, _)| *at);
    ordered.into_iter().map(|(_, outcome)| outcome).collect()
}

/// The protocol's figures over members' outcomes: RMSE, MAE and accuracy over all test ratings;
/// Spearman and NDCG@10 averaged over the members where they are defined; the top-N figures over
/// the ranked members (`counts`: each film's rating count); median time.
pub fn summarize(name: &str, outcomes: &[MemberOutcome], counts: &[f64]) -> Report {
    let predicted: Vec<f32> = outcomes
        .iter()
        .flat_map(|o| o.predicted.iter().copied())
        .collect();
    let actual: Vec<f32> = outcomes
        .iter()
        .flat_map(|o| o.actual.iter().copied())
        .collect();
    let spearmans: Vec<f64> = outcomes
        .iter()
        .filter_map(|o| spearman(&o.predicted, &o.actual))
        .collect();
    let ndcgs: Vec<f64> = outcomes
        .iter()
        .filter_map(|o| ndcg_at(NDCG_AT, &o.predicted, &o.actual))
        .collect();
    let lists: Vec<TopList> = outcomes.iter().filter_map(|o| o.top.clone()).collect();
    let mut times: Vec<f64> = outcomes.iter().map(|o| o.millis).collect();
    times.sort_by(f64::total_cmp);
    Report {
        name: name.to_owned(),
        ratings: Some(RatingFigures {
            rmse: rmse(&predicted, &actual),
            mae: mae(&predicted, &actual),
            accuracy: accuracy(&predicted, &actual),
            spearman: mean(&spearmans),
            ndcg10: mean(&ndcgs),
            members: outcomes.len(),
            test_ratings: actual.len(),
        }),
        top_n: summarize_top_n(&lists, counts),
        median_ms: median_sorted(&times),
    }
}

fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        0.0
    } else {
        values.iter().sum::<f64>() / values.len() as f64
    }
}

fn median_sorted(values: &[f64]) -> f64 {
    match values.len() {
        0 => 0.0,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(predicted: &[f32], actual: &[f32], millis: f64) -> MemberOutcome {
        MemberOutcome {
            predicted: predicted.to_vec(),
            actual: actual.to_vec(),
            millis,
            top: None,
        }
    }

    #[test]
    fn pools_errors_over_ratings_and_ranks_over_members() {
        let outcomes = [
            outcome(&[4.0, 3.0], &[5.0, 3.0], 2.0),
            outcome(&[2.0, 2.0, 2.0], &[1.0, 2.0, 3.0], 8.0),
            outcome(&[1.0], &[1.0], 4.0),
        ];
        let report = summarize("m", &outcomes, &[]);
        assert_eq!(report.median_ms, 4.0);
        assert_eq!(report.top_n.members, 0);
        let report = report.ratings.unwrap();
        // Errors 1,0,1,0,1,0 over 6 ratings.
        assert!((report.rmse - 0.5f64.sqrt()).abs() < 1e-9);
        assert!((report.mae - 0.5).abs() < 1e-9);
        // Spearman defined only for the first member (1.0): the constant and the single are skipped.
        assert!((report.spearman - 1.0).abs() < 1e-9);
        assert_eq!(report.members, 3);
        assert_eq!(report.test_ratings, 6);
    }

    #[test]
    fn evaluate_scores_only_eligible_members_on_their_test_films() {
        use crate::catalog::at;
        use crate::domain::{Film, FilmKey};
        use crate::models::MemberBias;
        let catalog = Catalog::from_films((0..8).map(|i| {
            let mut film = Film::stub(FilmKey::parse(&format!("f{i}")).unwrap(), "f");
            film.lb_average = Some(3.0);
            film
        }));
        // Bias +1 (rates everything 4): predicts 4 for films 6 and 7, rated 4 and 2.
        let scored = MemberSplit {
            train: (0..5).map(|i| (at(i), 4.0)).collect(),
            test: vec![(at(6), 4.0), (at(7), 2.0)],
        };
        let too_few = MemberSplit {
            train: vec![(at(0), 1.0)],
            test: vec![(at(6), 5.0)],
        };
        let report = evaluate("bias", &catalog, &MemberBias, &[too_few, scored]).unwrap();
        let report = report.ratings.unwrap();
        assert_eq!((report.members, report.test_ratings), (1, 2));
        assert!((report.rmse - 2.0f64.sqrt()).abs() < 1e-6);
        assert!((report.accuracy - 0.5).abs() < 1e-9);
    }

    #[test]
    fn a_member_needs_five_train_ratings_and_a_test_rating() {
        let rows = |n: u32| {
            crate::catalog::ats(0..n)
                .into_iter()
                .map(|at| (at, 3.0))
                .collect::<Vec<_>>()
        };
        assert!(
            !MemberSplit {
                train: rows(4),
                test: rows(1)
            }
            .is_scored()
        );
        assert!(
            !MemberSplit {
                train: rows(5),
                test: rows(0)
            }
            .is_scored()
        );
        assert!(
            MemberSplit {
                train: rows(5),
                test: rows(1)
            }
            .is_scored()
        );
    }

    /// Six films with rating counts 60, 50, ..., 10; one member rated films 0..5 in train and
    /// loved film 5 in test.
    fn ranked_world() -> (Catalog, MemberSplit) {
        use crate::catalog::at;
        use crate::domain::{Film, FilmKey};
        let catalog = Catalog::from_films((0..6u32).map(|i| {
            let mut film = Film::stub(FilmKey::parse(&format!("f{i}")).unwrap(), "f");
            film.lb_rating_count = Some(60 - 10 * i);
            film
        }));
        let member = MemberSplit {
            train: (0..5).map(|i| (at(i), 3.0)).collect(),
            test: vec![(at(5), 4.5)],
        };
        (catalog, member)
    }

    #[test]
    fn fixed_orders_rank_only_unseen_films_and_have_no_rating_figures() {
        let (catalog, member) = ranked_world();
        // Most popular first: films 0..5 are seen, so film 5 (count 10) tops the list.
        let counts: Vec<f32> = (0..6).map(|i| 60.0 - 10.0 * i as f32).collect();
        let report = evaluate_fixed_order("popular", &catalog, &[member], &counts).unwrap();
        assert_eq!(report.ratings, None);
        assert_eq!(report.top_n.members, 1);
        assert_eq!(report.top_n.recall10, 1.0);
        assert_eq!(report.top_n.ndcg10_catalog, 1.0);
        assert!((report.top_n.coverage50 - 1.0 / 6.0).abs() < 1e-9);
        assert_eq!(report.top_n.popularity50, 10.0);
    }

    #[test]
    fn a_member_without_a_loved_test_film_is_not_ranked() {
        let (catalog, mut member) = ranked_world();
        member.test = vec![(crate::catalog::at(5), 3.5)];
        assert!(member.is_scored() && !member.is_ranked());
        let report = evaluate_fixed_order("p", &catalog, &[member], &[1.0; 6]).unwrap();
        assert_eq!(report.top_n.members, 0);
    }

    /// Ranks films by catalog index, lowest first, ignoring predictions.
    struct LowestIndex;

    impl Ranker for LowestIndex {
        fn scores(&self, predicted: &[f32], _: &[RatedFilm]) -> Vec<f32> {
            (0..predicted.len()).map(|i| -(i as f32)).collect()
        }
    }

    #[test]
    fn each_row_ranks_with_its_own_ranker_from_one_fit() {
        use crate::catalog::at;
        use crate::models::MemberBias;
        let (catalog, mut member) = ranked_world();
        // Train on films 1..6, love film 0 in test: the lowest index finds it first.
        member.train = (1..6).map(|i| (at(i), 3.0)).collect();
        member.test = vec![(at(0), 5.0)];
        let rows: [(&str, &dyn Ranker); 2] = [("rating", &ByPrediction), ("index", &LowestIndex)];
        let reports = evaluate_rows(&catalog, &MemberBias, &[member], &rows).unwrap();
        assert_eq!(reports.len(), 2);
        assert_eq!(reports[0].ratings, reports[1].ratings);
        assert_eq!(reports[1].name, "index");
        assert_eq!(reports[1].top_n.recall10, 1.0);
        // Only film 0 is unseen, so the rating order finds it as well.
        assert_eq!(reports[0].top_n.recall10, 1.0);
    }
}
