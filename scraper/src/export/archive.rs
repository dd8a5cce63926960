//! Safe unzipping of an export: limits are checked on the declared sizes first, then again on the
//! bytes actually inflated (a lying header cannot smuggle a bomb past them), and entry names that
//! could escape a directory are refused outright.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use super::{ExportError, ExportLimits, Limit};

/// The files of an export the reader uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Kind {
    Profile,
    Ratings,
    Watched,
    Watchlist,
    Diary,
    Reviews,
    Likes,
    List,
}

impl Kind {
    /// Classifies an entry path (`ratings.csv`, `likes/films.csv`, `lists/x.csv`), allowing one
    /// wrapping folder (an export unzipped and zipped again). Anything else, including the
    /// `deleted/` and `orphaned/` folders, is not read.
    pub(crate) fn of(path: &str) -> Option<Kind> {
        let parts: Vec<&str> = path
            .split(['/', '\\'])
            .filter(|part| !part.is_empty() && *part != ".")
            .collect();
        let parts = match parts.as_slice() {
            [first, rest @ ..]
                if !rest.is_empty()
                    && !matches!(*first, "likes" | "lists" | "deleted" | "orphaned") =>
            {
                rest
            }
            all => all,
        };
        match parts {
            ["profile.csv"] => Some(Kind::Profile),
            ["ratings.csv"] => Some(Kind::Ratings),
            ["watched.csv"] => Some(Kind::Watched),
            ["watchlist.csv"] => Some(Kind::Watchlist),
            ["diary.csv"] => Some(Kind::Diary),
            ["reviews.csv"] => Some(Kind::Reviews),
            ["likes", "films.csv"] | ["films.csv"] => Some(Kind::Likes),
            ["lists", name] if name.ends_with(".csv") => Some(Kind::List),
            _ => None,
        }
    }

    pub(crate) fn file_name(self) -> &'static str {
        match self {
            Kind::Profile => "profile.csv",
            Kind::Ratings => "ratings.csv",
            Kind::Watched => "watched.csv",
            Kind::Watchlist => "watchlist.csv",
            Kind::Diary => "diary.csv",
            Kind::Reviews => "reviews.csv",
            Kind::Likes => "likes/films.csv",
            Kind::List => "lists/",
        }
    }
}

/// The one file of each kind an export holds (lists aside: one file per list). A second file of
/// a kind is refused rather than read: `<folder>/ratings.csv` a thousand times over would
/// otherwise be a thousand ratings files for the price of one compressed copy.
#[derive(Debug, Default)]
pub(crate) struct OneOfEach(BTreeMap<Kind, String>);

impl OneOfEach {
    pub(crate) fn admit(&mut self, kind: Kind, name: &str) -> Result<(), ExportError> {
        if kind == Kind::List {
            return Ok(());
        }
        match self.0.get(&kind) {
            Some(first) => Err(ExportError::DuplicateFile {
                file: kind.file_name(),
                first: shown(first),
                second: shown(name),
            }),
            None => {
                self.0.insert(kind, name.to_owned());
                Ok(())
            }
        }
    }
}

/// An entry name as an error shows it: a zip allows 64 KiB names, a problem detail should not.
pub(crate) fn shown(name: &str) -> String {
    const MAX_CHARS: usize = 120;
    match name.char_indices().nth(MAX_CHARS) {
        Some((at, _)) => format!("{}…", &name[..at]),
        None => name.to_owned(),
    }
}

/// One file of the export, its bytes read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ExportFile {
    pub kind: Kind,
    /// The entry's name in the zip (or the uploaded file's): a list's errors name its file.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Reads the export files out of a zip, within `limits`.
