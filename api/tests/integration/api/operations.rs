//! Rate limits, the request deadline, the admin reload, metrics, usage and the documentation.

use std::time::Duration;

use letterboxd_sim::FaultPlan;
use reel::limits::Limit;
use serde_json::json;

use crate::support::{ADMIN_TOKEN, Options, TestApp, json, problem};

#[tokio::test]
async fn each_client_and_feature_has_its_own_limit() {
    let app = TestApp::spawn_with(Options {
        rate_limits: vec![Limit::per_minute(2)],
        ..Options::default()
    })
    .await;
    for _ in 0..2 {
        json(app.get("/statistics?member=alice").await, 200).await;
    }
    let limited = app.get("/statistics?member=alice").await;
    let retry_after: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    problem(limited, 429, "rate_limited").await;
    // Another feature has its own budget.
    json(
        app.post("/watchlist", json!({"members": ["alice"]})).await,
        200,
    )
    .await;
    // The test connects from 127.0.0.1, a trusted proxy: the forwarded client is someone else.
    let forwarded = app
        .client
        .get(app.url("/statistics?member=alice"))
        .header("x-forwarded-for", "203.0.113.9")
        .send()
        .await
        .unwrap();
    json(forwarded, 200).await;
    app.stop().await;
}

#[tokio::test]
async fn past_the_deadline_the_client_gets_504() {
    let mut faults = FaultPlan::default();
    faults.all.latency_ms = 3_000;
    let app = TestApp::spawn_with(Options {
        request_timeout: Duration::from_secs(1),
        faults,
        ..Options::default()
    })
    .await;
    problem(app.get("/statistics?member=alice").await, 504, "timeout").await;
    app.stop().await;
}

#[tokio::test]
async fn a_request_body_over_the_limit_is_413() {
    let app = TestApp::spawn().await;
    let members: Vec<String> = (0..40_000).map(|i| format!("member{i}")).collect();
    problem(
        app.recommend(json!({"members": members})).await,
        413,
        "payload_too_large",
    )
    .await;
    app.stop().await;
}

#[tokio::test]
async fn the_catalog_reload_needs_the_admin_token() {
    let app = TestApp::spawn().await;
    let url = app.url("/admin/catalog/reload");
    let none = app.client.post(&url).send().await.unwrap();
    assert_eq!(none.headers()["www-authenticate"], "Bearer");
    problem(none, 401, "unauthorized").await;
    let wrong = app
        .client
        .post(&url)
        .bearer_auth("an-admin-token-for-test")
        .send()
        .await
        .unwrap();
    problem(wrong, 401, "unauthorized").await;
    let before = app.catalog.current().unwrap().version;
    app.store.bump_catalog_version().await.unwrap();
    let reloaded = json(
        app.client
            .post(&url)
            .bearer_auth(ADMIN_TOKEN)
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(reloaded["catalog_version"], before + 1);
    assert_eq!(reloaded["films"], crate::support::FILMS);
    app.stop().await;
}

#[tokio::test]
async fn metrics_and_usage_count_what_happened() {
    let app = TestApp::spawn().await;
    json(
        app.recommend(json!({"members": ["alice"], "limit": 3}))
            .await,
        200,
    )
    .await;
    json(
        app.recommend(json!({"members": ["alice", "bob"], "limit": 3}))
            .await,
        200,
    )
    .await;
    let metrics = app.get("/metrics").await;
    assert_eq!(metrics.status(), 200);
    assert!(
        metrics.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let text = metrics.text().await.unwrap();
    for expected in [
        "reel_http_requests_total{endpoint=\"/recommendations\",method=\"POST\",status=\"200\"}",
        "reel_http_requests_duration_seconds_bucket{endpoint=\"/recommendations\"",
        "reel_profile_cache_lookups_total{result=\"hit\"}",
        "reel_letterboxd_requests_total{kind=",
        "reel_model_train_seconds_count",
        "reel_model_predict_seconds_count",
        "reel_cache_operations_total{backend=\"redis\",result=\"hit\"}",
        "reel_catalog_films",
        "reel_members_known",
        // Past the 120 s request deadline.
        "reel_http_requests_duration_seconds_bucket{endpoint=\"/recommendations\",method=\"POST\",status=\"200\",le=\"180\"}",
        "reel_build_info{",
        "process_resident_memory_bytes",
        "process_start_time_seconds",
    ] {
        assert!(text.contains(expected), "{expected} missing from\n{text}");
    }
    let usage = json(app.get("/metrics/usage?days=7").await, 200).await;
    let today = usage["days"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(today["day"], usage["to"]);
    assert_eq!(
        (today["members"].as_u64(), today["uses"].as_u64()),
        (Some(2), Some(3))
    );
    problem(
        app.get("/metrics/usage?days=many").await,
        400,
        "invalid_query",
    )
    .await;
    // The spec says 1 to 366: outside it is the client's mistake, not a clamped answer.
    for days in ["0", "367"] {
        let refused = problem(
            app.get(&format!("/metrics/usage?days={days}")).await,
            400,
            "invalid_query",
        )
        .await;
        assert!(
            refused["detail"]
                .as_str()
                .unwrap()
                .contains("between 1 and 366")
        );
    }
    let year = json(app.get("/metrics/usage?days=366").await, 200).await;
    assert!(year["from"].as_str() < year["to"].as_str());
    app.stop().await;
}

#[tokio::test]
async fn the_documentation_is_served_offline() {
    let app = TestApp::spawn().await;
    let document = json(app.get("/openapi.json").await, 200).await;
    assert_eq!(document["info"]["title"], "reel");
    let yaml = app.get("/openapi.yaml").await.text().await.unwrap();
    assert_eq!(yaml, reel::router::openapi::yaml().unwrap());
    let docs = app.get("/docs/").await;
    assert_eq!(docs.status(), 200);
    assert!(docs.text().await.unwrap().contains("swagger-ui"));
    let asset = app.get("/docs/swagger-ui-bundle.js").await;
    assert_eq!(asset.status(), 200, "Swagger UI's assets are compiled in");
    app.stop().await;
}
