//! `reel usage`: usage series jobs.

#[derive(Debug, clap::Subcommand)]
pub enum UsageCommand {
    /// Write the day's usage row.
    Snapshot,
}

pub async fn run(command: UsageCommand) -> anyhow::Result<()> {
    anyhow::bail!("`reel usage {command:?}` is not built yet")
}
