//! The first-run setup of `reel serve`: with an empty catalog and a dataset beside the checkout,
//! the service imports it, trains the general model and computes member statistics in the
//! background, so the one run command gives a service that recommends.

use std::path::{Path, PathBuf};

/// Where the first-run setup looks for a dataset when `SETUP_DATASET` is not set: the shared
/// dataset beside the repository, from the repository's root.
pub const DEFAULT_DATASET: &str = "../shared/data/letterboxd-1m";

#[derive(Debug, Clone, clap::Args)]
pub struct SetupArgs {
    /// `on`: when data is missing (an empty catalog, no general model, no member statistics) and
    /// a dataset is found, import it, train and compute statistics in the background while the
    /// API serves; `off`: never.
    #[arg(long, env = "AUTO_SETUP", value_name = "on|off", default_value = "on", value_parser = on_off)]
    pub auto_setup: bool,

    /// The dataset the first-run setup imports: a directory holding `films.csv[.gz]` and
    /// `ratings.csv[.gz]` (the letterboxd-1m format) [default: ../shared/data/letterboxd-1m when
    /// it exists].
    #[arg(long, env = "SETUP_DATASET", value_name = "DIR", value_parser = dataset_dir)]
    pub setup_dataset: Option<DatasetFiles>,
}

/// The two files of a dataset in the letterboxd-1m format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatasetFiles {
    pub films: PathBuf,
    pub ratings: PathBuf,
}

impl SetupArgs {
    /// The dataset to set the service up from: none when the setup is off, the one configured,
    /// else [`DEFAULT_DATASET`] when it holds a dataset.
    pub fn dataset(&self) -> Option<DatasetFiles> {
        if !self.auto_setup {
            return None;
        }
        self.setup_dataset
            .clone()
            .or_else(|| DatasetFiles::in_dir(Path::new(DEFAULT_DATASET)).ok())
    }
}

impl DatasetFiles {
    /// The films and ratings files of `dir`, gzipped or not.
    pub fn in_dir(dir: &Path) -> Result<DatasetFiles, String> {
        let find = |name: &str| {
            [format!("{name}.csv.gz"), format!("{name}.csv")]
                .into_iter()
                .map(|file| dir.join(file))
                .find(|path| path.is_file())
                .ok_or_else(|| {
                    format!(
                        "{} holds no {name}.csv or {name}.csv.gz (the letterboxd-1m format)",
                        dir.display()
                    )
                })
        };
        Ok(DatasetFiles {
            films: find("films")?,
            ratings: find("ratings")?,
        })
    }
}

fn dataset_dir(raw: &str) -> Result<DatasetFiles, String> {
    DatasetFiles::in_dir(Path::new(raw.trim()))
}

fn on_off(raw: &str) -> Result<bool, String> {
    match raw.trim() {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => Err("expected `on` or `off`".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dataset_directory_must_hold_both_files() {
        let dir = tempfile::tempdir().unwrap();
        assert!(dataset_dir(dir.path().to_str().unwrap()).is_err());
        std::fs::write(dir.path().join("films.csv.gz"), "").unwrap();
        let err = dataset_dir(dir.path().to_str().unwrap()).unwrap_err();
        assert!(err.contains("ratings.csv"), "{err}");
        std::fs::write(dir.path().join("ratings.csv"), "").unwrap();
        let files = dataset_dir(dir.path().to_str().unwrap()).unwrap();
        assert_eq!(files.films, dir.path().join("films.csv.gz"));
        assert_eq!(files.ratings, dir.path().join("ratings.csv"));
    }

    #[test]
    fn off_means_no_dataset_even_when_one_is_set() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["films.csv", "ratings.csv"] {
            std::fs::write(dir.path().join(name), "").unwrap();
        }
        let files = DatasetFiles::in_dir(dir.path()).unwrap();
        let on = SetupArgs {
            auto_setup: true,
            setup_dataset: Some(files.clone()),
        };
        assert_eq!(on.dataset(), Some(files.clone()));
        let off = SetupArgs {
            auto_setup: false,
            setup_dataset: Some(files),
        };
        assert_eq!(off.dataset(), None);
        assert!(on_off("maybe").is_err());
    }
}
