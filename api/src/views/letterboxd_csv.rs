//! Recommendations, watchlist picks and predictions as a CSV that Letterboxd's importer reads
//! (<https://letterboxd.com/about/importing-data/>): the columns of its import format we know for a
//! film, in the response's order.

use model::{ContentType, Film, FilmKey};

use crate::domain::{Predictions, Recommendations, Watchlist};

/// The exact header Letterboxd's importer matches columns by.
pub const HEADER: [&str; 5] = ["LetterboxdURI", "tmdbID", "imdbID", "Title", "Year"];

/// One film's row; an unknown value is an empty cell.
#[derive(Debug, Clone, Default, PartialEq)]
struct Row {
    uri: Option<String>,
    /// TMDB movie id: Letterboxd's `tmdbID` names movies only.
    tmdb: Option<u64>,
    imdb: Option<String>,
    title: Option<String>,
    year: Option<u16>,
}

impl Row {
    fn of(film: &Film) -> Self {
        Self {
            uri: film.letterboxd_url(),
            tmdb: film
                .tmdb
                .filter(|t| t.kind == ContentType::Movie)
                .map(|t| t.id),
            imdb: film.imdb_id.clone(),
            title: Some(film.title.clone()),
            year: film.year,
        }
    }

    /// A watchlist film the catalog does not know: its key may still be a slug.
    fn of_key(key: &FilmKey) -> Self {
        Self {
            uri: key.slug().map(|s| s.url()),
            ..Self::default()
        }
    }
}

/// A CSV document and the file name to offer it under.
#[derive(Debug, Clone, PartialEq)]
pub struct LetterboxdCsv {
    pub filename: String,
    rows: Vec<Row>,
}

impl LetterboxdCsv {
    pub fn render(&self) -> Result<String, csv::Error> {
        let mut out = csv::Writer::from_writer(Vec::new());
        out.write_record(HEADER)?;
        for row in &self.rows {
            out.write_record([
                row.uri.clone().unwrap_or_default(),
                row.tmdb.map(|id| id.to_string()).unwrap_or_default(),
                row.imdb.clone().unwrap_or_default(),
                row.title.clone().unwrap_or_default(),
                row.year.map(|y| y.to_string()).unwrap_or_default(),
            ])?;
        }
        let bytes = out.into_inner().map_err(|err| err.into_error())?;
        // Every cell came from a `String`, so the bytes are UTF-8.
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}

impl From<&Recommendations> for LetterboxdCsv {
    fn from(recs: &Recommendations) -> Self {
        Self {
            filename: format!(
                "reel-recommendations-{}.csv",
                recs.computed_at.format("%Y-%m-%d")
            ),
            rows: recs.items.iter().map(|item| Row::of(&item.film)).collect(),
        }
    }
}

impl From<&Predictions> for LetterboxdCsv {
    /// The films predicted, best first; the unknown ones have nothing to import.
    fn from(p: &Predictions) -> Self {
        Self {
            filename: format!("reel-predictions-{}.csv", p.computed_at.format("%Y-%m-%d")),
            rows: p.items.iter().map(|item| Row::of(&item.film)).collect(),
        }
    }
}

impl From<&Watchlist> for LetterboxdCsv {
    fn from(w: &Watchlist) -> Self {
        Self {
            filename: format!("reel-watchlist-{}.csv", w.computed_at.format("%Y-%m-%d")),
            rows: w
                .picks
                .picks
                .iter()
                .zip(&w.films)
                .map(|(pick, film)| {
                    film.as_ref()
                        .map_or_else(|| Row::of_key(&pick.key), Row::of)
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use model::{Slug, TmdbRef};

    use super::*;

    #[test]
    fn rows_carry_what_is_known_and_quote_what_needs_it() {
        let mut film = Film::stub(FilmKey::parse("heat-1995").unwrap(), "Heat, the film");
        film.slug = Some(Slug::parse("heat-1995").unwrap());
        film.year = Some(1995);
        film.imdb_id = Some("tt0113277".into());
        film.tmdb = Some(TmdbRef {
            kind: ContentType::Movie,
            id: 949,
        });
        let mut show = Film::stub(FilmKey::parse("film:42").unwrap(), "A \"show\"");
        show.tmdb = Some(TmdbRef {
            kind: ContentType::Tv,
            id: 7,
        });
        show.boxd_id = Some("abC".into());
        let csv = LetterboxdCsv {
            filename: "x.csv".into(),
            rows: vec![
                Row::of(&film),
                Row::of(&show),
                Row::of_key(&FilmKey::parse("unknown-film").unwrap()),
            ],
        };
        assert_eq!(
            csv.render().unwrap(),
            "LetterboxdURI,tmdbID,imdbID,Title,Year\n\
             https://letterboxd.com/film/heat-1995/,949,tt0113277,\"Heat, the film\",1995\n\
             https://boxd.it/abC,,,\"A \"\"show\"\"\",\n\
             https://letterboxd.com/film/unknown-film/,,,,\n"
        );
    }
}
