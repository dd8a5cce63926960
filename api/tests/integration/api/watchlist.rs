//! `POST /watchlist`.

use serde_json::json;

use crate::support::{TestApp, json, problem};

fn slugs(body: &serde_json::Value) -> Vec<String> {
    body["picks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["slug"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn random_picks_are_reproducible_with_their_seed() {
    let app = TestApp::spawn().await;
    let first = json(
        app.post("/watchlist", json!({"members": ["alice"], "count": 5}))
            .await,
        200,
    )
    .await;
    assert_eq!(first["mode"], "random");
    assert_eq!(first["pool_size"], 20);
    assert_eq!(first["picks"].as_array().unwrap().len(), 5);
    let seed = first["seed"].as_u64().unwrap();
    let again = json(
        app.post(
            "/watchlist",
            json!({"members": ["alice"], "count": 5, "seed": seed}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(slugs(&again), slugs(&first));

    let seeded = json(
        app.post(
            "/watchlist",
            json!({"members": ["alice", "bob"], "count": 3, "seed": 42}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        seeded["pool_size"], 10,
        "films 110..120 are on both watchlists"
    );
    let mut settings = insta::Settings::clone_current();
    settings.add_redaction(".computed_at", "[computed_at]");
    settings.add_redaction(".catalog_version", "[version]");
    settings.bind(|| insta::assert_json_snapshot!("alice_and_bob_seed_42", seeded));

    let union = json(
        app.post(
            "/watchlist",
            json!({"members": ["alice", "bob"], "overlap": false, "count": 96}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(union["pool_size"], 30);
    assert_eq!(union["picks"].as_array().unwrap().len(), 30);
    app.stop().await;
}

#[tokio::test]
async fn ranked_picks_are_best_first_by_the_members_models() {
    let app = TestApp::spawn().await;
    let ranked = json(
        app.post(
            "/watchlist",
            json!({"members": ["alice", "bob"], "mode": "ranked", "count": 10}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(ranked["mode"], "ranked");
    assert!(ranked["model"].is_string());
    let ratings: Vec<f64> = ranked["picks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            assert_eq!(p["member_predictions"].as_array().unwrap().len(), 2);
            p["predicted_rating"].as_f64().unwrap()
        })
        .collect();
    assert_eq!(ratings.len(), 10);
    assert!(ratings.windows(2).all(|w| w[0] >= w[1]), "{ratings:?}");
    app.stop().await;
}

#[tokio::test]
async fn empty_watchlists_and_no_overlap_are_problems() {
    let app = TestApp::spawn().await;
    let empty = problem(
        app.post("/watchlist", json!({"members": ["alice", "nowatch"]}))
            .await,
        422,
        "watchlist_empty",
    )
    .await;
    assert!(empty["detail"].as_str().unwrap().contains("nowatch"));
    problem(
        app.post("/watchlist", json!({"members": ["alice", "carol"]}))
            .await,
        422,
        "no_overlap",
    )
    .await;
    problem(
        app.post("/watchlist", json!({"members": ["alice"], "count": 0}))
            .await,
        400,
        "invalid_body",
    )
    .await;
    problem(
        app.post(
            "/watchlist",
            json!({"members": ["alice"], "mode": "ranked", "oops": 1}),
        )
        .await,
        400,
        "invalid_body",
    )
    .await;
    app.stop().await;
}
