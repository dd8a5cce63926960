//! `reel openapi`: print the OpenAPI document.

#[derive(Debug, clap::Args)]
pub struct OpenapiArgs {}

pub async fn run(_args: OpenapiArgs) -> anyhow::Result<()> {
    anyhow::bail!("`reel openapi` is not built yet")
}
