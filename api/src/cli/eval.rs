//! `reel eval`: score the models on the evaluation protocol of a letterboxd-1m style dataset
//! (`shared/data/letterboxd-1m/README.md`).
//!
//! Scored members are the first `--members` members with train/test rows, in file order (of
//! `--eval-ratings` when given, else of `--ratings`). The general model is trained on every
//! community row and every train row of members who are not scored; no test row and no scored
//! member's row ever reaches it, so the scored members are as new to it as an unseen member.
//!
//! Besides the rating figures, every row ranks the whole unseen catalog for each member (the
//! top-N protocol of `model::eval`), and two reference rows order it the same for everyone: most
//! popular and best average.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use letterboxd::dataset::{self, DatasetRating};
use model::eval::{
    ByPrediction, MemberSplit, Ranker, Report, evaluate, evaluate_fixed_order, evaluate_rows,
};
use model::models::{
    Community, CommunityRating, GeneralModel, GeneralParams, ModelKind, RatedFilm,
};
use model::recommend::{MatchParams, MatchRanking, MatchSignals};
use model::{Catalog, FilmIndex, Username};
use serde::Serialize;

use super::tmdb_figures::{TmdbFiguresReport, simulate_tmdb_only};

#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// films.csv[.gz]: the catalog.
    #[arg(long, value_name = "FILE")]
    pub films: PathBuf,
    /// ratings.csv[.gz]: community data and catalog statistics, and the scored members unless
    /// `--eval-ratings` is given.
    #[arg(long, value_name = "FILE")]
    pub ratings: PathBuf,
    /// A ratings file whose train/test members are scored instead.
    #[arg(long, value_name = "FILE")]
    pub eval_ratings: Option<PathBuf>,
    /// How many members to score, the first in file order.
    #[arg(long, value_name = "N", default_value_t = 300)]
    pub members: usize,
    /// Skip this many members first: tune on members 300..600 with `--skip 300`, never on the
    /// members that are reported.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub skip: usize,
    /// Score one model only.
    #[arg(long, value_name = "NAME", value_enum)]
    pub model: Option<ModelName>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// TMDB figures by slug (`tmdb-sim --dump-figures`): fit the calibration on half the films,
    /// report its error on the other half, then evaluate with every film's Letterboxd average
    /// and rating count replaced by the calibrated ones.
    #[arg(long, value_name = "FILE")]
    pub tmdb_figures: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ModelName {
    FilmAverage,
    MemberBias,
    OriginalForest,
    General,
    /// The default model, ordered by predicted rating and by the match ranking (two rows).
    Default,
    /// Reference order: by Letterboxd rating count.
    MostPopular,
    /// Reference order: by Letterboxd average, among films with enough ratings.
    BestAverage,
}

/// The command line's names and the table's row labels of [`ModelKind`]: kept as they were
/// before the registry had names of its own, so scripts and reports compare across versions.
impl ModelName {
    const ALL: [ModelName; 7] = [
        ModelName::FilmAverage,
        ModelName::MemberBias,
        ModelName::OriginalForest,
        ModelName::General,
        ModelName::Default,
        ModelName::MostPopular,
        ModelName::BestAverage,
    ];

    /// The model trained per member; `None` for the reference orders, which train nothing.
    fn kind(self) -> Option<ModelKind> {
        match self {
            ModelName::FilmAverage => Some(ModelKind::FilmAverage),
            ModelName::MemberBias => Some(ModelKind::MemberBias),
            ModelName::OriginalForest => Some(ModelKind::MemberForest),
            ModelName::General => Some(ModelKind::FoldIn),
            ModelName::Default => Some(ModelKind::ResidualChain),
            ModelName::MostPopular | ModelName::BestAverage => None,
        }
    }

