//! Filters from a sentence: a deterministic parser for English descriptions such as "a 90s french
//! horror film under 100 minutes, nothing too popular". No network, no model: a table of words and
//! phrases ([`lexicon`]), the numbers around them ([`numbers`]) and the streaming services a
//! description can name ([`streaming`], as TMDB provider ids). Words it does not know are
//! returned as [`Described::ignored`], so a client can show what was not understood.

mod apply;
mod lexicon;
mod numbers;
mod parse;
#[cfg(test)]
mod phrasings;
mod streaming;
mod vocabulary;

pub use apply::{AppliedFilters, FilterField, FilterSource, apply};
pub use parse::describe;
pub use streaming::{SERVICES, StreamingService, streaming_service};
pub use vocabulary::{known_countries, known_languages};

use crate::domain::{ContentType, GenreSet};
use crate::recommend::{PopularityBand, RangeFilter};

/// The longest description accepted, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 300;

/// "recent" means released in the last this many years (this year included).
pub const RECENT_YEARS: u16 = 5;

/// What a description asks for. Every field is "not said" when empty (or `None`, or false).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Described {
    pub genres: GenreSet,
    pub excluded_genres: GenreSet,
    pub content_types: Vec<ContentType>,
    pub years: Option<RangeFilter>,
    pub runtimes: Option<RangeFilter>,
    pub popularity: Vec<PopularityBand>,
    pub highly_rated: bool,
    /// ISO 639-1 codes.
    pub languages: Vec<String>,
    pub excluded_languages: Vec<String>,
    /// Countries as Letterboxd names them.
    pub countries: Vec<String>,
    pub excluded_countries: Vec<String>,
    /// Streaming services to watch on, by canonical name ([`SERVICES`]).
    pub services: Vec<&'static str>,
    /// Words the parser did not understand, lowercased, in order.
    pub ignored: Vec<String>,
}
