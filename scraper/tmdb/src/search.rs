//! `/search/movie` and `/search/tv`: pages of 20 hits, and the pick of the hit that is the title
//! a member's export names.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::normalize::normalize_title;

/// One page of a paged TMDB list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub page: u32,
    pub results: Vec<T>,
    #[serde(default)]
    pub total_pages: u32,
    #[serde(default)]
    pub total_results: u64,
}

/// A movie in search results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MovieHit {
    pub id: u64,
    pub title: String,
    #[serde(default)]
    pub original_title: String,
    #[serde(default)]
    pub original_language: String,
    #[serde(default, with = "crate::date")]
    pub release_date: Option<NaiveDate>,
    #[serde(default)]
    pub genre_ids: Vec<u32>,
    #[serde(default)]
    pub poster_path: Option<String>,
    #[serde(default)]
    pub popularity: f64,
    #[serde(default)]
    pub vote_average: f64,
    #[serde(default)]
    pub vote_count: u64,
    #[serde(default)]
    pub adult: bool,
}

/// A series in search results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TvHit {
    pub id: u64,
    pub name: String,
    #[serde(default)]
    pub original_name: String,
    #[serde(default)]
    pub original_language: String,
    #[serde(default, with = "crate::date")]
    pub first_air_date: Option<NaiveDate>,
    #[serde(default)]
    pub origin_country: Vec<String>,
    #[serde(default)]
    pub genre_ids: Vec<u32>,
    #[serde(default)]
    pub poster_path: Option<String>,
    #[serde(default)]
    pub popularity: f64,
    #[serde(default)]
    pub vote_average: f64,
    #[serde(default)]
    pub vote_count: u64,
}

/// `/search/movie`'s parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MovieSearch {
    pub query: String,
    /// Any release (theatrical, festival, digital) in this year.
    pub year: Option<u16>,
    /// The primary release in this year.
    pub primary_release_year: Option<u16>,
    /// 1-based; TMDB serves up to page 500.
    pub page: u32,
}

/// `/search/tv`'s parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TvSearch {
    pub query: String,
    pub first_air_date_year: Option<u16>,
    pub page: u32,
}

impl MovieSearch {
    pub fn new(query: impl Into<String>) -> Self {
        Self {
            query: query.into(),
            page: 1,
            ..Self::default()
        }
    }

    pub(crate) fn params(&self) -> Vec<(&'static str, String)> {
        let mut params = vec![
            ("query", self.query.clone()),
            ("include_adult", "false".to_owned()),
            ("page", self.page.max(1).to_string()),
        ];
        if let Some(year) = self.year {
            params.push(("year", year.to_string()));
        }
        if let Some(year) = self.primary_release_year {
            params.push(("primary_release_year", year.to_string()));
        }
        params
    }
}

impl TvSearch {
    pub fn new(query: impl Into<String>) -> Self {
        Self {
            query: query.into(),
            page: 1,
            ..Self::default()
        }
    }

    pub(crate) fn params(&self) -> Vec<(&'static str, String)> {
        let mut params = vec![
            ("query", self.query.clone()),
            ("include_adult", "false".to_owned()),
            ("page", self.page.max(1).to_string()),
        ];
        if let Some(year) = self.first_air_date_year {
            params.push(("first_air_date_year", year.to_string()));
        }
        params
    }
}

/// What the matcher needs of a hit.
pub trait Hit {
    fn titles(&self) -> [&str; 2];
    fn year(&self) -> Option<u16>;
    fn popularity(&self) -> f64;
}

impl Hit for MovieHit {
    fn titles(&self) -> [&str; 2] {
        [&self.title, &self.original_title]
    }
    fn year(&self) -> Option<u16> {
        crate::date::year(self.release_date)
    }
    fn popularity(&self) -> f64 {
        self.popularity
    }
}

impl Hit for TvHit {
    fn titles(&self) -> [&str; 2] {
        [&self.name, &self.original_name]
    }
    fn year(&self) -> Option<u16> {
        crate::date::year(self.first_air_date)
    }
    fn popularity(&self) -> f64 {
        self.popularity
    }
}

/// The hit that is `title` from `year`: its title or original title equal once normalised, and
/// its year within one of `year` (Letterboxd records a premiere year, TMDB a release year).
/// The closest year wins, then the more popular. Without a year, any year matches.
pub fn best_match<'a, H: Hit>(hits: &'a [H], title: &str, year: Option<u16>) -> Option<&'a H> {
    let wanted = normalize_title(title);
    if wanted.is_empty() {
        return None;
    }
    hits.iter()
        .filter(|hit| hit.titles().iter().any(|t| normalize_title(t) == wanted))
        .filter_map(|hit| {
            let distance = match (year, hit.year()) {
                (None, _) => 0,
                (Some(want), Some(got)) => want.abs_diff(got),
                (Some(_), None) => return None,
            };
            (distance <= 1).then_some((distance, hit))
        })
        .min_by(|(da, a), (db, b)| da.cmp(db).then(b.popularity().total_cmp(&a.popularity())))
        .map(|(_, hit)| hit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(id: u64, title: &str, original: &str, date: &str, popularity: f64) -> MovieHit {
        serde_json::from_value(serde_json::json!({
            "id": id, "title": title, "original_title": original,
            "release_date": date, "popularity": popularity
        }))
        .unwrap()
    }

    #[test]
    fn matches_title_or_original_within_a_year_closest_first() {
        let hits = vec![
            hit(
                1,
                "Amélie",
                "Le Fabuleux Destin d'Amélie Poulain",
                "2001-04-25",
                20.0,
            ),
            hit(2, "Amelie", "Amelie", "2003-01-01", 90.0),
            hit(3, "Amelie Remake", "Amelie Remake", "2001-01-01", 99.0),
        ];
        assert_eq!(best_match(&hits, "AMELIE", Some(2001)).unwrap().id, 1);
        assert_eq!(best_match(&hits, "amelie", Some(2002)).unwrap().id, 2);
        assert_eq!(best_match(&hits, "amelie", None).unwrap().id, 2);
        assert!(best_match(&hits, "amelie", Some(1990)).is_none());
        let original = "Le fabuleux destin d'Amelie Poulain";
        assert_eq!(best_match(&hits, original, Some(2000)).unwrap().id, 1);
        assert!(best_match(&hits, "!!", None).is_none());
    }
}
