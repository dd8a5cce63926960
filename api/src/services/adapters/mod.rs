//! The real implementations of the services' ports: the Postgres store, the cache (Redis or
//! moka) and its Redis lock, the Letterboxd client, the loaded catalog, the models, and the
//! language model that reads descriptions.

use futures::FutureExt;
use futures::future::BoxFuture;

use crate::services::ports::{PortResult, Unavailable};
use crate::store::StoreError;

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

/// A store call as a port's future: an error that means the database is unreachable (see
/// [`StoreError::is_unavailable`]) is marked [`Unavailable`], so the services answer 503 with
/// `Retry-After` rather than 500.
trait StorePort<'a, T> {
    fn into_port(self) -> BoxFuture<'a, PortResult<T>>;
}

impl<'a, T, F> StorePort<'a, T> for F
where
    F: Future<Output = PortResult<T>> + Send + 'a,
{
    fn into_port(self) -> BoxFuture<'a, PortResult<T>> {
        self.map(|result| result.map_err(mark_unavailable)).boxed()
    }
}

/// `err` with the [`Unavailable`] context when a store error in its chain lost the database.
fn mark_unavailable(err: anyhow::Error) -> anyhow::Error {
    let lost = err
        .chain()
        .filter_map(|cause| cause.downcast_ref::<StoreError>())
        .any(StoreError::is_unavailable);
    if lost { err.context(Unavailable) } else { err }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_lost_database_is_marked_unavailable_and_a_failed_query_is_not() {
        let lost = async { Err::<(), _>(StoreError::Pool("refused".to_owned()).into()) };
        let err = lost.into_port().await.unwrap_err();
        assert!(err.downcast_ref::<Unavailable>().is_some(), "{err:#}");

        let corrupt = async { Err::<(), _>(StoreError::corrupt("films", "bad year").into()) };
        let err = corrupt.into_port().await.unwrap_err();
        assert!(err.downcast_ref::<Unavailable>().is_none(), "{err:#}");
    }
}
