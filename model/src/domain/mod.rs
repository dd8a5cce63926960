//! Domain newtypes that can only hold valid values: parse at the edge, trust inside.

mod availability;
mod diary;
mod film;
mod film_key;
mod genre;
mod popularity;
mod profile;
mod rating;
mod username;

pub use availability::{CountryCode, Offer, OfferKind};
pub use diary::{DiaryEntry, WatchDate};
pub use film::{ContentType, Film, FilmRef, LetterboxdLink};
pub use film_key::{FilmKey, Slug, TmdbRef};
pub use genre::{Genre, GenreSet};
pub use popularity::{PopularityBand, PopularityScale};
pub use profile::Profile;
pub use rating::Rating;
pub use username::Username;

/// Why a raw value is not a valid domain value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("`{0}` is not a Letterboxd username")]
    Username(String),
    #[error(
        "`{0}` is not a film reference (a Letterboxd slug or film URL, `film:<letterboxd id>` or `tmdb:movie|tv:<id>`)"
    )]
    FilmKey(String),
    #[error("`{0}` is not a Letterboxd film slug")]
    Slug(String),
    #[error("`{0}` is not a rating between 0.5 and 5 in half stars")]
    Rating(String),
    #[error("`{0}` is not a Letterboxd genre")]
    Genre(String),
    #[error("`{0}` is not an ISO 3166-1 alpha-2 country code such as US or GB")]
    Country(String),
    #[error("`{0}` is not a content type (movie or tv)")]
    ContentType(String),
}