    fn label(self) -> &'static str {
        match self {
            ModelName::FilmAverage => "film average",
            ModelName::MemberBias => "member bias + film average",
            ModelName::OriginalForest => "original forest",
            ModelName::General => "general model",
            ModelName::Default => "default model",
            ModelName::MostPopular => "most popular",
            ModelName::BestAverage => "best average",
        }
    }

    /// Whether its rows need the general model.
    fn needs_community(self) -> bool {
        self.kind().is_some_and(ModelKind::needs_community)
    }
}

/// The second row of the default model: the same predictions, ordered by the match ranking.
const MATCH_LABEL: &str = "default (match ranking)";

/// "best average" ranks only films with at least this many Letterboxd ratings.
const BEST_AVERAGE_MIN_COUNT: u32 = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
}

#[derive(Debug, Serialize)]
struct JsonReport<'a> {
    models: &'a [Report],
    members: usize,
    test_ratings: usize,
    /// Members the top-N protocol ranks (a loved test film).
    ranked_members: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    tmdb_figures: Option<&'a TmdbFiguresReport>,
}

pub async fn run(args: EvalArgs) -> anyhow::Result<()> {
    let output = tokio::task::spawn_blocking(move || evaluate_all(&args)).await??;
    println!("{output}");
    Ok(())
}

fn evaluate_all(args: &EvalArgs) -> anyhow::Result<String> {
    let mut films = dataset::read_films(&args.films).context("reading the films")?;
    let tmdb_figures = match &args.tmdb_figures {
        Some(path) => Some(simulate_tmdb_only(&mut films, path)?),
        None => None,
    };
    if let Some(report) = &tmdb_figures {
        eprintln!("{}", report.describe());
    }
    let catalog = Catalog::from_films(films);
    let data = load(args, &catalog)?;
    let chosen: Vec<ModelName> = match args.model {
        Some(name) => vec![name],
        None => ModelName::ALL.to_vec(),
    };
    let general = if chosen.iter().any(|m| m.needs_community()) {
        let before = peak_rss_mib();
        let started = Instant::now();
        let model = GeneralModel::train(&catalog, &data.community, GeneralParams::default());
        let seconds = started.elapsed().as_secs_f64();
        eprintln!(
            "general model: {} community ratings, trained in {seconds:.1} s, {} bytes stored, \
             peak RSS {} MiB ({} MiB before training)",
            data.community.len(),
            model.to_bytes()?.len(),
            shown(peak_rss_mib()),
            shown(before),
        );
        Some(Arc::new(model.for_catalog(&catalog)))
    } else {
        None
    };
    let mut reports = Vec::new();
    for name in chosen {
        reports.extend(rows_of(name, &catalog, general.as_ref(), &data.scored)?);
        eprintln!("{}: scored", name.label());
    }
    let (members, test_ratings) = reports
        .iter()
        .find_map(|r| r.ratings.as_ref())
        .map_or((0, 0), |r| (r.members, r.test_ratings));
    let ranked_members = reports.first().map_or(0, |r| r.top_n.members);
    Ok(match args.format {
        Format::Json => serde_json::to_string_pretty(&JsonReport {
            models: &reports,
            members,
            test_ratings,
            ranked_members,
            tmdb_figures: tmdb_figures.as_ref(),
        })?,
        Format::Table => table(&reports, members, test_ratings, ranked_members),
    })
}

/// The rows of one `--model` name: one per model, two for the default (by predicted rating and
/// by the match ranking), one per reference order.
fn rows_of(
    name: ModelName,
    catalog: &Catalog,
    general: Option<&Arc<Community>>,
    scored: &[MemberSplit],
) -> anyhow::Result<Vec<Report>> {
    let reference = |scores: Vec<f32>| evaluate_fixed_order(name.label(), catalog, scored, &scores);
    match name {
        ModelName::MostPopular => return Ok(vec![reference(popularity_order(catalog))?]),
        ModelName::BestAverage => return Ok(vec![reference(best_average_order(catalog))?]),
        _ => {}
    }
    let model = name
        .kind()
        .and_then(|kind| kind.personalizer(general))
        .with_context(|| format!("{} needs the general model", name.label()))?;
    if let (ModelName::Default, Some(general)) = (name, general) {
        let matched = MatchRanker {
            ranking: MatchParams::default().check()?,
            signals: MatchSignals::new(catalog, Arc::clone(general)),
        };
        let rows: [(&str, &dyn Ranker); 2] =
            [(name.label(), &ByPrediction), (MATCH_LABEL, &matched)];
        return Ok(evaluate_rows(catalog, model.as_ref(), scored, &rows)?);
    }
    Ok(vec![evaluate(
        name.label(),
        catalog,
        model.as_ref(),
        scored,
    )?])
}

