//! `POST /profiles`: an uploaded Letterboxd export (the zip, or its CSV files) read against the
//! catalog and kept for 24 hours.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use letterboxd::export::{self, CatalogIndex, ExportError, ExportLimits, ExportProfile, FilmIndex};
use model::{Catalog, Film, FilmKey};

use super::film_lookup::Miss;
use super::{ServiceError, Services};
use crate::domain::{Resolution, Upload, UploadId};

/// The largest upload read: the export reader's own limit on the zip.
pub const MAX_UPLOAD_BYTES: usize = 32 * 1024 * 1024;

/// One file of the upload, as named by the client.
#[derive(Debug, Clone)]
pub struct UploadedFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl Services {
    /// Reads an upload against the catalog. With a film source, rows the catalog does not know
    /// are looked up by title and year, the films found are added to the catalog, and the upload
    /// is read again against it, so those rows count at once.
    #[tracing::instrument(skip_all, fields(files = files.len()))]
    pub async fn create_upload(&self, files: Vec<UploadedFile>) -> Result<Upload, ServiceError> {
        let mut catalog = self.catalog()?;
        // Against no film, every row would be unmatched: a 201 with 0 ratings, and later errors
        // that blame the member.
        if catalog.catalog.is_empty() {
            return Err(ServiceError::CatalogEmpty);
        }
        let files = Arc::new(files);
        let (mut parsed, misses) = read_export(&files, catalog.catalog.clone(), None).await?;
        let mut resolution = None;
        if let Some(lookup) = &self.film_lookup
            && !misses.is_empty()
        {
            let lookups = lookup.look_up(misses).await;
            let before = parsed.counts.matched_rows;
            if !lookups.found.is_empty() {
                let films: Vec<Film> = lookups.found.values().cloned().collect();
                catalog = self
                    .catalog
                    .add_films(films)
                    .await
                    .map_err(|err| ServiceError::StoreUnavailable(Arc::new(err)))?;
                let resolved = resolved_keys(&lookups.found);
                parsed = read_export(&files, catalog.catalog.clone(), Some(resolved))
                    .await?
                    .0;
            }
            resolution = Some(Resolution {
                source: lookup.source_name(),
                resolved_rows: parsed.counts.matched_rows.saturating_sub(before),
                films_found: lookups
                    .found
                    .values()
                    .map(|film| &film.key)
                    .collect::<std::collections::HashSet<_>>()
                    .len(),
                titles_not_found: lookups.not_found,
                titles_skipped: lookups.skipped,
                stopped_by: lookups.stopped_by,
            });
        }
        let (id, stored) = self.uploads.put(parsed.profile, parsed.lists).await?;
        Ok(Upload {
            id,
            stored,
            counts: parsed.counts,
            unmatched: parsed.unmatched,
            resolution,
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

/// Rows nothing matched, by title and year, with the boxd.it id a row gave.
pub type Misses = BTreeMap<Miss, Option<String>>;

/// The catalog's index, plus films a source found for titles it lacked, noting what still
/// matches nothing.
pub struct UploadIndex {
    catalog: CatalogIndex,
    resolved: HashMap<Miss, FilmKey>,
    misses: Mutex<Misses>,
}

impl UploadIndex {
    pub fn new(catalog: CatalogIndex, resolved: HashMap<Miss, FilmKey>) -> Self {
        Self {
            catalog,
            resolved,
            misses: Mutex::new(BTreeMap::new()),
        }
    }

    /// The rows that matched nothing in the reads through this index.
    pub fn into_misses(self) -> Misses {
        self.misses.into_inner().unwrap_or_default()
    }
}

/// What a source found, as the second read through an [`UploadIndex`] takes it.
pub fn resolved_keys(found: &HashMap<Miss, Film>) -> HashMap<Miss, FilmKey> {
    found
        .iter()
        .map(|(miss, film)| (miss.clone(), film.key.clone()))
        .collect()
}

impl FilmIndex for UploadIndex {
    fn by_boxd_id(&self, id: &str) -> Option<FilmKey> {
        self.catalog.by_boxd_id(id)
    }

    fn by_title_year(&self, title_norm: &str, year: Option<u16>) -> Option<FilmKey> {
        let miss = Miss {
            title_norm: title_norm.to_owned(),
            year,
        };
        self.resolved
            .get(&miss)
            .cloned()
            .or_else(|| self.catalog.by_title_year(title_norm, year))
    }

    fn unmatched(&self, title_norm: &str, year: Option<u16>, boxd_id: Option<&str>) {
        if title_norm.is_empty() {
            return;
        }
        if let Ok(mut misses) = self.misses.lock() {
            let miss = Miss {
                title_norm: title_norm.to_owned(),
                year,
            };
            let entry = misses.entry(miss).or_default();
            if entry.is_none() {
                *entry = boxd_id.map(str::to_owned);
            }
        }
    }
}

/// Reads the upload against `catalog` (and films `resolved` for titles it lacked), off the
/// async workers; returns the export and the rows that matched nothing.
async fn read_export(
    files: &Arc<Vec<UploadedFile>>,
    catalog: Arc<Catalog>,
    resolved: Option<HashMap<Miss, FilmKey>>,
) -> Result<(ExportProfile, Misses), ServiceError> {
    let files = Arc::clone(files);
    tokio::task::spawn_blocking(move || {
        let index = UploadIndex::new(
            CatalogIndex::from_catalog(&catalog),
            resolved.unwrap_or_default(),
        );
        let limits = ExportLimits::default();
        let parsed = match files.as_slice() {
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
        }?;
        Ok((parsed, index.into_misses()))
    })
    .await
    .map_err(ServiceError::internal)?
}
