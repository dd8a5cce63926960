//! The Letterboxd data export (Settings > Data > Export): the zip exactly as Letterboxd produces
//! it (`letterboxd-USER-YYYY-MM-DD-HH-MM-utc.zip`) or its CSV files uploaded on their own, read
//! into the same [`model::Profile`] a scrape of the member yields.
//!
//! ```text
//! ratings.csv     Date,Name,Year,Letterboxd URI,Rating
//! watched.csv     Date,Name,Year,Letterboxd URI
//! watchlist.csv   Date,Name,Year,Letterboxd URI
//! diary.csv       Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date
//! likes/films.csv Date,Name,Year,Letterboxd URI
//! lists/*.csv     a title line, Date,Name,Tags,URL,Description and one row, then
//!                 Position,Name,Year,URL,Description (see `lists.rs`)
//! reviews.csv     (counted), profile.csv (username)
//! ```

mod archive;
mod error;
mod limits;
mod lists;
mod matching;
mod profile;
mod rows;

pub use error::{ExportError, Limit};
pub use limits::ExportLimits;
pub use lists::{ExportList, ListedFilm};
pub use matching::{CatalogIndex, FilmIndex, NoCatalog, normalise_title};
pub use profile::{ExportCounts, ExportProfile, UnmatchedRow};

use self::archive::{ExportFile, Kind, OneOfEach};
use model::Username;

/// Reads an export zip. `file_name` (as uploaded) gives the username when `profile.csv` does not.
pub fn read_zip(
    bytes: &[u8],
    file_name: Option<&str>,
    index: &dyn FilmIndex,
    limits: &ExportLimits,
) -> Result<ExportProfile, ExportError> {
    let files = archive::unzip(bytes, limits)?;
    let fallback = file_name.and_then(username_from_file_name);
    read(files, fallback, index, limits)
}

/// Reads export CSV files uploaded without their zip, as (file name, bytes): `ratings.csv`,
/// `likes/films.csv` (or `films.csv`), ... Unknown names are ignored; two files of one kind are
/// refused, as in a zip.
pub fn read_files(
    files: &[(String, Vec<u8>)],
    index: &dyn FilmIndex,
    limits: &ExportLimits,
) -> Result<ExportProfile, ExportError> {
    if files.len() as u64 > limits.max_entries as u64 {
        return Err(ExportError::TooLarge {
            limit: Limit::Entries,
            actual: files.len() as u64,
            max: limits.max_entries as u64,
            entry: None,
        });
    }
    let total: u64 = files.iter().map(|(_, bytes)| bytes.len() as u64).sum();
    if total > limits.max_uncompressed_bytes {
        return Err(ExportError::TooLarge {
            limit: Limit::UncompressedBytes,
            actual: total,
            max: limits.max_uncompressed_bytes,
            entry: None,
        });
    }
    let mut kinds = OneOfEach::default();
    let mut known = Vec::new();
    for (name, bytes) in files {
        if let Some(kind) = Kind::of(name) {
            kinds.admit(kind, name)?;
            known.push(ExportFile {
                kind,
                name: name.clone(),
                bytes: bytes.clone(),
            });
        }
    }
    read(known, None, index, limits)
}

/// One uploaded file: a zip (by its magic bytes) or a single CSV named `file_name`.
pub fn read_upload(
    file_name: &str,
    bytes: &[u8],
    index: &dyn FilmIndex,
    limits: &ExportLimits,
) -> Result<ExportProfile, ExportError> {
    if bytes.starts_with(b"PK") {
        read_zip(bytes, Some(file_name), index, limits)
    } else {
        read_files(&[(file_name.to_owned(), bytes.to_vec())], index, limits)
    }
}

/// `letterboxd-samtestacct-2025-11-03-14-05-utc.zip` -> `samtestacct`.
pub fn username_from_file_name(file_name: &str) -> Option<Username> {
    let base = file_name.rsplit(['/', '\\']).next()?;
    let stem = base
        .strip_prefix("letterboxd-")?
        .strip_suffix(".zip")?
        .strip_suffix("-utc")?;
    // Five date parts after the username; usernames never contain `-`.
    let mut parts = stem.rsplitn(6, '-');
    let date: Vec<&str> = parts.by_ref().take(5).collect();
    let name = parts.next()?;
    let is_date = date.len() == 5
        && date
            .iter()
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
    is_date.then(|| Username::parse(name).ok()).flatten()
}

fn read(
    files: Vec<ExportFile>,
    fallback_username: Option<Username>,
    index: &dyn FilmIndex,
    limits: &ExportLimits,
) -> Result<ExportProfile, ExportError> {
    let has_data = files.iter().any(|file| {
        matches!(
            file.kind,
            Kind::Ratings | Kind::Watched | Kind::Watchlist | Kind::Diary | Kind::Likes
        )
    });
    if !has_data {
        return Err(ExportError::NotAnExport {
            reason: "none of ratings.csv, watched.csv, watchlist.csv, diary.csv, likes/films.csv"
                .to_owned(),
        });
    }
    let mut parsed = profile::Rows::default();
    let mut data_files = Vec::new();
    for file in files {
        let name = file.kind.file_name();
        let bytes = &file.bytes;
        if !matches!(file.kind, Kind::Profile | Kind::Reviews | Kind::List) {
            data_files.push(name);
        }
        match file.kind {
            Kind::Profile => parsed.username = rows::username(name, bytes)?,
            Kind::Ratings => parsed.ratings.extend(rows::ratings(name, bytes)?),
            Kind::Watched => parsed.watched.extend(rows::films(name, bytes)?),
            Kind::Watchlist => parsed.watchlist.extend(rows::films(name, bytes)?),
            Kind::Likes => parsed.likes.extend(rows::films(name, bytes)?),
            Kind::Diary => parsed.diary.extend(rows::diary(name, bytes)?),
            Kind::Reviews => parsed.reviews += rows::films(name, bytes)?.len(),
            Kind::List => parsed.lists.push(lists::list(&file.name, bytes)?),
        }
    }
    // A header alone (a new account's export, or a file emptied by hand) would make a profile
    // with nothing in it, which every later request would blame on the member.
    if parsed.film_rows() == 0 {
        return Err(ExportError::NoRows {
            files: data_files.join(", "),
        });
    }
    if parsed.username.is_none() {
        parsed.username = fallback_username;
    }
    Ok(profile::build(parsed, index, limits.max_unmatched_listed))
}

