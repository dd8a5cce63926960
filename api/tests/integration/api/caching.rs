//! Conditional GETs: `ETag`, `Cache-Control` and `304 Not Modified` on the cacheable routes.

use crate::support::{TestApp, json};

/// Fetches `path`, then again with its tag: the second is a bodiless 304 with the same headers.
async fn revalidates(app: &TestApp, path: &str, cache_control: &str) {
    let first = app.get(path).await;
    assert_eq!(first.status(), 200, "{path}");
    let tag = first.headers()["etag"].to_str().unwrap().to_owned();
    assert!(tag.starts_with('"') && tag.ends_with('"'), "{path}: {tag}");
    assert_eq!(first.headers()["cache-control"], cache_control, "{path}");

    let again = app
        .client
        .get(app.url(path))
        .header("if-none-match", &tag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304, "{path}");
    assert_eq!(again.headers()["etag"], tag.as_str());
    assert_eq!(again.headers()["cache-control"], cache_control);
    assert!(again.bytes().await.unwrap().is_empty());

    let stale = app
        .client
        .get(app.url(path))
        .header("if-none-match", "\"not-the-tag\"")
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 200, "{path}");
    assert!(!stale.bytes().await.unwrap().is_empty());
}

#[tokio::test]
async fn cacheable_responses_are_tagged_and_revalidated() {
    let app = TestApp::spawn().await;
    revalidates(&app, "/openapi.json", "public, max-age=300").await;
    revalidates(&app, "/openapi.yaml", "public, max-age=300").await;
    revalidates(&app, "/metrics/usage?days=7", "private, max-age=60").await;
    // Statistics carry `computed_at`, so two fetches may differ: only the headers are checked.
    let statistics = app.get("/statistics?member=alice").await;
    assert_eq!(statistics.headers()["cache-control"], "private, max-age=60");
    assert!(statistics.headers().contains_key("etag"));
    json(statistics, 200).await;
    // Errors and uncached routes carry neither.
    let problem = app.get("/statistics").await;
    assert_eq!(problem.status(), 400);
    assert!(problem.headers().get("etag").is_none());
    let live = app.get("/health/live").await;
    assert!(live.headers().get("etag").is_none());
    app.stop().await;
}
