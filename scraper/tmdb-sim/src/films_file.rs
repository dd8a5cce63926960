//! Film lists in the letterboxd-1m format (`films.csv[.gz]`), read leniently: any column but
//! `title` may be missing or blank, and a film list may add `tmdb_id`, `imdb_id` and
//! `original_title` columns, which the world then uses as they are.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use flate2::read::MultiGzDecoder;
use serde::Deserialize;

/// Whether TMDB files a title under `/movie` or `/tv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Movie,
    Tv,
}

/// One film of a list, before the world gives it TMDB's figures.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SourceFilm {
    pub slug: String,
    pub title: String,
    pub original_title: Option<String>,
    pub year: Option<u16>,
    pub runtime: Option<u32>,
    /// TMDB movie genre names (`Science Fiction`).
    pub genres: Vec<String>,
    pub language: Option<String>,
    pub popularity: Option<f64>,
    pub kind: Option<Kind>,
    pub lb_rating: Option<f64>,
    pub lb_rating_count: Option<u64>,
    pub tmdb_id: Option<u64>,
    pub imdb_id: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum FilmsFileError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Row {
        path: PathBuf,
        line: u64,
        message: String,
    },
}

#[derive(Deserialize)]
#[serde(default)]
#[derive(Default)]
struct Row {
    slug: String,
    title: String,
    original_title: String,
    year: String,
    runtime: String,
    genres: String,
    language: String,
    tmdb_popularity: String,
    content_type: String,
    lb_rating: String,
    lb_rating_count: String,
    tmdb_id: String,
    imdb_id: String,
}

/// Every film of a `films.csv` or `films.csv.gz`; rows without a title are skipped.
pub fn read_films(path: &Path) -> Result<Vec<SourceFilm>, FilmsFileError> {
    let io = |source| FilmsFileError::Io {
        path: path.to_owned(),
        source,
    };
    let file = BufReader::new(File::open(path).map_err(io)?);
    let reader: Box<dyn Read> = if path.extension().is_some_and(|ext| ext == "gz") {
        Box::new(MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let mut films = Vec::new();
    for row in csv.deserialize::<Row>() {
        let row = row.map_err(|err| FilmsFileError::Row {
            path: path.to_owned(),
            line: err.position().map_or(0, csv::Position::line),
            message: err.to_string(),
        })?;
        if let Some(film) = from_row(row) {
            films.push(film);
        }
    }
    Ok(films)
}

fn from_row(row: Row) -> Option<SourceFilm> {
    let title = row.title.trim().to_owned();
    if title.is_empty() {
        return None;
    }
    let text = |raw: &str| Some(raw.trim().to_owned()).filter(|t| !t.is_empty());
    let number = |raw: &str| raw.trim().parse::<f64>().ok().filter(|n| n.is_finite());
    let whole = |raw: &str| number(raw).filter(|n| *n >= 0.0).map(|n| n.round() as u64);
    Some(SourceFilm {
        slug: text(&row.slug).unwrap_or_else(|| tmdb::normalize_title(&title).replace(' ', "-")),
        original_title: text(&row.original_title),
        year: whole(&row.year)
            .and_then(|y| u16::try_from(y).ok())
            .filter(|y| *y > 1800),
        runtime: whole(&row.runtime)
            .and_then(|m| u32::try_from(m).ok())
            .filter(|m| *m > 0),
        genres: row
            .genres
            .split('|')
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(str::to_owned)
            .collect(),
        language: text(&row.language),
        popularity: number(&row.tmdb_popularity).filter(|p| *p >= 0.0),
        kind: match row.content_type.trim().to_ascii_lowercase().as_str() {
            "movie" => Some(Kind::Movie),
            "tv" => Some(Kind::Tv),
            _ => None,
        },
        lb_rating: number(&row.lb_rating).filter(|r| (0.5..=5.0).contains(r)),
        lb_rating_count: whole(&row.lb_rating_count),
        tmdb_id: whole(&row.tmdb_id).filter(|id| *id > 0),
        imdb_id: text(&row.imdb_id),
        title,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn reads_the_dataset_format_and_lists_with_fewer_or_more_columns() {
        let dir = tempfile::tempdir().unwrap();
        let full = dir.path().join("films.csv");
        std::fs::File::create(&full)
            .unwrap()
            .write_all(
                "slug,title,year,runtime,genres,language,tmdb_popularity,content_type,image_url,lb_rating,lb_rating_count\n\
                 amelie,Amélie,2001.0,122.0,Comedy|Romance,fr,19.47,movie,x,4.066,16487\n\
                 blank,,,,,,,,,,\n\
                 show,Show,,,,,,tv,,,\n"
                    .as_bytes(),
            )
            .unwrap();
        let films = read_films(&full).unwrap();
        assert_eq!(films.len(), 2);
        assert_eq!(films[0].year, Some(2001));
        assert_eq!(films[0].genres, ["Comedy", "Romance"]);
        assert_eq!(films[0].lb_rating_count, Some(16487));
        assert_eq!(films[1].kind, Some(Kind::Tv));
        assert_eq!(films[1].runtime, None);

        let short = dir.path().join("list.csv");
        std::fs::File::create(&short)
            .unwrap()
            .write_all("title,year,tmdb_id\nHeat,1995,949\n".as_bytes())
            .unwrap();
        let films = read_films(&short).unwrap();
        assert_eq!(films[0].tmdb_id, Some(949));
        assert_eq!(films[0].slug, "heat");
    }
}
