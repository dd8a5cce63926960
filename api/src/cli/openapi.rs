//! `reel openapi`: print the OpenAPI document (YAML; `--format json` for JSON). `openapi.yaml`
//! at the repository root is this output, and a test fails when the two differ.

#[derive(Debug, Clone, Copy, Default, clap::ValueEnum)]
pub enum Format {
    #[default]
    Yaml,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct OpenapiArgs {
    #[arg(long, value_enum, default_value_t = Format::Yaml)]
    pub format: Format,
}

pub async fn run(args: OpenapiArgs) -> anyhow::Result<()> {
    let text = match args.format {
        Format::Yaml => crate::router::openapi::yaml()?,
        Format::Json => crate::router::openapi::document().to_pretty_json()? + "\n",
    };
    print!("{text}");
    Ok(())
}