/// Most rated first.
fn popularity_order(catalog: &Catalog) -> Vec<f32> {
    catalog
        .films()
        .iter()
        .map(|f| f.lb_rating_count.unwrap_or(0) as f32)
        .collect()
}

/// Highest Letterboxd average first, among films with [`BEST_AVERAGE_MIN_COUNT`] ratings; the
/// others (and films without an average) after them.
fn best_average_order(catalog: &Catalog) -> Vec<f32> {
    catalog
        .films()
        .iter()
        .map(|f| match (f.lb_average, f.lb_rating_count) {
            (Some(average), Some(count)) if count >= BEST_AVERAGE_MIN_COUNT => average,
            _ => f32::NEG_INFINITY,
        })
        .collect()
}

/// The match ranking over a member's predicted ratings and their train films.
struct MatchRanker {
    ranking: MatchRanking,
    signals: MatchSignals,
}

impl Ranker for MatchRanker {
    fn scores(&self, predicted: &[f32], train: &[RatedFilm]) -> Vec<f32> {
        let watched: Vec<FilmIndex> = train.iter().map(|&(at, _)| at).collect();
        // Both come from the same catalog, so the lengths agree; a mismatch ranks nothing.
        self.ranking
            .scores(predicted, &watched, &self.signals)
            .unwrap_or_default()
    }
}

/// What one evaluation reads: the scored members and the general model's training rows.
struct EvalData {
    scored: Vec<MemberSplit>,
    community: Vec<CommunityRating>,
}

fn load(args: &EvalArgs, catalog: &Catalog) -> anyhow::Result<EvalData> {
    let source = args.eval_ratings.as_deref().unwrap_or(&args.ratings);
    let scored_rows = read(source)?;
    let scored_names: Vec<Username> = dataset::dev_members(&scored_rows)
        .into_iter()
        .skip(args.skip)
        .take(args.members)
        .collect();
    let scored = dataset::member_splits(catalog, &scored_rows, &scored_names);
    let community_rows = if args.eval_ratings.is_some() {
        read(&args.ratings)?
    } else {
        scored_rows
    };
    let excluded: HashSet<&Username> = scored_names.iter().collect();
    let community = dataset::community_ratings(catalog, &community_rows, &excluded);
    Ok(EvalData { scored, community })
}

fn read(path: &Path) -> anyhow::Result<Vec<DatasetRating>> {
    dataset::read_ratings(path).with_context(|| format!("reading {}", path.display()))
}

/// The process's peak resident memory so far (`VmHWM`), where `/proc` has it (Linux).
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn shown(mib: Option<f64>) -> String {
    mib.map_or_else(|| "?".to_owned(), |m| format!("{m:.0}"))
}

