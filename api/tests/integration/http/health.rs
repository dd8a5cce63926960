//! `/health/live` and `/health/ready` on the real server.

use std::time::Duration;

use model::{Film, FilmKey};
use reel::store::Store;

use crate::support::TestDatabase;
use crate::support::{Options, TestApp, problem};

#[tokio::test]
async fn live_answers_while_the_process_is_up() {
    let app = TestApp::skeleton().await;
    let response = app.get("/health/live").await;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body, serde_json::json!({"status": "ok"}));
}

#[tokio::test]
async fn ready_on_a_migrated_database_with_the_catalog_loaded() {
    let app = TestApp::skeleton().await;
    let response = app.get("/health/ready").await;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(
        body["checks"],
        serde_json::json!({"database": "ok", "migrations": "ok", "catalog": "ok"})
    );
    assert_eq!(body["catalog_films"], 0);
}

#[tokio::test]
async fn not_ready_until_the_catalog_is_loaded() {
    let app = TestApp::spawn_with(Options {
        load_catalog: false,
        ..Options::skeleton()
    })
    .await;
    let response = app.get("/health/ready").await;
    let body = problem(response, 503, "not_ready").await;
    assert_eq!(body["detail"], "not ready: catalog not loaded");
    assert_eq!(body["checks"]["catalog"], "failed");
    assert_eq!(body["checks"]["database"], "ok");

    app.catalog.reload(&app.store).await.unwrap();
    assert_eq!(app.get("/health/ready").await.status(), 200);
}

#[tokio::test]
async fn not_ready_while_migrations_are_pending() {
    // An empty database, opened without migrating: every embedded migration is pending.
    let database = TestDatabase::empty().await;
    let store = Store::open(database.database_url()).unwrap();
    let app = TestApp::serve(
        store,
        database,
        Options {
            load_catalog: false,
            ..Options::skeleton()
        },
    )
    .await;
    let response = app.get("/health/ready").await;
    let body = problem(response, 503, "not_ready").await;
    assert_eq!(body["checks"]["migrations"], "failed");
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("migrations pending"),
        "{body}"
    );

    app.store.migrate().await.unwrap();
    app.catalog.reload(&app.store).await.unwrap();
    assert_eq!(app.get("/health/ready").await.status(), 200);
}

#[tokio::test]
async fn not_ready_when_the_database_is_unreachable() {
    let database = TestDatabase::new().await;
    // Nothing listens on port 1: every connection is refused at once.
    let store = Store::open("postgres://postgres@127.0.0.1:1/reel").unwrap();
    let app = TestApp::serve(
        store,
        database,
        Options {
            load_catalog: false,
            ..Options::skeleton()
        },
    )
    .await;
    let response = app.get("/health/ready").await;
    let body = problem(response, 503, "not_ready").await;
    assert_eq!(
        body["checks"],
        serde_json::json!({"database": "failed", "migrations": "skipped", "catalog": "failed"})
    );
    assert_eq!(
        body["detail"],
        "not ready: database unreachable, catalog not loaded"
    );
    // Nothing about the connection (host, user, driver message) reaches the client.
    assert!(!body.to_string().contains("127.0.0.1"), "{body}");
}

#[tokio::test]
async fn a_new_catalog_version_is_swapped_in_without_a_restart() {
    let app = TestApp::spawn_with(Options {
        catalog_poll: Some(Duration::from_millis(50)),
        ..Options::skeleton()
    })
    .await;
    let before: serde_json::Value = app.get("/health/ready").await.json().await.unwrap();
    assert_eq!(before["catalog_films"], 0);

    let films = [
        Film::stub(FilmKey::parse("parasite-2019").unwrap(), "Parasite"),
        Film::stub(FilmKey::parse("heat-1995").unwrap(), "Heat"),
    ];
    app.store
        .upsert_films(&films, reel::store::films::FilmsFrom::default())
        .await
        .unwrap();
    let version = app.store.bump_catalog_version().await.unwrap();

    // The poller runs every 50 ms; wait for it rather than for a fixed time.
    let mut after = before.clone();
    for _ in 0..200 {
        after = app.get("/health/ready").await.json().await.unwrap();
        if after["catalog_version"] == version {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(after["catalog_version"], version, "never reloaded: {after}");
    assert_eq!(after["catalog_films"], 2);
    let loaded = app.catalog.current().unwrap();
    assert!(
        loaded
            .catalog
            .get(&FilmKey::parse("heat-1995").unwrap())
            .is_some()
    );
}

/// Uptime monitors probe with `HEAD`: the status of `GET`, no body.
#[tokio::test]
async fn head_answers_like_get_without_a_body() {
    let app = TestApp::spawn_with(Options {
        load_catalog: false,
        ..Options::skeleton()
    })
    .await;
    for (path, status) in [("/health/live", 200), ("/health/ready", 503)] {
        let response = app.client.head(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), status, "HEAD {path}");
        assert!(response.bytes().await.unwrap().is_empty(), "HEAD {path}");
    }
    app.catalog.reload(&app.store).await.unwrap();
    let response = app
        .client
        .head(app.url("/health/ready"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.bytes().await.unwrap().is_empty());
}
