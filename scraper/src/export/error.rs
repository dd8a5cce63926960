//! Why an uploaded export was refused: one enum for the export boundary, each variant with a
//! stable code the API maps to a problem+json response.

use serde::Serialize;

/// Which hard limit an export broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    CompressedBytes,
    UncompressedBytes,
    Entries,
    CompressionRatio,
}

impl std::fmt::Display for Limit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Limit::CompressedBytes => "compressed size in bytes",
            Limit::UncompressedBytes => "uncompressed size in bytes",
            Limit::Entries => "number of entries",
            Limit::CompressionRatio => "compression ratio",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    /// Not a zip, or a zip without any of the files a Letterboxd export holds.
    #[error("not a Letterboxd export: {reason}")]
    NotAnExport { reason: String },
    /// The archive is a zip but cannot be read (corrupt, encrypted, unsupported compression).
    #[error("unreadable archive entry `{entry}`: {message}")]
    Archive { entry: String, message: String },
    /// A hard limit was exceeded (zip bombs end here, before or while inflating).
    #[error("export too large: {limit} is {actual}, the limit is {max}{}", entry.as_ref().map(|e| format!(" (entry `{e}`)")).unwrap_or_default())]
    TooLarge {
        limit: Limit,
        actual: u64,
        max: u64,
        entry: Option<String>,
    },
    /// An entry name that would escape a directory (`..`, absolute paths, drive letters).
    #[error("unsafe entry name `{name}` in the archive")]
    UnsafeEntry { name: String },
    /// Two entries of the kind an export holds one of (`a/ratings.csv` and `b/ratings.csv`): a
    /// real export never does, and reading both would multiply what one upload costs.
    #[error(
        "the export holds `{file}` twice (`{first}` and `{second}`); a Letterboxd export has one"
    )]
    DuplicateFile {
        file: &'static str,
        first: String,
        second: String,
    },
    /// The export's files have a header and no rows: there is no film to read.
    #[error("{files}: no rows under the header; the export names no film")]
    NoRows { files: String },
    /// A malformed CSV file, named by file and line (1-based; the header is line 1).
    #[error("{file}:{line}: {message}")]
    Csv {
        file: String,
        line: u64,
        message: String,
    },
}

impl ExportError {
    /// A stable, machine-readable code for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            ExportError::NotAnExport { .. } => "export_not_recognised",
            ExportError::Archive { .. } => "export_unreadable",
            ExportError::TooLarge { .. } => "export_too_large",
            ExportError::UnsafeEntry { .. } => "export_unsafe_entry",
            ExportError::Csv { .. } => "export_malformed_csv",
            ExportError::DuplicateFile { .. } => "export_duplicate_file",
            ExportError::NoRows { .. } => "export_no_rows",
        }
    }
}
