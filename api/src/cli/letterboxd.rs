//! `reel letterboxd`: operator tools for pages, exports and profiles.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use letterboxd::export::{self, CatalogIndex, ExportLimits};
use letterboxd::parse;

use crate::config::TmdbArgs;
use crate::services::exports::{UploadIndex, resolved_keys};
use crate::services::film_lookup::{FilmLookup, LookupLimits};
use crate::sources::TmdbSource;

#[derive(Debug, clap::Subcommand)]
pub enum LetterboxdCommand {
    /// Print, as JSON, what the parsers read from a saved page (run it when the markup changes).
    #[command(subcommand)]
    Parse(ParseCommand),
    /// Print, as JSON, what the export reader reads from a Letterboxd data export.
    Export(Box<ExportArgs>),
    /// Scrape a member from LETTERBOXD_BASE_URL and print the profile.
    Profile(ProfileArgs),
}

#[derive(Debug, clap::Subcommand)]
pub enum ParseCommand {
    /// A member's films, watchlist or list grid page.
    Grid { file: PathBuf },
    /// A film page.
    Film { file: PathBuf },
    /// A popular-members page.
    Members { file: PathBuf },
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The export zip (`letterboxd-USER-...-utc.zip`) or one of its CSV files.
    pub file: PathBuf,
    /// Match films against this catalog (`films.csv[.gz]` in the letterboxd-1m format); without it
    /// only rows whose URI names the slug match.
    #[arg(long)]
    pub films: Option<PathBuf>,
    /// With `TMDB_API_TOKEN` set, rows nothing matched are looked up on TMDB as an upload's are.
    #[command(flatten)]
    pub tmdb: TmdbArgs,
}

#[derive(Debug, clap::Args)]
pub struct ProfileArgs {
    /// The member's username (or profile URL).
    pub name: String,
    /// Where Letterboxd is: the real site, or a simulated one (`letterboxd-sim`). Named like every
    /// other command's; `--base-url`, its old name, still works.
    #[arg(
        long,
        alias = "base-url",
        env = "LETTERBOXD_BASE_URL",
        default_value = "https://letterboxd.com"
    )]
    pub letterboxd_base_url: String,
}

/// What `reel letterboxd profile` prints.
#[derive(serde::Serialize)]
struct ProfileView {
    username: String,
    ratings: Vec<RatingView>,
    watched: Vec<String>,
    likes: Vec<String>,
    watchlist: Vec<String>,
    films_seen: usize,
    requests: u32,
}

#[derive(serde::Serialize)]
struct RatingView {
    slug: String,
    rating: f32,
}

async fn print_profile(args: &ProfileArgs) -> anyhow::Result<()> {
    let user = model::Username::parse(&args.name)?;
    let client = letterboxd::client::Client::new(letterboxd::client::ClientConfig::for_base_url(
        args.letterboxd_base_url.clone(),
    ))?;
    // No catalog here: only the member's grids are fetched, never film pages.
    let scraped = client
        .scrape_profile(&user, &|_: &model::FilmKey| false)
        .await?;
    let profile = scraped.profile;
    let slugs = |slugs: Vec<model::FilmKey>| slugs.into_iter().map(String::from).collect();
    let view = ProfileView {
        username: user.to_string(),
        ratings: profile
            .ratings
            .into_iter()
            .map(|(slug, rating)| RatingView {
                slug: slug.into(),
                rating: rating.stars(),
            })
            .collect(),
        watched: slugs(profile.watched),
        likes: slugs(profile.likes),
        watchlist: slugs(profile.watchlist),
        films_seen: profile.films_seen.len(),
        requests: scraped.requests,
    };
    println!("{}", to_json(&view)?);
    Ok(())
}

pub async fn run(command: LetterboxdCommand) -> anyhow::Result<()> {
    match command {
        LetterboxdCommand::Parse(page) => print_page(page),
        LetterboxdCommand::Export(args) => print_export(&args).await,
        LetterboxdCommand::Profile(args) => print_profile(&args).await,
    }
}

