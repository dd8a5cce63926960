//! The real implementations of the services' ports: the Postgres store, the cache (Redis or
//! moka) and its Redis lock, the Letterboxd client, the loaded catalog and the models.

mod cache;
mod catalog;
mod letterboxd;
mod models;
mod store;

pub use cache::{CacheKv, RedisLock};
pub use catalog::StoredCatalog;
pub use model::models::GENERAL_MODEL;
pub use models::ModelsTrainer;
