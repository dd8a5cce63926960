//! A simulated TMDB: the API v3 under `/3` and the daily id exports under `/p/exports`, for a
//! world built from a film list in the letterboxd-1m format (or generated), with switchable
//! faults. Test machinery: the service never links it.
//!
//! ```text
//! TMDB_BASE_URL=http://ADDR/3  TMDB_FILES_URL=http://ADDR/p/exports
//! ```

mod changes;
mod faults;
mod films_file;
mod render;
mod search;
mod seed;
mod server;
pub mod synthetic;
mod tables;
mod world;

pub use changes::Changes;
pub use faults::{FaultPlan, Faults, Knobs, PathFaults};
pub use films_file::{FilmsFileError, Kind, SourceFilm, read_films};
pub use server::{SimHandle, SimServer};
pub use world::{FIGURES_HEADER, SimFilm, World};
