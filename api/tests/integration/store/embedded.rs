//! The private PostgreSQL cluster the service runs with no DATABASE_URL: initialised on the first
//! start (as the `postgres` user when running as root), reused on the next, stopped cleanly.

use reel::store::films::FilmsFrom;
use std::os::unix::fs::PermissionsExt;

use model::{Film, FilmKey};
use reel::config::DatabaseArgs;
use reel::store::{EmbeddedPostgres, Store};

/// A data directory the unprivileged `postgres` user can reach (tempdirs are 0700).
fn data_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cluster_is_created_once_reused_and_stopped() {
    let dir = data_dir();
    let cluster = EmbeddedPostgres::start(dir.path()).await.unwrap();
    assert!(dir.path().join("postgres/PG_VERSION").is_file());
    let url = cluster.database_url();
    assert!(url.starts_with("postgres://postgres:"), "{url}");
    let store = Store::connect(&url).await.unwrap();
    store.ping().await.unwrap();
    let slug = FilmKey::parse("kept-across-restarts").unwrap();
    store
        .upsert_films(&[Film::stub(slug.clone(), "Kept")], FilmsFrom::default())
        .await
        .unwrap();
    drop(store);
    cluster.stop().await.unwrap();
    // Stopped: nothing answers on the old port any more.
    assert!(Store::connect(&url).await.is_err());

    // The second start reuses the cluster: same data, no second initdb.
    let args = DatabaseArgs {
        database_url: None,
        data_dir: dir.path().to_owned(),
    };
    let (store, cluster) = args.open().await.unwrap();
    let cluster = cluster.expect("no DATABASE_URL: the embedded cluster");
    assert_eq!(store.find_film(&slug).await.unwrap().unwrap().title, "Kept");
    assert_eq!(store.pending_migrations().await.unwrap(), 0);
    drop(store);
    cluster.stop().await.unwrap();
    assert!(!dir.path().join("postgres/postmaster.pid").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_the_guard_stops_the_server() {
    let dir = data_dir();
    let cluster = EmbeddedPostgres::start(dir.path()).await.unwrap();
    Store::connect(&cluster.database_url()).await.unwrap();
    drop(cluster);
    assert!(!dir.path().join("postgres/postmaster.pid").exists());
}

#[tokio::test]
async fn a_database_url_bypasses_the_embedded_cluster() {
    let database = crate::support::TestDatabase::new().await;
    let dir = data_dir();
    let args = DatabaseArgs {
        database_url: Some(database.database_url().to_owned()),
        data_dir: dir.path().to_owned(),
    };
    let (store, cluster) = args.open().await.unwrap();
    assert!(cluster.is_none());
    store.ping().await.unwrap();
    assert!(!dir.path().join("postgres").exists());
}
