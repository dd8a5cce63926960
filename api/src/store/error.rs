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

    /// True when the database could not be reached or dropped the connection (down, restarting,
    /// failing over) as opposed to a query that failed on its own: worth retrying, so the API
    /// answers 503 with `Retry-After`, and readiness checks report "database unreachable".
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Connect(_) | StoreError::Pool(_) => true,
            StoreError::Query(err) => lost_connection(err),
            _ => false,
        }
    }
}

/// The primary messages of the SQLSTATEs that mean "this connection is gone, another may work":
/// 57P01 `admin_shutdown` (a restart or `pg_terminate_backend`), 57P02 `crash_shutdown`, 57P03
/// `cannot_connect_now` and 57P05 `idle_session_timeout`. diesel keeps the server's message but
/// not its SQLSTATE, so the messages (PostgreSQL's English ones, `lc_messages` unset) stand in.
const LOST_CONNECTION_MESSAGES: &[&str] = &[
    "terminating connection due to administrator command",
    "terminating connection because of crash of another server process",
    "terminating connection due to idle-session timeout",
    "the database system is",
];

/// A query that failed because its connection did, not because of the query.
fn lost_connection(err: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind as Kind, Error};
    match err {
        // `UnableToSendCommand` is what diesel-async makes of a closed socket, a reset or a
        // broken pipe (a driver error without SQLSTATE).
        Error::DatabaseError(Kind::ClosedConnection | Kind::UnableToSendCommand, _) => true,
        Error::DatabaseError(_, info) => LOST_CONNECTION_MESSAGES
            .iter()
            .any(|message| info.message().starts_with(message)),
        Error::RollbackErrorOnCommit { commit_error, .. } => lost_connection(commit_error),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use diesel::result::{DatabaseErrorKind as Kind, Error};

    use super::StoreError;

    fn query(kind: Kind, message: &str) -> StoreError {
        StoreError::Query(Error::DatabaseError(kind, Box::new(message.to_owned())))
    }

    #[test]
    fn a_lost_connection_is_unavailable() {
        for err in [
            query(Kind::ClosedConnection, "connection closed"),
            query(
                Kind::UnableToSendCommand,
                "error communicating with the server: Broken pipe",
            ),
            query(
                Kind::Unknown,
                "terminating connection due to administrator command",
            ),
            query(Kind::Unknown, "the database system is shutting down"),
            query(Kind::Unknown, "the database system is starting up"),
            StoreError::Pool("no connection free after 10 s".to_owned()),
        ] {
            assert!(err.is_unavailable(), "{err}");
        }
    }

    #[test]
    fn a_failed_query_is_not() {
        for err in [
            query(
                Kind::UniqueViolation,
                "duplicate key value violates unique constraint",
            ),
            query(Kind::Unknown, "relation \"films\" does not exist"),
            StoreError::Query(Error::NotFound),
            StoreError::corrupt("films", "bad year"),
        ] {
            assert!(!err.is_unavailable(), "{err}");
        }
    }
}
