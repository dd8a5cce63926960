//! The checks a filter's values pass wherever they come from: a request body, or the filters a
//! language model read from a description.

use model::{Genre, GenreSet};

use super::RequestError;

/// Letterboxd genre names, case-insensitive.
pub fn genres(names: &[String]) -> Result<GenreSet, RequestError> {
    names
        .iter()
        .map(|name| Genre::parse(name).map_err(|_| RequestError::Genre(name.clone())))
        .collect()
}

/// ISO 639-1: two ASCII letters, kept lowercase.
pub fn languages(codes: Vec<String>) -> Result<Vec<String>, RequestError> {
    codes
        .into_iter()
        .map(|code| {
            if code.len() == 2 && code.bytes().all(|b| b.is_ascii_alphabetic()) {
                Ok(code.to_ascii_lowercase())
            } else {
                Err(RequestError::Language(code))
            }
        })
        .collect()
}

/// Country names, trimmed; blank ones dropped.
pub fn countries(names: Vec<String>) -> Vec<String> {
    names
        .into_iter()
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .collect()
}
