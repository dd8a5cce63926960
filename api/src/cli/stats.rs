//! `reel stats`: member statistics jobs.

#[derive(Debug, clap::Subcommand)]
pub enum StatsCommand {
    /// Recompute stored member statistics.
    Refresh,
}

pub async fn run(command: StatsCommand) -> anyhow::Result<()> {
    anyhow::bail!("`reel stats {command:?}` is not built yet")
}
