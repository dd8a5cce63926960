//! Pure parsers for the Letterboxd pages the service reads: member film grids (watched films,
//! watchlists, lists), diaries, film pages and popular-members pages. HTML in, `model` types or a typed
//! [`ParseError`] out; none of them panics on any input (fuzzed, and property-tested).

pub mod diary;
mod error;
pub mod film;
pub mod grid;
mod html;
mod jsonld;
mod language;
pub mod members;

pub use diary::{DiaryPage, DiaryRow, parse_diary};
pub use error::{PageKind, ParseError};
pub use film::parse_film;
pub use grid::{GridFilm, GridPage, parse_grid};
pub use members::{MembersPage, parse_members};
