//! Where film data comes from: one trait, [`FilmSource`], that the catalog sync and the export
//! resolver use, and one file per source behind it (`tmdb.rs`, `letterboxd.rs`). A third source
//! (an official Letterboxd API key, a dataset file) is one more file implementing the trait.
//!
//! A leaf of `api`: it imports the source clients and `model`, nothing of the service.

mod letterboxd;
mod tmdb;
mod tmdb_film;

use futures::future::BoxFuture;
use model::{Film, FilmKey};

pub use self::letterboxd::{LetterboxdSource, source_error as letterboxd_error};
pub use self::tmdb::TmdbSource;
pub use self::tmdb_film::{country_name, genres_of};

/// Why a source could not answer, in the terms a job or a request acts on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    /// The source has no such film (a 404): the item is done, and a film known only from this
    /// source is gone.
    #[error("{source_name} has no film {key}")]
    NotFound {
        source_name: &'static str,
        key: String,
    },
    /// The source refuses us as a whole (a bad token, bot protection, a long rate limit): stop
    /// asking it, try again later.
    #[error("{source_name} refused the request ({code}): {message}")]
    Refused {
        source_name: &'static str,
        code: &'static str,
        message: String,
    },
    /// This one item failed (a timeout, an unreadable answer); others may work.
    #[error("{source_name} failed ({code}): {message}")]
    Failed {
        source_name: &'static str,
        code: &'static str,
        message: String,
    },
}

/// A title and year as an export row gives them, to look a film up by.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TitleQuery {
    pub title: String,
    pub year: Option<u16>,
}

/// A source of films.
pub trait FilmSource: Send + Sync {
    /// `tmdb`, `letterboxd`: names the source in logs, metrics and responses.
    fn name(&self) -> &'static str;

    /// The film `key` names, with everything the source knows of it.
    fn film<'a>(&'a self, key: &'a FilmKey) -> BoxFuture<'a, Result<Film, SourceError>>;

    /// The film a title and year (±1) name, when the source can search; `Ok(None)` when it
    /// found nothing or cannot search.
    fn find<'a>(
        &'a self,
        query: &'a TitleQuery,
    ) -> BoxFuture<'a, Result<Option<Film>, SourceError>>;

    /// Requests sent so far, as (endpoint, outcome, count), for `/metrics`.
    fn request_counts(&self) -> Vec<(&'static str, &'static str, u64)> {
        Vec::new()
    }
}
