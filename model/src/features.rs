//! The original's 25 film features, encoded once per catalog into a row-major `f32` matrix.
//!
//! Order (the columns of [`FeatureMatrix`]): release year, runtime in minutes, country of origin
//! code, Letterboxd average, Letterboxd rating count, one 0/1 flag per genre in [`Genre::ALL`]
//! order, is-movie.
//!
//! Missing values are imputed, never dropped: a missing year, runtime, average or rating count
//! takes the median of the catalog films that have it (0 for an empty catalog). A film with no
//! country takes the country its original language points to (see [`country_code`]).

use ndarray::{Array2, ArrayView2};

use crate::catalog::FilmIndex;
use crate::domain::{ContentType, Film, Genre};

/// Number of features per film.
pub const N_FEATURES: usize = 25;

/// Column names, in matrix order.
pub const FEATURE_NAMES: [&str; N_FEATURES] = [
    "year",
    "runtime",
    "country",
    "lb_average",
    "lb_rating_count",
    "Action",
    "Adventure",
    "Animation",
    "Comedy",
    "Crime",
    "Documentary",
    "Drama",
    "Family",
    "Fantasy",
    "History",
    "Horror",
    "Music",
    "Mystery",
    "Romance",
    "Science Fiction",
    "TV Movie",
    "Thriller",
    "War",
    "Western",
    "is_movie",
];

pub const COL_YEAR: usize = 0;
pub const COL_RUNTIME: usize = 1;
pub const COL_COUNTRY: usize = 2;
pub const COL_LB_AVERAGE: usize = 3;
pub const COL_LB_COUNT: usize = 4;
pub const COL_FIRST_GENRE: usize = 5;
pub const COL_IS_MOVIE: usize = 24;

/// The original's country codes; every other country is [`OTHER_COUNTRY`].
const COUNTRIES: [&str; 15] = [
    "USA",
    "UK",
    "China",
    "France",
    "Japan",
    "Germany",
    "South Korea",
    "Canada",
    "India",
    "Australia",
    "Hong Kong",
    "Italy",
    "Spain",
    "Brazil",
    "USSR",
];

/// Code of a country outside the original's list, and of a film with neither country nor a
/// language that points to one.
pub const OTHER_COUNTRY: u8 = 15;

/// The country code of a film: its first country of origin; when it has none (the letterboxd-1m
/// dataset carries only the original language), the country the language mostly comes from in
/// the catalog: `en` USA, `zh` China, `cn` (TMDB's Cantonese) Hong Kong, `fr` France, `ja` Japan,
/// `de` Germany, `ko` South Korea, `hi`/`te`/`ta`/`ml`/`kn`/`mr`/`bn` India, `it` Italy,
/// `es` Spain, `pt` Brazil, `ru` USSR; any other language, or none, is "any other".
pub fn country_code(film: &Film) -> u8 {
    match film.countries.first() {
        Some(country) => named_country_code(country),
        None => film
            .language
            .as_deref()
            .map_or(OTHER_COUNTRY, language_country_code),
    }
}

fn named_country_code(country: &str) -> u8 {
    let wanted = country.trim();
    let alias = match wanted {
        "United States" | "United States of America" | "US" => "USA",
        "United Kingdom" | "Great Britain" => "UK",
        "Soviet Union" => "USSR",
        "Korea, Republic of" | "Republic of Korea" => "South Korea",
        other => other,
    };
    COUNTRIES
        .iter()
        .position(|name| name.eq_ignore_ascii_case(alias))
        .map_or(OTHER_COUNTRY, |at| at as u8)
}

fn language_country_code(language: &str) -> u8 {
    let country = match language.trim().to_ascii_lowercase().as_str() {
        "en" => "USA",
        "zh" => "China",
        "cn" => "Hong Kong",
        "fr" => "France",
        "ja" => "Japan",
        "de" => "Germany",
        "ko" => "South Korea",
        "hi" | "te" | "ta" | "ml" | "kn" | "mr" | "bn" => "India",
        "it" => "Italy",
        "es" => "Spain",
        "pt" => "Brazil",
        "ru" => "USSR",
        _ => return OTHER_COUNTRY,
    };
    named_country_code(country)
}

