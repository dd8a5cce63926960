//! `reel import`: load a letterboxd-1m style dataset into the store.

#[derive(Debug, clap::Args)]
pub struct ImportArgs {}

pub async fn run(_args: ImportArgs) -> anyhow::Result<()> {
    anyhow::bail!("`reel import` is not built yet")
}
