//! [`FilmSource`] on TMDB: details by `tmdb:` key (one request, external ids and watch providers
//! appended), and lookups by title and year for export rows.

use futures::FutureExt;
use futures::future::BoxFuture;
use model::{ContentType, Film, FilmKey};
use tmdb::{Client, ImageConfig, TmdbError};

use super::tmdb_film::{movie_film, tv_film};
use super::{FilmSource, SourceError, TitleQuery};

const NAME: &str = "tmdb";

/// TMDB behind the film-source seam.
pub struct TmdbSource {
    client: Client,
    images: ImageConfig,
}

impl TmdbSource {
    /// `images` comes from `/configuration` (or TMDB's documented defaults).
    pub fn new(client: Client, images: ImageConfig) -> Self {
        Self { client, images }
    }

    /// Asks `/configuration` once: it checks the token (a bad one is [`TmdbError::BadToken`]) and
    /// gives the image host and sizes.
    pub async fn connect(client: Client) -> Result<Self, TmdbError> {
        let configuration = client.configuration().await?;
        Ok(Self::new(client, configuration.images))
    }

    pub fn client(&self) -> &Client {
        &self.client
    }
}

/// TMDB's failures in the seam's terms: the film is missing, TMDB refuses us as a whole, or
/// this one answer failed.
pub fn source_error(err: TmdbError, key: &str) -> SourceError {
    match err {
        TmdbError::NotFound { .. } => SourceError::NotFound {
            source_name: NAME,
            key: key.to_owned(),
        },
        err if err.stops_the_sync() => SourceError::Refused {
            source_name: NAME,
            code: err.code(),
            message: err.to_string(),
        },
        err => SourceError::Failed {
            source_name: NAME,
            code: err.code(),
            message: err.to_string(),
        },
    }
}

impl FilmSource for TmdbSource {
    fn name(&self) -> &'static str {
        NAME
    }

    fn film<'a>(&'a self, key: &'a FilmKey) -> BoxFuture<'a, Result<Film, SourceError>> {
        async move {
            let Some(tmdb) = key.tmdb_ref() else {
                return Err(SourceError::NotFound {
                    source_name: NAME,
                    key: key.to_string(),
                });
            };
            let film = match tmdb.kind {
                ContentType::Movie => self
                    .client
                    .movie(tmdb.id)
                    .await
                    .map(|details| movie_film(&details, &self.images)),
                ContentType::Tv => self
                    .client
                    .tv(tmdb.id)
                    .await
                    .map(|details| tv_film(&details, &self.images)),
            };
            film.map_err(|err| source_error(err, key.as_str()))
        }
        .boxed()
    }

    fn find<'a>(
        &'a self,
        query: &'a TitleQuery,
    ) -> BoxFuture<'a, Result<Option<Film>, SourceError>> {
        async move {
            let shown = format!("{} ({:?})", query.title, query.year);
            let hit = self
                .client
                .find_movie(&query.title, query.year)
                .await
                .map_err(|err| source_error(err, &shown))?;
            let Some(hit) = hit else { return Ok(None) };
            let details = self
                .client
                .movie(hit.id)
                .await
                .map_err(|err| source_error(err, &shown))?;
            Ok(Some(movie_film(&details, &self.images)))
        }
        .boxed()
    }

    fn request_counts(&self) -> Vec<(&'static str, &'static str, u64)> {
        self.client
            .counters()
            .snapshot()
            .into_iter()
            .map(|count| (count.endpoint.as_str(), count.outcome.as_str(), count.count))
            .collect()
    }
}
