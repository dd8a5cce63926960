//! `reel usage`: usage series jobs.

use chrono::NaiveDate;

use super::job_args::StoreArgs;
use crate::jobs;

#[derive(Debug, clap::Subcommand)]
pub enum UsageCommand {
    /// Write one day's usage row (members, uses); running it again for a day replaces that row.
    Snapshot(SnapshotArgs),
}

#[derive(Debug, Clone, clap::Args)]
pub struct SnapshotArgs {
    /// The UTC day to snapshot, as YYYY-MM-DD. Defaults to yesterday (UTC), the last complete day,
    /// so a run scheduled just after midnight records a whole day.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub date: Option<NaiveDate>,

    #[command(flatten)]
    pub store: StoreArgs,
}

/// Only the ISO form: chrono's `FromStr` alone would also accept other layouts.
fn parse_date(text: &str) -> Result<NaiveDate, chrono::ParseError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
}

pub async fn run(command: UsageCommand) -> anyhow::Result<()> {
    let UsageCommand::Snapshot(args) = command;
    args.store
        .run(async |store| {
            let row = jobs::snapshot_usage(store, args.date).await?;
            println!(
                "{}",
                serde_json::json!({ "day": row.day, "members": row.members, "uses": row.uses })
            );
            Ok(())
        })
        .await
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::cli::{Cli, Command};

    fn parse(args: &[&str]) -> Result<UsageCommand, clap::Error> {
        let cli = Cli::try_parse_from(["reel", "usage"].iter().chain(args))?;
        match cli.command {
            Command::Usage(command) => Ok(command),
            other => panic!("parsed as {other:?}"),
        }
    }

    #[test]
    fn snapshot_takes_an_iso_date() {
        let UsageCommand::Snapshot(args) = parse(&["snapshot", "--date", "2026-02-28"]).unwrap();
        assert_eq!(args.date, NaiveDate::from_ymd_opt(2026, 2, 28));
        let UsageCommand::Snapshot(args) = parse(&["snapshot"]).unwrap();
        assert_eq!(args.date, None);
    }

    #[test]
    fn snapshot_rejects_impossible_or_other_date_forms() {
        assert!(parse(&["snapshot", "--date", "2026-02-30"]).is_err());
        assert!(parse(&["snapshot", "--date", "28/02/2026"]).is_err());
        assert!(parse(&["snapshot", "--date", "yesterday"]).is_err());
    }
}
