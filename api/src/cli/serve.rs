//! `reel serve`: run the HTTP API.

#[derive(Debug, clap::Args)]
pub struct ServeArgs {}

pub async fn run(_args: ServeArgs) -> anyhow::Result<()> {
    anyhow::bail!("`reel serve` is not built yet")
}
