//! The dataset read leniently, for the simulator only. `crate::dataset`'s reader stops at the first
//! row it cannot represent, and `letterboxd-1m` has some: one film keyed `film:151796` (with 14
//! ratings) and 26 films with TMDB's TV genres (`Sci-Fi & Fantasy`, `Action & Adventure`,
//! `War & Politics`). Here such a film is skipped (with its ratings) and a TV genre becomes the
//! film genres it names, so the world holds every other row. Same columns and conversions as
//! `crate::dataset`; when that reader learns to do this, this file goes.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use flate2::read::MultiGzDecoder;
use model::{ContentType, Film, Genre, GenreSet, Rating, Slug, Username};
use serde::Deserialize;

use crate::dataset::DatasetError;

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
}

/// What was read, and how many rows were not.
pub(crate) struct Rows<T> {
    pub rows: Vec<T>,
    pub skipped: usize,
}

pub(crate) fn films(path: &Path) -> Result<Rows<Film>, DatasetError> {
    let mut out = Rows {
        rows: Vec::new(),
        skipped: 0,
    };
    each_row(path, |row: FilmRow| match film(row) {
        Some(film) => out.rows.push(film),
        None => out.skipped += 1,
    })?;
    Ok(out)
}

pub(crate) fn ratings(path: &Path) -> Result<Rows<(Username, Slug, Rating)>, DatasetError> {
    let mut out = Rows {
        rows: Vec::new(),
        skipped: 0,
    };
    each_row(path, |row: RatingRow| {
        let parsed = Username::parse(&row.user)
            .ok()
            .zip(Slug::parse(&row.slug).ok());
        match (parsed, Rating::parse(&row.rating)) {
            (Some((user, slug)), Ok(rating)) => out.rows.push((user, slug, rating)),
            _ => out.skipped += 1,
        }
    })?;
    Ok(out)
}

fn each_row<T: for<'de> Deserialize<'de>>(
    path: &Path,
    mut visit: impl FnMut(T),
) -> Result<(), DatasetError> {
    let io = |source| DatasetError::Io {
        path: path.to_owned(),
        source,
    };
    let file = BufReader::new(File::open(path).map_err(io)?);
    let reader: Box<dyn Read> = if path.extension().is_some_and(|ext| ext == "gz") {
        Box::new(MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut csv = csv::Reader::from_reader(reader);
    for (index, row) in csv.deserialize::<T>().enumerate() {
        let row = row.map_err(|err| DatasetError::Row {
            path: path.to_owned(),
            line: index as u64 + 2,
            message: err.to_string(),
        })?;
        visit(row);
    }
    Ok(())
}

fn film(row: FilmRow) -> Option<Film> {
    let slug = Slug::parse(&row.slug).ok()?;
    let mut film = Film::stub(slug, row.title);
    film.year = whole(&row.year).and_then(|n| u16::try_from(n).ok());
    film.runtime_minutes = whole(&row.runtime).and_then(|n| u16::try_from(n).ok());
    film.genres = row
        .genres
        .split('|')
        .filter(|name| !name.trim().is_empty())
        .flat_map(genres_of)
        .collect::<GenreSet>();
    film.language = Some(row.language.trim().to_owned()).filter(|lang| !lang.is_empty());
    film.content_type = ContentType::parse(&row.content_type).unwrap_or_default();
    film.lb_average = row
        .lb_rating
        .trim()
        .parse::<f64>()
        .ok()
        .map(|avg| avg as f32)
        .filter(|avg| (0.5..=5.0).contains(avg));
    film.lb_rating_count = whole(&row.lb_rating_count).and_then(|n| u32::try_from(n).ok());
    let image = row.image_url.trim();
    if !image.is_empty() {
        film.poster_url = Some(format!("{POSTER_HOST}{image}.jpg"));
        film.letterboxd_id = image
            .rsplit('/')
            .next()
            .and_then(|name| name.split('-').next())
            .and_then(|id| id.parse().ok());
    }
    Some(film)
}

/// A genre name, or the film genres a TMDB TV genre stands for.
fn genres_of(name: &str) -> Vec<Genre> {
    match name.trim() {
        "Sci-Fi & Fantasy" => vec![Genre::ScienceFiction, Genre::Fantasy],
        "Action & Adventure" => vec![Genre::Action, Genre::Adventure],
        "War & Politics" => vec![Genre::War],
        other => Genre::parse(other).ok().into_iter().collect(),
    }
}

/// `2016.0` -> 2016; empty or fractional -> unknown.
fn whole(raw: &str) -> Option<u64> {
    let value: f64 = raw.trim().parse().ok()?;
    (value.fract() == 0.0 && (0.0..=u64::MAX as f64).contains(&value)).then_some(value as u64)
}
