//! A database restart is an outage clients can wait out: every request that needs PostgreSQL
//! while it is gone (open connections dropped, new ones refused) answers 503 `not_ready` with
//! `Retry-After`, never 500 `internal`, and the service recovers by itself once it is back.

use reqwest::header::AUTHORIZATION;

use crate::support::cut_proxy::CutProxy;
use crate::support::{ADMIN_TOKEN, Options, TestApp, TestDatabase, json, problem};
use reel::store::Store;

async fn unavailable(response: reqwest::Response) {
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|value| value.to_str().unwrap().to_owned());
    let body = problem(response, 503, "not_ready").await;
    assert_eq!(body["checks"]["database"], "failed", "{body}");
    assert_eq!(retry_after.as_deref(), Some("5"));
    // Nothing about the connection reaches the client.
    assert!(!body.to_string().contains("127.0.0.1"), "{body}");
}

#[tokio::test]
async fn requests_while_the_database_restarts_are_503_with_retry_after() {
    let database = TestDatabase::new().await;
    let proxy = CutProxy::start(database.database_url()).await;
    let store = Store::open(proxy.url()).unwrap();
    let app = TestApp::serve(store, database, Options::default()).await;
    let reload = || {
        app.client
            .post(app.url("/admin/catalog/reload"))
            .header(AUTHORIZATION, format!("Bearer {ADMIN_TOKEN}"))
            .send()
    };
    json(app.get("/metrics/usage").await, 200).await;
    json(reload().await.unwrap(), 200).await;

    // The pooled connections are dropped under the service, and new ones refused.
    proxy.cut();
    // A service reading the store (the usage series) and the admin route reading it directly.
    unavailable(app.get("/metrics/usage").await).await;
    unavailable(reload().await.unwrap()).await;

    proxy.restore();
    json(app.get("/metrics/usage").await, 200).await;
    json(reload().await.unwrap(), 200).await;
}
