//! `reel letterboxd`: operator tools for pages, exports and profiles.

use std::path::{Path, PathBuf};

use anyhow::Context;
use letterboxd::export::{self, CatalogIndex, ExportLimits, FilmIndex, NoCatalog};
use letterboxd::parse;

#[derive(Debug, clap::Subcommand)]
pub enum LetterboxdCommand {
    /// Print, as JSON, what the parsers read from a saved page (run it when the markup changes).
    #[command(subcommand)]
    Parse(ParseCommand),
    /// Print, as JSON, what the export reader reads from a Letterboxd data export.
    Export(ExportArgs),
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
        LetterboxdCommand::Export(args) => print_export(&args),
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

fn print_export(args: &ExportArgs) -> anyhow::Result<()> {
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let catalog = match &args.films {
        Some(path) => Some(CatalogIndex::from_films(&letterboxd::dataset::read_films(
            path,
        )?)),
        None => None,
    };
    let index: &dyn FilmIndex = match &catalog {
        Some(catalog) => catalog,
        None => &NoCatalog,
    };
    let name = args
        .file
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let read = export::read_upload(&name, &bytes, index, &ExportLimits::default())
        .with_context(|| format!("cannot read the export {}", args.file.display()))?;
    println!("{}", to_json(&read)?);
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
