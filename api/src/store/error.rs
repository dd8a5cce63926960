//! The store's one error type. It keeps the whole cause chain for the log; the HTTP layer maps it
//! to a generic 500/503 and never shows its text to a client.

use super::embedded::EmbeddedError;

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The URL is not a PostgreSQL connection URL.
    #[error("invalid database URL: {0}")]
    InvalidUrl(String),
    /// The server could not be reached or refused the connection.
    #[error("cannot connect to the database: {0}")]
    Connect(#[source] diesel::ConnectionError),
    /// No pooled connection became available.
    #[error("database connection pool: {0}")]
    Pool(String),
    #[error("database query failed: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("database migration failed: {0}")]
    Migration(#[source] BoxError),
    /// A stored value no longer parses as a domain value (a row written by hand, or an old bug).
    #[error("corrupt row in {table}: {message}")]
    Corrupt {
        table: &'static str,
        message: String,
    },
    /// A value the caller passed cannot be stored (e.g. out of the column's range).
    #[error("invalid value for {what}: {message}")]
    Invalid { what: &'static str, message: String },
    #[error(transparent)]
    Embedded(#[from] EmbeddedError),
    /// A blocking task (migrations run on one) panicked or was cancelled.
    #[error("background task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

impl From<diesel::ConnectionError> for StoreError {
    fn from(err: diesel::ConnectionError) -> Self {
        StoreError::Connect(err)
    }
}

impl From<diesel_async::pooled_connection::deadpool::PoolError> for StoreError {
    fn from(err: diesel_async::pooled_connection::deadpool::PoolError) -> Self {
        StoreError::Pool(err.to_string())
    }
}

impl StoreError {
    pub(crate) fn corrupt(table: &'static str, message: impl std::fmt::Display) -> Self {
        StoreError::Corrupt {
            table,
            message: message.to_string(),
        }
    }

    pub(crate) fn invalid(what: &'static str, message: impl std::fmt::Display) -> Self {
        StoreError::Invalid {
            what,
            message: message.to_string(),
        }
    }

    /// True when the database could not be reached at all (as opposed to a query that failed):
    /// readiness checks report this as "database unreachable".
    pub fn is_unavailable(&self) -> bool {
        matches!(self, StoreError::Connect(_) | StoreError::Pool(_))
    }
}
