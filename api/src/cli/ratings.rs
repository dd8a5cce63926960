//! `reel ratings`: member ratings jobs.

#[derive(Debug, clap::Subcommand)]
pub enum RatingsCommand {
    /// Re-scrape every known member's ratings (resumable).
    Refresh,
}

pub async fn run(command: RatingsCommand) -> anyhow::Result<()> {
    anyhow::bail!("`reel ratings {command:?}` is not built yet")
}
