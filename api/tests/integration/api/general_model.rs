//! `reel train general` reaches a running server without a restart: until a general model is
//! stored the `default` model falls back to the personalized forest (and says so); once one is
//! stored, the server picks it up and serves the default model.

use std::time::Duration;

use serde_json::json;

use crate::support::{TestApp, json, problem};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newly_trained_general_model_is_served_without_a_restart() {
    let app = TestApp::spawn().await;
    let ask = || app.recommend(json!({"members": ["alice"], "limit": 10}));

    let before = json(ask().await, 200).await;
    assert_eq!(
        before["model"], "personalized",
        "no general model stored yet"
    );
    assert_eq!(
        before["rank_by"], "predicted_rating",
        "without a general model there is no co-watching to match on"
    );
    // Asked for by name, the general model is not replaced by another: the answer says it is
    // missing and what the operator must do.
    let general = || app.recommend(json!({"members": ["alice"], "limit": 10, "model": "general"}));
    let missing = general().await;
    assert!(missing.headers().contains_key("retry-after"));
    let missing = problem(missing, 503, "model_not_loaded").await;
    assert!(
        missing["detail"]
            .as_str()
            .unwrap()
            .contains("reel train general")
    );
    let ready = json(app.get("/health/ready").await, 200).await;
    assert_eq!(
        ready["missing"],
        json!([
            {"what": "general_model", "fix": "reel train general"},
            {"what": "member_statistics", "fix": "reel stats refresh"},
        ])
    );
    let ranked_picks = || {
        app.post(
            "/watchlist",
            json!({"members": ["alice"], "mode": "ranked", "count": 20}),
        )
    };
    assert_eq!(
        json(ranked_picks().await, 200).await["rank_by"],
        "predicted_rating"
    );

    let report = reel::jobs::train_general(&app.store, None).await.unwrap();
    assert_eq!(report.version, 1);

    let mut served = None;
    for _ in 0..100 {
        let body = json(ask().await, 200).await;
        if body["model"] == "default" {
            served = Some(body);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let served = served.expect("the stored general model was never picked up");
    assert_eq!(json(general().await, 200).await["model"], "general");
    assert_eq!(
        json(app.get("/health/ready").await, 200).await["missing"],
        json!([{"what": "member_statistics", "fix": "reel stats refresh"}])
    );
    assert_eq!(served["items"].as_array().unwrap().len(), 10);
    assert_eq!(served["rank_by"], "match");

    // The original's order is one field away; the stars are the same model's either way.
    let by_rating = json(
        app.recommend(json!({"members": ["alice"], "limit": 10, "rank_by": "predicted_rating"}))
            .await,
        200,
    )
    .await;
    assert_eq!(by_rating["rank_by"], "predicted_rating");
    let stars = |body: &serde_json::Value| -> Vec<f64> {
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| item["predicted_rating"].as_f64().unwrap())
            .collect()
    };
    let by_rating_stars = stars(&by_rating);
    assert!(
        by_rating_stars.windows(2).all(|w| w[0] >= w[1]),
        "best rated first"
    );
    // A match list is not just the top predicted ratings.
    let keys = |body: &serde_json::Value| -> Vec<String> {
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| item["key"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_ne!(
        keys(&served),
        keys(&by_rating),
        "match ranking changed nothing"
    );

    // Ranked watchlist picks use the same ranking: the picks are the same films in another
    // order, and the stars are still the predicted ratings.
    let picks_by_match = json(ranked_picks().await, 200).await;
    assert_eq!(picks_by_match["rank_by"], "match");
    let picks_by_rating = json(
        app.post(
            "/watchlist",
            json!({"members": ["alice"], "mode": "ranked", "count": 20, "rank_by": "predicted_rating"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(picks_by_rating["rank_by"], "predicted_rating");
    let picked = |body: &serde_json::Value| -> Vec<(String, f64)> {
        body["picks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|pick| {
                let stars = pick["predicted_rating"].as_f64().unwrap();
                (pick["key"].as_str().unwrap().to_owned(), stars)
            })
            .collect()
    };
    let (by_match, by_stars) = (picked(&picks_by_match), picked(&picks_by_rating));
    assert_eq!(by_match.len(), 20, "alice's whole watchlist is ranked");
    assert!(by_stars.windows(2).all(|w| w[0].1 >= w[1].1));
    let mut same_films = by_match.clone();
    let mut other_order = by_stars.clone();
    same_films.sort_by(|a, b| a.0.cmp(&b.0));
    other_order.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(same_films, other_order, "same films, same stars");
    assert_ne!(by_match, by_stars, "the match ranking reordered nothing");
    let random = json(
        app.post("/watchlist", json!({"members": ["alice"], "seed": 7}))
            .await,
        200,
    )
    .await;
    assert!(random["rank_by"].is_null(), "random picks have no order");
    app.stop().await;
}