/// Values that stand in for missing numeric fields: catalog medians.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Imputation {
    pub year: f32,
    pub runtime: f32,
    pub lb_average: f32,
    pub lb_rating_count: f32,
}

impl Imputation {
    /// Medians over the films that have each field.
    pub fn medians(films: &[Film]) -> Self {
        Self {
            year: median(films.iter().filter_map(|f| f.year.map(f32::from))),
            runtime: median(
                films
                    .iter()
                    .filter_map(|f| f.runtime_minutes.map(f32::from)),
            ),
            lb_average: median(films.iter().filter_map(|f| f.lb_average)),
            lb_rating_count: median(
                films
                    .iter()
                    .filter_map(|f| f.lb_rating_count.map(|c| c as f32)),
            ),
        }
    }
}

/// Median (mean of the middle two for an even count); 0 when there are no values.
fn median(values: impl Iterator<Item = f32>) -> f32 {
    let mut values: Vec<f32> = values.filter(|v| v.is_finite()).collect();
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f32::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    }
}

/// Writes the 25 features of one film into `row`.
pub fn encode_film(film: &Film, imputation: &Imputation, row: &mut [f32; N_FEATURES]) {
    row.fill(0.0);
    row[COL_YEAR] = film.year.map_or(imputation.year, f32::from);
    row[COL_RUNTIME] = film.runtime_minutes.map_or(imputation.runtime, f32::from);
    row[COL_COUNTRY] = f32::from(country_code(film));
    row[COL_LB_AVERAGE] = film.lb_average.unwrap_or(imputation.lb_average);
    row[COL_LB_COUNT] = film
        .lb_rating_count
        .map_or(imputation.lb_rating_count, |c| c as f32);
    for genre in film.genres.iter() {
        row[COL_FIRST_GENRE + genre.index()] = 1.0;
    }
    row[COL_IS_MOVIE] = if film.content_type == ContentType::Movie {
        1.0
    } else {
        0.0
    };
}

/// Every film's features, one row per catalog index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FeatureMatrix {
    values: Vec<f32>,
    imputation: Imputation,
}

impl FeatureMatrix {
    /// Encodes `films` with medians taken over those same films.
    pub fn encode(films: &[Film]) -> Self {
        let imputation = Imputation::medians(films);
        let mut values = Vec::with_capacity(films.len() * N_FEATURES);
        let mut row = [0.0; N_FEATURES];
        for film in films {
            encode_film(film, &imputation, &mut row);
            values.extend_from_slice(&row);
        }
        Self { values, imputation }
    }

    pub fn n_rows(&self) -> usize {
        self.values.len() / N_FEATURES
    }

    /// The values used for missing fields.
    pub fn imputation(&self) -> &Imputation {
        &self.imputation
    }

    /// The features of the film at catalog index `at`.
    pub fn row(&self, at: FilmIndex) -> &[f32] {
        let at = usize::from(at);
        &self.values[at * N_FEATURES..(at + 1) * N_FEATURES]
    }

    /// One feature over every film, in catalog order.
    pub fn column(&self, col: usize) -> impl Iterator<Item = f32> + '_ {
        self.values
            .chunks_exact(N_FEATURES)
            .map(move |row| row[col])
    }

    /// The whole matrix, films by features.
    pub fn view(&self) -> ArrayView2<'_, f32> {
        ArrayView2::from_shape((self.n_rows(), N_FEATURES), &self.values)
            .unwrap_or_else(|_| unreachable!("values hold whole rows"))
    }

    /// The rows of the films at `films`, in that order: a member's training matrix.
    pub fn select(&self, films: &[FilmIndex]) -> Array2<f32> {
        let mut out = Array2::zeros((films.len(), N_FEATURES));
        for (mut dst, &at) in out.rows_mut().into_iter().zip(films) {
            for (d, s) in dst.iter_mut().zip(self.row(at)) {
                *d = *s;
            }
        }
        out
    }
}

