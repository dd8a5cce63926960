//! The one binary, `reel`, and its subcommands. Each subcommand's arguments and entry point live in
//! the file named after it.

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

use crate::config::InvalidSetting;

pub mod catalog;
mod eval;
pub mod first_run;
mod import;
pub mod job_args;
mod letterboxd;
mod migrate;
mod openapi;
mod ratings;
mod serve;
mod stats;
mod tmdb_figures;
mod train;
mod usage;

/// Movie recommendations, profile statistics and watchlist picks from Letterboxd diaries.
#[derive(Debug, Parser)]
#[command(name = "reel", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP API (applies pending migrations first).
    // Boxed: its settings dwarf every other subcommand's arguments.
    Serve(Box<crate::config::Config>),
    /// Apply pending database migrations and exit.
    Migrate(migrate::MigrateArgs),
    /// Load a dataset in the letterboxd-1m format (films.csv, ratings.csv) into the store.
    Import(import::ImportArgs),
    /// Operator tools for Letterboxd pages, exports and profiles.
    #[command(subcommand)]
    Letterboxd(letterboxd::LetterboxdCommand),
    /// Film catalog jobs.
    #[command(subcommand)]
    Catalog(catalog::CatalogCommand),
    /// Member ratings jobs.
    #[command(subcommand)]
    Ratings(ratings::RatingsCommand),
    /// Model training jobs.
    #[command(subcommand)]
    Train(train::TrainCommand),
    /// Score models on the evaluation protocol of a letterboxd-1m style dataset.
    Eval(eval::EvalArgs),
    /// Member statistics jobs.
    #[command(subcommand)]
    Stats(stats::StatsCommand),
    /// Usage series jobs.
    #[command(subcommand)]
    Usage(usage::UsageCommand),
    /// Print the OpenAPI document.
    Openapi(openapi::OpenapiArgs),
}

/// Parses the command line, runs the subcommand, and turns its outcome into an exit code. Errors are
/// printed once, as one line with their causes.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => match InvalidSetting::from_clap(&err, &Cli::command()) {
            // A bad setting: one line naming the variable, as any other error of a run.
            Some(invalid) => {
                eprintln!("error: {invalid}");
                return ExitCode::FAILURE;
            }
            None => err.exit(),
        },
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

pub async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve(args) => serve::run(*args).await,
        Command::Migrate(args) => migrate::run(args).await,
        Command::Import(args) => import::run(args).await,
        Command::Letterboxd(command) => letterboxd::run(command).await,
        Command::Catalog(command) => catalog::run(command).await,
        Command::Ratings(command) => ratings::run(command).await,
        Command::Train(command) => train::run(command).await,
        Command::Eval(args) => eval::run(args).await,
        Command::Stats(command) => stats::run(command).await,
        Command::Usage(command) => usage::run(command).await,
        Command::Openapi(args) => openapi::run(args).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
