//! A client for The Movie Database (TMDB) API v3 and its daily id exports: film and series
//! details with external ids and watch providers, search, the changes feed, genres and image
//! configuration, behind TMDB's rate limit with backoff and typed errors.
//!
//! This product uses the TMDB API but is not endorsed or certified by TMDB. Watch-provider data
//! is JustWatch's; whoever shows it must credit JustWatch.

mod client;
mod config;
mod date;
mod details;
mod endpoints;
mod error;
pub mod ids;
pub mod images;
mod limits;
mod metrics;
mod normalize;
pub mod providers;
pub mod retry;
pub mod search;

pub use client::Client;
pub use config::{DEFAULT_BASE_URL, DEFAULT_FILES_URL, DEFAULT_USER_AGENT, TmdbConfig};
pub use details::{Country, ExternalIds, Genre, MovieDetails, TvDetails};
pub use endpoints::ChangedId;
pub use error::TmdbError;
pub use ids::{IdEntry, IdFileSummary, IdFilter, IdKind};
pub use images::{Configuration, ImageConfig, PosterUrls};
pub use metrics::{Endpoint, Outcome, RequestCount, RequestCounters};
pub use normalize::normalize_title;
pub use providers::{CountryProviders, Provider, WatchProviders};
pub use search::{Hit, MovieHit, MovieSearch, Page, TvHit, TvSearch, best_match};

/// The notice TMDB's terms ask every product using its API to show.
pub const ATTRIBUTION: &str =
    "This product uses the TMDB API but is not endorsed or certified by TMDB.";
/// The credit watch-provider data needs wherever it is shown.
pub const PROVIDER_ATTRIBUTION: &str = "Streaming availability data provided by JustWatch.";
