//! `reel train`: model training jobs.

#[derive(Debug, clap::Subcommand)]
pub enum TrainCommand {
    /// Train and store a new general model version.
    General,
}

pub async fn run(command: TrainCommand) -> anyhow::Result<()> {
    anyhow::bail!("`reel train {command:?}` is not built yet")
}
