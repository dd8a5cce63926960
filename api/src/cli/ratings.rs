//! `reel ratings`: member ratings jobs.

use super::job_args::WorkerArgs;

#[derive(Debug, clap::Subcommand)]
pub enum RatingsCommand {
    /// Re-scrape every known member's ratings for the general model (resumable; several workers
    /// may share a run).
    Refresh(WorkerArgs),
}

pub async fn run(command: RatingsCommand) -> anyhow::Result<()> {
    anyhow::bail!("`reel ratings {command:?}` is not built yet")
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use clap::Parser;

    use super::*;
    use crate::cli::{Cli, Command};

    fn parse(args: &[&str]) -> Result<RatingsCommand, clap::Error> {
        let cli = Cli::try_parse_from(["reel", "ratings"].iter().chain(args))?;
        match cli.command {
            Command::Ratings(command) => Ok(command),
            other => panic!("parsed as {other:?}"),
        }
    }

    #[test]
    fn refresh_takes_budget_and_batch_size() {
        let RatingsCommand::Refresh(args) =
            parse(&["refresh", "--budget", "90m", "--batch-size", "20"]).unwrap();
        assert_eq!(args.budget, Some(Duration::from_secs(90 * 60)));
        assert_eq!(args.batch_size, 20);
    }

    #[test]
    fn refresh_rejects_a_budget_without_unit() {
        assert!(parse(&["refresh", "--budget", "90"]).is_err());
        assert!(parse(&["refresh", "--batch-size", "10001"]).is_err());
    }
}
