//! `reel catalog`: film catalog jobs.

use super::job_args::WorkerArgs;

#[derive(Debug, clap::Subcommand)]
pub enum CatalogCommand {
    /// Re-scrape every active film and every queued slug (resumable; several workers may share a
    /// run). When the run completes, the catalog version is bumped and servers swap it in.
    Refresh(WorkerArgs),
    /// Queue films from popular members' profiles, so a fresh deployment has a catalog.
    Seed(SeedArgs),
}

#[derive(Debug, Clone, clap::Args)]
pub struct SeedArgs {
    /// How many pages of Letterboxd's popular-members list to read (30 members a page).
    #[arg(
        long,
        value_name = "N",
        default_value_t = 5,
        value_parser = clap::value_parser!(u32).range(1..=256)
    )]
    pub pages: u32,
}

pub async fn run(command: CatalogCommand) -> anyhow::Result<()> {
    anyhow::bail!("`reel catalog {command:?}` is not built yet")
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use clap::Parser;

    use super::*;
    use crate::cli::{Cli, Command};

    fn parse(args: &[&str]) -> Result<CatalogCommand, clap::Error> {
        let cli = Cli::try_parse_from(["reel", "catalog"].iter().chain(args))?;
        match cli.command {
            Command::Catalog(command) => Ok(command),
            other => panic!("parsed as {other:?}"),
        }
    }

    #[test]
    fn refresh_takes_budget_batch_size_and_worker_id() {
        let command = parse(&[
            "refresh",
            "--budget",
            "11h",
            "--batch-size",
            "250",
            "--worker-id",
            "cron-1",
        ])
        .unwrap();
        let CatalogCommand::Refresh(args) = command else {
            panic!("parsed as {command:?}");
        };
        assert_eq!(args.budget, Some(Duration::from_secs(11 * 3_600)));
        assert_eq!(args.batch_size, 250);
        assert_eq!(args.worker_id.as_deref(), Some("cron-1"));
    }

    #[test]
    fn refresh_defaults_to_no_budget_and_batches_of_100() {
        let CatalogCommand::Refresh(args) = parse(&["refresh"]).unwrap() else {
            panic!("not a refresh");
        };
        assert_eq!(args.budget, None);
        assert_eq!(args.batch_size, 100);
        assert_eq!(args.worker_id, None);
    }

    #[test]
    fn refresh_rejects_bad_values() {
        assert!(parse(&["refresh", "--budget", "11"]).is_err());
        assert!(parse(&["refresh", "--batch-size", "0"]).is_err());
        assert!(parse(&["refresh", "--worker-id", "a b"]).is_err());
    }

    #[test]
    fn seed_reads_pages() {
        let CatalogCommand::Seed(args) = parse(&["seed", "--pages", "3"]).unwrap() else {
            panic!("not a seed");
        };
        assert_eq!(args.pages, 3);
        let CatalogCommand::Seed(args) = parse(&["seed"]).unwrap() else {
            panic!("not a seed");
        };
        assert_eq!(args.pages, 5);
        assert!(parse(&["seed", "--pages", "0"]).is_err());
    }
}
