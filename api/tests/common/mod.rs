//! Starts the real server on port 0 over its own database, and talks HTTP to it.

#![allow(dead_code, reason = "each test binary uses part of the helpers")]

use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::ServerHandle;
use reel::cache::MemoryCache;
use reel::catalog::CatalogHandle;
use reel::config::AllowedOrigins;
use reel::http::{AppState, Application, HttpSettings};
use reel::store::Store;
use reel::store::testing::TestDatabase;

pub const ALLOWED_ORIGIN: &str = "https://app.example.com";
pub const BODY_LIMIT: usize = 1024;

/// How the app under test starts.
pub struct Options {
    /// Load the catalog before serving (as `serve` does).
    pub load_catalog: bool,
    /// Poll the catalog version this often (no poller when `None`).
    pub catalog_poll: Option<Duration>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            load_catalog: true,
            catalog_poll: None,
        }
    }
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub store: Store,
    pub catalog: CatalogHandle,
    server: ServerHandle,
    // Dropped last: the server's connections go first.
    _database: TestDatabase,
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(Options::default()).await
    }

    pub async fn spawn_with(options: Options) -> Self {
        let database = TestDatabase::new().await;
        let store = database.store().clone();
        Self::serve(store, database, options).await
    }

    /// Serves over `store` as it is (tests that break the database or the schema).
    pub async fn serve(store: Store, database: TestDatabase, options: Options) -> Self {
        let catalog = CatalogHandle::empty();
        if options.load_catalog {
            catalog.reload(&store).await.unwrap();
        }
        if let Some(interval) = options.catalog_poll {
            catalog.spawn_poller(store.clone(), interval);
        }
        let state = AppState::new(
            store.clone(),
            Arc::new(MemoryCache::new(1 << 20)),
            catalog.clone(),
            None,
        );
        let settings = HttpSettings {
            bind_addr: "127.0.0.1:0".parse().unwrap(),
            allowed_origins: AllowedOrigins::Only(vec![ALLOWED_ORIGIN.to_owned()]),
            request_timeout: Duration::from_secs(30),
            body_limit: BODY_LIMIT,
            workers: Some(1),
        };
        let app = Application::build(settings, state).unwrap();
        let address = format!("http://{}", app.local_addr());
        let server = app.handle();
        tokio::spawn(app.run_until_stopped());
        Self {
            address,
            client: reqwest::Client::new(),
            store,
            catalog,
            server,
            _database: database,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// Stops the server, letting in-flight requests finish.
    pub async fn stop(&self) {
        self.server.stop(true).await;
    }
}

/// The body of a problem response, after checking it is one and names the request's id (which is
/// then left out).
pub async fn problem(response: reqwest::Response) -> serde_json::Value {
    let content_type = response
        .headers()
        .get("content-type")
        .map(|value| value.to_str().unwrap().to_owned());
    assert_eq!(content_type.as_deref(), Some("application/problem+json"));
    let id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let mut body: serde_json::Value = response.json().await.unwrap();
    // Checked here against the header, then taken out so tests can compare bodies exactly.
    let named = body.as_object_mut().unwrap().remove("request_id");
    assert_eq!(named, Some(serde_json::Value::String(id)), "{body}");
    body
}
