//! `POST /profiles`: an uploaded Letterboxd export (the zip, or its CSV files) read against the
//! catalog and kept for 24 hours.

use letterboxd::export::{self, CatalogIndex, ExportError, ExportLimits};

use super::{ServiceError, Services};
use crate::domain::{Upload, UploadId};

/// The largest upload read: the export reader's own limit on the zip.
pub const MAX_UPLOAD_BYTES: usize = 32 * 1024 * 1024;

/// One file of the upload, as named by the client.
#[derive(Debug, Clone)]
pub struct UploadedFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl Services {
    #[tracing::instrument(skip_all, fields(files = files.len()))]
    pub async fn create_upload(&self, files: Vec<UploadedFile>) -> Result<Upload, ServiceError> {
        let catalog = self.catalog()?;
        // Against no film, every row would be unmatched: a 201 with 0 ratings, and later errors
        // that blame the member.
        if catalog.catalog.is_empty() {
            return Err(ServiceError::CatalogEmpty);
        }
        let parsed = tokio::task::spawn_blocking(move || {
            let index = CatalogIndex::from_catalog(&catalog.catalog);
            let limits = ExportLimits::default();
            match files.as_slice() {
                [] => Err(ServiceError::UploadInvalid {
                    file: "request".to_owned(),
                    line: None,
                    reason: "no file was uploaded; send the export as a `file` part".to_owned(),
                }),
                [one] => export::read_upload(&one.name, &one.bytes, &index, &limits)
                    .map_err(|err| export_error(err, &one.name)),
                several => {
                    let files: Vec<(String, Vec<u8>)> = several
                        .iter()
                        .map(|f| (f.name.clone(), f.bytes.clone()))
                        .collect();
                    export::read_files(&files, &index, &limits)
                        .map_err(|err| export_error(err, "upload"))
                }
            }
        })
        .await
        .map_err(ServiceError::internal)??;
        let (id, stored) = self.uploads.put(parsed.profile).await?;
        Ok(Upload {
            id,
            stored,
            counts: parsed.counts,
            unmatched: parsed.unmatched,
        })
    }

    /// Removes an upload at once; `false` when there was none.
    pub async fn delete_upload(&self, id: UploadId) -> Result<bool, ServiceError> {
        self.uploads.delete(id).await
    }
}

fn export_error(err: ExportError, uploaded: &str) -> ServiceError {
    match err {
        ExportError::Csv {
            file,
            line,
            message,
        } => ServiceError::UploadInvalid {
            file,
            line: Some(line),
            reason: message,
        },
        // The message names the limit broken (entries, ratio, inflated bytes) and its value.
        ExportError::TooLarge { .. } => ServiceError::UploadTooLarge(err.to_string()),
        ExportError::Archive { ref entry, .. } | ExportError::UnsafeEntry { name: ref entry } => {
            ServiceError::UploadInvalid {
                file: entry.clone(),
                line: None,
                reason: err.to_string(),
            }
        }
        ExportError::NoRows { files } => ServiceError::UploadInvalid {
            file: files,
            line: None,
            reason: "no rows under the header: the export names no film to read".to_owned(),
        },
        ExportError::NotAnExport { .. } | ExportError::DuplicateFile { .. } => {
            ServiceError::UploadInvalid {
                file: uploaded.to_owned(),
                line: None,
                reason: err.to_string(),
            }
        }
    }
}
