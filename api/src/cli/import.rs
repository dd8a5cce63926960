//! `reel import`: load a dataset in the letterboxd-1m format (`films.csv[.gz]`,
//! `ratings.csv[.gz]`) into the store.
//!
//! Both files are read and checked completely before the store is touched, and the store is
//! written in one transaction: a malformed row (reported with its file and line) or any failure
//! leaves the store as it was. Scored members keep only their `train` rows; `test` rows are for
//! scoring and never imported. Importing the same files again changes nothing.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use letterboxd::dataset;

use crate::config::{DatabaseArgs, LogConfig};
use crate::jobs::read_ratings;
use crate::store::dataset::ImportChanges;
use crate::telemetry;

#[derive(Debug, Clone, clap::Args)]
pub struct ImportArgs {
    /// The films file (`films.csv` or `films.csv.gz`).
    #[arg(long, value_name = "FILE")]
    pub films: PathBuf,
    /// The ratings file (`ratings.csv` or `ratings.csv.gz`).
    #[arg(long, value_name = "FILE")]
    pub ratings: PathBuf,
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[command(flatten)]
    pub log: LogConfig,
}

pub async fn run(args: ImportArgs) -> anyhow::Result<()> {
    telemetry::init(&args.log);
    let started = Instant::now();
    let progress = Progress::new();

    let films_path = args.films.clone();
    let spinner = progress.spinner("reading films");
    let films = tokio::task::spawn_blocking(move || dataset::read_films(&films_path))
        .await?
        .context("cannot import")?;
    progress.finish(
        &spinner,
        format!("read {} films", thousands(films.len() as u64)),
    );

    let ratings_path = args.ratings.clone();
    let spinner = progress.spinner("reading ratings");
    let counter = spinner.clone();
    let file = tokio::task::spawn_blocking(move || {
        read_ratings(&ratings_path, |rows| counter.set_position(rows))
    })
    .await?
    .context("cannot import")?;
    progress.finish(
        &spinner,
        format!(
            "read {} ratings of {} members ({} community, {} train, {} test rows left out)",
            thousands(file.community + file.train + file.test),
            thousands(file.members.len() as u64),
            thousands(file.community),
            thousands(file.train),
            thousands(file.test),
        ),
    );
    let read_time = started.elapsed();

    let (store, embedded) = args
        .database
        .open()
        .await
        .context("cannot open the database")?;
    let writing = Instant::now();
    let bar = progress.bar("writing ratings", file.ratings.len() as u64);
    let reporter = bar.clone();
    let logged = progress.logs_lines();
    let on_progress = move |sent: u64| {
        reporter.set_position(sent);
        if logged {
            tracing::info!(import.ratings_sent = sent, "import progress");
        }
    };
    let result = store
        .import_dataset(&films, &file.members, &file.ratings, &on_progress)
        .await;
    let write_time = writing.elapsed();
    if let Some(embedded) = embedded {
        embedded
            .stop()
            .await
            .context("cannot stop the embedded PostgreSQL")?;
    }
    let changes = result.context("cannot import; the store is unchanged")?;
    progress.finish(&bar, "written".to_owned());

    let total = started.elapsed();
    let loaded = file.community + file.train;
    println!(
        "imported {} films, {} members and {} ratings (community {} + train {}) in {:.1} s \
         (reading {:.1} s, writing {:.1} s: {} ratings/s)",
        thousands(films.len() as u64),
        thousands(file.members.len() as u64),
        thousands(loaded),
        thousands(file.community),
        thousands(file.train),
        total.as_secs_f64(),
        read_time.as_secs_f64(),
        write_time.as_secs_f64(),
        thousands(per_second(loaded, write_time)),
    );
    println!("{}", describe_changes(&changes));
    tracing::info!(
        import.films = films.len(),
        import.members = file.members.len(),
        import.ratings = loaded,
        import.test_rows_skipped = file.test,
        import.films_changed = changes.films_changed,
        import.members_added = changes.members_added,
        import.ratings_inserted = changes.ratings_inserted,
        import.ratings_updated = changes.ratings_updated,
        import.ratings_deleted = changes.ratings_deleted,
        import.duration_ms = total.as_millis() as u64,
        "import finished"
    );
    Ok(())
}

fn describe_changes(changes: &ImportChanges) -> String {
    if changes.is_empty() {
        return "the store already held this dataset: nothing changed".to_owned();
    }
    let mut text = format!(
        "changed: {} films inserted or updated, {} members added, ratings {} inserted, {} updated, \
         {} deleted",
        thousands(changes.films_changed as u64),
        thousands(changes.members_added as u64),
        thousands(changes.ratings_inserted as u64),
        thousands(changes.ratings_updated as u64),
        thousands(changes.ratings_deleted as u64),
    );
    if let Some(version) = changes.catalog_version {
        text.push_str(&format!("; catalog version is now {version}"));
    }
    text
}

fn per_second(count: u64, elapsed: Duration) -> u64 {
    let secs = elapsed.as_secs_f64();
    if secs > 0.0 {
        (count as f64 / secs).round() as u64
    } else {
        0
    }
}

/// 1234567 -> "1,234,567".
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (at, digit) in digits.chars().enumerate() {
        if at > 0 && (digits.len() - at).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Progress bars on a terminal; hidden bars and log lines when stderr is a file or a pipe.
struct Progress {
    terminal: bool,
}

impl Progress {
    fn new() -> Self {
        Progress {
            terminal: std::io::stderr().is_terminal(),
        }
    }

    fn logs_lines(&self) -> bool {
        !self.terminal
    }

    fn spinner(&self, message: &'static str) -> ProgressBar {
        if !self.terminal {
            tracing::info!("{message}");
            return ProgressBar::hidden();
        }
        let spinner = ProgressBar::new_spinner().with_message(message);
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}: {human_pos} rows") {
            spinner.set_style(style);
        }
        spinner.enable_steady_tick(Duration::from_millis(120));
        spinner
    }

    fn bar(&self, message: &'static str, total: u64) -> ProgressBar {
        if !self.terminal {
            tracing::info!(total, "{message}");
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::new(total).with_message(message);
        if let Ok(style) = ProgressStyle::with_template(
            "{msg} [{bar:40}] {human_pos}/{human_len} ({per_sec}, {eta} left)",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar
    }

    fn finish(&self, bar: &ProgressBar, message: String) {
        if self.terminal {
            bar.finish_and_clear();
            eprintln!("{message}");
        } else {
            tracing::info!("{message}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separates_groups_of_three() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(7_472), "7,472");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
