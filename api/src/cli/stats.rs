//! `reel stats`: member statistics jobs.

use super::job_args::StoreArgs;
use crate::jobs::{self, Progress};

#[derive(Debug, clap::Subcommand)]
pub enum StatsCommand {
    /// Recompute stored member statistics (the snapshots percentiles are ranked against).
    Refresh(StatsRefreshArgs),
}

#[derive(Debug, Clone, clap::Args)]
pub struct StatsRefreshArgs {
    #[command(flatten)]
    pub store: StoreArgs,
}

pub async fn run(command: StatsCommand) -> anyhow::Result<()> {
    let StatsCommand::Refresh(args) = command;
    args.store
        .run(async |store| {
            let progress = Progress::new("stats refresh", None);
            let report = jobs::refresh_stats(store, &progress).await?;
            progress.finish();
            tracing::info!(
                snapshots = report.snapshots,
                members_with_too_few_ratings = report.skipped,
                "stats refresh finished"
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

    #[test]
    fn refresh_takes_no_arguments() {
        let cli = Cli::try_parse_from(["reel", "stats", "refresh"]).unwrap();
        assert!(matches!(
            cli.command,
            Command::Stats(StatsCommand::Refresh(_))
        ));
        assert!(Cli::try_parse_from(["reel", "stats", "refresh", "--all"]).is_err());
    }
}
