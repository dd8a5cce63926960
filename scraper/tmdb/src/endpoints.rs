//! The API calls the catalog makes, one method each.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::TmdbError;
use crate::client::Client;
use crate::details::{Genre, MovieDetails, TvDetails};
use crate::images::Configuration;
use crate::metrics::Endpoint;
use crate::providers::WatchProviders;
use crate::search::{MovieHit, MovieSearch, Page, TvHit, TvSearch, best_match};

/// Details come with their external ids and watch providers in the same request.
const APPENDED: &str = "external_ids,watch/providers";

/// One line of `/movie/changes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangedId {
    pub id: u64,
    #[serde(default)]
    pub adult: Option<bool>,
}

#[derive(Deserialize)]
struct GenreList {
    genres: Vec<Genre>,
}

impl Client {
    /// `/movie/{id}` with external ids and watch providers.
    #[tracing::instrument(skip(self))]
    pub async fn movie(&self, id: u64) -> Result<MovieDetails, TmdbError> {
        let url = self.api_url(
            &format!("/movie/{id}"),
            &[("append_to_response", APPENDED.into())],
        )?;
        self.get_json(Endpoint::Movie, url).await
    }

    /// `/tv/{id}` with external ids and watch providers.
    #[tracing::instrument(skip(self))]
    pub async fn tv(&self, id: u64) -> Result<TvDetails, TmdbError> {
        let url = self.api_url(
            &format!("/tv/{id}"),
            &[("append_to_response", APPENDED.into())],
        )?;
        self.get_json(Endpoint::Tv, url).await
    }

    /// `/movie/{id}/watch/providers` alone, to refresh availability without the details.
    #[tracing::instrument(skip(self))]
    pub async fn movie_watch_providers(&self, id: u64) -> Result<WatchProviders, TmdbError> {
        let url = self.api_url(&format!("/movie/{id}/watch/providers"), &[])?;
        self.get_json(Endpoint::WatchProviders, url).await
    }

    /// One page of `/search/movie`.
    #[tracing::instrument(skip(self, search), fields(page = search.page))]
    pub async fn search_movie(&self, search: &MovieSearch) -> Result<Page<MovieHit>, TmdbError> {
        let url = self.api_url("/search/movie", &search.params())?;
        self.get_json(Endpoint::SearchMovie, url).await
    }

    /// One page of `/search/tv`.
    #[tracing::instrument(skip(self, search), fields(page = search.page))]
    pub async fn search_tv(&self, search: &TvSearch) -> Result<Page<TvHit>, TmdbError> {
        let url = self.api_url("/search/tv", &search.params())?;
        self.get_json(Endpoint::SearchTv, url).await
    }

    /// The movie that is `title` from `year` (±1), in at most two requests: the first page of
    /// a plain search (TMDB ranks exact titles first), then, if a year is known and nothing
    /// matched, the first page of the search for that year.
    pub async fn find_movie(
        &self,
        title: &str,
        year: Option<u16>,
    ) -> Result<Option<MovieHit>, TmdbError> {
        let plain = self.search_movie(&MovieSearch::new(title)).await?;
        if let Some(hit) = best_match(&plain.results, title, year) {
            return Ok(Some(hit.clone()));
        }
        let Some(year) = year else { return Ok(None) };
        if plain.total_pages <= 1 {
            return Ok(None);
        }
        let search = MovieSearch {
            year: Some(year),
            ..MovieSearch::new(title)
        };
        let dated = self.search_movie(&search).await?;
        Ok(best_match(&dated.results, title, Some(year)).cloned())
    }

    /// One page (100 ids) of the movies changed between `start` and `end` (TMDB allows at most
    /// 14 days; without dates, the last 24 hours).
    #[tracing::instrument(skip(self))]
    pub async fn movie_changes(
        &self,
        start: Option<NaiveDate>,
        end: Option<NaiveDate>,
        page: u32,
    ) -> Result<Page<ChangedId>, TmdbError> {
        let mut params = vec![("page", page.max(1).to_string())];
        if let Some(start) = start {
            params.push(("start_date", start.format("%Y-%m-%d").to_string()));
        }
        if let Some(end) = end {
            params.push(("end_date", end.format("%Y-%m-%d").to_string()));
        }
        let url = self.api_url("/movie/changes", &params)?;
        self.get_json(Endpoint::MovieChanges, url).await
    }

    /// Every id of the changes feed between `start` and `end`, all pages, each id once.
    pub async fn all_movie_changes(
        &self,
        start: Option<NaiveDate>,
        end: Option<NaiveDate>,
    ) -> Result<Vec<u64>, TmdbError> {
        let mut ids = Vec::new();
        let mut page = 1;
        loop {
            let answer = self.movie_changes(start, end, page).await?;
            ids.extend(answer.results.iter().map(|changed| changed.id));
            // TMDB serves at most 500 pages of anything.
            if page >= answer.total_pages.min(500) || answer.results.is_empty() {
                break;
            }
            page += 1;
        }
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }

    /// `/genre/movie/list`: TMDB's movie genres with their ids.
    pub async fn movie_genres(&self) -> Result<Vec<Genre>, TmdbError> {
        let url = self.api_url("/genre/movie/list", &[])?;
        let list: GenreList = self.get_json(Endpoint::GenreList, url).await?;
        Ok(list.genres)
    }

    /// `/configuration`: the image host and sizes.
    pub async fn configuration(&self) -> Result<Configuration, TmdbError> {
        let url = self.api_url("/configuration", &[])?;
        self.get_json(Endpoint::Configuration, url).await
    }
}
