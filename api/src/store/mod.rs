//! The PostgreSQL store: a pool of async Diesel connections, the embedded migrations, and one
//! file of queries per table group. Every multi-row write is one transaction.

use std::fmt;
use std::time::Duration;

use diesel::prelude::*;
use diesel_async::pooled_connection::AsyncDieselConnectionManager;
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

mod cluster_lease;
pub mod crawl;
mod crawl_runs;
pub mod dataset;
pub mod embedded;
mod error;
pub mod films;
pub mod members;
mod migrations;
pub mod models;
pub mod offers;
mod provision;
pub mod ratings;
pub mod schema;
pub mod snapshots;
pub mod source_syncs;
pub mod uploads;
pub mod usage;

pub use embedded::{EmbeddedError, EmbeddedPostgres};
pub use error::StoreError;
pub use migrations::MIGRATIONS;

/// Connections the pool keeps at most: a few per core serve the API; bulk jobs take one each.
const POOL_SIZE: usize = 16;
/// How long a request waits for a free connection before it fails instead of queueing forever.
const POOL_WAIT: Duration = Duration::from_secs(10);

type PgPool = Pool<AsyncPgConnection>;
/// A pooled connection; returns to the pool when dropped.
type Conn = Object<AsyncPgConnection>;

/// The service's handle on PostgreSQL. Cheap to clone: clones share one pool.
#[derive(Clone)]
pub struct Store {
    pool: PgPool,
    database_url: String,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let status = self.pool.status();
        f.debug_struct("Store")
            .field("pool_size", &status.size)
            .field("pool_available", &status.available)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Connects (creating the database if missing), applies pending migrations under an advisory
    /// lock (so replicas starting together migrate once), and returns the store.
    pub async fn connect(database_url: &str) -> Result<Store, StoreError> {
        provision::ensure_database(database_url).await?;
        let store = Store::open(database_url)?;
        store.migrate().await?;
        Ok(store)
    }

    /// A store on an existing database, without touching its schema. Connections are made on
    /// first use.
    pub fn open(database_url: &str) -> Result<Store, StoreError> {
        provision::check_url(database_url)?;
        let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new(database_url);
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .build()
            .map_err(|err| StoreError::Pool(err.to_string()))?;
        Ok(Store {
            pool,
            database_url: database_url.to_owned(),
        })
    }

    /// The same database through a pool of its own: for work on another async runtime, whose
    /// connections must not outlive it in the service's pool.
    pub fn reopen(&self) -> Result<Store, StoreError> {
        Store::open(&self.database_url)
    }

    /// Applies pending migrations; returns how many ran (0 when the schema is current).
    pub async fn migrate(&self) -> Result<usize, StoreError> {
        migrations::run_pending(&self.database_url).await
    }

    /// Migrations embedded in this binary that the database has not applied yet.
    pub async fn pending_migrations(&self) -> Result<usize, StoreError> {
        migrations::count_pending(&self.database_url).await
    }

    /// `SELECT 1` on a pooled connection.
    pub async fn ping(&self) -> Result<(), StoreError> {
        let mut conn = self.conn().await?;
        diesel::sql_query("SELECT 1").execute(&mut conn).await?;
        Ok(())
    }

    /// The catalog's current version; servers reload their in-memory catalog when it moves.
    pub async fn catalog_version(&self) -> Result<i64, StoreError> {
        use schema::catalog_version::dsl::*;
        let mut conn = self.conn().await?;
        Ok(catalog_version.select(version).first(&mut conn).await?)
    }

    /// Moves the catalog version on by one and returns the new version.
    pub async fn bump_catalog_version(&self) -> Result<i64, StoreError> {
        use schema::catalog_version::dsl::*;
        let mut conn = self.conn().await?;
        Ok(diesel::update(catalog_version)
            .set((version.eq(version + 1), changed_at.eq(diesel::dsl::now)))
            .returning(version)
            .get_result(&mut conn)
            .await?)
    }

    /// A connection from the pool, waiting at most [`POOL_WAIT`].
    async fn conn(&self) -> Result<Conn, StoreError> {
        match tokio::time::timeout(POOL_WAIT, self.pool.get()).await {
            Ok(conn) => Ok(conn?),
            Err(_) => Err(StoreError::Pool(format!(
                "no connection free after {} s",
                POOL_WAIT.as_secs()
            ))),
        }
    }
}
