//! Movie and series details as `/movie/{id}` and `/tv/{id}` answer them, with the external ids
//! and watch providers appended (`append_to_response=external_ids,watch/providers`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::providers::WatchProviders;

/// A genre as TMDB names it (`{"id": 878, "name": "Science Fiction"}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Genre {
    pub id: u32,
    pub name: String,
}

/// A production country (`{"iso_3166_1": "FR", "name": "France"}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Country {
    pub iso_3166_1: String,
    #[serde(default)]
    pub name: String,
}

/// Ids of the same title elsewhere; TMDB sends null (or an empty string) when unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExternalIds {
    #[serde(default, deserialize_with = "non_empty")]
    pub imdb_id: Option<String>,
    #[serde(default, deserialize_with = "non_empty")]
    pub wikidata_id: Option<String>,
}

/// `/movie/{id}`: what the catalog keeps of a movie.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MovieDetails {
    pub id: u64,
    pub title: String,
    #[serde(default)]
    pub original_title: String,
    #[serde(default)]
    pub original_language: String,
    #[serde(default, with = "crate::date")]
    pub release_date: Option<NaiveDate>,
    /// Minutes; TMDB sends 0 or null when unknown.
    #[serde(default)]
    pub runtime: Option<u32>,
    #[serde(default)]
    pub genres: Vec<Genre>,
    /// ISO 3166-1 codes of the countries the movie is from.
    #[serde(default)]
    pub origin_country: Vec<String>,
    #[serde(default)]
    pub production_countries: Vec<Country>,
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
    /// Also at the top level of a movie (not of a series).
    #[serde(default, deserialize_with = "non_empty")]
    pub imdb_id: Option<String>,
    /// Present when asked for with `append_to_response=external_ids`.
    #[serde(default)]
    pub external_ids: Option<ExternalIds>,
    /// Present when asked for with `append_to_response=watch/providers`.
    #[serde(default, rename = "watch/providers")]
    pub watch_providers: Option<WatchProviders>,
}

impl MovieDetails {
    pub fn year(&self) -> Option<u16> {
        crate::date::year(self.release_date)
    }

    /// The IMDb id from wherever TMDB put it.
    pub fn imdb_id(&self) -> Option<&str> {
        self.external_ids
            .as_ref()
            .and_then(|ids| ids.imdb_id.as_deref())
            .or(self.imdb_id.as_deref())
    }

    /// Runtime in minutes, `None` when TMDB does not know it.
    pub fn runtime_minutes(&self) -> Option<u32> {
        self.runtime.filter(|&minutes| minutes > 0)
    }
}

/// `/tv/{id}`: what the catalog keeps of a series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TvDetails {
    pub id: u64,
    pub name: String,
    #[serde(default)]
    pub original_name: String,
    #[serde(default)]
    pub original_language: String,
    #[serde(default, with = "crate::date")]
    pub first_air_date: Option<NaiveDate>,
    /// Typical episode lengths in minutes (often empty for recent series).
    #[serde(default)]
    pub episode_run_time: Vec<u32>,
    #[serde(default)]
    pub number_of_episodes: Option<u32>,
    #[serde(default)]
    pub number_of_seasons: Option<u32>,
    #[serde(default)]
    pub genres: Vec<Genre>,
    #[serde(default)]
    pub origin_country: Vec<String>,
    #[serde(default)]
    pub production_countries: Vec<Country>,
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
    #[serde(default)]
    pub external_ids: Option<ExternalIds>,
    #[serde(default, rename = "watch/providers")]
    pub watch_providers: Option<WatchProviders>,
}

impl TvDetails {
    pub fn year(&self) -> Option<u16> {
        crate::date::year(self.first_air_date)
    }

    pub fn imdb_id(&self) -> Option<&str> {
        self.external_ids
            .as_ref()
            .and_then(|ids| ids.imdb_id.as_deref())
    }

    /// The first listed episode length, in minutes.
    pub fn episode_minutes(&self) -> Option<u32> {
        self.episode_run_time.iter().copied().find(|&m| m > 0)
    }
}

/// `Some` only for a non-blank string.
fn non_empty<'de, D: serde::Deserializer<'de>>(de: D) -> Result<Option<String>, D::Error> {
    let raw = Option::<String>::deserialize(de)?;
    Ok(raw.filter(|text| !text.trim().is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_movie_with_nulls_blanks_and_appended_parts() {
        let body = r#"{
            "adult": false, "id": 194, "title": "Amélie", "original_title": "Le Fabuleux Destin d'Amélie Poulain",
            "original_language": "fr", "release_date": "2001-04-25", "runtime": 122,
            "genres": [{"id": 35, "name": "Comedy"}], "origin_country": ["FR"],
            "production_countries": [{"iso_3166_1": "FR", "name": "France"}],
            "poster_path": null, "popularity": 19.5, "vote_average": 7.9, "vote_count": 11000,
            "imdb_id": "", "overview": "ignored", "budget": 10000000,
            "external_ids": {"imdb_id": "tt0211915", "wikidata_id": null},
            "watch/providers": {"results": {"FR": {"link": "https://x", "flatrate": [
                {"logo_path": "/n.jpg", "provider_id": 8, "provider_name": "Netflix", "display_priority": 1}]}}}
        }"#;
        let movie: MovieDetails = serde_json::from_str(body).unwrap();
        assert_eq!(movie.year(), Some(2001));
        assert_eq!(movie.imdb_id(), Some("tt0211915"));
        assert_eq!(movie.poster_path, None);
        let fr = &movie.watch_providers.unwrap().results["FR"];
        assert_eq!(fr.flatrate[0].provider_name, "Netflix");
        assert!(fr.rent.is_empty());

        let blank: MovieDetails =
            serde_json::from_str(r#"{"id": 1, "title": "X", "release_date": "", "runtime": 0}"#)
                .unwrap();
        assert_eq!(blank.year(), None);
        assert_eq!(blank.runtime_minutes(), None);
        assert_eq!(blank.imdb_id(), None);
    }

    #[test]
    fn reads_a_series() {
        let body = r#"{"id": 1396, "name": "Breaking Bad", "first_air_date": "2008-01-20",
            "episode_run_time": [0, 47], "number_of_episodes": 62, "origin_country": ["US"],
            "external_ids": {"imdb_id": "tt0903747"}}"#;
        let tv: TvDetails = serde_json::from_str(body).unwrap();
        assert_eq!(tv.year(), Some(2008));
        assert_eq!(tv.episode_minutes(), Some(47));
        assert_eq!(tv.imdb_id(), Some("tt0903747"));
    }
}