fn print_page(page: ParseCommand) -> anyhow::Result<()> {
    let json = match &page {
        ParseCommand::Grid { file } => to_json(&parse::parse_grid(&read_page(file)?)?),
        ParseCommand::Film { file } => to_json(&parse::parse_film(&read_page(file)?)?),
        ParseCommand::Members { file } => to_json(&parse::parse_members(&read_page(file)?)?),
    }?;
    println!("{json}");
    Ok(())
}

/// What `reel letterboxd export` prints: the export as read, and how its rows fared.
#[derive(serde::Serialize)]
struct ExportView {
    #[serde(flatten)]
    export: export::ExportProfile,
    rows: RowsView,
}

#[derive(serde::Serialize)]
struct RowsView {
    matched: usize,
    /// Of `matched`, rows matched through films TMDB found.
    resolved_through_tmdb: usize,
    unmatched: usize,
    /// `null` without `TMDB_API_TOKEN`.
    tmdb_titles_not_found: Option<usize>,
    tmdb_titles_skipped: Option<usize>,
}

async fn print_export(args: &ExportArgs) -> anyhow::Result<()> {
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let catalog = match &args.films {
        Some(path) => CatalogIndex::from_films(&letterboxd::dataset::read_films(path)?),
        None => CatalogIndex::default(),
    };
    let name = args
        .file
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let read = |index: &UploadIndex| {
        export::read_upload(&name, &bytes, index, &ExportLimits::default())
            .with_context(|| format!("cannot read the export {}", args.file.display()))
    };
    let first = UploadIndex::new(catalog.clone(), HashMap::new());
    let mut export = read(&first)?;
    let matched_first = export.counts.matched_rows;
    let mut lookups = None;
    if let Some(config) = args.tmdb.client_config() {
        let source = TmdbSource::connect(tmdb::Client::new(config)?)
            .await
            .map_err(|err| match err {
                tmdb::TmdbError::BadToken { .. } => {
                    anyhow::anyhow!("TMDB_API_TOKEN: TMDB rejected the token (HTTP 401)")
                }
                other => anyhow::anyhow!("cannot reach TMDB: {other}"),
            })?;
        let lookup = FilmLookup::new(Arc::new(source), LookupLimits::default());
        let found = lookup.look_up(first.into_misses()).await;
        if !found.found.is_empty() {
            export = read(&UploadIndex::new(catalog, resolved_keys(&found.found)))?;
        }
        lookups = Some(found);
    }
    let counts = &export.counts;
    let rows = RowsView {
        matched: counts.matched_rows,
        resolved_through_tmdb: counts.matched_rows.saturating_sub(matched_first),
        unmatched: counts.unmatched_rows,
        tmdb_titles_not_found: lookups.as_ref().map(|l| l.not_found),
        tmdb_titles_skipped: lookups.as_ref().map(|l| l.skipped),
    };
    println!("{}", to_json(&ExportView { export, rows })?);
    Ok(())
}

fn read_page(path: &Path) -> anyhow::Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn to_json(value: &impl serde::Serialize) -> anyhow::Result<String> {
    Ok(serde_json::to_string_pretty(value)?)
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::LetterboxdCommand;
    use crate::cli::{Cli, Command};

    fn base_url(args: &[&str]) -> String {
        match Cli::try_parse_from(args).unwrap().command {
            Command::Letterboxd(LetterboxdCommand::Profile(profile)) => profile.letterboxd_base_url,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn profile_takes_the_flag_every_command_takes_and_its_old_name() {
        let url = "http://127.0.0.1:9000";
        for flag in ["--letterboxd-base-url", "--base-url"] {
            assert_eq!(
                base_url(&["reel", "letterboxd", "profile", "alice", flag, url]),
                url,
                "{flag}"
            );
        }
        // The old name works but is no longer offered.
        let help = Cli::try_parse_from(["reel", "letterboxd", "profile", "--help"])
            .unwrap_err()
            .to_string();
        assert!(help.contains("--letterboxd-base-url"), "{help}");
        assert!(!help.contains("--base-url "), "{help}");
    }
}
