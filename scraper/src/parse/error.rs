//! Why a page could not be read: one enum for every parser, naming the page kind and the field.

use std::fmt;

/// Which kind of page a parser was reading, for error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PageKind {
    Grid,
    Diary,
    Film,
    Members,
}

impl fmt::Display for PageKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PageKind::Grid => "film grid",
            PageKind::Diary => "diary",
            PageKind::Film => "film",
            PageKind::Members => "members",
        })
    }
}

/// A page that does not carry what its parser needs. Markup changes surface here, so every variant
/// says which page and which field, enough for an operator to look at the saved page.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// The page has none of the markers of its kind: a challenge page, an error page, another page.
    #[error("not a Letterboxd {page} page: none of {expected} found")]
    WrongPage {
        page: PageKind,
        expected: &'static str,
    },
    /// A field the parser cannot do without is absent from both the JSON-LD and the HTML.
    #[error("{page} page: missing {field}")]
    MissingField { page: PageKind, field: &'static str },
    /// A field is present but its value is not valid.
    #[error("{page} page: {field} `{value}` is invalid")]
    InvalidField {
        page: PageKind,
        field: &'static str,
        value: String,
    },
    /// One item of a grid or list has no usable film or member key.
    #[error("{page} page: item {index} has no valid {field}")]
    InvalidItem {
        page: PageKind,
        index: usize,
        field: &'static str,
    },
}
