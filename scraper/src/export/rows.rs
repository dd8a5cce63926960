//! The CSV files of an export, read into typed rows. Letterboxd writes them with a header line,
//! RFC 4180 quoting (titles with commas and quotes), UTF-8, sometimes a BOM and CRLF line ends.

use model::{Rating, Username, WatchDate};

use super::ExportError;

/// A film as any export file mentions it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FilmRow {
    /// 1-based line of the row in its file (the header is line 1).
    pub line: u64,
    pub name: String,
    pub year: Option<u16>,
    /// `https://boxd.it/XXXX`: the film's short link, or in the diary the entry's.
    pub uri: String,
}

/// A row of `ratings.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RatingRow {
    pub film: FilmRow,
    pub rating: Rating,
}

/// A row of `diary.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DiaryRow {
    pub film: FilmRow,
    pub rating: Option<Rating>,
    pub rewatch: bool,
    /// `Watched Date`, else `Date` (when it was logged).
    pub watched: Option<WatchDate>,
}

/// One CSV record with its columns looked up by header name.
struct Row<'a> {
    record: &'a csv::StringRecord,
    columns: &'a [usize],
}

impl Row<'_> {
    fn get(&self, column: usize) -> &str {
        self.columns
            .get(column)
            .and_then(|&at| self.record.get(at))
            .map_or("", str::trim)
    }
}

/// Calls `visit` with each record of `bytes`, its `columns` looked up in the header (a missing
/// column is an error on line 1). A file with no bytes at all has no rows.
fn each_row(
    file: &str,
    bytes: &[u8],
    columns: &[&str],
    mut visit: impl FnMut(u64, Row<'_>) -> Result<(), String>,
) -> Result<(), ExportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(());
    }
    let error = |line: u64, message: String| ExportError::Csv {
        file: file.to_owned(),
        line,
        message,
    };
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|err| error(1, err.to_string()))?
        .clone();
    let at: Vec<usize> = columns
        .iter()
        .map(|wanted| {
            headers
                .iter()
                .position(|name| name.trim().eq_ignore_ascii_case(wanted))
                .ok_or_else(|| error(1, format!("missing column `{wanted}`")))
        })
        .collect::<Result<_, _>>()?;
    let mut record = csv::StringRecord::new();
    let mut lines = LineCounter::new(bytes);
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(err) => {
                let line = err.position().map_or(0, |at| lines.line_at(at.byte()));
                return Err(error(line, err.to_string()));
            }
        }
        let line = record.position().map_or(0, |at| lines.line_at(at.byte()));
        visit(
            line,
            Row {
                record: &record,
                columns: &at,
            },
        )
        .map_err(|message| error(line, message))?;
    }
}

/// Line numbers from byte offsets. The csv crate's own line count is one short after a CRLF (the
/// LF is consumed as the next record starts), so lines are counted here, skipping the line
/// ending a record offset may still point at. Offsets only grow, so counting is incremental.
pub(crate) struct LineCounter<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            offset: 0,
            line: 1,
        }
    }

    pub(crate) fn line_at(&mut self, byte: u64) -> u64 {
        let mut start = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        while start < self.bytes.len() && matches!(self.bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start >= self.offset {
            self.line += self.bytes[self.offset..start]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            self.offset = start;
        }
        self.line
    }
}

const FILM_COLUMNS: [&str; 3] = ["Name", "Year", "Letterboxd URI"];

fn film_row(line: u64, row: &Row<'_>) -> Result<FilmRow, String> {
    let year = row.get(1);
    Ok(FilmRow {
        line,
        name: row.get(0).to_owned(),
        year: if year.is_empty() {
            None
        } else {
            Some(
                year.parse()
                    .map_err(|_| format!("Year `{year}` is not a year"))?,
            )
        },
        uri: row.get(2).to_owned(),
    })
}

/// `watched.csv`, `watchlist.csv`, `likes/films.csv`, `reviews.csv`: the film columns only.
pub(crate) fn films(file: &str, bytes: &[u8]) -> Result<Vec<FilmRow>, ExportError> {
    let mut rows = Vec::new();
    each_row(file, bytes, &FILM_COLUMNS, |line, row| {
        rows.push(film_row(line, &row)?);
        Ok(())
    })?;
    Ok(rows)
}

/// `ratings.csv`: every row has a rating.
pub(crate) fn ratings(file: &str, bytes: &[u8]) -> Result<Vec<RatingRow>, ExportError> {
    let mut rows = Vec::new();
    each_row(
        file,
        bytes,
        &["Name", "Year", "Letterboxd URI", "Rating"],
        |line, row| {
            let film = film_row(line, &row)?;
            let rating = Rating::parse(row.get(3)).map_err(|err| err.to_string())?;
            rows.push(RatingRow { film, rating });
            Ok(())
        },
    )?;
    Ok(rows)
}

/// `diary.csv`: entries with an optional rating, the rewatch flag and the watched date.
pub(crate) fn diary(file: &str, bytes: &[u8]) -> Result<Vec<DiaryRow>, ExportError> {
    let columns = [
        "Name",
        "Year",
        "Letterboxd URI",
        "Rating",
        "Rewatch",
        "Watched Date",
        "Date",
    ];
    let mut rows = Vec::new();
    each_row(file, bytes, &columns, |line, row| {
        let film = film_row(line, &row)?;
        let rating = match row.get(3) {
            "" => None,
            raw => Some(Rating::parse(raw).map_err(|err| err.to_string())?),
        };
        let watched = date(row.get(5), "Watched Date")?.or(date(row.get(6), "Date")?);
        rows.push(DiaryRow {
            film,
            rating,
            rewatch: row.get(4).eq_ignore_ascii_case("yes"),
            watched,
        });
        Ok(())
    })?;
    Ok(rows)
}

