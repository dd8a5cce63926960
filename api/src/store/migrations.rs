//! The migrations embedded in the binary, applied under a PostgreSQL advisory lock.
//!
//! Diesel's migration runner is synchronous; diesel-async's `AsyncConnectionWrapper` (the engine of
//! its `AsyncMigrationHarness`) drives our async connection from a blocking thread. Running it in
//! `spawn_blocking` instead of the harness's `block_in_place` keeps it usable from any runtime
//! flavour, including `#[tokio::test]`'s current-thread one.

use diesel::RunQueryDsl as _;
use diesel::sql_types::BigInt;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::StoreError;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// Session-level advisory lock key held while migrating ("reelmigr" in ASCII): a second replica
/// starting at the same moment waits, then finds nothing pending.
const MIGRATION_LOCK: i64 = 0x7265_656c_6d69_6772;

type SyncConn = AsyncConnectionWrapper<AsyncPgConnection>;

pub(super) async fn run_pending(database_url: &str) -> Result<usize, StoreError> {
    with_sync_connection(database_url, |conn| {
        lock(conn)?;
        let applied = conn
            .run_pending_migrations(MIGRATIONS)
            .map(|versions| {
                for version in &versions {
                    tracing::info!(migration.version = %version, "applied migration");
                }
                versions.len()
            })
            .map_err(StoreError::Migration);
        // The lock dies with the session anyway; unlocking early lets a waiting replica go on.
        let unlocked = unlock(conn);
        let applied = applied?;
        unlocked?;
        Ok(applied)
    })
    .await
}

pub(super) async fn count_pending(database_url: &str) -> Result<usize, StoreError> {
    with_sync_connection(database_url, |conn| {
        conn.pending_migrations(MIGRATIONS)
            .map(|pending| pending.len())
            .map_err(StoreError::Migration)
    })
    .await
}

fn lock(conn: &mut SyncConn) -> Result<(), StoreError> {
    diesel::sql_query("SELECT pg_advisory_lock($1)")
        .bind::<BigInt, _>(MIGRATION_LOCK)
        .execute(conn)?;
    Ok(())
}

fn unlock(conn: &mut SyncConn) -> Result<(), StoreError> {
    diesel::sql_query("SELECT pg_advisory_unlock($1)")
        .bind::<BigInt, _>(MIGRATION_LOCK)
        .execute(conn)?;
    Ok(())
}

/// Runs `work` on a blocking thread with a dedicated (unpooled) connection, so the session-level
/// advisory lock and the migrations share one session.
async fn with_sync_connection<T: Send + 'static>(
    database_url: &str,
    work: impl FnOnce(&mut SyncConn) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    let conn = AsyncPgConnection::establish(database_url).await?;
    tokio::task::spawn_blocking(move || {
        let mut conn = SyncConn::from(conn);
        work(&mut conn)
    })
    .await?
}
