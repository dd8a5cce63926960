//! Scores one model over a set of members: each member's model is trained on their train rows and
//! predicts the whole catalog (as serving does), and the test rows are read from that.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use serde::Serialize;

use super::metrics::{accuracy, mae, ndcg_at, rmse, spearman};
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
    /// Whether the protocol scores this member.
    pub fn is_scored(&self) -> bool {
        self.train.len() >= MIN_TRAIN_RATINGS && !self.test.is_empty()
    }
}

/// One member's predictions for their test films, and how long train + predict took.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberOutcome {
    pub predicted: Vec<f32>,
    pub actual: Vec<f32>,
    pub millis: f64,
}

/// A model's figures on the protocol.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub name: String,
    pub rmse: f64,
    pub mae: f64,
    pub accuracy: f64,
    pub spearman: f64,
    pub ndcg10: f64,
    pub median_ms: f64,
    #[serde(skip)]
    pub members: usize,
    #[serde(skip)]
    pub test_ratings: usize,
}

/// Trains `model` on the member's train rows, predicts every catalog film, and keeps the test films'
/// predictions. The time covers training and the whole-catalog prediction.
pub fn score_member(
    catalog: &Catalog,
    model: &dyn Personalizer,
    member: &MemberSplit,
    all_films: &[FilmIndex],
) -> Result<MemberOutcome, ModelError> {
    let started = Instant::now();
    let predictor = model.fit(catalog, &member.train)?;
    let everything = predictor.predict(catalog, all_films);
    let millis = started.elapsed().as_secs_f64() * 1e3;
    let predicted = member
        .test
        .iter()
        .map(|&(at, _)| at.get(&everything).copied().unwrap_or(f32::NAN))
        .collect();
    let actual = member.test.iter().map(|&(_, r)| r).collect();
    Ok(MemberOutcome {
        predicted,
        actual,
        millis,
    })
}

/// Scores every member that [`MemberSplit::is_scored`]. Members run in parallel on as many
/// workers as rayon has threads; each worker is an OS thread with its own single-threaded rayon
/// pool, so a member's training (forests use rayon inside) runs on one core, and its time is one
/// core's time, never inflated by stolen work from other members.
pub fn evaluate(
    name: &str,
    catalog: &Catalog,
    model: &dyn Personalizer,
    members: &[MemberSplit],
) -> Result<Report, ModelError> {
    let all_films: Vec<FilmIndex> = catalog.indices().collect();
    let scored: Vec<&MemberSplit> = members.iter().filter(|m| m.is_scored()).collect();
    let next = AtomicUsize::new(0);
    let workers = rayon::current_num_threads().clamp(1, scored.len().max(1));
    let results: Vec<Vec<(usize, Result<MemberOutcome, ModelError>)>> =
        std::thread::scope(|scope| {
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
                            let run = || score_member(catalog, model, member, &all_films);
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
    let mut ordered: Vec<(usize, Result<MemberOutcome, ModelError>)> =
        results.into_iter().flatten().collect();
    if ordered.len() != scored.len() {
        return Err(ModelError::WorkerPanicked);
    }
    ordered.sort_by_key(|(at, _)| *at);
    let outcomes = ordered
        .into_iter()
        .map(|(_, outcome)| outcome)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(summarize(name, &outcomes))
}

/// The protocol's figures over members' outcomes: RMSE, MAE and accuracy over all test ratings;
/// Spearman and NDCG@10 averaged over the members where they are defined; median time.
pub fn summarize(name: &str, outcomes: &[MemberOutcome]) -> Report {
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
    let mut times: Vec<f64> = outcomes.iter().map(|o| o.millis).collect();
    times.sort_by(f64::total_cmp);
    Report {
        name: name.to_owned(),
        rmse: rmse(&predicted, &actual),
        mae: mae(&predicted, &actual),
        accuracy: accuracy(&predicted, &actual),
        spearman: mean(&spearmans),
        ndcg10: mean(&ndcgs),
        median_ms: median_sorted(&times),
        members: outcomes.len(),
        test_ratings: actual.len(),
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
        }
    }

    #[test]
    fn pools_errors_over_ratings_and_ranks_over_members() {
        let outcomes = [
            outcome(&[4.0, 3.0], &[5.0, 3.0], 2.0),
            outcome(&[2.0, 2.0, 2.0], &[1.0, 2.0, 3.0], 8.0),
            outcome(&[1.0], &[1.0], 4.0),
        ];
        let report = summarize("m", &outcomes);
        // Errors 1,0,1,0,1,0 over 6 ratings.
        assert!((report.rmse - 0.5f64.sqrt()).abs() < 1e-9);
        assert!((report.mae - 0.5).abs() < 1e-9);
        // Spearman defined only for the first member (1.0): the constant and the single are skipped.
        assert!((report.spearman - 1.0).abs() < 1e-9);
        assert_eq!(report.members, 3);
        assert_eq!(report.test_ratings, 6);
        assert_eq!(report.median_ms, 4.0);
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
}
