//! Why a well-formed request body asks for something impossible.

use model::recommend::{CountOutOfBounds, InvertedRange};

use super::member::MemberRefError;

/// A request body that is well-formed JSON but asks for something impossible.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    #[error(transparent)]
    Member(#[from] MemberRefError),
    #[error("`{0}` is not a Letterboxd genre")]
    Genre(String),
    #[error("the {field} range is empty: {min} is above {max}")]
    Range {
        field: &'static str,
        min: u16,
        max: u16,
    },
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
