//! Databases for tests: each test gets its own PostgreSQL database, cloned from a template that
//! is migrated once per test process and shared by every process running the same migrations.
//! The database is dropped when the [`TestDatabase`] goes away (even when the test panics), so
//! tests run in parallel and leave nothing behind.
//!
//! A test process killed outright (SIGKILL, a crash) cannot drop its databases: their names carry
//! the host and the process id, and the next test process on the same host drops those whose
//! process is gone ([`sweep_orphaned_databases`]).
//!
//! The server is `TEST_DATABASE_URL`, by default the machine's
//! `postgres://postgres@127.0.0.1:5432/postgres`.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};

use diesel::QueryableByName;
use diesel::migration::MigrationSource;
use diesel::sql_types::{BigInt, Bool, Text};
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use diesel_migrations::MigrationHarness;
use rand::Rng;
use reel::store::{MIGRATIONS, Store, StoreError};
use tokio::sync::OnceCell;
use url::Url;

const DEFAULT_SERVER: &str = "postgres://postgres@127.0.0.1:5432/postgres";
/// Serialises template setup and cloning across test processes ("reeltest").
const TEMPLATE_LOCK: i64 = 0x7265_656c_7465_7374;

static TEMPLATE: OnceCell<String> = OnceCell::const_new();
static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A database of one's own for one test, dropped with this value.
pub struct TestDatabase {
    store: Store,
    name: String,
    url: String,
    server_url: String,
}

impl TestDatabase {
    /// A fresh, fully migrated database. Panics when the test server is unreachable: a test
    /// cannot run without it.
    pub async fn new() -> TestDatabase {
        match Self::try_new().await {
            Ok(database) => database,
            Err(err) => panic!("cannot create a test database on {}: {err}", server_url()),
        }
    }

    /// A fresh, fully migrated database, or why there is none.
    pub async fn try_new() -> Result<TestDatabase, StoreError> {
        let server_url = server_url();
        let template = TEMPLATE
            .get_or_try_init(|| prepare_template(&server_url))
            .await?
            .clone();
        let name = unique_name();
        let mut admin = admin_connection(&server_url).await?;
        with_lock(&mut admin, async |conn| {
            create_database(conn, &name, Some(&template)).await
        })
        .await?;
        Self::finish(server_url, name, true).await
    }

    /// A fresh database with no tables at all (for tests of the migrations themselves).
    pub async fn empty() -> TestDatabase {
        match Self::try_empty().await {
            Ok(database) => database,
            Err(err) => panic!("cannot create a test database on {}: {err}", server_url()),
        }
    }

    async fn try_empty() -> Result<TestDatabase, StoreError> {
        let server_url = server_url();
        let name = unique_name();
        let mut admin = admin_connection(&server_url).await?;
        create_database(&mut admin, &name, Some("template0")).await?;
        Self::finish(server_url, name, false).await
    }

    /// A name for a database that does not exist yet (for tests of creating it), on the test
    /// server. Dropped with the value if something created it.
    pub fn unused() -> (String, TestDatabaseName) {
        let server_url = server_url();
        let name = unique_name();
        let url = check_url(&server_url)
            .map(|parsed| with_database(&parsed, &name))
            .unwrap_or_default();
        (url, TestDatabaseName { server_url, name })
    }

    async fn finish(server_url: String, name: String, migrated: bool) -> Result<Self, StoreError> {
        let url = with_database(&check_url(&server_url)?, &name);
        let store = if migrated {
            Store::connect(&url).await
        } else {
            Store::open(&url)
        };
        let store = match store {
            Ok(store) => store,
            Err(err) => {
                drop_now(&server_url, &name);
                return Err(err);
            }
        };
        Ok(TestDatabase {
            store,
            name,
            url,
            server_url,
        })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The database's URL (for code under test that connects by itself, e.g. `reel import`).
    pub fn database_url(&self) -> &str {
        &self.url
    }

    /// Drops the database now, under whatever still uses it (a database gone away); dropping
    /// the value later finds nothing left to drop.
    pub async fn drop_database(&self) -> Result<(), StoreError> {
        let mut admin = admin_connection(&self.server_url).await?;
        drop_database(&mut admin, &self.name).await
    }

    /// Reverts every migration (the test of `down.sql`).
    pub async fn revert_all_migrations(&self) -> Result<usize, StoreError> {
        let conn = admin_connection(&self.url).await?;
        // Diesel's migration harness is synchronous: it drives the async connection from a
        // blocking thread.
        tokio::task::spawn_blocking(move || {
            let mut conn = AsyncConnectionWrapper::<AsyncPgConnection>::from(conn);
            conn.revert_all_migrations(MIGRATIONS)
                .map(|versions| versions.len())
                .map_err(StoreError::Migration)
        })
        .await?
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        drop_now(&self.server_url, &self.name);
    }
}

/// The name of a database a test may create; dropped (if it exists) with this value.
pub struct TestDatabaseName {
    server_url: String,
    name: String,
}

impl Drop for TestDatabaseName {
    fn drop(&mut self) {
        drop_now(&self.server_url, &self.name);
    }
}

fn server_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|url| !url.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_SERVER.to_owned())
}

