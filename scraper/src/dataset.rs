//! Reader for datasets in the format of `shared/data/letterboxd-1m/` (`films.csv[.gz]`,
//! `ratings.csv[.gz]`), used by `reel import`, `reel eval` and the simulated Letterboxd.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use flate2::read::MultiGzDecoder;
use model::eval::MemberSplit;
use model::models::CommunityRating;
use model::{Catalog, ContentType, Film, FilmKey, Genre, GenreSet, Rating, Username};
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
    pub key: FilmKey,
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

/// Members with train or test rows (the ones the protocol may score), in order of first
/// appearance.
pub fn dev_members(rows: &[DatasetRating]) -> Vec<Username> {
    let mut seen = HashSet::new();
    let mut order = Vec::new();
    for row in rows.iter().filter(|r| r.split != Split::Community) {
        if seen.insert(&row.user) {
            order.push(row.user.clone());
        }
    }
    order
}

/// The train and test rows of each of `names` by catalog index, in the order of `names`; rows of
/// films outside the catalog are left out.
pub fn member_splits(
    catalog: &Catalog,
    rows: &[DatasetRating],
    names: &[Username],
) -> Vec<MemberSplit> {
    let position: HashMap<&Username, usize> = names
        .iter()
        .enumerate()
        .map(|(i, name)| (name, i))
        .collect();
    let mut splits = vec![MemberSplit::default(); names.len()];
    for row in rows {
        let (Some(&member), Some(at)) = (position.get(&row.user), catalog.index_of(&row.key))
        else {
            continue;
        };
        let rated = (at, row.rating.stars());
        match row.split {
            Split::Train => splits[member].train.push(rated),
            Split::Test => splits[member].test.push(rated),
            Split::Community => {}
        }
    }
    splits
}

/// What a general model may train on: every community and train row of a catalog film, except
/// the rows of `excluded` members; members are numbered in order of first appearance.
pub fn community_ratings(
    catalog: &Catalog,
    rows: &[DatasetRating],
    excluded: &HashSet<&Username>,
) -> Vec<CommunityRating> {
    let mut numbers: HashMap<&Username, u32> = HashMap::new();
    rows.iter()
        .filter(|row| row.split != Split::Test && !excluded.contains(&row.user))
        .filter_map(|row| {
            let film = catalog.index_of(&row.key)?;
            let next = numbers.len() as u32;
            let member = *numbers.entry(&row.user).or_insert(next);
            Some(CommunityRating {
                member,
                film,
                stars: row.rating.stars(),
            })
        })
        .collect()
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
    let slug = FilmKey::parse(&row.slug).map_err(|err| err.to_string())?;
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
        key: FilmKey::parse(&row.slug).map_err(|err| err.to_string())?,
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
    use model::FilmIndex;
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

    fn row(user: &str, slug: &str, stars: f32, split: Split) -> DatasetRating {
        DatasetRating {
            user: Username::parse(user).unwrap(),
            key: FilmKey::parse(slug).unwrap(),
            rating: Rating::from_stars(stars).unwrap(),
            split,
        }
    }

    fn protocol_rows() -> (Catalog, Vec<DatasetRating>) {
        let catalog = Catalog::from_films(
            ["heat", "alien"].map(|s| Film::stub(FilmKey::parse(s).unwrap(), s)),
        );
        let rows = vec![
            row("carol", "heat", 3.0, Split::Community),
            row("bob", "alien", 4.0, Split::Train),
            row("ann", "heat", 2.0, Split::Test),
            row("ann", "alien", 5.0, Split::Train),
            row("bob", "unknown-film", 1.0, Split::Train),
            row("bob", "heat", 1.5, Split::Test),
        ];
        (catalog, rows)
    }

    #[test]
    fn dev_members_are_in_order_of_first_train_or_test_row() {
        let (_, rows) = protocol_rows();
        let names: Vec<String> = dev_members(&rows).iter().map(|u| u.to_string()).collect();
        assert_eq!(names, ["bob", "ann"]);
    }

    #[test]
    fn member_splits_keep_catalog_films_by_index() {
        let (catalog, rows) = protocol_rows();
        let splits = member_splits(&catalog, &rows, &dev_members(&rows));
        let [heat, alien] =
            ["heat", "alien"].map(|s| catalog.index_of(&FilmKey::parse(s).unwrap()));
        let (heat, alien) = (heat.unwrap(), alien.unwrap());
        assert_eq!(splits[0].train, vec![(alien, 4.0)]);
        assert_eq!(splits[0].test, vec![(heat, 1.5)]);
        assert_eq!(splits[1].train, vec![(alien, 5.0)]);
        assert_eq!(splits[1].test, vec![(heat, 2.0)]);
    }

    #[test]
    fn community_ratings_leave_out_test_rows_excluded_members_and_unknown_films() {
        let (catalog, rows) = protocol_rows();
        let ann = Username::parse("ann").unwrap();
        let ratings = community_ratings(&catalog, &rows, &HashSet::from([&ann]));
        let got: Vec<(u32, Option<FilmIndex>, f32)> = ratings
            .iter()
            .map(|r| (r.member, Some(r.film), r.stars))
            .collect();
        let [heat, alien] =
            ["heat", "alien"].map(|s| catalog.index_of(&FilmKey::parse(s).unwrap()));
        assert_eq!(got, [(0, heat, 3.0), (1, alien, 4.0)]);
    }
}
