//! TMDB's daily id exports (`movie_ids_MM_DD_YYYY.json.gz`, `tv_series_ids_MM_DD_YYYY.json.gz`):
//! gzip, one JSON object a line, a million lines and more. Read line by line, from a `Read` or
//! from the HTTP body as it arrives, never held whole.

use std::io::{BufRead, BufReader, Read, Write};

use chrono::NaiveDate;
use flate2::read::MultiGzDecoder;
use flate2::write::MultiGzDecoder as GzSink;
use serde::{Deserialize, Serialize};

use crate::TmdbError;
use crate::client::Client;
use crate::metrics::Endpoint;

/// Which export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdKind {
    Movie,
    Tv,
}

impl IdKind {
    /// The file TMDB publishes for `date` (UTC; available from about 08:00 UTC that day, kept
    /// three months).
    pub fn file_name(self, date: NaiveDate) -> String {
        let stem = match self {
            IdKind::Movie => "movie_ids",
            IdKind::Tv => "tv_series_ids",
        };
        format!("{stem}_{}.json.gz", date.format("%m_%d_%Y"))
    }
}

/// One line of an export. Movies carry `original_title` and `video`, series `original_name`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdEntry {
    pub id: u64,
    #[serde(default, alias = "original_name")]
    pub original_title: String,
    #[serde(default)]
    pub popularity: f64,
    #[serde(default)]
    pub adult: bool,
    #[serde(default)]
    pub video: bool,
}

/// Which lines a reader keeps. The default keeps every non-adult, non-video entry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IdFilter {
    /// Entries below this popularity are skipped (TMDB's popularity is open-ended; a
    /// threshold near 1-2 keeps on the order of 100,000 movies).
    pub min_popularity: f64,
    pub include_adult: bool,
    /// `video` marks direct-to-video items TMDB lists apart from films.
    pub include_video: bool,
}

impl Default for IdFilter {
    fn default() -> Self {
        Self {
            min_popularity: 0.0,
            include_adult: false,
            include_video: false,
        }
    }
}

impl IdFilter {
    pub fn keeps(&self, entry: &IdEntry) -> bool {
        entry.popularity >= self.min_popularity
            && (self.include_adult || !entry.adult)
            && (self.include_video || !entry.video)
    }
}

/// What a pass over a file saw.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct IdFileSummary {
    pub lines: u64,
    pub kept: u64,
    /// Lines that were not a JSON object with an id: skipped, not fatal (a bad line must not
    /// cost a million good ones).
    pub unreadable: u64,
}

/// One line read: `None` for a blank line, `Err` for an unreadable one.
fn parse_line(line: &[u8]) -> Option<Result<IdEntry, serde_json::Error>> {
    let line = line.trim_ascii();
    (!line.is_empty()).then(|| serde_json::from_slice(line))
}

/// The kept entries of a gzipped export read from `source`, in file order. Unreadable lines are
/// skipped and counted in [`IdFileReader::summary`]; a broken gzip stream or read error ends
/// the iteration with an `Err`.
pub fn read_gzip<R: Read>(
    source: R,
    filter: IdFilter,
) -> IdFileReader<BufReader<MultiGzDecoder<R>>> {
    IdFileReader::new(BufReader::new(MultiGzDecoder::new(source)), filter)
}

/// An iterator over the kept entries of an uncompressed export.
pub struct IdFileReader<B> {
    source: B,
    filter: IdFilter,
    line: Vec<u8>,
    summary: IdFileSummary,
    failed: bool,
}

impl<B: BufRead> IdFileReader<B> {
    pub fn new(source: B, filter: IdFilter) -> Self {
        Self {
            source,
            filter,
            line: Vec::new(),
            summary: IdFileSummary::default(),
            failed: false,
        }
    }

    pub fn summary(&self) -> IdFileSummary {
        self.summary
    }
}

impl<B: BufRead> Iterator for IdFileReader<B> {
    type Item = std::io::Result<IdEntry>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.failed {
            self.line.clear();
            match self.source.read_until(b'\n', &mut self.line) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(err) => {
                    self.failed = true;
                    return Some(Err(err));
                }
            }
            if let Some(entry) = self.summary.take(parse_line(&self.line), &self.filter) {
                return Some(Ok(entry));
            }
        }
        None
    }
}

impl IdFileSummary {
    fn take(
        &mut self,
        parsed: Option<Result<IdEntry, serde_json::Error>>,
        filter: &IdFilter,
    ) -> Option<IdEntry> {
        match parsed? {
            Err(_) => {
                self.lines += 1;
                self.unreadable += 1;
                None
            }
            Ok(entry) => {
                self.lines += 1;
                filter.keeps(&entry).then(|| {
                    self.kept += 1;
                    entry
                })
            }
        }
    }
}

/// The decompressed side of a streaming download: cuts lines and hands the kept entries on.
struct LineSink<F> {
    partial: Vec<u8>,
    filter: IdFilter,
    summary: IdFileSummary,
    visit: F,
}

impl<F: FnMut(IdEntry)> LineSink<F> {
    fn line(&mut self, line: &[u8]) {
        if let Some(entry) = self.summary.take(parse_line(line), &self.filter) {
            (self.visit)(entry);
        }
    }
}

