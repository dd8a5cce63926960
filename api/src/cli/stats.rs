//! `reel stats`: member statistics jobs.

#[derive(Debug, clap::Subcommand)]
pub enum StatsCommand {
    /// Recompute stored member statistics (the snapshots percentiles are ranked against).
    Refresh,
}

pub async fn run(command: StatsCommand) -> anyhow::Result<()> {
    anyhow::bail!("`reel stats {command:?}` is not built yet")
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::cli::{Cli, Command};

    #[test]
    fn refresh_takes_no_arguments() {
        let cli = Cli::try_parse_from(["reel", "stats", "refresh"]).unwrap();
        assert!(matches!(cli.command, Command::Stats(StatsCommand::Refresh)));
        assert!(Cli::try_parse_from(["reel", "stats", "refresh", "--all"]).is_err());
    }
}
