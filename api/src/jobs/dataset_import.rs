//! Reading a dataset in the letterboxd-1m format (`films.csv[.gz]`, `ratings.csv[.gz]`) and
//! loading it into the store: what `reel import` and the first-run setup share.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use letterboxd::dataset::{self, Split};
use model::Username;

use super::error::JobError;
use crate::store::Store;
use crate::store::dataset::{DatasetRating, ImportChanges};

/// The ratings file, as the import loads it.
#[derive(Debug, Default)]
pub struct RatingsFile {
    pub members: Vec<Username>,
    pub ratings: Vec<DatasetRating>,
    pub community: u64,
    pub train: u64,
    /// Held-out rows, read (and checked) but never imported.
    pub test: u64,
}

/// Reads a ratings file: members in order of first appearance, `test` rows counted and dropped.
/// A member is imported when at least one of their rows is.
pub fn read_ratings(
    path: &Path,
    mut on_rows: impl FnMut(u64),
) -> Result<RatingsFile, dataset::DatasetError> {
    let mut file = RatingsFile::default();
    let mut index: HashMap<Username, u32> = HashMap::new();
    let mut rows = 0_u64;
    dataset::for_each_rating(path, |row| {
        rows += 1;
        if rows.is_multiple_of(50_000) {
            on_rows(rows);
        }
        match row.split {
            Split::Test => {
                file.test += 1;
                return;
            }
            Split::Community => file.community += 1,
            Split::Train => file.train += 1,
        }
        let next = u32::try_from(file.members.len()).unwrap_or(u32::MAX);
        let member = *index.entry(row.user.clone()).or_insert_with(|| {
            file.members.push(row.user);
            next
        });
        file.ratings.push(DatasetRating {
            member,
            key: row.key,
            rating: row.rating,
        });
    })?;
    on_rows(rows);
    Ok(file)
}

/// Reads both files (off the async workers) and loads them in one transaction, as `reel import`
/// does, without its progress bars.
pub async fn import_dataset_files(
    store: &Store,
    films: &Path,
    ratings: &Path,
) -> Result<ImportChanges, JobError> {
    let (films_path, ratings_path): (PathBuf, PathBuf) = (films.to_owned(), ratings.to_owned());
    let (films, file) = tokio::task::spawn_blocking(move || {
        let films = dataset::read_films(&films_path)?;
        let file = read_ratings(&ratings_path, |_| {})?;
        Ok::<_, dataset::DatasetError>((films, file))
    })
    .await?
    .map_err(|err| JobError::Invalid(format!("cannot read the dataset: {err}")))?;
    tracing::info!(
        films = films.len(),
        members = file.members.len(),
        ratings = file.ratings.len(),
        "dataset read; writing it to the store"
    );
    let changes = store
        .import_dataset(&films, &file.members, &file.ratings, &|_| {})
        .await?;
    Ok(changes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_ratings_drops_test_rows_and_indexes_members() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ratings.csv");
        std::fs::write(
            &path,
            "user,slug,rating,split\nann,heat,4.0,community\nbob,heat,3.5,train\n\
             bob,alien,5,test\nann,alien,2.5,community\ncid,alien,1,test\n",
        )
        .unwrap();
        let file = read_ratings(&path, |_| {}).unwrap();
        assert_eq!((file.community, file.train, file.test), (2, 1, 2));
        let names: Vec<&str> = file.members.iter().map(Username::as_str).collect();
        assert_eq!(names, ["ann", "bob"]);
        assert_eq!(file.ratings.len(), 3);
        assert_eq!(file.ratings[2].member, 0);
        assert_eq!(file.ratings[2].rating.half_stars(), 5);
    }
}