pub(crate) fn unzip(bytes: &[u8], limits: &ExportLimits) -> Result<Vec<ExportFile>, ExportError> {
    check(
        Limit::CompressedBytes,
        bytes.len() as u64,
        limits.max_compressed_bytes,
        None,
    )?;
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|err| ExportError::NotAnExport {
            reason: format!("not a zip archive ({err})"),
        })?;
    check(
        Limit::Entries,
        archive.len() as u64,
        limits.max_entries as u64,
        None,
    )?;

    // First pass: names and declared sizes, before inflating anything.
    let mut wanted = Vec::new();
    let mut kinds = OneOfEach::default();
    let mut declared_total: u64 = 0;
    for at in 0..archive.len() {
        let entry = archive
            .by_index_raw(at)
            .map_err(|err| unreadable(at, err))?;
        let name = entry
            .name()
            .map(|name| name.into_owned())
            .unwrap_or_else(|_| String::from_utf8_lossy(entry.name_raw()).into_owned());
        if is_unsafe(&name) || entry.enclosed_name().is_none() {
            return Err(ExportError::UnsafeEntry { name: shown(&name) });
        }
        declared_total = declared_total.saturating_add(entry.size());
        check(
            Limit::UncompressedBytes,
            declared_total,
            limits.max_uncompressed_bytes,
            Some(&name),
        )?;
        if entry.size() >= limits.ratio_floor_bytes {
            let ratio = entry.size() / entry.compressed_size().max(1);
            check(
                Limit::CompressionRatio,
                ratio,
                limits.max_compression_ratio,
                Some(&name),
            )?;
        }
        if entry.is_file()
            && let Some(kind) = Kind::of(&name)
        {
            kinds.admit(kind, &name)?;
            wanted.push((at, name, kind, entry.size()));
        }
    }
    // Many entries each under the floor add up: the archive as a whole is checked too, against
    // its own length (entries may share compressed bytes, so their compressed sizes can lie).
    if declared_total >= limits.ratio_floor_bytes {
        check(
            Limit::CompressionRatio,
            declared_total / (bytes.len() as u64).max(1),
            limits.max_compression_ratio,
            None,
        )?;
    }

    // Second pass: inflate what is read, never past the declared size nor the total budget.
    let mut files = Vec::new();
    let mut inflated: u64 = 0;
    for (at, name, kind, declared) in wanted {
        let entry = archive.by_index(at).map_err(|err| ExportError::Archive {
            entry: shown(&name),
            message: err.to_string(),
        })?;
        let budget = declared.min(limits.max_uncompressed_bytes.saturating_sub(inflated));
        let mut data = Vec::with_capacity(usize::try_from(budget.min(1 << 20)).unwrap_or(0));
        entry
            .take(budget.saturating_add(1))
            .read_to_end(&mut data)
            .map_err(|err| ExportError::Archive {
                entry: shown(&name),
                message: err.to_string(),
            })?;
        let read = data.len() as u64;
        if read > declared {
            // More data than the header declared: a crafted archive.
            return Err(ExportError::TooLarge {
                limit: Limit::UncompressedBytes,
                actual: read,
                max: declared,
                entry: Some(shown(&name)),
            });
        }
        inflated = inflated.saturating_add(read);
        check(
            Limit::UncompressedBytes,
            inflated,
            limits.max_uncompressed_bytes,
            Some(&name),
        )?;
        files.push(ExportFile {
            kind,
            name,
            bytes: data,
        });
    }
    Ok(files)
}

fn check(limit: Limit, actual: u64, max: u64, entry: Option<&str>) -> Result<(), ExportError> {
    if actual > max {
        Err(ExportError::TooLarge {
            limit,
            actual,
            max,
            entry: entry.map(shown),
        })
    } else {
        Ok(())
    }
}

fn unreadable(at: usize, err: zip::result::ZipError) -> ExportError {
    ExportError::Archive {
        entry: format!("#{at}"),
        message: err.to_string(),
    }
}

