//! The domain of the service: films, members, ratings, and everything computed from them.
//! Pure functions and types only; no I/O lives here.

pub mod calibration;
pub mod catalog;
pub mod compatibility;
pub mod domain;
pub mod eval;
pub mod features;
pub mod forest;
pub mod models;
pub mod predict;
pub mod recommend;
pub mod stats;

pub use catalog::{Catalog, FilmIndex};
pub use domain::{
    ContentType, CountryCode, DiaryEntry, Film, FilmKey, FilmRef, Genre, GenreSet, LetterboxdLink,
    Offer, OfferKind, ParseError, PopularityBand, PopularityScale, Profile, Rating, Slug, TmdbRef,
    Username, WatchDate,
};
pub use predict::Predictor;
