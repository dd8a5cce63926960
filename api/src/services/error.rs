//! The services' one error type: every outcome a client can get besides success, each mapped to
//! its problem code at the HTTP boundary (`From<ServiceError> for ApiError`).

use std::sync::Arc;
use std::time::Duration;

use super::ports::Unavailable;

/// Cloneable so a single-flight scrape can hand the same outcome to every waiting request.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ServiceError {
    #[error("`{0}` is not a Letterboxd username, profile URL or upload id")]
    InvalidMember(String),
    /// A Letterboxd member that does not exist.
    #[error("there is no member `{0}`")]
    MemberNotFound(String),
    /// An upload id that expired, was deleted or never was.
    #[error("there is no uploaded profile `{0}`")]
    ProfileNotFound(String),
    #[error("`{0}`'s Letterboxd profile is private")]
    ProfilePrivate(String),
    /// An upload without the list a request named; `lists` are the names it has.
    #[error("the upload `{profile}` has no list `{name}`")]
    ListNotFound {
        profile: String,
        name: String,
        lists: Vec<String>,
    },
    /// More films than one request may score, once a named list's films are counted.
    #[error("films must be between 1 and {max}, counting the list's; {got} were given")]
    FilmCount { max: usize, got: usize },
    #[error("`{member}` has {have} rated films; at least {need} are needed")]
    NotEnoughRatings {
        member: String,
        have: usize,
        need: usize,
    },
    #[error("no film is left to recommend")]
    NoCandidates,
    #[error("`{0}`'s watchlist is empty")]
    WatchlistEmpty(String),
    #[error("no film is on every watchlist")]
    NoOverlap,
    #[error("{file}: {reason}")]
    UploadInvalid {
        file: String,
        line: Option<u64>,
        reason: String,
    },
    /// Over one of the upload's limits, named in the message (bytes, parts, entries, ratio).
    #[error("{0}")]
    UploadTooLarge(String),
    #[error("Letterboxd blocked the request")]
    UpstreamBlocked,
    #[error("Letterboxd is unavailable")]
    UpstreamUnavailable,
    #[error("Letterboxd asked to wait {0:?}")]
    UpstreamRateLimited(Duration),
    /// The scrapes queued before this one would not end before the request's deadline.
    #[error("the queue of profiles to read from Letterboxd needs about {retry_after:?}")]
    ScrapeQueueFull { retry_after: Duration },
    #[error("the film catalog is not loaded yet")]
    CatalogNotLoaded,
    /// The catalog loaded but holds no film: nothing can be matched until it is imported.
    #[error("the film catalog is empty")]
    CatalogEmpty,
    /// The request named a model that needs the general model, and none is trained yet.
    #[error("the general model is not trained yet")]
    ModelNotLoaded,
    /// The database could not keep or read what the request needs (down, restarting).
    #[error("the database is unavailable: {0:#}")]
    StoreUnavailable(Arc<anyhow::Error>),
    #[error("internal error: {0:#}")]
    Internal(Arc<anyhow::Error>),
}

impl ServiceError {
    /// A port or other failure the client cannot fix: `StoreUnavailable` when an adapter marked
    /// it [`Unavailable`] (the database down or restarting: worth retrying), else `Internal`.
    /// The one place a store error's class decides between 503 and 500.
    pub fn internal(err: impl Into<anyhow::Error>) -> Self {
        let err = err.into();
        if err.downcast_ref::<Unavailable>().is_some() {
            ServiceError::StoreUnavailable(Arc::new(err))
        } else {
            ServiceError::Internal(Arc::new(err))
        }
    }
}
