//! `reel train`: model training jobs.

use super::job_args::StoreArgs;
use crate::jobs;

#[derive(Debug, clap::Subcommand)]
pub enum TrainCommand {
    /// Train and store a new general model version on every stored member's ratings; serving
    /// picks it up.
    General(TrainGeneralArgs),
}

#[derive(Debug, Clone, clap::Args)]
pub struct TrainGeneralArgs {
    /// A named set of forest hyperparameters from the model crate. Without it, the default
    /// preset (the one the committed benchmark chose) is used.
    #[arg(long, value_name = "NAME", value_parser = parse_preset)]
    pub preset: Option<String>,

    /// Train once, without the held-out twin that scores the new version (the stored metrics
    /// say `"holdout": null`): half the time, for large catalogs on small machines.
    #[arg(long)]
    pub skip_holdout: bool,

    #[command(flatten)]
    pub store: StoreArgs,
}

/// Why a preset name was rejected before looking it up.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("preset name must be 1 to 64 characters of lowercase letters, digits, `-` or `_`")]
pub struct PresetNameError;

/// Preset names are identifiers; which ones exist is the model crate's business, checked when the
/// job runs.
fn parse_preset(text: &str) -> Result<String, PresetNameError> {
    let plain = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_');
    if (1..=64).contains(&text.len()) && text.chars().all(plain) {
        Ok(text.to_owned())
    } else {
        Err(PresetNameError)
    }
}

pub async fn run(command: TrainCommand) -> anyhow::Result<()> {
    let TrainCommand::General(args) = command;
    args.store
        .run(async |store| {
            let holdout = if args.skip_holdout {
                jobs::Holdout::Skip
            } else {
                jobs::Holdout::Score
            };
            let report = jobs::train_general_with(store, args.preset.as_deref(), holdout).await?;
            println!(
                "{}",
                serde_json::to_string_pretty(&serde_json::json!({
                    "model": jobs::GENERAL_MODEL,
                    "version": report.version,
                    "metrics": report.metrics,
                }))?
            );
            Ok(())
        })
        .await
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::cli::{Cli, Command};

    fn parse(args: &[&str]) -> Result<TrainCommand, clap::Error> {
        let cli = Cli::try_parse_from(["reel", "train"].iter().chain(args))?;
        match cli.command {
            Command::Train(command) => Ok(command),
            other => panic!("parsed as {other:?}"),
        }
    }

    #[test]
    fn general_takes_an_optional_preset() {
        let TrainCommand::General(args) = parse(&["general", "--preset", "fast"]).unwrap();
        assert_eq!(args.preset.as_deref(), Some("fast"));
        let TrainCommand::General(args) = parse(&["general"]).unwrap();
        assert_eq!(args.preset, None);
        assert!(
            !args.skip_holdout,
            "the held-out twin is trained unless skipped"
        );
        let TrainCommand::General(args) = parse(&["general", "--skip-holdout"]).unwrap();
        assert!(args.skip_holdout);
    }

    #[test]
    fn general_rejects_odd_preset_names() {
        assert!(parse(&["general", "--preset", ""]).is_err());
        assert!(parse(&["general", "--preset", "Fast Forest"]).is_err());
    }
}
