//! Why a well-formed request body asks for something impossible.

use model::recommend::{CountOutOfBounds, InvertedRange};

use super::member::MemberRefError;

/// A request body that is well-formed JSON but asks for something impossible.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    #[error(transparent)]
    Member(#[from] MemberRefError),
    /// A route that compares members needs more than one.
    #[error("name between {min} and {max} members; {got} were given")]
    MemberCount { min: usize, max: usize, got: usize },
    /// Film references that are none of the accepted forms, as sent (each cut to 64 characters).
    #[error("not a film reference (a Letterboxd film URL or slug, a boxd.it link, film:<id>, tmdb:movie:<id>, tmdb:tv:<id>, tmdb:<id> or {{\"tmdb\": <id>}}): {}", .0.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(", "))]
    Films(Vec<String>),
    /// Lists are read from uploaded exports; a username has none to read.
    #[error(
        "`list.profile` must be an uploaded export's id: `{0}` is a Letterboxd username, whose lists are not read; upload their export (POST /profiles) and name its id"
    )]
    ListOfMember(String),
    #[error("`list.name` is empty: name one of the export's lists")]
    ListNameEmpty,
    #[error("`{0}` is not a Letterboxd genre")]
    Genre(String),
    #[error("the {field} range is empty: {min} is above {max}")]
    Range {
        field: &'static str,
        min: u16,
        max: u16,
    },
    #[error("`{0}` is not an ISO 3166-1 alpha-2 country code such as US or GB")]
    Country(String),
    #[error("available_on names services in a country: give `country` too")]
    ProvidersWithoutCountry,
    #[error("the description is {got} characters long; at most {max} are read")]
    DescriptionTooLong { max: usize, got: usize },
    #[error("`{0}` is not an ISO 639-1 language code (two letters, such as `fr`)")]
    Language(String),
    #[error("{field} must be between 1 and {max}; {got} was given")]
    OutOfBounds {
        field: &'static str,
        max: usize,
        got: usize,
    },
}

impl RequestError {
    pub fn out_of_bounds(field: &'static str, err: CountOutOfBounds) -> Self {
        RequestError::OutOfBounds {
            field,
            max: err.max,
            got: err.got,
        }
    }

    pub fn inverted(field: &'static str, err: InvertedRange) -> Self {
        RequestError::Range {
            field,
            min: err.min,
            max: err.max,
        }
    }
}
