//! `GET /metrics/usage`: the cumulative series beside the daily one, with `from` and `to`.

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::support::{TestApp, json, problem};

fn at(day: &str) -> DateTime<Utc> {
    format!("{day}T12:00:00Z").parse().unwrap()
}

#[tokio::test]
async fn the_cumulative_series_counts_members_ever_seen_and_uses_so_far() {
    let app = TestApp::spawn().await;
    let user = |name: &str| model::Username::parse(name).unwrap();
    for (name, day) in [
        ("alice", "2026-11-01"),
        ("alice", "2026-11-01"),
        ("bob", "2026-11-03"),
        ("alice", "2026-11-03"),
    ] {
        app.store
            .record_member_use(&user(name), at(day))
            .await
            .unwrap();
    }
    let all = json(app.get("/metrics/usage?to=2026-11-04").await, 200).await;
    assert_eq!(
        all["cumulative"],
        json!([
            {"day": "2026-11-01", "members": 1, "uses": 2},
            {"day": "2026-11-02", "members": 1, "uses": 2},
            {"day": "2026-11-03", "members": 2, "uses": 4},
            {"day": "2026-11-04", "members": 2, "uses": 4},
        ])
    );
    assert_eq!(all["to"], "2026-11-04");
    assert_eq!(
        all["from"], "2026-10-06",
        "the daily series keeps its 30 days"
    );
    assert_eq!(
        all["days"],
        json!([
            {"day": "2026-11-01", "members": 1, "uses": 2},
            {"day": "2026-11-03", "members": 2, "uses": 2},
        ])
    );

    let window = json(
        app.get("/metrics/usage?from=2026-11-02&to=2026-11-03")
            .await,
        200,
    )
    .await;
    assert_eq!(
        window["cumulative"],
        json!([
            {"day": "2026-11-02", "members": 1, "uses": 2},
            {"day": "2026-11-03", "members": 2, "uses": 4},
        ]),
        "totals still count from the first day"
    );
    assert_eq!(
        window["days"],
        json!([{"day": "2026-11-03", "members": 2, "uses": 2}])
    );

    problem(
        app.get("/metrics/usage?from=2026-11-05&to=2026-11-04")
            .await,
        400,
        "invalid_query",
    )
    .await;
    problem(
        app.get("/metrics/usage?from=yesterday").await,
        400,
        "invalid_query",
    )
    .await;
    app.stop().await;
}

#[tokio::test]
async fn before_any_use_the_cumulative_series_is_empty() {
    let app = TestApp::spawn().await;
    let body = json(app.get("/metrics/usage").await, 200).await;
    assert_eq!(body["cumulative"], json!([]));
    app.stop().await;
}
