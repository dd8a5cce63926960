//! [`FilmSource`] on the polite Letterboxd client: film pages by slug. It cannot search, so it
//! resolves no export rows. Off by default in the jobs: Letterboxd's terms forbid automated
//! collection, and its Cloudflare front answers scripts with a challenge.

use futures::FutureExt;
use futures::future::BoxFuture;
use letterboxd::client::{Client, ClientError};
use model::{Film, FilmKey};

use super::{FilmSource, SourceError, TitleQuery};

const NAME: &str = "letterboxd";

/// Letterboxd behind the film-source seam.
pub struct LetterboxdSource<'a> {
    client: &'a Client,
}

impl<'a> LetterboxdSource<'a> {
    pub fn new(client: &'a Client) -> Self {
        Self { client }
    }
}

/// Letterboxd's failures in the seam's terms. A challenge, a long rate limit or a broken
/// configuration refuse the whole crawl; a page that failed after the client's retries (5xx,
/// timeouts) fails only its item, retried by the next run.
pub fn source_error(err: ClientError, key: &str) -> SourceError {
    match err {
        ClientError::FilmNotFound(_) | ClientError::UnexpectedStatus { status: 410, .. } => {
            SourceError::NotFound {
                source_name: NAME,
                key: key.to_owned(),
            }
        }
        err @ (ClientError::UpstreamBlocked { .. }
        | ClientError::RateLimited { .. }
        | ClientError::InvalidUrl(_)
        | ClientError::Build(_)) => SourceError::Refused {
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

impl FilmSource for LetterboxdSource<'_> {
    fn name(&self) -> &'static str {
        NAME
    }

    fn film<'b>(&'b self, key: &'b FilmKey) -> BoxFuture<'b, Result<Film, SourceError>> {
        async move {
            let mut film = self
                .client
                .fetch_film(key)
                .await
                .map_err(|err| source_error(err, key.as_str()))?;
            // The row asked for is the one refreshed, whatever slug the page names itself by.
            film.slug = key.slug().or(film.slug);
            film.key = key.clone();
            Ok(film)
        }
        .boxed()
    }

    fn find<'b>(
        &'b self,
        _query: &'b TitleQuery,
    ) -> BoxFuture<'b, Result<Option<Film>, SourceError>> {
        async { Ok(None) }.boxed()
    }
}