/// `profile.csv`: the member's username.
pub(crate) fn username(file: &str, bytes: &[u8]) -> Result<Option<Username>, ExportError> {
    let mut found = None;
    each_row(file, bytes, &["Username"], |_, row| {
        if found.is_none() && !row.get(0).is_empty() {
            found = Some(Username::parse(row.get(0)).map_err(|err| err.to_string())?);
        }
        Ok(())
    })?;
    Ok(found)
}

/// `YYYY-MM-DD`, a day that exists (no 31 February); empty is unknown.
fn date(raw: &str, column: &str) -> Result<Option<WatchDate>, String> {
    if raw.is_empty() {
        return Ok(None);
    }
    let invalid = || format!("{column} `{raw}` is not a YYYY-MM-DD date");
    let mut parts = raw.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(invalid());
    }
    let year: u16 = y.parse().map_err(|_| invalid())?;
    let month: u8 = m.parse().map_err(|_| invalid())?;
    let day: u8 = d.parse().map_err(|_| invalid())?;
    WatchDate::new(year, month, day)
        .map(Some)
        .ok_or_else(|| format!("{column} `{raw}` is not a day of the calendar"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_bom_crlf_quotes_and_utf8() {
        let csv = "\u{feff}Date,Name,Year,Letterboxd URI,Rating\r\n\
                   2024-01-02,\"Crouching Tiger, Hidden Dragon\",2000,https://boxd.it/1a,4.5\r\n\
                   2024-01-03,\"The \"\"Best\"\" Film\",,https://boxd.it/2b,3\r\n\
                   2024-01-04,Amélie,2001,https://boxd.it/3c,5\r\n";
        let rows = ratings("ratings.csv", csv.as_bytes()).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].film.name, "Crouching Tiger, Hidden Dragon");
        assert_eq!(rows[0].rating.half_stars(), 9);
        assert_eq!(rows[1].film.name, "The \"Best\" Film");
        assert_eq!(rows[1].film.year, None);
        assert_eq!(rows[2].film.name, "Amélie");
        assert_eq!(rows[2].film.line, 4);
    }

    #[test]
    fn a_bad_value_names_file_and_line() {
        let csv =
            "Date,Name,Year,Letterboxd URI,Rating\n2024-01-02,Heat,1995,https://boxd.it/1a,4.2\n";
        let err = ratings("ratings.csv", csv.as_bytes()).unwrap_err();
        assert!(
            matches!(&err, ExportError::Csv { file, line: 2, message } if file == "ratings.csv" && message.contains("4.2")),
            "{err}"
        );
        let missing = ratings("ratings.csv", b"Date,Name,Year\n").unwrap_err();
        assert!(
            matches!(missing, ExportError::Csv { line: 1, .. }),
            "{missing}"
        );
        let ragged = films("watched.csv", b"Date,Name,Year,Letterboxd URI\nx,y\n").unwrap_err();
        assert!(
            matches!(ragged, ExportError::Csv { line: 2, .. }),
            "{ragged}"
        );
    }

    #[test]
    fn a_bad_value_after_crlf_lines_names_its_own_line() {
        let csv = "Date,Name,Year,Letterboxd URI,Rating\r\n\
                   2024-01-02,Heat,1995,https://boxd.it/1a,4\r\n\
                   2024-01-03,Ran,1985,https://boxd.it/2b,4.2\r\n";
        let err = ratings("ratings.csv", csv.as_bytes()).unwrap_err();
        assert!(matches!(&err, ExportError::Csv { line: 3, .. }), "{err}");
    }

    #[test]
    fn reads_diary_dates_and_rewatches() {
        let csv = "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n\
                   2024-05-01,Heat,1995,https://boxd.it/x1,,,,2024-04-30\n\
                   2024-05-02,Heat,1995,https://boxd.it/x2,4,Yes,\"a, b\",\n";
        let rows = diary("diary.csv", csv.as_bytes()).unwrap();
        assert_eq!(rows[0].watched, WatchDate::new(2024, 4, 30));
        assert_eq!(rows[0].rating, None);
        assert!(!rows[0].rewatch);
        assert_eq!(rows[1].watched, WatchDate::new(2024, 5, 2));
        assert!(rows[1].rewatch);
        assert!(diary("diary.csv", b"Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n2024-5,Heat,1995,u,,,,\n").is_err());
    }

    #[test]
    fn refuses_days_the_calendar_lacks() {
        let header = "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n";
        for bad in [
            "2023-02-31",
            "2023-02-29",
            "2024-04-31",
            "2024-13-01",
            "2024-00-10",
            "2024-1-05",
        ] {
            let csv = format!("{header}2024-05-01,Heat,1995,https://boxd.it/x1,,,,{bad}\n");
            let err = diary("diary.csv", csv.as_bytes()).unwrap_err().to_string();
            assert!(err.contains(bad), "{bad}: {err}");
        }
        let leap = format!("{header}2024-05-01,Heat,1995,https://boxd.it/x1,,,,2024-02-29\n");
        let rows = diary("diary.csv", leap.as_bytes()).unwrap();
        assert_eq!(rows[0].watched, WatchDate::new(2024, 2, 29));
    }

    #[test]
    fn empty_files_have_no_rows() {
        assert!(films("watchlist.csv", b"").unwrap().is_empty());
        assert!(
            films("watchlist.csv", b"Date,Name,Year,Letterboxd URI\r\n")
                .unwrap()
                .is_empty()
        );
    }
}
