//! Safe unzipping of an export: limits are checked on the declared sizes first, then again on the
//! bytes actually inflated (a lying header cannot smuggle a bomb past them), and entry names that
//! could escape a directory are refused outright.

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

/// One file of the export, its bytes read (lists are counted, not read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ExportFile {
    pub kind: Kind,
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
            return Err(ExportError::UnsafeEntry { name });
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
            wanted.push((at, name, kind, entry.size()));
        }
    }

    // Second pass: inflate what is read, never past the declared size nor the total budget.
    let mut files = Vec::new();
    let mut inflated: u64 = 0;
    for (at, name, kind, declared) in wanted {
        if kind == Kind::List {
            files.push(ExportFile {
                kind,
                bytes: Vec::new(),
            });
            continue;
        }
        let entry = archive.by_index(at).map_err(|err| ExportError::Archive {
            entry: name.clone(),
            message: err.to_string(),
        })?;
        let budget = declared.min(limits.max_uncompressed_bytes.saturating_sub(inflated));
        let mut data = Vec::with_capacity(usize::try_from(budget.min(1 << 20)).unwrap_or(0));
        entry
            .take(budget.saturating_add(1))
            .read_to_end(&mut data)
            .map_err(|err| ExportError::Archive {
                entry: name.clone(),
                message: err.to_string(),
            })?;
        let read = data.len() as u64;
        if read > declared {
            // More data than the header declared: a crafted archive.
            return Err(ExportError::TooLarge {
                limit: Limit::UncompressedBytes,
                actual: read,
                max: declared,
                entry: Some(name),
            });
        }
        inflated = inflated.saturating_add(read);
        check(
            Limit::UncompressedBytes,
            inflated,
            limits.max_uncompressed_bytes,
            Some(&name),
        )?;
        files.push(ExportFile { kind, bytes: data });
    }
    Ok(files)
}

fn check(limit: Limit, actual: u64, max: u64, entry: Option<&str>) -> Result<(), ExportError> {
    if actual > max {
        Err(ExportError::TooLarge {
            limit,
            actual,
            max,
            entry: entry.map(str::to_owned),
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
    use super::*;

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
