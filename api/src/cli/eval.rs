//! `reel eval`: score models on the evaluation protocol.

#[derive(Debug, clap::Args)]
pub struct EvalArgs {}

pub async fn run(_args: EvalArgs) -> anyhow::Result<()> {
    anyhow::bail!("`reel eval` is not built yet")
}
