//! Uploaded exports are kept in Postgres: they survive a restart without Redis, are deleted on
//! `DELETE` and at expiry, and an upload the database cannot keep gets a 503, never an id.

use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::ServerHandle;
use chrono::Utc;
use diesel::sql_types::{BigInt, Uuid as SqlUuid};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use model::{Film, FilmKey, Profile, Rating};
use reel::cache::{MemoryCache, RedisCache, SharedCache};
use reel::catalog::CatalogHandle;
use reel::config::AllowedOrigins;
use reel::http::{AppState, Application, HttpSettings};
use reel::store::Store;
use reel::wiring::{Api, ApiSettings};

use crate::support::{TestDatabase, problem};
use reqwest::multipart::{Form, Part};
use uuid::Uuid;

/// Films in the catalog: `film-0` .. `film-9`, titled `Film <n>` from the year 2000 + n.
const FILMS: u16 = 10;

/// The API over `store` with an in-process cache of its own: a process without Redis.
struct App {
    address: String,
    client: reqwest::Client,
    server: ServerHandle,
}

impl App {
    async fn serve(store: &Store, catalog: &CatalogHandle) -> Self {
        Self::serve_with_cache(store, catalog, Arc::new(MemoryCache::new(1 << 20))).await
    }

    async fn serve_with_cache(store: &Store, catalog: &CatalogHandle, cache: SharedCache) -> Self {
        // Nothing here scrapes: the port is closed.
        let mut settings = ApiSettings::new("http://127.0.0.1:9");
        settings.rate_limits = Vec::new();
        settings.training_slots = 1;
        let api = Api::build(settings, store, &cache, catalog).await.unwrap();
        let mut state = AppState::new(store.clone(), cache, catalog.clone(), None);
        state.api = Some(api);
        let settings = HttpSettings {
            bind_addr: "127.0.0.1:0".parse().unwrap(),
            allowed_origins: Some(AllowedOrigins::Any),
            request_timeout: Duration::from_secs(60),
            body_limit: 64 * 1024,
            workers: Some(1),
        };
        let app = Application::build(settings, state, reel::router::configure).unwrap();
        let address = format!("http://{}", app.local_addr());
        let server = app.handle();
        tokio::spawn(app.run_until_stopped());
        Self {
            address,
            client: reqwest::Client::new(),
            server,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    async fn upload(&self) -> reqwest::Response {
        let form = Form::new().part(
            "file",
            Part::bytes(ratings_csv().into_bytes()).file_name("ratings.csv"),
        );
        self.client
            .post(self.url("/profiles"))
            .multipart(form)
            .send()
            .await
            .unwrap()
    }

    async fn statistics(&self, member: &str) -> reqwest::Response {
        self.client
            .get(self.url(&format!("/statistics?member={member}")))
            .send()
            .await
            .unwrap()
    }

    async fn delete(&self, id: &str) -> reqwest::Response {
        self.client
            .delete(self.url(&format!("/profiles/{id}")))
            .send()
            .await
            .unwrap()
    }

    async fn stop(&self) {
        self.server.stop(true).await;
    }
}

fn ratings_csv() -> String {
    let mut csv = String::from("Date,Name,Year,Letterboxd URI,Rating\n");
    for n in 0..FILMS {
        let stars = 1 + n % 5;
        csv.push_str(&format!(
            "2025-01-01,Film {n},{},https://boxd.it/x{n},{stars}\n",
            2000 + n
        ));
    }
    csv
}

/// A database with the catalog's films, and the catalog loaded from it.
async fn database_with_catalog() -> (TestDatabase, CatalogHandle) {
    let database = TestDatabase::new().await;
    let films: Vec<Film> = (0..FILMS)
        .map(|n| {
            let mut film = Film::stub(
                FilmKey::parse(&format!("film-{n}")).unwrap(),
                format!("Film {n}"),
            );
            film.year = Some(2000 + n);
            film
        })
        .collect();
    database
        .store()
        .upsert_films(&films, reel::store::films::FilmsFrom::default())
        .await
        .unwrap();
    database.store().bump_catalog_version().await.unwrap();
    let catalog = CatalogHandle::empty();
    catalog.reload(database.store()).await.unwrap();
    (database, catalog)
}

/// Rows of `uploads` under `id`, whatever their expiry.
async fn rows(database: &TestDatabase, id: Uuid) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let mut conn = AsyncPgConnection::establish(database.database_url())
        .await
        .unwrap();
    let count: Count = diesel::sql_query("SELECT count(*) AS n FROM uploads WHERE id = $1")
        .bind::<SqlUuid, _>(id)
        .get_result(&mut conn)
        .await
        .unwrap();
    count.n
}

async fn expect_problem(response: reqwest::Response, status: u16, code: &str) -> serde_json::Value {
    problem(response, status, code).await
}

#[tokio::test]
async fn an_upload_survives_a_restart_without_redis_until_deleted() {
    let (database, catalog) = database_with_catalog().await;
    let first = App::serve(database.store(), &catalog).await;
    let created = first.upload().await;
    assert_eq!(created.status(), 201);
    let created: serde_json::Value = created.json().await.unwrap();
    assert_eq!(created["counts"]["ratings"], u64::from(FILMS), "{created}");
    let id = created["id"].as_str().unwrap().to_owned();
    first.stop().await;

    // A new process on the same database: its own catalog load, an empty in-process cache.
    let catalog = CatalogHandle::empty();
    catalog.reload(database.store()).await.unwrap();
    let restarted = App::serve(database.store(), &catalog).await;
    let stats = restarted.statistics(&id).await;
    assert_eq!(stats.status(), 200, "{}", stats.text().await.unwrap());

    let deleted = restarted.delete(&id).await;
    assert_eq!(deleted.status(), 204);
    assert_eq!(rows(&database, id.parse().unwrap()).await, 0);
    expect_problem(restarted.statistics(&id).await, 404, "profile_not_found").await;
    expect_problem(restarted.delete(&id).await, 404, "profile_not_found").await;
    restarted.stop().await;
}

#[tokio::test]
async fn an_upload_while_redis_is_down_is_stored_and_works() {
    let (database, catalog) = database_with_catalog().await;
    // Nothing listens on port 1: every cache call fails, as in an outage.
    let cache: SharedCache = Arc::new(RedisCache::new("redis://127.0.0.1:1", "uploads:").unwrap());
    let app = App::serve_with_cache(database.store(), &catalog, cache).await;
    let created = app.upload().await;
    assert_eq!(created.status(), 201);
    let created: serde_json::Value = created.json().await.unwrap();
    let id = created["id"].as_str().unwrap();
    let stats = app.statistics(id).await;
    assert_eq!(stats.status(), 200, "{}", stats.text().await.unwrap());
    app.stop().await;
}

#[tokio::test]
async fn an_expired_upload_is_not_served_and_is_deleted() {
    let (database, catalog) = database_with_catalog().await;
    let id = Uuid::new_v4();
    let now = Utc::now();
    let profile = Profile {
        ratings: (0..FILMS)
            .map(|n| {
                (
                    FilmKey::parse(&format!("film-{n}")).unwrap(),
                    Rating::from_stars(3.0).unwrap(),
                )
            })
            .collect(),
        ..Profile::default()
    };
    database
        .store()
        .insert_upload(
            id,
            &profile,
            serde_json::json!([]),
            now - chrono::Duration::hours(25),
            now - chrono::Duration::hours(1),
        )
        .await
        .unwrap();
    let app = App::serve(database.store(), &catalog).await;
    let gone = expect_problem(
        app.statistics(&id.to_string()).await,
        404,
        "profile_not_found",
    )
    .await;
    assert!(
        gone["detail"].as_str().unwrap().contains("24 hours"),
        "{gone}"
    );
    assert_eq!(rows(&database, id).await, 0, "deleted when met");
    app.stop().await;
}

#[tokio::test]
async fn an_unknown_upload_id_is_profile_not_found() {
    let (database, catalog) = database_with_catalog().await;
    let app = App::serve(database.store(), &catalog).await;
    let unknown = Uuid::new_v4().to_string();
    expect_problem(app.statistics(&unknown).await, 404, "profile_not_found").await;
    let recommend = app
        .client
        .post(app.url("/recommendations"))
        .json(&serde_json::json!({"members": [unknown]}))
        .send()
        .await
        .unwrap();
    expect_problem(recommend, 404, "profile_not_found").await;
    expect_problem(app.delete(&unknown).await, 404, "profile_not_found").await;
    app.stop().await;
}

#[tokio::test]
async fn an_upload_the_database_cannot_keep_is_a_503_to_retry() {
    let (database, catalog) = database_with_catalog().await;
    let store = database.store().clone();
    let app = App::serve(&store, &catalog).await;
    // The database goes away under the running service.
    database.drop_database().await.unwrap();
    let refused = app.upload().await;
    assert!(refused.headers().contains_key("retry-after"), "{refused:?}");
    let body = expect_problem(refused, 503, "not_ready").await;
    assert_eq!(body["checks"]["database"], "failed", "{body}");
    let unknown = Uuid::new_v4().to_string();
    expect_problem(app.delete(&unknown).await, 503, "not_ready").await;
    app.stop().await;
}

#[tokio::test]
async fn an_upload_on_an_empty_catalog_names_the_empty_catalog() {
    let database = TestDatabase::new().await;
    let catalog = CatalogHandle::empty();
    catalog.reload(database.store()).await.unwrap();
    let app = App::serve(database.store(), &catalog).await;
    let refused = app.upload().await;
    assert!(refused.headers().contains_key("retry-after"), "{refused:?}");
    let body = expect_problem(refused, 503, "catalog_empty").await;
    let detail = body["detail"].as_str().unwrap();
    assert!(detail.contains("reel import"), "{detail}");
    // Readiness says the same: the service runs, and what it lacks and how to add it.
    let ready: serde_json::Value = app
        .client
        .get(app.url("/health/ready"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ready["catalog_films"], 0, "{ready}");
    assert_eq!(ready["missing"][0]["what"], "catalog_films", "{ready}");
    assert!(
        ready["missing"][0]["fix"]
            .as_str()
            .unwrap()
            .contains("reel import")
    );
    app.stop().await;
}