impl<F: FnMut(IdEntry)> Write for LineSink<F> {
    fn write(&mut self, mut bytes: &[u8]) -> std::io::Result<usize> {
        let written = bytes.len();
        while let Some(end) = bytes.iter().position(|&b| b == b'\n') {
            if self.partial.is_empty() {
                self.line(&bytes[..end]);
            } else {
                let mut line = std::mem::take(&mut self.partial);
                line.extend_from_slice(&bytes[..end]);
                self.line(&line);
            }
            bytes = &bytes[end + 1..];
        }
        self.partial.extend_from_slice(bytes);
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Client {
    /// The download URL of the `kind` export of `date`.
    pub fn id_file_url(&self, kind: IdKind, date: NaiveDate) -> Result<url::Url, TmdbError> {
        self.files_url(&kind.file_name(date))
    }

    /// Streams the `kind` export of `date`, calling `visit` with each entry `filter` keeps, as
    /// the body arrives: memory stays at one chunk and one line whatever the file's size.
    /// A body cut short or not gzip is [`TmdbError::InvalidResponse`] (entries before the cut
    /// have been visited); 404 means TMDB has no file for that date (yet).
    #[tracing::instrument(skip(self, visit))]
    pub async fn stream_id_file(
        &self,
        kind: IdKind,
        date: NaiveDate,
        filter: IdFilter,
        visit: impl FnMut(IdEntry),
    ) -> Result<IdFileSummary, TmdbError> {
        let url = self.id_file_url(kind, date)?;
        let shown = url.to_string();
        let mut response = self.get_response(Endpoint::IdFile, url).await?;
        let invalid = |message: String| TmdbError::InvalidResponse {
            url: shown.clone(),
            message,
        };
        let mut sink = GzSink::new(LineSink {
            partial: Vec::new(),
            filter,
            summary: IdFileSummary::default(),
            visit,
        });
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => sink
                    .write_all(&chunk)
                    .map_err(|err| invalid(format!("not gzip: {err}")))?,
                Ok(None) => break,
                Err(err) => {
                    return Err(TmdbError::Unavailable {
                        url: shown.clone(),
                        attempts: 1,
                        last: format!("download failed midway: {err}"),
                    });
                }
            }
        }
        let mut lines = sink
            .finish()
            .map_err(|err| invalid(format!("gzip stream cut short: {err}")))?;
        if !lines.partial.is_empty() {
            // The last line need not end with a newline.
            let last = std::mem::take(&mut lines.partial);
            lines.line(&last);
        }
        Ok(lines.summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::Compression;
    use flate2::write::GzEncoder;

    const LINES: &str = concat!(
        r#"{"adult":false,"id":3924,"original_title":"Blondie","popularity":2.4,"video":false}"#,
        "\n",
        r#"{"adult":true,"id":5,"original_title":"X","popularity":9.0,"video":false}"#,
        "\n",
        "not json\n\n",
        r#"{"adult":false,"id":6,"original_title":"Low","popularity":0.6,"video":false}"#,
        "\n",
        r#"{"adult":false,"id":7,"original_name":"Série","popularity":30.5}"#,
    );

    fn gzip(text: &str) -> Vec<u8> {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
        encoder.write_all(text.as_bytes()).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn file_names_follow_tmdbs_pattern() {
        let date = NaiveDate::from_ymd_opt(2026, 3, 7).unwrap();
        assert_eq!(
            IdKind::Movie.file_name(date),
            "movie_ids_03_07_2026.json.gz"
        );
        assert_eq!(
            IdKind::Tv.file_name(date),
            "tv_series_ids_03_07_2026.json.gz"
        );
    }

    #[test]
    fn the_reader_keeps_what_the_filter_keeps_and_counts_the_rest() {
        let filter = IdFilter {
            min_popularity: 1.0,
            ..IdFilter::default()
        };
        let bytes = gzip(LINES);
        let mut reader = read_gzip(bytes.as_slice(), filter);
        let kept: Vec<IdEntry> = reader.by_ref().map(Result::unwrap).collect();
        assert_eq!(kept.iter().map(|e| e.id).collect::<Vec<_>>(), [3924, 7]);
        assert_eq!(kept[1].original_title, "Série");
        assert_eq!(
            reader.summary(),
            IdFileSummary {
                lines: 5,
                kept: 2,
                unreadable: 1
            }
        );
    }

    #[test]
    fn a_cut_gzip_stream_ends_in_an_error() {
        let bytes = gzip(&LINES.repeat(50));
        let cut = &bytes[..bytes.len() / 2];
        let results: Vec<_> = read_gzip(cut, IdFilter::default()).collect();
        assert!(results.last().unwrap().is_err());
    }

    #[test]
    fn the_push_side_cuts_lines_across_chunks() {
        let mut seen = Vec::new();
        let mut sink = GzSink::new(LineSink {
            partial: Vec::new(),
            filter: IdFilter::default(),
            summary: IdFileSummary::default(),
            visit: |entry: IdEntry| seen.push(entry.id),
        });
        for chunk in gzip(LINES).chunks(7) {
            sink.write_all(chunk).unwrap();
        }
        let mut lines = sink.finish().unwrap();
        let last = std::mem::take(&mut lines.partial);
        lines.line(&last);
        assert_eq!(lines.summary.lines, 5);
        drop(lines);
        assert_eq!(seen, [3924, 6, 7]);
    }
}
