//! Reader for datasets in the format of `shared/data/letterboxd-1m/` (`films.csv[.gz]`,
//! `ratings.csv[.gz]`), used by `reel import`, `reel eval` and the simulated Letterboxd.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use flate2::read::MultiGzDecoder;
use model::{ContentType, Film, Genre, GenreSet, Rating, Slug, Username};
use serde::Deserialize;

/// Where a dataset row goes in the evaluation protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Split {
    /// Training data for the general model; never scored.
    Community,
    /// A scored member's rows that models may read.
    Train,
    /// A scored member's held-out rows: for scoring only, never imported.
    Test,
}

/// One row of `ratings.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct DatasetRating {
    pub user: Username,
    pub slug: Slug,
    pub rating: Rating,
    pub split: Split,
}

/// A row that could not be read, named by file and line (1-based, header is line 1).
#[derive(Debug, thiserror::Error)]
pub enum DatasetError {
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

/// Poster images in the dataset are paths below Letterboxd's image host.
const POSTER_HOST: &str = "https://a.ltrbxd.com/resized/";

#[derive(Deserialize)]
struct FilmRow {
    slug: String,
    title: String,
    year: String,
    runtime: String,
    genres: String,
    language: String,
    content_type: String,
    image_url: String,
    lb_rating: String,
    lb_rating_count: String,
}

#[derive(Deserialize)]
struct RatingRow {
    user: String,
    slug: String,
    rating: String,
    split: String,
}

/// Reads every film of a `films.csv` or `films.csv.gz`.
pub fn read_films(path: &Path) -> Result<Vec<Film>, DatasetError> {
    let mut films = Vec::new();
    for_each_row(path, |row: FilmRow| {
        films.push(film_from_row(row)?);
        Ok(())
    })?;
    Ok(films)
}

/// Calls `visit` with every rating of a `ratings.csv` or `ratings.csv.gz`, in file order, without
/// holding the file in memory.
pub fn for_each_rating(
    path: &Path,
    mut visit: impl FnMut(DatasetRating),
) -> Result<(), DatasetError> {
    for_each_row(path, |row: RatingRow| {
        visit(rating_from_row(row)?);
        Ok(())
    })
}

/// Reads every rating of a `ratings.csv` or `ratings.csv.gz`, in file order.
pub fn read_ratings(path: &Path) -> Result<Vec<DatasetRating>, DatasetError> {
    let mut ratings = Vec::new();
    for_each_rating(path, |rating| ratings.push(rating))?;
    Ok(ratings)
}

fn open(path: &Path) -> Result<Box<dyn Read>, DatasetError> {
    let file = File::open(path).map_err(|source| DatasetError::Io {
        path: path.to_owned(),
        source,
    })?;
    let reader = BufReader::new(file);
    Ok(if path.extension().is_some_and(|ext| ext == "gz") {
        Box::new(MultiGzDecoder::new(reader))
    } else {
        Box::new(reader)
    })
}

fn for_each_row<T: for<'de> Deserialize<'de>>(
    path: &Path,
    mut visit: impl FnMut(T) -> Result<(), String>,
) -> Result<(), DatasetError> {
    let mut reader = csv::Reader::from_reader(open(path)?);
    let mut record = csv::StringRecord::new();
    let headers = reader
        .headers()
        .map_err(|err| row_error(path, 1, err.to_string()))?
        .clone();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(err) => {
                let line = err.position().map_or(0, csv::Position::line);
                return Err(row_error(path, line, err.to_string()));
            }
        }
        let line = record.position().map_or(0, csv::Position::line);
        let row: T = record
            .deserialize(Some(&headers))
            .map_err(|err| row_error(path, line, err.to_string()))?;
        visit(row).map_err(|message| row_error(path, line, message))?;
    }
}

fn row_error(path: &Path, line: u64, message: String) -> DatasetError {
    DatasetError::Row {
        path: path.to_owned(),
        line,
        message,
    }
}