fn unique_name() -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let salt: u32 = rand::rng().random();
    format!("{}{}_{n}_{salt:08x}", host_prefix(), std::process::id())
}

/// `reel_test_<host>_`: test databases of this host (one server may serve several machines,
/// whose process ids mean nothing here).
fn host_prefix() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
    let mut hasher = DefaultHasher::new();
    host.trim().hash(&mut hasher);
    format!("reel_test_{:08x}_", hasher.finish() as u32)
}

/// Drops this host's test databases whose process has exited without dropping them, and says
/// how many. Does nothing where processes cannot be looked up (no `/proc`).
pub async fn sweep_orphaned_databases(server_url: &str) -> Result<usize, StoreError> {
    if !Path::new("/proc/self").exists() {
        return Ok(0);
    }
    let prefix = host_prefix();
    let mut admin = admin_connection(server_url).await?;
    let ours: Vec<DatabaseName> =
        diesel::sql_query("SELECT datname AS name FROM pg_database WHERE starts_with(datname, $1)")
            .bind::<Text, _>(&prefix)
            .load(&mut admin)
            .await?;
    let mut dropped = 0;
    for database in ours {
        let pid = database.name[prefix.len()..]
            .split('_')
            .next()
            .unwrap_or("");
        let gone = pid
            .parse::<u32>()
            .is_ok_and(|pid| !Path::new(&format!("/proc/{pid}")).exists());
        if gone {
            drop_database(&mut admin, &database.name).await?;
            dropped += 1;
        }
    }
    Ok(dropped)
}

async fn admin_connection(server_url: &str) -> Result<AsyncPgConnection, StoreError> {
    Ok(AsyncPgConnection::establish(server_url).await?)
}

/// Templates of other migrations unused this long are dropped. Checkouts with different
/// migrations (branches side by side, a CI clone next to a working tree) each stamp their own
/// template when a test process starts, so none drops a template another is still cloning.
const TEMPLATE_IDLE_SECS: u64 = 6 * 60 * 60;

/// Creates and migrates the template for the current migrations unless another process did,
/// stamps it as used now, and drops templates of other migrations that no test process has used
/// for [`TEMPLATE_IDLE_SECS`] (and orphaned test databases).
async fn prepare_template(server_url: &str) -> Result<String, StoreError> {
    sweep_orphaned_databases(server_url).await?;
    let name = format!("reel_template_{:016x}", migrations_fingerprint());
    let url = with_database(&check_url(server_url)?, &name);
    let mut admin = admin_connection(server_url).await?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    with_lock(&mut admin, async |conn| {
        let others: Vec<StampedTemplate> = diesel::sql_query(
            "SELECT datname AS name, shobj_description(oid, 'pg_database') AS stamp \
             FROM pg_database WHERE datname LIKE 'reel\\_template\\_%' AND datname <> $1",
        )
        .bind::<Text, _>(&name)
        .load(conn)
        .await?;
        for other in others {
            let used = other.stamp.as_deref().and_then(|s| s.parse::<u64>().ok());
            if used.is_none_or(|used| now.saturating_sub(used) > TEMPLATE_IDLE_SECS) {
                drop_database(conn, &other.name).await?;
            }
        }
        if !database_exists(conn, &name).await? {
            create_database(conn, &name, Some("template0")).await?;
        }
        // Idempotent: nothing runs when another process migrated it already.
        if let Err(err) = Store::open(&url)?.migrate().await {
            drop_database(conn, &name).await?;
            return Err(err);
        }
        diesel::sql_query(format!("COMMENT ON DATABASE \"{name}\" IS '{now}'"))
            .execute(conn)
            .await?;
        Ok(())
    })
    .await?;
    Ok(name)
}

#[derive(QueryableByName)]
struct StampedTemplate {
    #[diesel(sql_type = Text)]
    name: String,
    /// Unix seconds of the last test process that used it.
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    stamp: Option<String>,
}

#[derive(QueryableByName)]
struct DatabaseName {
    #[diesel(sql_type = Text)]
    name: String,
}

/// Identifies the migrations' content, so an edited migration gets a new template.
fn migrations_fingerprint() -> u64 {
    let mut hasher = DefaultHasher::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let mut files: Vec<_> = walk(&dir);
    files.sort();
    for file in files {
        // Relative, so two checkouts of the same migrations share one template instead of each
        // dropping the other's as stale while its tests copy it.
        file.strip_prefix(&dir).unwrap_or(&file).hash(&mut hasher);
        std::fs::read(&file).unwrap_or_default().hash(&mut hasher);
    }
    // Without the source tree, the embedded migrations' names still tell versions apart.
    if let Ok(list) = MigrationSource::<diesel::pg::Pg>::migrations(&MIGRATIONS) {
        for migration in list {
            migration.name().to_string().hash(&mut hasher);
        }
    }
    hasher.finish()
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .flat_map(|entry| {
            let path = entry.path();
            if path.is_dir() {
                walk(&path)
            } else {
                vec![path]
            }
        })
        .collect()
}

