//! `lists/<name>.csv`: one of the member's lists. Unlike the other files it holds two blocks
//! under a title line, the list's own row and then its films:
//!
//! ```text
//! Letterboxd list export v7
//! Date,Name,Tags,URL,Description
//! 2026-01-05,Festival 2026,,https://letterboxd.com/sam/list/festival-2026/,To see
//!
//! Position,Name,Year,URL,Description
//! 1,Perfect Days,2023,https://boxd.it/DTuG,
//! ```

use model::FilmKey;
use serde::{Deserialize, Serialize};

use super::ExportError;
use super::rows::{FilmRow, LineCounter};

/// A list as read: its name and its films in list order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ListRows {
    pub name: String,
    pub films: Vec<FilmRow>,
}

/// One of the member's lists, its films matched to the catalog where they could be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportList {
    /// As the member named it (`Festival 2026`).
    pub name: String,
    /// In list order.
    pub films: Vec<ListedFilm>,
}

/// A film on a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedFilm {
    pub name: String,
    pub year: Option<u16>,
    /// The film's link as the list gives it (`https://boxd.it/DTuG`).
    pub uri: String,
    /// The catalog film it matched; `None` when none did.
    pub key: Option<FilmKey>,
}

/// Which block the rows being read belong to.
#[derive(Clone, Copy)]
enum Block {
    /// Before any header: the `Letterboxd list export v7` line.
    Title,
    /// Under `Date,Name,...`: the list's own row; `name` is its `Name` column.
    List { name: usize },
    /// Under `Position,Name,Year,URL,...`: the films.
    Films {
        name: usize,
        year: usize,
        uri: usize,
    },
}

/// Reads a list file. The name comes from the list's own row, else from the file name
/// (`lists/festival-2026.csv` is `festival-2026`).
pub(crate) fn list(file: &str, bytes: &[u8]) -> Result<ListRows, ExportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let error = |line: u64, message: String| ExportError::Csv {
        file: file.to_owned(),
        line,
        message,
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut lines = LineCounter::new(bytes);
    let mut record = csv::StringRecord::new();
    let mut block = Block::Title;
    let mut name = None;
    let mut films = Vec::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(err) => {
                let line = err.position().map_or(0, |at| lines.line_at(at.byte()));
                return Err(error(line, err.to_string()));
            }
        }
        let line = record.position().map_or(0, |at| lines.line_at(at.byte()));
        let field = |at: usize| record.get(at).map_or("", str::trim);
        let column = |wanted: &[&str]| {
            record
                .iter()
                .position(|header| wanted.iter().any(|w| header.trim().eq_ignore_ascii_case(w)))
                .ok_or_else(|| error(line, format!("missing column `{}`", wanted[0])))
        };
        if field(0).eq_ignore_ascii_case("Date") {
            block = Block::List {
                name: column(&["Name"])?,
            };
            continue;
        }
        if field(0).eq_ignore_ascii_case("Position") {
            block = Block::Films {
                name: column(&["Name"])?,
                year: column(&["Year"])?,
                uri: column(&["URL", "Letterboxd URI"])?,
            };
            continue;
        }
        match block {
            Block::Title => {}
            Block::List { name: at } => {
                if name.is_none() && !field(at).is_empty() {
                    name = Some(field(at).to_owned());
                }
            }
            Block::Films {
                name: at,
                year,
                uri,
            } => {
                let year = match field(year) {
                    "" => None,
                    raw => Some(
                        raw.parse()
                            .map_err(|_| error(line, format!("Year `{raw}` is not a year")))?,
                    ),
                };
                films.push(FilmRow {
                    line,
                    name: field(at).to_owned(),
                    year,
                    uri: field(uri).to_owned(),
                });
            }
        }
    }
    let name = name.unwrap_or_else(|| {
        let base = file.rsplit(['/', '\\']).next().unwrap_or(file);
        base.strip_suffix(".csv").unwrap_or(base).to_owned()
    });
    Ok(ListRows { name, films })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A list as Letterboxd exports it: CRLF, a description with a comma and a line break, a
    /// film without a year.
    const FESTIVAL: &str = "Letterboxd list export v7\r\n\
        Date,Name,Tags,URL,Description\r\n\
        2026-01-05,Festival 2026,\"cannes, 2026\",https://letterboxd.com/sam/list/festival-2026/,\"To see,\r\nin order\"\r\n\
        \r\n\
        Position,Name,Year,URL,Description\r\n\
        1,Perfect Days,2023,https://boxd.it/DTuG,\r\n\
        2,\"Crouching Tiger, Hidden Dragon\",2000,https://boxd.it/1a,\"a note\"\r\n\
        3,Untitled Project,,https://boxd.it/zz9,\r\n";

    #[test]
    fn reads_the_name_and_the_films_in_order() {
        let list = list("lists/festival-2026.csv", FESTIVAL.as_bytes()).unwrap();
        assert_eq!(list.name, "Festival 2026");
        let names: Vec<&str> = list.films.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Perfect Days",
                "Crouching Tiger, Hidden Dragon",
                "Untitled Project"
            ]
        );
        assert_eq!(list.films[0].year, Some(2023));
        assert_eq!(list.films[0].uri, "https://boxd.it/DTuG");
        assert_eq!(list.films[2].year, None);
        // The description's line break counts: the first film is on line 7.
        assert_eq!(list.films[0].line, 7);
    }

    #[test]
    fn a_list_without_its_own_row_is_named_by_its_file() {
        let csv = "Position,Name,Year,URL,Description\n1,Heat,1995,https://boxd.it/1a,\n";
        let list = list("lists/crime-nights.csv", csv.as_bytes()).unwrap();
        assert_eq!(list.name, "crime-nights");
        assert_eq!(list.films.len(), 1);
    }

    #[test]
    fn an_empty_list_has_no_films_and_a_bad_year_names_its_line() {
        let empty = "Letterboxd list export v7\nDate,Name,Tags,URL,Description\n2026-01-05,Empty,,u,\n\nPosition,Name,Year,URL,Description\n";
        let read = list("lists/empty.csv", empty.as_bytes()).unwrap();
        assert_eq!((read.name.as_str(), read.films.len()), ("Empty", 0));
        let bad = format!("{empty}1,Heat,19x5,https://boxd.it/1a,\n");
        let err = list("lists/empty.csv", bad.as_bytes()).unwrap_err();
        assert!(
            matches!(&err, ExportError::Csv { file, line: 6, message } if file == "lists/empty.csv" && message.contains("19x5")),
            "{err}"
        );
        let no_url = "Position,Name,Year\n1,Heat,1995\n";
        assert!(list("lists/x.csv", no_url.as_bytes()).is_err());
    }
}
