//! The real implementations of the services' ports: the Postgres store, the cache (Redis or
//! moka) and its Redis lock, the Letterboxd client, the loaded catalog, the models, and the
//! language model that reads descriptions.

mod cache;
mod catalog;
mod language_model;
mod letterboxd;
mod models;
mod store;

pub use cache::{CacheKv, RedisLock};
pub use catalog::StoredCatalog;
pub use language_model::{
    ANSWER_NAME, ApiKey, LanguageModel, LanguageModelConfig, answer_schema, system_prompt,
};
pub use model::models::GENERAL_MODEL;
pub use models::ModelsTrainer;