/// `..` anywhere, an absolute path, a drive letter or a NUL byte.
fn is_unsafe(name: &str) -> bool {
    name.contains('\0')
        || name.starts_with(['/', '\\'])
        || name.get(1..2) == Some(":")
        || name.split(['/', '\\']).any(|part| part == "..")
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    const RATINGS: &[u8] = b"Date,Name,Year,Letterboxd URI,Rating\n2024-01-01,Heat,1995,u,4\n";

    fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, body) in files {
            zip.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(body).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    /// Sets the uncompressed size every local and central header declares.
    fn declare_sizes(zip: &mut [u8], size: u32) {
        for (signature, offset) in [(b"PK\x03\x04", 22), (b"PK\x01\x02", 24)] {
            let starts: Vec<usize> = zip
                .windows(4)
                .enumerate()
                .filter(|(_, window)| window == signature)
                .map(|(at, _)| at)
                .collect();
            for at in starts {
                zip[at + offset..at + offset + 4].copy_from_slice(&size.to_le_bytes());
            }
        }
    }

    #[test]
    fn a_second_file_of_a_kind_is_refused_before_inflating() {
        // The amplification of issue 19: every `<folder>/ratings.csv` was read and concatenated.
        let zip = zip_of(&[("a/ratings.csv", RATINGS), ("b/ratings.csv", RATINGS)]);
        let err = unzip(&zip, &ExportLimits::default()).unwrap_err();
        assert!(err.to_string().contains("ratings.csv"), "{err}");
        assert!(err.to_string().contains("b/ratings.csv"), "{err}");
        // `films.csv` is how `likes/films.csv` arrives on its own: both are the likes.
        let zip = zip_of(&[("likes/films.csv", RATINGS), ("films.csv", RATINGS)]);
        assert!(unzip(&zip, &ExportLimits::default()).is_err());
        // Lists are one file each, and what the reader ignores may repeat.
        let zip = zip_of(&[
            ("ratings.csv", RATINGS),
            ("lists/a.csv", b"x"),
            ("lists/b.csv", b"x"),
            ("deleted/ratings.csv", RATINGS),
            ("orphaned/ratings.csv", RATINGS),
        ]);
        assert_eq!(unzip(&zip, &ExportLimits::default()).unwrap().len(), 3);
    }

    #[test]
    fn the_whole_archive_is_ratio_checked_not_only_large_entries() {
        // Eight entries under the per-entry floor, together far more compressible than any
        // real export.
        let blank = vec![b' '; 256 * 1024];
        let mut files: Vec<(String, &[u8])> = (0..8)
            .map(|at| (format!("deleted/{at}.csv"), blank.as_slice()))
            .collect();
        files.push(("ratings.csv".to_owned(), RATINGS));
        let named: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (n.as_str(), *b)).collect();
        let zip = zip_of(&named);
        let limits = ExportLimits::default();
        assert!(blank.len() as u64 <= limits.ratio_floor_bytes);
        let err = unzip(&zip, &limits).unwrap_err();
        assert!(err.to_string().contains("compression ratio"), "{err}");
    }

    #[test]
    fn every_entry_counts_against_one_budget_sized_from_real_exports() {
        // Two unread entries declaring 40 MiB each: together over the budget, though neither is
        // ever inflated (the ratio check is lifted to reach the budget's own).
        let mut zip = zip_of(&[("deleted/a.csv", b"x"), ("deleted/b.csv", b"x")]);
        declare_sizes(&mut zip, 40 << 20);
        let limits = ExportLimits {
            max_compression_ratio: u64::MAX,
            ..ExportLimits::default()
        };
        let err = unzip(&zip, &limits).unwrap_err();
        assert!(
            err.to_string().contains("uncompressed size in bytes"),
            "{err}"
        );
    }

    #[test]
    fn classifies_export_paths() {
        assert_eq!(Kind::of("ratings.csv"), Some(Kind::Ratings));
        assert_eq!(Kind::of("likes/films.csv"), Some(Kind::Likes));
        assert_eq!(
            Kind::of("letterboxd-ann-2025/likes/films.csv"),
            Some(Kind::Likes)
        );
        assert_eq!(Kind::of("lists/my-list.csv"), Some(Kind::List));
        assert_eq!(Kind::of("deleted/diary.csv"), None);
        assert_eq!(Kind::of("orphaned/ratings.csv"), None);
        assert_eq!(Kind::of("likes/reviews.csv"), None);
        assert_eq!(Kind::of("comments.csv"), None);
    }

    #[test]
    fn flags_escaping_names() {
        for name in [
            "../x.csv",
            "a/../../x",
            "/etc/passwd",
            "\\x",
            "C:x",
            "a\0b",
            "a\\..\\b",
        ] {
            assert!(is_unsafe(name), "{name:?}");
        }
        for name in ["ratings.csv", "likes/films.csv", "a..b.csv"] {
            assert!(!is_unsafe(name), "{name:?}");
        }
    }
}
