//! `reel catalog`: film catalog jobs.

#[derive(Debug, clap::Subcommand)]
pub enum CatalogCommand {
    /// Re-scrape every active film and every queued slug (resumable).
    Refresh,
    /// Queue films from popular members' profiles.
    Seed,
}

pub async fn run(command: CatalogCommand) -> anyhow::Result<()> {
    anyhow::bail!("`reel catalog {command:?}` is not built yet")
}
