//! What stops a job.

use letterboxd::client::ClientError;
use model::models::ModelError;

use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Letterboxd refused us as a whole (a Cloudflare challenge, a long `Retry-After`, or it is
    /// down): the job stops instead of retrying into it.
    #[error("{job} stopped by Letterboxd: {source}")]
    Upstream {
        job: &'static str,
        #[source]
        source: ClientError,
    },
    /// TMDB could not be read before the crawl began (the id file, the changes feed).
    #[error("{job} stopped by TMDB: {source}")]
    Tmdb {
        job: &'static str,
        #[source]
        source: tmdb::TmdbError,
    },
    #[error("cannot train the general model: {0}")]
    Model(#[from] ModelError),
    #[error("{0}")]
    Invalid(String),
    /// A blocking task (training) panicked.
    #[error("background task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}
