//! One file per resource, handlers named `verb_resource`: parse the input into domain types, call
//! one service function, map the result to a response view. Routes are in `crate::router`.

pub mod about;
pub mod admin;
pub mod compatibility;
mod csv;
mod errors;
pub mod metrics;
pub mod predictions;
pub mod profiles;
pub mod recommendations;
pub mod statistics;
pub mod usage;
pub mod watchlist;