fn film_from_row(row: FilmRow) -> Result<Film, String> {
    let slug = Slug::parse(&row.slug).map_err(|err| err.to_string())?;
    let mut film = Film::stub(slug, row.title);
    film.year = optional_number(&row.year, "year")?;
    film.runtime_minutes = optional_number(&row.runtime, "runtime")?;
    film.genres = row
        .genres
        .split('|')
        .filter(|name| !name.trim().is_empty())
        .map(Genre::parse)
        .collect::<Result<GenreSet, _>>()
        .map_err(|err| err.to_string())?;
    film.language = Some(row.language.trim().to_owned()).filter(|lang| !lang.is_empty());
    film.content_type = if row.content_type.trim().is_empty() {
        ContentType::Movie
    } else {
        ContentType::parse(&row.content_type).map_err(|err| err.to_string())?
    };
    film.lb_average = optional_number::<f32>(&row.lb_rating, "lb_rating")?
        .filter(|avg| (0.5..=5.0).contains(avg));
    film.lb_rating_count = optional_number(&row.lb_rating_count, "lb_rating_count")?;
    let image = row.image_url.trim();
    if !image.is_empty() {
        film.poster_url = Some(format!("{POSTER_HOST}{image}.jpg"));
        // `film-poster/2/6/1/8/9/1/261891-10-cloverfield-lane-...`: the id leads the file name.
        film.letterboxd_id = image
            .rsplit('/')
            .next()
            .and_then(|name| name.split('-').next())
            .and_then(|id| id.parse().ok());
    }
    Ok(film)
}

fn rating_from_row(row: RatingRow) -> Result<DatasetRating, String> {
    Ok(DatasetRating {
        user: Username::parse(&row.user).map_err(|err| err.to_string())?,
        slug: Slug::parse(&row.slug).map_err(|err| err.to_string())?,
        rating: Rating::parse(&row.rating).map_err(|err| err.to_string())?,
        split: match row.split.trim() {
            "community" => Split::Community,
            "train" => Split::Train,
            "test" => Split::Test,
            other => return Err(format!("unknown split `{other}`")),
        },
    })
}

/// Numbers in the dataset may be written as floats (`2016.0`); empty means unknown.
fn optional_number<T: TryFromF64>(raw: &str, field: &str) -> Result<Option<T>, String> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    let value: f64 = trimmed
        .parse()
        .map_err(|_| format!("{field} `{trimmed}` is not a number"))?;
    T::try_from_f64(value)
        .map(Some)
        .ok_or_else(|| format!("{field} `{trimmed}` is out of range"))
}

trait TryFromF64: Sized {
    fn try_from_f64(value: f64) -> Option<Self>;
}

impl TryFromF64 for u16 {
    fn try_from_f64(value: f64) -> Option<Self> {
        (value.fract() == 0.0 && (0.0..=f64::from(u16::MAX)).contains(&value))
            .then_some(value as u16)
    }
}

impl TryFromF64 for u32 {
    fn try_from_f64(value: f64) -> Option<Self> {
        (value.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&value))
            .then_some(value as u32)
    }
}

impl TryFromF64 for f32 {
    fn try_from_f64(value: f64) -> Option<Self> {
        value.is_finite().then_some(value as f32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn write(dir: &tempfile::TempDir, name: &str, body: &str) -> PathBuf {
        let path = dir.path().join(name);
        std::fs::File::create(&path)
            .unwrap()
            .write_all(body.as_bytes())
            .unwrap();
        path
    }

    #[test]
    fn reads_a_film_row_with_float_numbers_and_a_poster() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            &dir,
            "films.csv",
            "slug,title,year,runtime,genres,language,tmdb_popularity,content_type,image_url,lb_rating,lb_rating_count\n\
            10000-bc,\"10,000 BC\",2008.0,109.0,Adventure|Action,en,43.5,movie,film-poster/4/7/9/7/4/47974-10-000-bc-0-230-0-345-crop,1.7,1952\n\
            blank,Blank,,,,,,,,,\n",
        );
        let films = read_films(&path).unwrap();
        assert_eq!(films.len(), 2);
        let film = &films[0];
        assert_eq!(film.title, "10,000 BC");
        assert_eq!(film.year, Some(2008));
        assert_eq!(film.runtime_minutes, Some(109));
        assert!(film.genres.contains(Genre::Adventure) && film.genres.contains(Genre::Action));
        assert_eq!(film.letterboxd_id, Some(47974));
        assert_eq!(film.lb_rating_count, Some(1952));
        assert_eq!(films[1].year, None);
        assert_eq!(films[1].lb_average, None);
    }

    #[test]
    fn a_bad_row_names_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            &dir,
            "ratings.csv",
            "user,slug,rating,split\nann,heat,4.0,train\nbob,heat,4.2,train\n",
        );
        let err = read_ratings(&path).unwrap_err().to_string();
        assert!(err.contains("ratings.csv:3"), "{err}");
        assert!(err.contains("4.2"), "{err}");
    }
}
