//! [`ProfileSource`] on the polite Letterboxd client.

use futures::FutureExt;
use futures::future::BoxFuture;
use letterboxd::client::{Client, ClientError};
use model::{Catalog, Username};

use crate::services::ports::{ProfileSource, Scraped, SourceError};

impl ProfileSource for Client {
    fn scrape<'a>(
        &'a self,
        user: &'a Username,
        catalog: &'a Catalog,
    ) -> BoxFuture<'a, Result<Scraped, SourceError>> {
        async move {
            let needs_film = |slug: &model::FilmKey| catalog.index_of(slug).is_none();
            let scraped = self
                .scrape_profile(user, &needs_film)
                .await
                .map_err(source_error)?;
            Ok(Scraped {
                profile: scraped.profile,
                films: scraped.films,
                queued: scraped.queued,
                requests: scraped.requests,
            })
        }
        .boxed()
    }

    fn pages_per_second(&self) -> Option<f64> {
        Some(f64::from(self.config().requests_per_second))
    }
}

fn source_error(err: ClientError) -> SourceError {
    match err {
        ClientError::MemberNotFound(_) => SourceError::MemberNotFound,
        ClientError::ProfilePrivate(_) => SourceError::ProfilePrivate,
        ClientError::UpstreamBlocked { .. } => SourceError::Blocked,
        ClientError::RateLimited { retry_after, .. } => SourceError::RateLimited(retry_after),
        other => {
            // The cause (URL, status, parse failure) is for the log; the client hears 502.
            tracing::warn!(error = %other, code = other.code(), "profile scrape failed");
            SourceError::Unavailable(other.to_string())
        }
    }
}