/// Runs `work` holding the cross-process template lock on `conn`.
async fn with_lock<T>(
    conn: &mut AsyncPgConnection,
    work: impl AsyncFnOnce(&mut AsyncPgConnection) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    diesel::sql_query("SELECT pg_advisory_lock($1)")
        .bind::<BigInt, _>(TEMPLATE_LOCK)
        .execute(conn)
        .await?;
    let result = work(conn).await;
    diesel::sql_query("SELECT pg_advisory_unlock($1)")
        .bind::<BigInt, _>(TEMPLATE_LOCK)
        .execute(conn)
        .await?;
    result
}

fn check_url(server_url: &str) -> Result<Url, StoreError> {
    Url::parse(server_url).map_err(|err| StoreError::InvalidUrl(err.to_string()))
}

/// The same server and credentials, another database (test database names need no escaping).
fn with_database(url: &Url, name: &str) -> String {
    let mut other = url.clone();
    other.set_path(&format!("/{name}"));
    other.to_string()
}

#[derive(QueryableByName)]
struct Exists {
    #[diesel(sql_type = Bool)]
    exists: bool,
}

async fn database_exists(conn: &mut AsyncPgConnection, name: &str) -> Result<bool, StoreError> {
    let row: Exists =
        diesel::sql_query("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS exists")
            .bind::<Text, _>(name)
            .get_result(conn)
            .await?;
    Ok(row.exists)
}

/// `CREATE DATABASE`, optionally from a template. Callers hold the template lock or use a name
/// nobody else has, so it never races another creator.
async fn create_database(
    conn: &mut AsyncPgConnection,
    name: &str,
    template: Option<&str>,
) -> Result<(), StoreError> {
    let mut sql = format!("CREATE DATABASE \"{name}\"");
    if let Some(template) = template {
        sql.push_str(&format!(" TEMPLATE \"{template}\""));
    }
    diesel::sql_query(sql).execute(conn).await?;
    Ok(())
}

/// `DROP DATABASE IF EXISTS .. WITH (FORCE)`: ends the sessions still connected to it.
async fn drop_database(conn: &mut AsyncPgConnection, name: &str) -> Result<(), StoreError> {
    diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .execute(conn)
        .await?;
    Ok(())
}

/// Drops a database from a `Drop` impl: on a thread of its own with its own runtime, since the
/// caller may be inside (or outside) any runtime.
fn drop_now(server_url: &str, name: &str) {
    let server_url = server_url.to_owned();
    let owned = name.to_owned();
    let joined = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|err| err.to_string())?;
        runtime.block_on(async {
            let mut admin = admin_connection(&server_url)
                .await
                .map_err(|err| err.to_string())?;
            drop_database(&mut admin, &owned)
                .await
                .map_err(|err| err.to_string())
        })
    })
    .join();
    match joined {
        Ok(Ok(())) => {}
        Ok(Err(err)) => eprintln!("could not drop test database {name}: {err}"),
        Err(_) => eprintln!("could not drop test database {name}: the dropping thread panicked"),
    }
}

mod tests {
    use super::*;

    /// A process id nobody has now.
    fn dead_pid() -> u32 {
        let max: u32 = std::fs::read_to_string("/proc/sys/kernel/pid_max")
            .ok()
            .and_then(|text| text.trim().parse().ok())
            .unwrap_or(32_768);
        (1..max)
            .rev()
            .find(|pid| !Path::new(&format!("/proc/{pid}")).exists())
            .unwrap()
    }

    async fn exists(server_url: &str, name: &str) -> bool {
        let mut admin = admin_connection(server_url).await.unwrap();
        database_exists(&mut admin, name).await.unwrap()
    }

    #[tokio::test]
    async fn databases_of_exited_test_processes_are_dropped_and_live_ones_kept() {
        let server_url = server_url();
        let orphan = format!("{}{}_0_0000dead", host_prefix(), dead_pid());
        let live = unique_name();
        let mut admin = admin_connection(&server_url).await.unwrap();
        for name in [&orphan, &live] {
            create_database(&mut admin, name, Some("template0"))
                .await
                .unwrap();
        }
        assert!(sweep_orphaned_databases(&server_url).await.unwrap() >= 1);
        assert!(!exists(&server_url, &orphan).await);
        assert!(exists(&server_url, &live).await, "this process is alive");
        drop_database(&mut admin, &live).await.unwrap();
    }
}
