//! The embedded migrations: applied on connect (creating the database when missing), idempotent,
//! safe when several processes start at once, and each `down.sql` undoes its `up.sql`.

use diesel::QueryableByName;
use diesel::migration::MigrationSource;
use diesel::sql_types::Text;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use reel::store::{MIGRATIONS, Store};

use crate::support::TestDatabase;

#[derive(QueryableByName, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
}

#[derive(QueryableByName, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Index {
    #[diesel(sql_type = Text)]
    indexdef: String,
}

/// The public schema's columns and indexes, without diesel's own bookkeeping table.
async fn schema_of(url: &str) -> (Vec<Column>, Vec<Index>) {
    let mut conn = AsyncPgConnection::establish(url).await.unwrap();
    let columns = diesel::sql_query(
        "SELECT table_name::text, column_name::text, data_type::text \
         FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations' \
         ORDER BY 1, 2",
    )
    .load(&mut conn)
    .await
    .unwrap();
    let indexes = diesel::sql_query(
        "SELECT indexdef::text FROM pg_indexes \
         WHERE schemaname = 'public' AND tablename <> '__diesel_schema_migrations' ORDER BY 1",
    )
    .load(&mut conn)
    .await
    .unwrap();
    (columns, indexes)
}

fn embedded_migrations() -> usize {
    MigrationSource::<diesel::pg::Pg>::migrations(&MIGRATIONS)
        .unwrap()
        .len()
}

#[tokio::test]
async fn connect_creates_the_database_and_applies_every_migration() {
    let (url, _guard) = TestDatabase::unused();
    let store = Store::connect(&url).await.unwrap();
    assert_eq!(store.pending_migrations().await.unwrap(), 0);
    store.ping().await.unwrap();
    assert_eq!(store.catalog_version().await.unwrap(), 0);
    let (columns, _) = schema_of(&url).await;
    for table in ["films", "members", "ratings", "crawl_jobs", "models"] {
        assert!(
            columns.iter().any(|column| column.table_name == table),
            "no table {table}"
        );
    }
    assert!(
        columns
            .iter()
            .any(|c| c.table_name == "films" && c.column_name == "scraped_at")
    );
}

#[tokio::test]
async fn migrating_again_changes_nothing() {
    let database = TestDatabase::new().await;
    let before = schema_of(database.database_url()).await;
    assert_eq!(database.store().migrate().await.unwrap(), 0);
    let again = Store::connect(database.database_url()).await.unwrap();
    assert_eq!(again.pending_migrations().await.unwrap(), 0);
    assert_eq!(schema_of(database.database_url()).await, before);
}

#[tokio::test]
async fn pending_migrations_counts_what_is_not_applied() {
    let database = TestDatabase::empty().await;
    let store = database.store();
    assert_eq!(
        store.pending_migrations().await.unwrap(),
        embedded_migrations()
    );
    assert_eq!(store.migrate().await.unwrap(), embedded_migrations());
    assert_eq!(store.pending_migrations().await.unwrap(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replicas_starting_together_migrate_once() {
    let database = TestDatabase::empty().await;
    let url = database.database_url().to_owned();
    let starts = (0..4).map(|_| {
        let url = url.clone();
        tokio::spawn(async move { Store::connect(&url).await })
    });
    let mut total_applied = 0;
    for start in futures::future::join_all(starts).await {
        let store = start.unwrap().unwrap();
        assert_eq!(store.pending_migrations().await.unwrap(), 0);
        total_applied += 1;
    }
    assert_eq!(total_applied, 4);
    // Each migration is recorded once, whoever applied it.
    let mut conn = AsyncPgConnection::establish(&url).await.unwrap();
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let count: Count = diesel::sql_query("SELECT count(*) AS n FROM __diesel_schema_migrations")
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(count.n, embedded_migrations() as i64);
}

#[tokio::test]
async fn down_undoes_up() {
    let database = TestDatabase::new().await;
    let url = database.database_url().to_owned();
    let migrated = schema_of(&url).await;
    assert!(!migrated.0.is_empty());

    assert_eq!(
        database.revert_all_migrations().await.unwrap(),
        embedded_migrations()
    );
    let reverted = schema_of(&url).await;
    assert!(reverted.0.is_empty(), "left behind: {:?}", reverted.0);
    assert!(reverted.1.is_empty(), "left behind: {:?}", reverted.1);

    assert_eq!(
        database.store().migrate().await.unwrap(),
        embedded_migrations()
    );
    assert_eq!(schema_of(&url).await, migrated);
}

#[tokio::test]
async fn a_bad_url_is_a_clear_error() {
    let err = Store::connect("mysql://localhost/reel").await.unwrap_err();
    assert!(err.to_string().contains("postgres://"), "{err}");
    // Nothing listens on port 1: refused at once, named as a connection failure.
    let err = Store::connect("postgres://postgres@127.0.0.1:1/reel")
        .await
        .unwrap_err();
    assert!(err.is_unavailable(), "{err}");
}