/// The genre flag column of `genre`.
pub fn genre_column(genre: Genre) -> usize {
    COL_FIRST_GENRE + genre.index()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{at, ats};
    use crate::domain::{FilmKey, GenreSet};

    fn film(slug: &str) -> Film {
        Film::stub(FilmKey::parse(slug).unwrap(), slug)
    }

    #[test]
    fn names_and_columns_agree() {
        assert_eq!(FEATURE_NAMES[COL_IS_MOVIE], "is_movie");
        for genre in Genre::ALL {
            assert_eq!(FEATURE_NAMES[genre_column(genre)], genre.name());
        }
    }

    #[test]
    fn encodes_a_full_film_in_order() {
        let mut heat = film("heat");
        heat.year = Some(1995);
        heat.runtime_minutes = Some(170);
        heat.countries = vec!["France".into(), "USA".into()];
        heat.lb_average = Some(4.1);
        heat.lb_rating_count = Some(250_000);
        heat.genres = GenreSet::from_iter([Genre::Crime, Genre::Thriller]);
        let matrix = FeatureMatrix::encode(&[heat]);
        let row = matrix.row(at(0));
        assert_eq!(&row[..5], &[1995.0, 170.0, 3.0, 4.1, 250_000.0]);
        let flags: Vec<usize> = (COL_FIRST_GENRE..COL_IS_MOVIE)
            .filter(|&c| row[c] == 1.0)
            .collect();
        assert_eq!(flags, vec![5 + 4, 5 + 16]);
        assert_eq!(row[COL_IS_MOVIE], 1.0);
        assert_eq!(
            row.iter().sum::<f32>(),
            1995.0 + 170.0 + 3.0 + 4.1 + 250_000.0 + 3.0
        );
    }

    #[test]
    fn countries_follow_the_original_codes_then_language() {
        let mut f = film("a");
        for (country, code) in [
            ("USA", 0),
            ("UK", 1),
            ("Hong Kong", 10),
            ("USSR", 14),
            ("Peru", 15),
        ] {
            f.countries = vec![country.into()];
            assert_eq!(country_code(&f), code, "{country}");
        }
        f.countries.clear();
        for (lang, code) in [
            ("en", 0),
            ("ja", 4),
            ("ko", 6),
            ("cn", 10),
            ("hi", 8),
            ("sv", 15),
        ] {
            f.language = Some(lang.into());
            assert_eq!(country_code(&f), code, "{lang}");
        }
        f.language = None;
        assert_eq!(country_code(&f), OTHER_COUNTRY);
    }

    #[test]
    fn missing_fields_take_catalog_medians_and_no_film_is_dropped() {
        let mut films: Vec<Film> = (0..4).map(|i| film(&format!("f{i}"))).collect();
        for (i, f) in films.iter_mut().enumerate().take(3) {
            f.year = Some(2000 + i as u16);
            f.runtime_minutes = Some(90 + 10 * i as u16);
            f.lb_average = Some(2.0 + i as f32);
            f.lb_rating_count = Some(100 * (i as u32 + 1));
        }
        films[3].content_type = ContentType::Tv;
        let matrix = FeatureMatrix::encode(&films);
        assert_eq!(matrix.n_rows(), 4);
        let bare = matrix.row(at(3));
        assert_eq!(&bare[..5], &[2001.0, 100.0, 15.0, 3.0, 200.0]);
        assert_eq!(bare[COL_IS_MOVIE], 0.0);
        assert!(
            bare[COL_FIRST_GENRE..COL_IS_MOVIE]
                .iter()
                .all(|&v| v == 0.0)
        );
    }

    #[test]
    fn select_and_view_match_rows() {
        let films: Vec<Film> = (0..3)
            .map(|i| {
                let mut f = film(&format!("f{i}"));
                f.year = Some(1990 + i);
                f
            })
            .collect();
        let matrix = FeatureMatrix::encode(&films);
        let picked = matrix.select(&ats([2, 0]));
        assert_eq!(picked.row(0).to_vec(), matrix.row(at(2)).to_vec());
        assert_eq!(picked.row(1).to_vec(), matrix.row(at(0)).to_vec());
        assert_eq!(matrix.view().shape(), &[3, N_FEATURES]);
        assert_eq!(
            matrix.column(COL_YEAR).collect::<Vec<_>>(),
            vec![1990.0, 1991.0, 1992.0]
        );
    }

    #[test]
    fn median_of_even_count_is_the_middle_mean() {
        assert_eq!(median([4.0, 1.0, 3.0, 2.0].into_iter()), 2.5);
        assert_eq!(median(std::iter::empty()), 0.0);
    }
}