fn table(reports: &[Report], members: usize, test_ratings: usize, ranked: usize) -> String {
    let mut out = format!(
        "{members} members, {test_ratings} test ratings; top-N over {ranked} members with a film rated >= 4\n\
         {:<28} {:>7} {:>7} {:>8} {:>8} {:>8} {:>9} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}\n",
        "model",
        "RMSE",
        "MAE",
        "accuracy",
        "Spearman",
        "NDCG@10",
        "median_ms",
        "R@10",
        "N@10",
        "R@50",
        "N@50",
        "cov@50",
        "pop@50"
    );
    for r in reports {
        let ratings = match &r.ratings {
            Some(f) => format!(
                "{:>7.4} {:>7.4} {:>8.4} {:>8.4} {:>8.4}",
                f.rmse, f.mae, f.accuracy, f.spearman, f.ndcg10
            ),
            None => format!("{:>7} {:>7} {:>8} {:>8} {:>8}", "-", "-", "-", "-", "-"),
        };
        let t = &r.top_n;
        out.push_str(&format!(
            "{:<28} {ratings} {:>9.2} {:>7.4} {:>7.4} {:>7.4} {:>7.4} {:>7.4} {:>7.0}\n",
            r.name,
            r.median_ms,
            t.recall10,
            t.ndcg10_catalog,
            t.recall50,
            t.ndcg50,
            t.coverage50,
            t.popularity50
        ));
    }
    out.pop();
    out
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use clap::Parser;

    use super::*;
    use crate::cli::{Cli, Command};

    fn parse(args: &[&str]) -> Result<EvalArgs, clap::Error> {
        let base = ["reel", "eval", "--films", "f.csv", "--ratings", "r.csv"];
        let cli = Cli::try_parse_from(base.iter().chain(args))?;
        match cli.command {
            Command::Eval(args) => Ok(args),
            other => panic!("parsed as {other:?}"),
        }
    }

    #[test]
    fn arguments_default_to_300_members_every_model_and_a_table() {
        let args = parse(&[]).unwrap();
        assert_eq!((args.members, args.skip, args.model), (300, 0, None));
        assert_eq!(args.format, Format::Table);
        let args = parse(&[
            "--model",
            "original-forest",
            "--format",
            "json",
            "--members",
            "5",
        ])
        .unwrap();
        assert_eq!(args.model, Some(ModelName::OriginalForest));
        assert_eq!((args.format, args.members), (Format::Json, 5));
        assert_eq!(
            parse(&["--tmdb-figures", "x.csv"]).unwrap().tmdb_figures,
            Some(PathBuf::from("x.csv"))
        );
        assert!(parse(&["--model", "svd"]).is_err());
    }

    fn write(dir: &tempfile::TempDir, name: &str, body: &str) -> PathBuf {
        let path = dir.path().join(name);
        std::fs::File::create(&path)
            .unwrap()
            .write_all(body.as_bytes())
            .unwrap();
        path
    }

    /// Twelve films; community members and two scored members who like even films.
    fn dataset(dir: &tempfile::TempDir) -> (PathBuf, PathBuf) {
        let mut films = String::from(
            "slug,title,year,runtime,genres,language,tmdb_popularity,content_type,image_url,lb_rating,lb_rating_count\n",
        );
        for i in 0..12 {
            let genre = if i % 2 == 0 { "Horror" } else { "Drama" };
            films.push_str(&format!(
                "f{i},F{i},{},90,{genre},en,1,movie,,3.0,100\n",
                1990 + i
            ));
        }
        let mut ratings = String::from("user,slug,rating,split\n");
        for member in 0..8 {
            for i in 0..12 {
                let stars = if (i % 2 == 0) == (member % 2 == 0) {
                    4.5
                } else {
                    1.5
                };
                ratings.push_str(&format!("c{member},f{i},{stars},community\n"));
            }
        }
        for member in ["ann", "bob"] {
            for i in 0..12 {
                let stars = if i % 2 == 0 { 4.5 } else { 1.5 };
                let split = if i < 9 { "train" } else { "test" };
                ratings.push_str(&format!("{member},f{i},{stars},{split}\n"));
            }
        }
        (
            write(dir, "films.csv", &films),
            write(dir, "ratings.csv", &ratings),
        )
    }

    #[test]
    fn json_report_has_every_model_and_the_counts() {
        let dir = tempfile::tempdir().unwrap();
        let (films, ratings) = dataset(&dir);
        let args = parse(&["--format", "json"]).unwrap();
        let args = EvalArgs {
            films,
            ratings,
            ..args
        };
        let json: serde_json::Value = serde_json::from_str(&evaluate_all(&args).unwrap()).unwrap();
        assert_eq!(json["members"], 2);
        assert_eq!(json["test_ratings"], 6);
        let models = json["models"].as_array().unwrap();
        let names: Vec<&str> = models.iter().map(|m| m["name"].as_str().unwrap()).collect();
        assert_eq!(
            names,
            [
                "film average",
                "member bias + film average",
                "original forest",
                "general model",
                "default model",
                MATCH_LABEL,
                "most popular",
                "best average",
            ]
        );
        // Both members loved test films f10 (4.5), so every row ranks them.
        assert_eq!(json["ranked_members"], 2);
        for model in models {
            let rated =
                !["most popular", "best average"].contains(&model["name"].as_str().unwrap());
            for key in ["rmse", "mae", "accuracy", "spearman", "ndcg10"] {
                assert_eq!(model[key].is_number(), rated, "{key} in {model}");
            }
            for key in [
                "median_ms",
                "recall10",
                "ndcg10_catalog",
                "recall50",
                "ndcg50",
                "coverage50",
                "popularity50",
            ] {
                assert!(model[key].is_number(), "{key} in {model}");
            }
        }
        // The community agrees with the scored members' taste, so the general model must beat
        // the film average, which cannot tell the films apart.
        let rmse = |i: usize| models[i]["rmse"].as_f64().unwrap();
        assert!(rmse(3) < rmse(0), "{json}");
        // Three unseen films (f9, f10, f11), one loved: every 50-film list holds it.
        for model in models {
            assert_eq!(model["recall50"], 1.0, "{model}");
        }
        // The predicted order puts the loved even film f10 first for members who love even
        // films. Every film counts 100 ratings: "most popular" breaks the tie by catalog order
        // (f9 first, f10 second), and its popularity is 100.
        assert_eq!(models[4]["ndcg10_catalog"], 1.0, "{json}");
        let second = 1.0 / 3f64.log2();
        assert!((models[6]["ndcg10_catalog"].as_f64().unwrap() - second).abs() < 1e-9);
        assert_eq!(models[6]["popularity50"], 100.0, "{json}");
    }

    #[test]
    fn tmdb_figures_replace_the_letterboxd_ones_and_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        let (films, ratings) = dataset(&dir);
        let mut figures = String::from("slug,tmdb_id,vote_average,vote_count,popularity\n");
        for i in 0..12 {
            figures.push_str(&format!("f{i},{i},{}.5,{},2.5\n", 4 + i % 5, 50 * (i + 1)));
        }
        let args = parse(&["--format", "json", "--model", "film-average"]).unwrap();
        let args = EvalArgs {
            films,
            ratings,
            tmdb_figures: Some(write(&dir, "figures.csv", &figures)),
            ..args
        };
        let json: serde_json::Value = serde_json::from_str(&evaluate_all(&args).unwrap()).unwrap();
        let report = &json["tmdb_figures"];
        assert_eq!(report["films_with_figures"], 12);
        // Twelve films are too few to fit: the default calibration replaces the figures.
        assert!(report["fallback"].is_string(), "{report}");
        assert_eq!(report["replaced"]["averages"], 12);
        // Every film averaged 3.0 on Letterboxd; calibrated averages differ between films.
        assert!(json["models"][0]["rmse"].is_number());
    }

    #[test]
    fn skip_and_one_model_restrict_the_table() {
        let dir = tempfile::tempdir().unwrap();
        let (films, ratings) = dataset(&dir);
        let args = parse(&["--model", "member-bias", "--skip", "1"]).unwrap();
        let table = evaluate_all(&EvalArgs {
            films,
            ratings,
            ..args
        })
        .unwrap();
        assert!(
            table.starts_with("1 members, 3 test ratings; top-N over 1 members"),
            "{table}"
        );
        assert_eq!(table.lines().count(), 3, "{table}");
        assert!(table.contains("member bias + film average"));
    }
}
