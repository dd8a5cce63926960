//! The real implementations of the services' ports: the Postgres store and the models (the
//! cache, its Redis lock, the Letterboxd client and the loaded catalog follow with the foundation
//! and scraper pieces they wrap).

mod models;
mod store;

pub use models::{GENERAL_MODEL, ModelsTrainer};
