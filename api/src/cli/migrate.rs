//! `reel migrate`: apply pending migrations.

#[derive(Debug, clap::Args)]
pub struct MigrateArgs {}

pub async fn run(_args: MigrateArgs) -> anyhow::Result<()> {
    anyhow::bail!("`reel migrate` is not built yet")
}