#[cfg(test)]
mod tests {
    use super::*;

    const RATINGS_HEADER: &str = "Date,Name,Year,Letterboxd URI,Rating\n";

    #[test]
    fn a_ratings_csv_without_rows_is_refused() {
        let limits = ExportLimits::default();
        let err = read_upload(
            "ratings.csv",
            RATINGS_HEADER.as_bytes(),
            &NoCatalog,
            &limits,
        )
        .unwrap_err();
        assert!(err.to_string().contains("ratings.csv"), "{err}");
        assert!(err.to_string().contains("no rows"), "{err}");
        let empty = read_upload("ratings.csv", b"", &NoCatalog, &limits);
        assert!(empty.is_err(), "{empty:?}");
    }

    #[test]
    fn unmatched_rows_are_listed_up_to_the_cap_and_all_counted() {
        let limits = ExportLimits::default();
        let rows = limits.max_unmatched_listed + 7;
        let mut csv = String::from(RATINGS_HEADER);
        for at in 0..rows {
            csv.push_str(&format!(
                "2024-01-01,Unknown {at},2001,https://boxd.it/z{at},3\n"
            ));
        }
        let read = read_upload("ratings.csv", csv.as_bytes(), &NoCatalog, &limits).unwrap();
        assert_eq!(read.counts.unmatched_rows, rows);
        assert_eq!(read.unmatched.len(), limits.max_unmatched_listed);
        // The first rows, in file order.
        assert_eq!(read.unmatched[0].line, 2);
        assert_eq!(read.unmatched[0].name, "Unknown 0");
    }

    #[test]
    fn lists_are_kept_beside_the_profile_matched_but_not_counted() {
        let ratings = format!("{RATINGS_HEADER}2024-01-01,Heat,1995,https://boxd.it/1a,4\n");
        let list = "Letterboxd list export v7\nDate,Name,Tags,URL,Description\n\
                    2026-01-05,Festival 2026,,https://letterboxd.com/sam/list/festival-2026/,\n\n\
                    Position,Name,Year,URL,Description\n\
                    1,Ran,1985,https://letterboxd.com/film/ran/,\n\
                    2,Nobody Knows It,2026,https://boxd.it/zz9,\n";
        let files = vec![
            ("ratings.csv".to_owned(), ratings.into_bytes()),
            (
                "lists/festival-2026.csv".to_owned(),
                list.as_bytes().to_vec(),
            ),
        ];
        let read = read_files(&files, &NoCatalog, &ExportLimits::default()).unwrap();
        assert_eq!(read.lists.len(), 1);
        assert_eq!(read.counts.lists, 1);
        let festival = &read.lists[0];
        assert_eq!(festival.name, "Festival 2026");
        let keys: Vec<Option<&str>> = festival
            .films
            .iter()
            .map(|f| f.key.as_ref().map(|k| k.as_str()))
            .collect();
        assert_eq!(keys, [Some("ran"), None]);
        assert_eq!(festival.films[1].uri, "https://boxd.it/zz9");
        // The profile's rows are the ratings alone: a listed film is neither seen nor unmatched.
        assert_eq!(read.counts.unmatched_rows, 1);
        assert!(
            read.profile
                .films_seen
                .iter()
                .all(|f| f.key.as_str() != "ran")
        );
    }

    #[test]
    fn bare_files_of_the_same_kind_are_refused() {
        let ratings = format!("{RATINGS_HEADER}2024-01-01,Heat,1995,u,4\n").into_bytes();
        let files = vec![
            ("ratings.csv".to_owned(), ratings.clone()),
            ("copy/ratings.csv".to_owned(), ratings),
        ];
        let err = read_files(&files, &NoCatalog, &ExportLimits::default()).unwrap_err();
        assert!(err.to_string().contains("copy/ratings.csv"), "{err}");
    }

    #[test]
    fn reads_the_username_from_the_export_file_name() {
        let name = username_from_file_name("letterboxd-sam_test-2025-11-03-14-05-utc.zip");
        assert_eq!(name.unwrap().as_str(), "sam_test");
        assert_eq!(
            username_from_file_name("/tmp/x/letterboxd-ann-2024-01-02-03-04-utc.zip")
                .unwrap()
                .as_str(),
            "ann"
        );
        assert_eq!(username_from_file_name("export.zip"), None);
        assert_eq!(username_from_file_name("letterboxd-ann-utc.zip"), None);
        assert_eq!(
            username_from_file_name("letterboxd--2024-01-02-03-04-utc.zip"),
            None
        );
    }
}
